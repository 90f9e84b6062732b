# An infinite generator consumed manually (no itertools).
def naturals():
    n = 0
    while True:
        yield n
        n += 1


def take(n, iterable):
    out = []
    it = iter(iterable)
    for _ in range(n):
        out.append(next(it))
    return out


def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b


print(take(5, naturals()))
print(take(15, fib()))
def squares_of(gen):
    for v in gen:
        yield v * v
print(take(6, squares_of(naturals())))
primes = (n for n in naturals() if n > 1 and all(n % d for d in range(2, n)))
print(take(10, primes))
for i, f in enumerate(fib()):
    if f > 1000:
        print("first fib over 1000:", i, f)
        break
print(take(3, fib()), 2 ** 100 in take(1, fib()))
