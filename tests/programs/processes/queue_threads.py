# Threads sharing a multiprocessing.Queue: one feeder per queue and process however many
# threads put at once, and the items non-daemon threads put are written before the
# process ends (the queue is flushed after they are joined).
import multiprocessing as mp
import threading
import time

N = 4

def producer(q):
    barrier = threading.Barrier(N)
    def put(i):
        barrier.wait()
        q.put((i, "x" * 100000))
    ts = [threading.Thread(target=put, args=(i,)) for i in range(N)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    print("feeders:", sum(1 for t in threading.enumerate() if t.name == "QueueFeederThread"), flush=True)

def reader(q, n):
    for _ in range(n):
        i, data = q.get()
        print("reader got", i, len(data), flush=True)

def late_producer(q):
    time.sleep(0.3)
    p = mp.Process(target=reader, args=(q, 3))
    p.start()
    for i in range(3):
        q.put((i, "y" * 100000))

if __name__ == "__main__":
    q = mp.Queue()
    p = mp.Process(target=producer, args=(q,))
    p.start()
    print(sorted(q.get(timeout=10)[0] for _ in range(N)), q.qsize())
    p.join()
    late = mp.Queue()
    threading.Thread(target=late_producer, args=(late,)).start()
    print("main done", flush=True)
