# Barrier: parties, the action, wait() indexes, n_waiting, abort and BrokenBarrierError,
# reset, and a timeout that breaks it.
import threading
import time

log = []
b = threading.Barrier(3, action=lambda: log.append("action ran"))
print(b.parties, b.n_waiting, b.broken)
indexes = []
lock = threading.Lock()


def party():
    i = b.wait()
    with lock:
        indexes.append(i)


ts = [threading.Thread(target=party) for _ in range(3)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(sorted(indexes), log, "n_waiting after:", b.n_waiting, b.broken)

# Two parties of three wait; abort() breaks the barrier for them and for later callers.
b2 = threading.Barrier(3)
errors = []


def doomed():
    try:
        b2.wait()
    except threading.BrokenBarrierError as e:
        with lock:
            errors.append(type(e).__name__)


ws = [threading.Thread(target=doomed) for _ in range(2)]
for w in ws:
    w.start()
while b2.n_waiting < 2:
    time.sleep(0.001)
print("waiting:", b2.n_waiting)
b2.abort()
for w in ws:
    w.join()
print(errors, b2.broken, b2.n_waiting)
try:
    b2.wait()
except threading.BrokenBarrierError:
    print("BrokenBarrierError after abort")
b2.reset()
print("after reset:", b2.broken)

# The default timeout breaks a barrier that never fills.
b3 = threading.Barrier(2, timeout=0.02)
try:
    b3.wait()
except threading.BrokenBarrierError:
    print("timed out, broken:", b3.broken)
print(issubclass(threading.BrokenBarrierError, RuntimeError))
