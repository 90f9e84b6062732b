# The convoy effect: a thread doing many short blocking operations (sleeps standing in
# for I/O) beside a CPU-bound thread. Every time the I/O thread comes back it must take
# the lock again, and waits up to one switch interval for it.
# Usage: convoy.py SWITCH_INTERVAL_SECONDS
import sys
import threading
import time

OPS = 100
stop = False


def io_loop():
    start = time.perf_counter()
    for _ in range(OPS):
        time.sleep(0.0001)
    return OPS / (time.perf_counter() - start)


def cpu():
    n = 0
    while not stop:
        n += 1


def main():
    global stop
    sys.setswitchinterval(float(sys.argv[1]))
    alone = io_loop()
    t = threading.Thread(target=cpu)
    t.start()
    beside = io_loop()
    stop = True
    t.join()
    print("io_ops_per_s_alone", alone)
    print("io_ops_per_s_beside_cpu", beside)
    print("slowdown", alone / beside)


main()
