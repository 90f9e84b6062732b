# A shared counter under a Lock is exact, however the threads interleave.
import threading

counter = 0
lock = threading.Lock()
rcounter = 0
rlock = threading.RLock()


def add(n):
    global counter
    for _ in range(n):
        with lock:
            counter += 1


def add_nested(n):
    global rcounter
    for _ in range(n):
        with rlock:
            with rlock:
                rcounter += 1


threads = [threading.Thread(target=add, args=(5000,)) for _ in range(8)]
threads += [threading.Thread(target=add_nested, args=(2000,)) for _ in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(counter, rcounter)


# acquire/release by hand, with try/finally.
balance = [100]
audit = threading.Lock()


def transfer(amount, times):
    for _ in range(times):
        audit.acquire()
        try:
            balance[0] += amount
            balance[0] -= amount
            balance[0] += amount
        finally:
            audit.release()


ts = [threading.Thread(target=transfer, args=(a, 300)) for a in (1, -1, 2, -2)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(balance[0])
