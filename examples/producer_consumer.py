# Producers and consumers around a bounded queue.Queue: put() blocks while the queue is full,
# get() while it is empty, and every item is consumed exactly once whatever the lock model.
#
#     gilsim run examples/producer_consumer.py
#     gilsim run --stats examples/producer_consumer.py         # the threads spend their time blocked in the queue
#     gilsim run --gil off examples/producer_consumer.py       # no GIL: the queue's own lock keeps it right
#     gilsim run --gil old --check-interval 1 examples/producer_consumer.py
import queue
import threading
import time

PRODUCERS = 3
CONSUMERS = 2
ITEMS = 500

q = queue.Queue(maxsize=10)
consumed = [[] for _ in range(CONSUMERS)]


def producer(p):
    for i in range(ITEMS):
        q.put((p, i))


def consumer(c):
    while True:
        item = q.get()
        if item is None:
            q.task_done()
            break
        consumed[c].append(item)
        q.task_done()


start = time.perf_counter()
producers = [threading.Thread(target=producer, args=(p,)) for p in range(PRODUCERS)]
consumers = [threading.Thread(target=consumer, args=(c,)) for c in range(CONSUMERS)]
for t in producers + consumers:
    t.start()
for t in producers:
    t.join()
for _ in consumers:
    q.put(None)
q.join()
for t in consumers:
    t.join()
elapsed = time.perf_counter() - start

everything = sorted(item for items in consumed for item in items)
expected = [(p, i) for p in range(PRODUCERS) for i in range(ITEMS)]
print(f"{PRODUCERS} producers, {CONSUMERS} consumers, {len(expected)} items")
print(f"every item consumed exactly once: {everything == expected}")
print(f"consumer shares: {', '.join(str(len(items)) for items in consumed)} in {elapsed:.2f}s")
