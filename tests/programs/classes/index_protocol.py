# __index__ (PEP 357): objects usable as sequence indexes.
class I:
    def __init__(self, n):
        self.n = n

    def __index__(self):
        return self.n


l = [10, 20, 30]
print(l[I(1)], "abc"[I(2)], range(5)[I(3)], (1, 2, 3)[I(-1)])
l[I(0)] = 5
del l[I(1)]
print(l)


class Bad:
    def __index__(self):
        return "x"


try:
    l[Bad()]
except TypeError as e:
    print("TypeError:", e)
