# The course's I/O-bound task (shared/seeds/001): time.sleep in chunks stands in for network
# or disk waits. Sequentially, the waits add up; the threads examples will overlap them.
#
#     gilsim run examples/io_bound.py
import time


def fake_io(total, chunks):
    for _ in range(chunks):
        time.sleep(total / chunks)
    return total


start = time.perf_counter()
results = [fake_io(0.1, 5) for _ in range(4)]
elapsed = time.perf_counter() - start
print(sum(results))
print(f"4 tasks one after another: {elapsed:.2f}s (about 0.4s)")
