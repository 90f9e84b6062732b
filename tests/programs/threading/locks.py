# Lock and RLock: blocking and non-blocking acquire, timeouts, locked(), with, and the
# errors of releasing a lock that is not held.
import threading

lock = threading.Lock()
print(type(lock).__name__, lock.locked())
print(lock.acquire(), lock.locked())
print(lock.acquire(False), lock.acquire(blocking=False))
print(lock.acquire(timeout=0.01), lock.acquire(True, 0.01), lock.acquire(timeout=0))
lock.release()
print(lock.locked())
try:
    lock.release()
except RuntimeError as e:
    print("RuntimeError:", e)
with lock:
    print("inside with:", lock.locked())
print("after with:", lock.locked())
try:
    lock.acquire(False, 1)
except ValueError as e:
    print("ValueError:", e)
try:
    lock.acquire(timeout=-2)
except ValueError as e:
    print("ValueError:", e)

# Any thread may release a plain Lock.
lock.acquire()
t = threading.Thread(target=lock.release)
t.start()
t.join()
print("released by another thread:", not lock.locked())

rlock = threading.RLock()
print(type(rlock).__name__)
print(rlock.acquire(), rlock.acquire(), rlock.acquire(blocking=False))
for _ in range(3):
    rlock.release()
try:
    rlock.release()
except RuntimeError as e:
    print("RuntimeError:", e)
with rlock:
    with rlock:
        print("nested with")

# Another thread can neither take nor release an RLock we hold.
rlock.acquire()
seen = []


def other():
    try:
        rlock.release()
    except RuntimeError as e:
        seen.append(str(e))
    seen.append(rlock.acquire(timeout=0.01))
    seen.append(rlock.acquire(False))


t = threading.Thread(target=other)
t.start()
t.join()
rlock.release()
print(seen)
print(threading.ThreadError is RuntimeError, threading.TIMEOUT_MAX > 1e6)
