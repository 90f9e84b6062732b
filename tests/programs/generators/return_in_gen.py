# 'return' inside a generator ends the iteration; its value goes on StopIteration.
def limited(items):
    for item in items:
        if item < 0:
            return "stopped at negative"
        yield item


print(list(limited([1, 2, -1, 3])))
g = limited([5, -5])
print(next(g))
try:
    next(g)
except StopIteration as e:
    print("StopIteration value:", e.value)
def empty_gen():
    return
    yield
print(list(empty_gen()))
def gen_with_finally():
    try:
        yield 1
        yield 2
    finally:
        print("cleanup")
for v in gen_with_finally():
    print(v)
