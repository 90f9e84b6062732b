# Queue (FIFO), LifoQueue, PriorityQueue and SimpleQueue hand items back in their orders.
import queue

q = queue.Queue()
for i in range(5):
    q.put(i)
print(q.qsize(), q.empty(), q.full(), list(q.queue))
print([q.get() for _ in range(5)], q.empty(), q.qsize())
q.put("a")
q.put("b")
q.get()
print("left in q.queue:", list(q.queue), len(q.queue))

lifo = queue.LifoQueue()
for i in range(5):
    lifo.put(i)
print([lifo.get() for _ in range(5)])

pq = queue.PriorityQueue()
for x in [5, 1, 4, 2, 3, 1]:
    pq.put(x)
print([pq.get() for _ in range(6)])
for job in [(2, "write"), (1, "read"), (3, "sleep"), (1, "open")]:
    pq.put(job)
print([pq.get_nowait() for _ in range(4)])

sq = queue.SimpleQueue()
sq.put(1)
sq.put_nowait(2)
sq.put(3, block=False, timeout=None)
print(sq.qsize(), sq.empty())
print(sq.get(), sq.get_nowait(), sq.get(timeout=1), sq.empty())
try:
    sq.get_nowait()
except queue.Empty:
    print("SimpleQueue empty")
try:
    sq.get(timeout=0.01)
except queue.Empty:
    print("SimpleQueue empty after timeout")

# Items of any type; None is an item like any other.
mixed = queue.Queue()
for item in [None, [1, 2], {"k": "v"}, (3,)]:
    mixed.put(item)
print([mixed.get() for _ in range(4)])
print(queue.Queue().maxsize, queue.Queue(3).maxsize, queue.Queue(-1).full())
