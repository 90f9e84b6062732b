# A failing initializer breaks the pool: pending calls fail with BrokenThreadPool.
import sys
from concurrent.futures import BrokenExecutor, ThreadPoolExecutor


class Capture:
    def __init__(self):
        self.parts = []

    def write(self, text):
        self.parts.append(text)

    def flush(self):
        pass


def init(tag):
    raise OSError("no connection for " + tag)


saved, sys.stderr = sys.stderr, Capture()
try:
    ex = ThreadPoolExecutor(max_workers=1, initializer=init, initargs=("db",))
    f = ex.submit(pow, 2, 3)
    exc = f.exception()
    print(type(exc).__name__, isinstance(exc, BrokenExecutor), isinstance(exc, RuntimeError))
    print(exc)
    try:
        ex.submit(pow, 2, 4)
    except BrokenExecutor as e:
        print("submit:", type(e).__name__, e)
    ex.shutdown()
finally:
    log, sys.stderr = sys.stderr, saved
lines = "".join(log.parts).splitlines()
print(lines[0])
print(lines[-1])
