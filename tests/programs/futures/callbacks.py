# add_done_callback: called once the future is done, at once if it already is.
import sys
import threading
from concurrent.futures import Future, ThreadPoolExecutor


class Capture:
    def __init__(self):
        self.parts = []

    def write(self, text):
        self.parts.append(text)

    def flush(self):
        pass


calls = []
gate = threading.Event()
with ThreadPoolExecutor(max_workers=2) as ex:
    f = ex.submit(gate.wait)
    f.add_done_callback(lambda fut: calls.append(("first", fut.result())))
    f.add_done_callback(lambda fut: calls.append(("second", fut is f)))
    print(calls)
    gate.set()
    f.result()
# leaving the block joined the worker, so both callbacks have run
print(calls)

# already done: the callback runs immediately, in the calling thread
f.add_done_callback(lambda fut: print("now in", threading.current_thread().name))

# a cancelled future calls its callbacks too
p = Future()
p.add_done_callback(lambda fut: print("cancelled?", fut.cancelled()))
print(p.cancel())


# an exception in a callback is logged to stderr and does not propagate
def broken(fut):
    raise ValueError("callback failed")


saved, sys.stderr = sys.stderr, Capture()
try:
    q = Future()
    q.add_done_callback(broken)
    q.add_done_callback(lambda fut: print("next callback still runs"))
    q.set_result(5)
    q.add_done_callback(broken)
finally:
    log, sys.stderr = sys.stderr, saved
for line in "".join(log.parts).splitlines():
    if line.startswith("exception calling"):
        print(line.split(" at 0x")[0], "...", line.split(" state=")[1])
    elif not line.startswith(" "):
        print(line)
print(q.result())
