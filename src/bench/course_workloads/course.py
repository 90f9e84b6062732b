# The course's experiment (shared/seeds/001): the same CPU-bound and I/O-bound tasks run
# with a ThreadPoolExecutor and then with a ProcessPoolExecutor, timed as the course does.
# `gilsim bench` runs it under gilsim (and, with --compare-python, under python3) and reads
# the `key value` lines it prints. Usage: course.py [SCALE] (task size, 1.0 = the course's).
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


def report(key, value):
    # One line at a time, flushed, so the reader can show progress as the phases end.
    print(key, value, flush=True)


if __name__ == "__main__":
    scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    n = max(1, int(1_000_000 * scale))
    io_total = 0.3 * scale
    workers = max(2, min(8, os.cpu_count() or 2))
    cpu_tasks = [(n,)] * (2 * workers)
    io_tasks = [(io_total, 10)] * (2 * workers)
    report("workers", workers)
    report("tasks", len(cpu_tasks))
    report("cpu_n", n)
    report("io_total_s", io_total)

    # Results arrive in completion order: sorted before adding, so the sums are exact.
    cpu_t_sec, cpu_t = bench(ThreadPoolExecutor, burn_cpu, cpu_tasks, workers)
    report("cpu_threads_s", cpu_t_sec)
    report("cpu_sum_threads", repr(sum(sorted(cpu_t))))
    cpu_p_sec, cpu_p = bench(ProcessPoolExecutor, burn_cpu, cpu_tasks, workers)
    report("cpu_processes_s", cpu_p_sec)
    report("cpu_sum_processes", repr(sum(sorted(cpu_p))))

    io_t_sec, io_t = bench(ThreadPoolExecutor, fake_io, io_tasks, workers)
    report("io_threads_s", io_t_sec)
    report("io_sum_threads", repr(sum(sorted(io_t))))
    io_p_sec, io_p = bench(ProcessPoolExecutor, fake_io, io_tasks, workers)
    report("io_processes_s", io_p_sec)
    report("io_sum_processes", repr(sum(sorted(io_p))))
    report("done", 1)
