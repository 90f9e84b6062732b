# Generator expressions are lazy and single-use.
def noisy(n):
    for i in range(n):
        print("produce", i)
        yield i


print(sum(x * x for x in range(10)))
print(any(x > 3 for x in noisy(10)))
print(all(x < 2 for x in noisy(10)))
print(max(len(w) for w in ["a", "abc", "ab"]))
print(min((x for x in [5, 3, 8]), default=None), min((x for x in []), default="empty"))
g = (x * 2 for x in range(3))
print(type(g).__name__)
print(list(g))
print(list(g))
lazy = (print("evaluated", x) or x for x in range(2))
print("before consuming")
print(next(lazy))
print(sorted(c for c in "banana"))
print(sum(1 for _ in range(100) if _ % 7 == 0))
print(dict((k, k * 2) for k in "ab"), tuple(i for i in range(3)))
