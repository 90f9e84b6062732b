# next() with a default and StopIteration when exhausted.
def two():
    yield "a"
    yield "b"


g = two()
print(next(g), next(g), next(g, "default"), next(g, None))
try:
    next(g)
except StopIteration:
    print("StopIteration caught")
it = iter([1, 2])
print(next(it), next(it), next(it, "done"))
empty = iter([])
print(next(empty, 0))
try:
    next(iter(()))
except StopIteration as e:
    print("args:", e.args)
def first(iterable, default=None):
    for item in iterable:
        return item
    return default
print(first([9, 8]), first([], "none"))
