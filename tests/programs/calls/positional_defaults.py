# Calls that leave only defaulted parameters unfilled, in every shape the interpreter
# may bind in place: plain functions, methods, __init__, captured parameters.
def f(a, b=2, c=[]):
    c.append(a)
    return a, b, len(c)


class P:
    def __init__(self, x, y=10, tag="p"):
        self.x, self.y, self.tag = x, y, tag

    def move(self, dx, dy=0):
        return P(self.x + dx, self.y + dy, self.tag)

    def __repr__(self):
        return f"P({self.x}, {self.y}, {self.tag!r})"


def adder(n, step=1):
    def add(v):
        return v + n * step
    return add


def count(n, acc=0):
    if n == 0:
        return acc
    return count(n - 1, acc + n)


def gen(n, start=100):
    for i in range(n):
        yield start + i


print(f(1), f(2, 3), f(4))
print(P(1), P(1, 2), P(1, 2, "q"), P(5).move(1), P(5).move(1, 1))
print(adder(3)(1), adder(3, 2)(1))
print(count(50))
print(list(gen(3)), list(gen(2, 7)))
try:
    f()
except TypeError as e:
    print("TypeError:", e)
try:
    P()
except TypeError as e:
    print("TypeError:", e)
try:
    f(1, 2, [], 4)
except TypeError as e:
    print("TypeError:", e)
