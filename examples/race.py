# Lost updates. Four threads add to a global counter with no lock.
#
# `counter += 1` is a read, an add and a write (see `gilsim dis examples/counter_dis.py`),
# but since CPython 3.10 a thread only gives the GIL up at a backward jump or a call, never
# between those three: no update is lost. Put a call between the read and the write,
# `counter = counter + one(1)`, and a switch can land there: the other threads' updates made
# meanwhile are overwritten.
#
#     gilsim run examples/race.py
#     gilsim run --gil old --check-interval 5 examples/race.py   # Python 2: the plain += loses updates too
#     gilsim run --gil off examples/race.py                      # no GIL: both lose updates
#     gilsim run --switch-interval 0.0001 examples/race.py       # more switches, more lost updates
import threading
import time

THREADS = 4
N = 200_000
counter = 0


def one(x):
    return x


def add_plain(n):
    global counter
    for _ in range(n):
        counter += 1


def add_with_call(n):
    global counter
    for _ in range(n):
        counter = counter + one(1)


def run(fn):
    global counter
    counter = 0
    threads = [threading.Thread(target=fn, args=(N,)) for _ in range(THREADS)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return counter, time.perf_counter() - start


total = THREADS * N
plain, plain_sec = run(add_plain)
called, called_sec = run(add_with_call)
print(f"{THREADS} threads x {N:,} increments = {total:,}")
print(f"counter += 1:               {plain:,} ({total - plain:,} lost)")
print(f"counter = counter + one(1): {called:,} ({total - called:,} lost) in {called_sec:.2f}s")
