# join with a timeout, is_alive, active_count and enumerate at points where the answer is
# certain, and the errors of start/join.
import threading

gate = threading.Event()
started = []


def blocked(i):
    started.append(i)
    gate.wait()


print("before:", threading.active_count(), [t.name for t in threading.enumerate()])
threads = [threading.Thread(target=blocked, args=(i,), name=f"b{i}") for i in range(3)]
for t in threads:
    t.start()
# start() returns once the thread runs: all three are alive and waiting.
print("running:", threading.active_count(), sorted(t.name for t in threading.enumerate()))

threads[0].join(timeout=0.05)
print("after join(timeout):", threads[0].is_alive())
threads[1].join(0)
threads[2].join(-1)
print("still alive:", [t.is_alive() for t in threads])

gate.set()
for t in threads:
    t.join()
print("joined:", [t.is_alive() for t in threads], threading.active_count())
print(sorted(started))
print([t.name for t in threading.enumerate()])

t = threads[0]
try:
    t.start()
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    threading.Thread(target=print).join()
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    threading.current_thread().join()
except RuntimeError as e:
    print("RuntimeError:", e)
fresh = threading.Thread(target=print)
try:
    threads[1].daemon = True
except RuntimeError as e:
    print("RuntimeError:", e)
fresh.daemon = True
print(fresh.daemon, fresh.is_alive())
t.join()
print("joining a finished thread again is fine")
