# Worker threads: created on demand up to max_workers, named after the executor.
import os
import threading
from concurrent.futures import ThreadPoolExecutor

barrier = threading.Barrier(3)


def meet():
    barrier.wait()  # all three calls must run at once, in three workers
    return threading.current_thread().name


def my_name():
    return threading.current_thread().name


def is_daemon():
    return threading.current_thread().daemon


with ThreadPoolExecutor(max_workers=3) as ex:
    names = [ex.submit(meet) for _ in range(3)]
    print(sorted(f.result() for f in names))
    print(ex.submit(is_daemon).result())
    print(ex._max_workers, len(ex._threads))

# the second executor of the program
with ThreadPoolExecutor(max_workers=1) as ex:
    print(ex.submit(my_name).result())
    print(ex.submit(my_name).result())
    print(len(ex._threads))

with ThreadPoolExecutor(thread_name_prefix="fetcher") as ex:
    print(ex.submit(my_name).result())
    print(ex._max_workers == min(32, (os.cpu_count() or 1) + 4))

# an initializer runs once in each worker thread
seen = []
with ThreadPoolExecutor(max_workers=3, initializer=seen.append, initargs=("init",)) as ex:
    barrier.reset()
    for f in [ex.submit(meet) for _ in range(3)]:
        f.result()
print(seen)

for bad in (0, -1):
    try:
        ThreadPoolExecutor(max_workers=bad)
    except ValueError as e:
        print("ValueError:", e)
try:
    ThreadPoolExecutor(initializer=42)
except TypeError as e:
    print("TypeError:", e)
