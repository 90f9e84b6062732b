# Generator functions: yield, iteration protocol, for-loop and list().
def countdown(n):
    print("start")
    while n > 0:
        yield n
        n -= 1
    print("finished")


g = countdown(3)
print(type(g).__name__)
print(next(g))
print(next(g))
for v in g:
    print("loop", v)
print(list(countdown(4)))
def evens(limit):
    for i in range(limit):
        if i % 2 == 0:
            yield i
print(sum(evens(10)), list(evens(7)), max(evens(9)))
gen = evens(4)
print(iter(gen) is gen)
def pairs():
    yield 1, "one"
    yield 2, "two"
print(dict(pairs()))
