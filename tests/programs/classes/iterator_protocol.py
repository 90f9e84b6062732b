# __iter__ / __next__ make a class usable in for-loops and list().
class CountUp:
    def __init__(self, limit):
        self.limit = limit
        self.current = 0

    def __iter__(self):
        return self

    def __next__(self):
        if self.current >= self.limit:
            raise StopIteration
        self.current += 1
        return self.current


class Range2:
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        for i in range(self.n):
            yield i * 2


print(list(CountUp(4)))
for v in CountUp(2):
    print("v", v)
c = CountUp(3)
print(next(c), next(c), next(c), next(c, "exhausted"))
r = Range2(4)
print(list(r), list(r), sum(r), 4 in r)
print([x + y for x, y in zip(CountUp(3), Range2(3))])
it = iter(Range2(2))
print(next(it), next(it), next(it, None))
