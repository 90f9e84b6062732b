# Exception args, str() and repr().
e = ValueError("message")
print(e.args, str(e), repr(e))
e2 = ValueError("a", 1)
print(e2.args, str(e2), repr(e2))
e3 = ValueError()
print(e3.args, repr(str(e3)), repr(e3))
k = KeyError("key")
print(str(k), repr(k))
k2 = KeyError(3)
print(str(k2), repr(k2))
class MyError(Exception):
    pass
m = MyError("custom", 42)
print(str(m), repr(m), m.args[1])
try:
    raise MyError
except MyError as caught:
    print(repr(caught), caught.args)
print(repr(ZeroDivisionError("division by zero")))
print(str(StopIteration(5)), StopIteration(5).value)
print(f"{e}|{e!r}|{k}")
