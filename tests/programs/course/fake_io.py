# The course's I/O-bound function: sleeping in chunks (tiny durations).
import time


def fake_io(total_seconds, chunks=10):
    per_chunk = total_seconds / chunks
    for _ in range(chunks):
        time.sleep(per_chunk)
    return total_seconds


def io_task(n):
    time.sleep(0.002)
    return n


start = time.perf_counter()
print(fake_io(0.02, chunks=4))
elapsed = time.perf_counter() - start
print(elapsed >= 0.015)
print([io_task(n) for n in range(4)])
start = time.perf_counter()
results = [fake_io(0.005, chunks=5) for _ in range(3)]
print(results, time.perf_counter() - start >= 0.01)
