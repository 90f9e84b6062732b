# isinstance/issubclass, type(x).__name__, hasattr/getattr/setattr/delattr.
class Base:
    color = "red"


class Child(Base):
    def __init__(self):
        self.size = 3


c = Child()
print(type(c).__name__, type(c) is Child, type(c) == Base)
print(isinstance(c, Base), isinstance(c, (int, Base)), isinstance(3, (str, float)))
print(issubclass(Child, Base), issubclass(bool, int), issubclass(int, (str, Base)))
print(hasattr(c, "size"), hasattr(c, "color"), hasattr(c, "missing"))
print(getattr(c, "size"), getattr(c, "color"), getattr(c, "missing", "fallback"))
setattr(c, "size", 10)
setattr(c, "new_attr", [1])
print(c.size, c.new_attr)
delattr(c, "new_attr")
print(hasattr(c, "new_attr"))
name = "color"
print(getattr(Child, name), getattr(Base, "__name__"))
for v in [1, 1.0, "s", [1], (1,), {1: 1}, {1}, None, True, Child]:
    print(type(v).__name__, end=" ")
print()
print(isinstance(True, int), type(True) is int)
