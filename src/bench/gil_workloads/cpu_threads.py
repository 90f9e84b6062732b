# N threads each run the same CPU-bound loop; prints the wall time of the whole batch.
# Usage: cpu_threads.py THREADS ITERATIONS
import sys
import threading
import time


def burn(n):
    acc = 0
    for i in range(n):
        acc += i * i % 7
    return acc


def main():
    nthreads = int(sys.argv[1])
    work = int(sys.argv[2])
    threads = [threading.Thread(target=burn, args=(work,)) for _ in range(nthreads)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("elapsed", time.perf_counter() - start)


main()
