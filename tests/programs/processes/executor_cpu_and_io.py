# The course's ThreadPoolExecutor / ProcessPoolExecutor sample (seeds 003), with the
# __main__ guard that the spawn start method needs and smaller sizes.
from concurrent.futures import ThreadPoolExecutor, ProcessPoolExecutor, as_completed
import time

def io_task(n):
    time.sleep(0.05)
    return n

def cpu_task(n):
    return sum(i * i for i in range(n))

if __name__ == "__main__":
    # I/O-bound -> ThreadPoolExecutor
    with ThreadPoolExecutor(max_workers=4) as executor:
        results = list(executor.map(io_task, range(4)))
    print(results)

    # CPU-bound -> ProcessPoolExecutor
    with ProcessPoolExecutor(max_workers=4) as executor:
        results = list(executor.map(cpu_task, [10**5] * 4))
    print(results)

    with ProcessPoolExecutor(max_workers=2) as executor:
        futures = {executor.submit(cpu_task, n): n for n in [10, 100, 1000]}
        done = sorted((futures[f], f.result()) for f in as_completed(futures))
    print(done)
    with ProcessPoolExecutor(2) as executor:
        print(list(executor.map(pow, [2, 3, 4], [100, 3, 2], chunksize=2)))
        f = executor.submit(divmod, 7, 2)
        print(f.result(timeout=10), f.done(), f.exception())
