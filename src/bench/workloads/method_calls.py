# Method calls and attribute updates on small objects.
class Counter:
    def __init__(self):
        self.n = 0

    def add(self, k):
        self.n += k
        return self


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def norm2(self):
        return self.x * self.x + self.y * self.y


def main():
    c = Counter()
    total = 0
    for i in range(1_000_000):
        c.add(i)
        p = Point(i, 1)
        total += p.norm2() % 7
    print(c.n, total)


main()
