# A suspended generator that dies inside try/finally runs its finally block (CPython closes
# it at refcount zero): on rebinding, when a loop drops it, and at program exit.
def g(tag):
    try:
        yield 1
        yield 2
    finally:
        print("finally", tag)


a = g("a")
next(a)
a = None
print("after a")


def h():
    for i in range(3):
        x = g(i)
        next(x)
    print("loop done")


h()
b = g("b")
next(b)
print("end of program")
