# The course's benchmark (shared/seeds/001), its threads half: CPU-bound tasks gain nothing
# from threads, because the GIL lets one thread run Python code at a time, while I/O-bound
# tasks overlap their waits, because time.sleep gives the GIL up.
#
#     gilsim run examples/course_benchmark_threads.py
#     gilsim run --stats examples/course_benchmark_threads.py      # where each thread's time went
#     gilsim run --gil off examples/course_benchmark_threads.py    # no GIL: the CPU row speeds up
#     gilsim run --gil old examples/course_benchmark_threads.py    # Python 2's GIL: slower still
#     gilsim run examples/course_benchmark_threads.py -- 1000000   # the course's task size
import math
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed


def burn_cpu(n):
    acc = 0.0
    for i in range(n):
        acc += math.sqrt((i % 1000) + 1)
    return acc


def fake_io(total, chunks):
    for _ in range(chunks):
        time.sleep(total / chunks)
    return total


def bench(executor_cls, fn, args_list, workers):
    start = time.perf_counter()
    with executor_cls(max_workers=workers) as executor:
        futures = [executor.submit(fn, *args) for args in args_list]
        results = [f.result() for f in as_completed(futures)]
    return time.perf_counter() - start, results


n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
workers = max(2, min(8, os.cpu_count() or 2))
cpu_tasks = [(n,)] * (2 * workers)
io_tasks = [(0.3, 10)] * (2 * workers)

cpu_1_sec, cpu_1 = bench(ThreadPoolExecutor, burn_cpu, cpu_tasks, 1)
cpu_t_sec, cpu_t = bench(ThreadPoolExecutor, burn_cpu, cpu_tasks, workers)
io_t_sec, io_t = bench(ThreadPoolExecutor, fake_io, io_tasks, workers)

print(f"workers: {workers}, tasks: {len(cpu_tasks)} of each kind")
# Results arrive in completion order: sort before adding, so the float sum is exact to print.
print(f"CPU sums equal: {sum(sorted(cpu_1)) == sum(sorted(cpu_t))}")
print(f"CPU sum: {round(sum(sorted(cpu_t)), 3)}")
print(f"I/O sum: {round(sum(io_t), 3)} seconds of waiting")
print(f"CPU-bound, 1 thread:   {cpu_1_sec:.2f}s")
print(f"CPU-bound, {workers} threads:  {cpu_t_sec:.2f}s ({cpu_1_sec / cpu_t_sec:.2f}x the speed of one: the GIL runs one at a time)")
print(f"I/O-bound, {workers} threads:  {io_t_sec:.2f}s for {round(sum(io_t), 3)}s of waiting (the waits overlap)")
