# A call's exception comes back through result(), exception() and map().
from concurrent.futures import ThreadPoolExecutor


class AppError(Exception):
    pass


def risky(n):
    if n == 3:
        raise AppError(f"bad item {n}")
    if n == 5:
        return 1 // 0
    return n


with ThreadPoolExecutor(max_workers=2) as ex:
    f = ex.submit(risky, 3)
    try:
        f.result()
    except AppError as e:
        print("caught", type(e).__name__, e)
    exc = f.exception()
    print(type(exc).__name__, exc.args)
    print(f.exception() is exc, f.done())
    print(repr(f).split(" state=")[1])

    g = ex.submit(risky, 5)
    try:
        g.result()
    except ZeroDivisionError as e:
        print("caught", e)

    # map re-raises when the failing item is reached, not before
    got = []
    try:
        for value in ex.map(risky, range(6)):
            got.append(value)
    except AppError as e:
        print("map stopped:", e)
    print(got)

    # the executor is still usable
    print(ex.submit(risky, 4).result())

    # BaseException subclasses other than Exception are carried too
    def stop():
        raise KeyboardInterrupt("ki")

    try:
        ex.submit(stop).result()
    except KeyboardInterrupt as e:
        print("caught KeyboardInterrupt", e)
