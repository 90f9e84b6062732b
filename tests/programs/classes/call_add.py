# __call__, __add__ and other arithmetic dunders.
class Multiplier:
    def __init__(self, factor):
        self.factor = factor

    def __call__(self, x):
        return x * self.factor


class Vec:
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __add__(self, other):
        return Vec(self.x + other.x, self.y + other.y)

    def __sub__(self, other):
        return Vec(self.x - other.x, self.y - other.y)

    def __mul__(self, k):
        return Vec(self.x * k, self.y * k)

    def __neg__(self):
        return Vec(-self.x, -self.y)

    def __repr__(self):
        return f"Vec({self.x}, {self.y})"


triple = Multiplier(3)
print(triple(5), triple("ab"), callable(triple), callable(5))
print(list(map(triple, [1, 2])))
a, b = Vec(1, 2), Vec(10, 20)
print(a + b, b - a, a * 3, -a)
total = Vec(0, 0)
for v in [a, b, a]:
    total += v
print(total)
