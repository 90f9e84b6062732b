# as_completed yields each future once, as it finishes.
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed, TimeoutError


def work(n):
    time.sleep(0.005 * (n % 3))
    return n * 3


with ThreadPoolExecutor(max_workers=4) as ex:
    fs = [ex.submit(work, i) for i in range(8)]
    results = [f.result() for f in as_completed(fs)]
    print(sorted(results))

    # already-finished futures and duplicates: each yielded once
    print(len(list(as_completed(fs + fs[:3]))))

    # a dict of future -> label, as in the course's download example
    labels = {ex.submit(work, i): f"task{i}" for i in range(4)}
    seen = []
    for f in as_completed(labels):
        seen.append((labels[f], f.result()))
    print(sorted(seen))

    # timeout: one future can never finish before the deadline
    gate = threading.Event()
    quick = ex.submit(work, 1)
    stuck = ex.submit(gate.wait)
    quick.result()
    got = []
    try:
        for f in as_completed([quick, stuck], timeout=0.05):
            got.append(f is quick)
    except TimeoutError as e:
        print("TimeoutError:", e)
    print(got)
    gate.set()
    print(stuck.result())
    print(list(as_completed([])))
