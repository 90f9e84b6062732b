# The convoy effect: an I/O-bound thread beside a CPU-bound one. Each I/O call gives the GIL
# up; while it waits for its data the CPU thread takes the GIL, and getting it back means
# waiting for the CPU thread to be asked to drop it: up to one switch interval per call. The
# shorter the interval, the less the I/O thread waits. (time.sleep(0.0002) stands in for a
# short network wait: an I/O call that returns at once, such as a write to a pipe, usually
# takes the GIL back before the CPU thread has even woken up.)
#
#     gilsim run examples/convoy.py
#     gilsim run --switch-interval 0.0001 examples/convoy.py   # the first row at 0.1 ms
#     gilsim run --stats examples/convoy.py                    # forced drops and handoff latency
#     gilsim run --gil old examples/convoy.py                  # Python 2's GIL: no convoy, but a busy lock
#     gilsim run --gil off examples/convoy.py                  # no GIL: the I/O thread never waits
import sys
import threading
import time

IO_CALLS = 100


def io_loop():
    """IO_CALLS short waits, each giving the GIL up, as recv() on a socket does."""
    start = time.perf_counter()
    for _ in range(IO_CALLS):
        time.sleep(0.0002)
    return time.perf_counter() - start


def spin(stop):
    x = 0
    while not stop:
        x += 1


print(f"{IO_CALLS} I/O calls of 0.2 ms each")
print(f"alone:                               {io_loop():.3f}s")

intervals = [sys.getswitchinterval()] + [i for i in (0.001, 0.0001) if i < sys.getswitchinterval()]
for interval in intervals:
    sys.setswitchinterval(interval)
    stop = []
    cpu = threading.Thread(target=spin, args=(stop,))
    cpu.start()
    elapsed = io_loop()
    stop.append(True)
    cpu.join()
    print(f"beside a CPU thread, {interval * 1000:g} ms interval: {elapsed:.3f}s")
