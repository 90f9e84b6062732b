# David Beazley's countdown: two CPU-bound threads take no less time than doing the same
# work one after the other, because the GIL lets one thread run Python code at a time.
#
#     gilsim run examples/countdown.py
#     gilsim run --gil old examples/countdown.py    # Python 2's GIL: threads slower than sequential (the "GIL battle")
#     gilsim run --gil off examples/countdown.py    # no GIL (PEP 703): about half the time on 2 cores
#     gilsim run --threads 2 --stats examples/countdown.py   # then main() in 2 threads, with the lock summary
#     gilsim run --switch-interval 0.0001 --stats examples/countdown.py   # 50x more lock handoffs
import threading
import time

COUNT = 3_000_000


def countdown(n):
    while n > 0:
        n -= 1


def main():
    countdown(COUNT)


start = time.perf_counter()
countdown(COUNT)
countdown(COUNT)
sequential = time.perf_counter() - start

start = time.perf_counter()
t1 = threading.Thread(target=countdown, args=(COUNT,))
t2 = threading.Thread(target=countdown, args=(COUNT,))
t1.start()
t2.start()
t1.join()
t2.join()
threaded = time.perf_counter() - start

print(f"two countdowns of {COUNT:,}")
print(f"one after the other: {sequential:.2f}s")
print(f"in two threads:      {threaded:.2f}s ({threaded / sequential:.2f}x the sequential time)")
