# A future that has not started can be cancelled; a running or finished one cannot.
import threading
from concurrent.futures import ThreadPoolExecutor, CancelledError


started = threading.Event()
gate = threading.Event()
ran = []


def blocker():
    started.set()
    gate.wait()
    return "blocker done"


def record(n):
    ran.append(n)
    return n


ex = ThreadPoolExecutor(max_workers=1)
first = ex.submit(blocker)
started.wait()
queued = [ex.submit(record, i) for i in range(4)]
print(first.running(), first.cancel(), first.cancelled())
print(queued[1].cancel(), queued[1].cancelled(), queued[1].done(), queued[1].running())
print(queued[1].cancel())  # cancelling twice is fine
print(repr(queued[1]).split(" state=")[1])
try:
    queued[1].result()
except CancelledError as e:
    print("CancelledError", repr(e))
try:
    queued[1].exception()
except CancelledError:
    print("exception() raises CancelledError too")
gate.set()
print(first.result(), first.cancel())
print([f.result() for f in queued if not f.cancelled()])
print(sorted(ran))

# shutdown(cancel_futures=True) cancels what has not started
started.clear()
gate.clear()
first = ex.submit(blocker)
started.wait()
pending = [ex.submit(record, i) for i in range(10, 13)]
ex.shutdown(wait=False, cancel_futures=True)
gate.set()
ex.shutdown()
print(first.result())
print([f.cancelled() for f in pending])
print(sorted(ran))
