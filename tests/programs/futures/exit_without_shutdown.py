# An executor that is never shut down does not keep the program alive; queued calls
# still run before the interpreter exits.
import threading
from concurrent.futures import ThreadPoolExecutor

gate = threading.Event()


def late(n):
    gate.wait()
    print("late call", n)


ex = ThreadPoolExecutor(max_workers=2)
print(ex.submit(sum, [1, 2, 3]).result())
other = ThreadPoolExecutor(max_workers=1)
other.submit(late, 1)
other.submit(late, 2)
other.shutdown(wait=False)
print("main done")
gate.set()
