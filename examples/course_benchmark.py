# The course's experiment (shared/seeds/001), both halves: the same CPU-bound and I/O-bound
# tasks on a pool of threads and on a pool of processes. Threads do not speed up CPU-bound
# work (one GIL), processes do (a GIL each); for I/O-bound work both overlap the waits.
#
#     gilsim run examples/course_benchmark.py
#     gilsim run --deterministic examples/course_benchmark.py              # virtual time, 4 simulated cores
#     gilsim run --deterministic --cores 8 examples/course_benchmark.py    # 8-way process scaling on any laptop
#     gilsim run examples/course_benchmark.py -- 1000000                   # the course's task size
#     gilsim bench                                                         # the same experiment, measured and compared
import math
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed


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


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    workers = max(2, min(8, os.cpu_count() or 2))
    cpu_tasks = [(n,)] * (2 * workers)
    io_tasks = [(0.3, 10)] * (2 * workers)

    cpu_t_sec, cpu_t = bench(ThreadPoolExecutor, burn_cpu, cpu_tasks, workers)
    cpu_p_sec, cpu_p = bench(ProcessPoolExecutor, burn_cpu, cpu_tasks, workers)
    io_t_sec, io_t = bench(ThreadPoolExecutor, fake_io, io_tasks, workers)
    io_p_sec, io_p = bench(ProcessPoolExecutor, fake_io, io_tasks, workers)

    print(f"workers: {workers}, tasks: {len(cpu_tasks)} of each kind")
    # Results arrive in completion order: sort before adding, so the float sums are exact.
    print(f"CPU sums equal: {sum(sorted(cpu_t)) == sum(sorted(cpu_p))}")
    print(f"I/O sums equal: {sum(io_t) == sum(io_p)}")
    print(f"CPU-bound: threads {cpu_t_sec:.2f}s, processes {cpu_p_sec:.2f}s ({cpu_t_sec / cpu_p_sec:.2f}x)")
    print(f"I/O-bound: threads {io_t_sec:.2f}s, processes {io_p_sec:.2f}s ({io_t_sec / io_p_sec:.2f}x)")
