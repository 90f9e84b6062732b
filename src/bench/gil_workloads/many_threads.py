# THREADS threads each sleep 0.5 s at once; prints the wall time of the batch.
# Usage: many_threads.py THREADS
import sys
import threading
import time


def nap():
    time.sleep(0.5)


def main():
    threads = [threading.Thread(target=nap) for _ in range(int(sys.argv[1]))]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("elapsed", time.perf_counter() - start)


main()
