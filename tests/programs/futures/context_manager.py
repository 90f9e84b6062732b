# An executor is a context manager: leaving the block waits for every submitted call.
import time
from concurrent.futures import Executor, ThreadPoolExecutor

done = []


def job(n):
    time.sleep(0.01)
    done.append(n)
    return n


with ThreadPoolExecutor(max_workers=3) as ex:
    print(isinstance(ex, Executor))
    futures = [ex.submit(job, i) for i in range(6)]
print(sorted(done))
print(all(f.done() for f in futures))

# __enter__ returns the executor itself; __exit__ does not swallow exceptions
pool = ThreadPoolExecutor(max_workers=2)
with pool as same:
    print(same is pool)
try:
    with ThreadPoolExecutor(max_workers=2) as ex:
        f = ex.submit(job, 99)
        raise KeyError("inside with")
except KeyError as e:
    print("KeyError", e, f.done(), f.result())

# the base class: submit is abstract, shutdown does nothing
base = Executor()
try:
    base.submit(print)
except NotImplementedError:
    print("NotImplementedError")
with base:
    print("base with")
