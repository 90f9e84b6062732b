# Instruction pairs the interpreter may run as one (local loads, compare-and-jump,
# arithmetic stored to a local), checked with values that leave the fast paths.
class Loose:
    def __init__(self, v):
        self.v = v

    def __lt__(self, other):
        # Not a bool: the jump tests its truth.
        return [] if self.v >= other.v else [1]

    def __add__(self, other):
        return Loose(self.v + other.v)


def count_down(n):
    steps = 0
    while n > 0:
        n -= 1
        steps += 1
    return steps


def mixed(a, b):
    c = a + b
    d = c * 2.5
    e = d - a
    f = 7 // 2
    g = -7 // 2
    h = -7 % 3
    k = 2 ** 70 + a
    return c, d, e, f, g, h, k


def loose_compare():
    x, y = Loose(1), Loose(2)
    out = []
    if x < y:
        out.append("x<y")
    if not (y < x):
        out.append("not y<x")
    z = x + y
    out.append(z.v)
    return out


def overflow():
    big = 9223372036854775807
    big += 1
    small = -9223372036854775808
    small -= 1
    return big, small


def jump_into_second(n):
    # The loop's back jump lands on the compare of `i < n`, not on the loads before it.
    i = 0
    total = 0
    while i < n:
        total = total + i
        i = i + 1
    return total


def zero_division():
    a = 1
    b = 0
    try:
        c = a // b
    except ZeroDivisionError as e:
        return "caught: " + str(e)
    return c


print(count_down(10), count_down(0), count_down(-3))
print(mixed(3, 4))
print(mixed(1.5, 2))
print(loose_compare())
print(overflow())
print(jump_into_second(100))
print(zero_division())
print(1 < 2.5, 2.5 < 1, 3 == 3.0, "a" < "b", [1] < [2], None is None)
