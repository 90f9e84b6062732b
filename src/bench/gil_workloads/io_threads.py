# N threads each "download" by sleeping in 10 chunks; prints the wall time of the batch.
# Usage: io_threads.py THREADS SECONDS_PER_THREAD
import sys
import threading
import time


def fake_io(seconds):
    for _ in range(10):
        time.sleep(seconds / 10)


def main():
    nthreads = int(sys.argv[1])
    seconds = float(sys.argv[2])
    threads = [threading.Thread(target=fake_io, args=(seconds,)) for _ in range(nthreads)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("elapsed", time.perf_counter() - start)


main()
