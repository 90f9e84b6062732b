# The course's example: I/O-bound calls overlap in a ThreadPoolExecutor.
from concurrent.futures import ThreadPoolExecutor, as_completed
import time


def io_task(n):
    time.sleep(0.2)
    return n


# I/O-bound → ThreadPoolExecutor
start = time.perf_counter()
with ThreadPoolExecutor(max_workers=4) as executor:
    results = list(executor.map(io_task, range(4)))
elapsed = time.perf_counter() - start
print(results)
print("overlapped:", elapsed < 0.6)


def cpu_task(n):
    return sum(i * i for i in range(n))


with ThreadPoolExecutor(max_workers=4) as executor:
    results = list(executor.map(cpu_task, [10**4] * 4))
print(results)


def bench(executor_class, fn, args_list, workers):
    start = time.perf_counter()
    with executor_class(max_workers=workers) as ex:
        futures = [ex.submit(fn, *args) for args in args_list]
        results = [f.result() for f in as_completed(futures)]
    return time.perf_counter() - start, results


elapsed, results = bench(ThreadPoolExecutor, io_task, [(i,) for i in range(8)], 8)
print(sorted(results), elapsed < 0.8)
