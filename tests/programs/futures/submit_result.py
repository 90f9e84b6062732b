# submit() returns a Future; result() waits for the call's return value.
import threading
from concurrent.futures import Future, ThreadPoolExecutor


def power(base, exp=2):
    return base ** exp


def describe(f):
    # the repr shows an address: print only what follows it
    return repr(f).split(" state=")[1]


with ThreadPoolExecutor(max_workers=2) as ex:
    f = ex.submit(power, 3)
    print(f.result())
    print(f.done(), f.running(), f.cancelled())
    print(f.exception())
    print(describe(f))
    print(ex.submit(power, 2, exp=10).result(timeout=5))
    print(ex.submit(power, base=5, exp=3).result())
    print(ex.submit(lambda: None).result())
    print(isinstance(f, Future), type(f).__name__)

    # a task that waits for the main thread: running until released
    go = threading.Event()
    started = threading.Event()

    def gated():
        started.set()
        go.wait()
        return "released"

    g = ex.submit(gated)
    started.wait()
    print(g.running(), g.done(), describe(g))
    go.set()
    print(g.result(), g.running(), g.done())

    # fn is positional-only: a keyword named fn reaches the callable
    print(ex.submit(dict, fn=1).result())
