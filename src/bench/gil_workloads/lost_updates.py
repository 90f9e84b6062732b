# 4 threads × 200k increments of a global. `plain` is `counter += 1`; `call` puts a call
# between the read and the write (`counter = counter + one(1)`). Prints the updates lost.
# Usage: lost_updates.py plain|call
import sys
import threading

N = 200_000
THREADS = 4
counter = 0


def one(x):
    return x


def plain():
    global counter
    for _ in range(N):
        counter += 1


def call():
    global counter
    for _ in range(N):
        counter = counter + one(1)


def main():
    target = plain if sys.argv[1] == "plain" else call
    threads = [threading.Thread(target=target) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("lost", N * THREADS - counter)
    print("lost_fraction", (N * THREADS - counter) / (N * THREADS))


main()
