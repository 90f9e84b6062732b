# PEP 479: StopIteration escaping a generator becomes RuntimeError, chained to the original.
def g():
    yield 1
    raise StopIteration("x")
try:
    print(list(g()))
except RuntimeError as e:
    print("RuntimeError:", e, type(e.__cause__).__name__)
def h():
    yield 1
    next(iter([]))
for v in h():
    print(v)
