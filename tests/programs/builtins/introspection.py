# isinstance with tuples, type().__name__, hasattr/getattr/setattr, callable.
values = [1, 2.5, "s", [1], (1,), {"a": 1}, {1}, None, True, range(2)]
for v in values:
    print(type(v).__name__, isinstance(v, (int, float)), isinstance(v, (list, tuple)))
print(isinstance(True, int), isinstance(1, bool), isinstance(None, type(None)))
class C:
    pass
c = C()
setattr(c, "x", 5)
print(getattr(c, "x"), getattr(c, "y", "default"), hasattr(c, "x"), hasattr(c, "y"))
print(hasattr("abc", "upper"), hasattr([], "append"), hasattr(1, "foo"))
print(getattr("abc", "upper")(), getattr([3, 1], "index")(1))
print(callable(print), callable(C), callable(c), callable(lambda: 0), callable("x"))
print(type(type).__name__, type(C).__name__, type(print).__name__ != "")
