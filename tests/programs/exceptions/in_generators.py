# Exceptions inside generators and functions propagate to the consumer.
def risky_gen():
    yield 1
    yield 2
    raise ValueError("generator failed")
    yield 3


got = []
try:
    for v in risky_gen():
        got.append(v)
except ValueError as e:
    print("caught:", e, "after", got)
def safe_gen():
    for x in [1, 0, 2]:
        try:
            yield 10 // x
        except ZeroDivisionError:
            yield "div0"
print(list(safe_gen()))
def deep(n):
    if n == 0:
        raise LookupError("bottom reached")
    return deep(n - 1)
try:
    deep(5)
except LookupError as e:
    print("from recursion:", e)
g = risky_gen()
print(next(g), next(g))
try:
    next(g)
except ValueError:
    print("ValueError on third next")
print(next(g, "exhausted after error"))
