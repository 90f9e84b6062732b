# Future used directly, as an executor's implementation or a test would use it.
from concurrent.futures import Future, CancelledError, InvalidStateError, BrokenExecutor
import concurrent.futures
import sys


class Capture:
    """Stands in for sys.stderr, to hide the address in what is logged there."""
    parts = []
    write = parts.append


def state(f):
    return repr(f).split(" state=")[1]


f = Future()
print(state(f), f.done(), f.running())
try:
    f.result(timeout=0.01)
except concurrent.futures.TimeoutError as e:
    print("TimeoutError", repr(e), isinstance(e, OSError))
try:
    f.exception(timeout=0)
except TimeoutError:
    print("exception() timed out")
print(f.set_running_or_notify_cancel(), state(f), f.running())
print(f.cancel())
f.set_result([1, 2])
print(state(f), f.result(), f.running())
try:
    f.set_result(3)
except InvalidStateError as e:
    print("InvalidStateError", str(e).split(":")[0])
saved, sys.stderr = sys.stderr, Capture()
try:
    f.set_running_or_notify_cancel()
except RuntimeError as e:
    print("RuntimeError", e)
finally:
    log, sys.stderr = sys.stderr, saved
print("logged:", "".join(log.parts).replace(str(id(f)), "ID"), end="")

g = Future()
g.set_exception(KeyError("k"))
print(state(g), repr(g.exception()))

h = Future()
print(h.cancel(), state(h))
print(h.set_running_or_notify_cancel(), state(h), h.cancelled())
try:
    h.set_exception(ValueError())
except InvalidStateError as e:
    print("InvalidStateError", str(e).split(":")[0])

print(issubclass(CancelledError, Exception), issubclass(InvalidStateError, Exception))
print(issubclass(BrokenExecutor, RuntimeError), concurrent.futures.TimeoutError is TimeoutError)
print(sorted(n for n in concurrent.futures.__all__ if n != "ProcessPoolExecutor"))
