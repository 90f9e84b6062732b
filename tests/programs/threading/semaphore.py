# Semaphore and BoundedSemaphore: counting, timeouts, and limiting concurrency.
import threading
import time

s = threading.Semaphore(2)
print(s.acquire(), s.acquire(), s.acquire(False), s.acquire(timeout=0.01))
s.release(2)
print(s.acquire(blocking=False), s.acquire(blocking=False), s.acquire(blocking=False))
s.release()
with s:
    print("inside with")
for bad in (lambda: s.release(0), lambda: threading.Semaphore(-1),
            lambda: s.acquire(False, 1)):
    try:
        bad()
    except ValueError as e:
        print("ValueError:", e)

# At most 3 workers at once inside the semaphore.
pool = threading.BoundedSemaphore(3)
state_lock = threading.Lock()
inside = 0
most = 0


def work(i):
    global inside, most
    with pool:
        with state_lock:
            inside += 1
            most = max(most, inside)
        time.sleep(0.01)
        with state_lock:
            inside -= 1


ws = [threading.Thread(target=work, args=(i,)) for i in range(10)]
for w in ws:
    w.start()
for w in ws:
    w.join()
print("most inside at once <= 3:", most <= 3, "inside now:", inside)

b = threading.BoundedSemaphore(1)
b.acquire()
b.release()
try:
    b.release()
except ValueError as e:
    print("ValueError:", e)
