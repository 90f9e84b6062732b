# Bounded queues: Full and Empty, with and without blocking and timeouts.
import queue

q = queue.Queue(maxsize=2)
q.put(1)
q.put_nowait(2)
print(q.full(), q.qsize())
try:
    q.put_nowait(3)
except queue.Full as e:
    print("Full:", repr(e))
try:
    q.put(3, timeout=0.02)
except queue.Full:
    print("Full after timeout")
try:
    q.put(3, block=False)
except queue.Full:
    print("Full without blocking")
print(q.get_nowait(), q.get(), q.empty())
try:
    q.get_nowait()
except queue.Empty as e:
    print("Empty:", repr(e))
try:
    q.get(timeout=0.05)
except queue.Empty:
    print("Empty after timeout")
try:
    q.get(False)
except queue.Empty:
    print("Empty without blocking")
try:
    q.get(timeout=-1)
except ValueError as e:
    print("ValueError:", e)
try:
    q.put(1, timeout=-1)
except ValueError as e:
    print("ValueError:", e)
print(issubclass(queue.Empty, Exception), issubclass(queue.Full, Exception))

# task_done once per item taken; once more is an error.
q2 = queue.Queue()
q2.put("x")
q2.get()
q2.task_done()
q2.join()
print("joined, unfinished:", q2.unfinished_tasks)
try:
    q2.task_done()
except ValueError as e:
    print("ValueError:", e)
