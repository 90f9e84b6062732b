# Event: set, clear, is_set, and wait with and without a timeout.
import threading
import time

e = threading.Event()
print(e.is_set(), e.wait(0.01), e.wait(timeout=0))
e.set()
print(e.is_set(), e.wait(), e.wait(0.01))
e.clear()
print(e.is_set(), e.wait(0.02))


def set_later():
    time.sleep(0.02)
    e.set()


t = threading.Thread(target=set_later)
t.start()
print("woken by set:", e.wait())
t.join()

# One set() releases every waiter.
start = threading.Event()
arrived = []
lock = threading.Lock()


def runner(i):
    start.wait()
    with lock:
        arrived.append(i)


rs = [threading.Thread(target=runner, args=(i,)) for i in range(6)]
for r in rs:
    r.start()
print("before set:", arrived)
start.set()
for r in rs:
    r.join()
print("after set:", sorted(arrived))

# A waiter with a timeout that expires sees False; the flag stays as it was.
flag = threading.Event()
out = []
w = threading.Thread(target=lambda: out.append(flag.wait(0.03)))
w.start()
w.join()
print("timed out:", out, flag.is_set())
