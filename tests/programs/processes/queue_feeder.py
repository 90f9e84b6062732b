# multiprocessing.Queue as queues.py builds it: put() hands items to a feeder thread, so
# it never blocks on a full pipe; a shared count gives qsize(), full() and maxsize.
import multiprocessing as mp
import queue
import threading
import time

def consume(q, out):
    total = 0
    while True:
        x = q.get()
        if x is None:
            break
        total += x
    out.put(total)

def produce(q, n):
    for i in range(n):
        q.put(i)

if __name__ == "__main__":
    # Filled before any consumer runs: far more than a pipe holds.
    q, out = mp.Queue(), mp.Queue()
    for i in range(20000):
        q.put(i)
    print("qsize after puts", q.qsize())
    for _ in range(2):
        q.put(None)
    ps = [mp.Process(target=consume, args=(q, out)) for _ in range(2)]
    for p in ps:
        p.start()
    print(sum(out.get() for _ in ps))
    for p in ps:
        p.join()
    print(q.qsize(), q.empty(), [p.exitcode for p in ps])

    # A child's puts are all written before it exits, even unread.
    q = mp.Queue()
    p = mp.Process(target=produce, args=(q, 5000))
    p.start()
    time.sleep(0.2)
    print(len([q.get() for _ in range(5000)]), q.empty())
    p.join()

    small = mp.Queue(2)
    small.put("a")
    small.put("b")
    print(small.full(), small.qsize())
    for how in [lambda: small.put_nowait("c"), lambda: small.put("c", timeout=0.05)]:
        try:
            how()
        except queue.Full:
            print("Full")
    print(small.get(), small.full())
    small.put_nowait("c")
    print([small.get(), small.get()], small.empty())
    try:
        small.get(timeout=0.05)
    except queue.Empty:
        print("Empty")
    small.close()
    small.join_thread()
    try:
        small.put(1)
    except ValueError:
        print("closed")

    # What cannot be pickled is reported by the feeder and dropped; put() returns.
    q = mp.Queue()
    q.put(threading.Lock())
    q.put("after")
    print(q.get(timeout=5), q.qsize())

    sq = mp.SimpleQueue()
    print(sq.empty())
    sq.put([1, 2])
    print(sq.get(), sq.empty())
    sq.close()
