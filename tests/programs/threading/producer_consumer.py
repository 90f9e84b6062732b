# Several producers and consumers over a small bounded Queue: every item is consumed
# exactly once, whatever the interleaving.
import queue
import threading

PRODUCERS = 4
CONSUMERS = 3
PER_PRODUCER = 250
DONE = object()

q = queue.Queue(maxsize=5)
consumed = []
per_consumer = [0] * CONSUMERS
lock = threading.Lock()


def producer(p):
    for k in range(PER_PRODUCER):
        q.put((p, k))


def consumer(c):
    while True:
        item = q.get()
        if item is DONE:
            q.task_done()
            return
        with lock:
            consumed.append(item)
            per_consumer[c] += 1
        q.task_done()


consumers = [threading.Thread(target=consumer, args=(c,)) for c in range(CONSUMERS)]
producers = [threading.Thread(target=producer, args=(p,)) for p in range(PRODUCERS)]
for t in consumers + producers:
    t.start()
for t in producers:
    t.join()
q.join()
for _ in consumers:
    q.put(DONE)
for t in consumers:
    t.join()

expected = sorted((p, k) for p in range(PRODUCERS) for k in range(PER_PRODUCER))
print("items consumed:", len(consumed))
print("each exactly once:", sorted(consumed) == expected)
print("total of k:", sum(k for _, k in consumed))
print("per producer:", [sum(1 for p, _ in consumed if p == i) for i in range(PRODUCERS)])
print("consumer counts add up:", sum(per_consumer))
print("queue empty:", q.empty(), q.unfinished_tasks)
