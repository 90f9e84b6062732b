# Condition: wait/notify, notify_all, wait_for with and without a timeout, and the errors
# of using one without holding its lock.
import threading

cv = threading.Condition()
items = []
taken = []


def consumer(i):
    with cv:
        cv.wait_for(lambda: items)
        taken.append(items.pop(0))


consumers = [threading.Thread(target=consumer, args=(i,)) for i in range(3)]
for t in consumers:
    t.start()
for k in range(3):
    with cv:
        items.append(k * 10)
        cv.notify()
for t in consumers:
    t.join()
print("taken:", sorted(taken))

with cv:
    print("wait with timeout:", cv.wait(0.01))
    print("wait_for with timeout:", cv.wait_for(lambda: False, timeout=0.01))
    print("wait_for already true:", cv.wait_for(lambda: "yes"))
try:
    cv.wait()
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    cv.notify()
except RuntimeError as e:
    print("RuntimeError:", e)

# notify_all wakes every waiter.
ready = 0
go = False
woken = []


def waiter(i):
    global ready
    with cv:
        ready += 1
        cv.notify_all()
        cv.wait_for(lambda: go)
        woken.append(i)


ws = [threading.Thread(target=waiter, args=(i,)) for i in range(5)]
for t in ws:
    t.start()
with cv:
    cv.wait_for(lambda: ready == 5)
    go = True
    cv.notify_all()
for t in ws:
    t.join()
print("woken:", sorted(woken))

# A Condition over a plain Lock.
plain = threading.Condition(threading.Lock())
with plain:
    print("plain wait(0):", plain.wait(timeout=0))
    plain.notify(3)
    plain.notify_all()
print("done")
