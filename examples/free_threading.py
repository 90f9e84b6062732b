# Free-threading (PEP 703, CPython 3.13t): with no GIL, CPU-bound threads run at once on
# every core. Eight threads compute and append to one shared list: under the GIL they take
# turns; with `--gil off` they run in parallel, and still no append is lost, because the list
# guards itself (per-object locks take the GIL's place).
#
#     gilsim run examples/free_threading.py
#     gilsim run --gil off examples/free_threading.py            # faster on several cores, same result
#     gilsim run --gil off --stats examples/free_threading.py    # no lock waits at all
#     gilsim run --gil old examples/free_threading.py            # Python 2's GIL: the slowest
import threading
import time

THREADS = 8
N = 50_000
shared = []


def work(seed):
    for k in range(N):
        shared.append((seed * 31 + k * k) % 1000)


start = time.perf_counter()
threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
elapsed = time.perf_counter() - start

print(f"{THREADS} threads x {N:,} appends")
print(f"items in the list: {len(shared):,} (none lost: {len(shared) == THREADS * N})")
print(f"checksum: {sum(shared)}")
print(f"took {elapsed:.2f}s")
