# Two CPU-bound threads note every time the running thread changes; the gaps between
# changes are the lock's time slices (the switch interval, 5 ms by default).
import threading
import time

changes = []
last = [None]


def spin(me, end):
    while True:
        now = time.perf_counter()
        if now >= end:
            break
        if last[0] != me:
            last[0] = me
            changes.append(now)


def main():
    end = time.perf_counter() + 1.0
    threads = [threading.Thread(target=spin, args=(i, end)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    gaps = sorted(b - a for a, b in zip(changes, changes[1:]))
    print("changes", len(changes))
    if gaps:
        print("median_slice_ms", gaps[len(gaps) // 2] * 1000)


main()
