# The course's CPU-bound task (shared/seeds/001): pure computation that never releases the
# interpreter lock. Run it and time it against CPython:
#
#     time gilsim run examples/cpu_bound.py
#     time python3 examples/cpu_bound.py
import math
import time


def burn_cpu(n):
    acc = 0.0
    for i in range(n):
        acc += math.sqrt((i % 1000) + 1)
    return acc


def heavy(n):
    return sum(i ** 2 for i in range(n))


start = time.perf_counter()
print(round(burn_cpu(1_000_000), 3))
print(heavy(1_000_000))
elapsed = time.perf_counter() - start
print(f"took {elapsed:.2f}s")
