# What a worker process costs: spawning one and importing this script (until its first
# result is back), and the median submit-to-result round trip of a trivial task after.
# Usage: process_costs.py [ROUND_TRIPS]
import sys, time
from concurrent.futures import ProcessPoolExecutor
import multiprocessing as mp


def noop(x):
    return x


if __name__ == "__main__":
    ctx = mp.get_context("spawn")
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=1, mp_context=ctx) as ex:
        ex.submit(noop, 0).result()
        t1 = time.perf_counter()
        n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
        times = []
        for i in range(n):
            s = time.perf_counter()
            ex.submit(noop, i).result()
            times.append(time.perf_counter() - s)
    times.sort()
    print("startup", t1 - t0)
    print("round_trip", times[n // 2])
