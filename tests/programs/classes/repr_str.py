# __repr__ and __str__ used by print, str, repr, f-strings and containers.
class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __repr__(self):
        return f"Point({self.x!r}, {self.y!r})"

    def __str__(self):
        return f"({self.x}, {self.y})"


class OnlyRepr:
    def __repr__(self):
        return "<OnlyRepr>"


p = Point(1, "a")
print(p)
print(str(p), repr(p))
print(f"{p} {p!r} {p!s}")
print([p, p], (p,), {"k": p})
print(OnlyRepr(), str(OnlyRepr()), f"{OnlyRepr()}")
print("%s %r" % (p, p))
print("{} {!r}".format(p, p))
class Plain:
    pass
text = repr(Plain())
print(text.startswith("<__main__.Plain object at 0x"), text.endswith(">"))
