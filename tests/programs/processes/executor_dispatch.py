# How ProcessPoolExecutor hands out calls: straight to an idle worker, or queued until one
# is free; and what shutdown, cancellation and errors do to calls in each place.
from concurrent.futures import ProcessPoolExecutor, as_completed
import multiprocessing as mp
import time

prefix = "unset"

def setup(p):
    global prefix
    prefix = p

def tag(x):
    return prefix + str(x)

def nap(t):
    time.sleep(t)
    return t

def fail(x):
    raise ValueError("bad %d" % x)

if __name__ == "__main__":
    ctx = mp.get_context("spawn")
    with ProcessPoolExecutor(2, mp_context=ctx, initializer=setup, initargs=("w:",)) as ex:
        # More calls than workers: most wait in the queue, all come back.
        fs = [ex.submit(tag, i) for i in range(20)]
        print([f.result() for f in fs])
        print(sorted(f.result() for f in as_completed(fs)))
        # A failing call leaves the worker serving.
        bad = ex.submit(fail, 3)
        print(type(bad.exception()).__name__, bad.exception())
        print(ex.submit(tag, "after").result())
        done = []
        f = ex.submit(tag, "cb")
        f.add_done_callback(lambda f: done.append(f.result()))
        f.result()
        time.sleep(0.05)
        print(done)
        print(list(ex.map(tag, range(7), chunksize=3)))

    ex = ProcessPoolExecutor(1, mp_context=ctx)
    running = ex.submit(nap, 0.3)
    while not running.running():
        time.sleep(0.01)
    queued = [ex.submit(nap, 0) for _ in range(3)]
    time.sleep(0.05)    # CPython's manager thread marks the first of them running
    ex.shutdown(wait=True, cancel_futures=True)
    print(running.result(), [q.cancelled() for q in queued])
    try:
        ex.submit(nap, 0)
    except RuntimeError as e:
        print("RuntimeError", e)

    # Two calls in flight and one more marked running (EXTRA_QUEUED_CALLS): those three
    # can no longer be cancelled.
    with ProcessPoolExecutor(2, mp_context=ctx) as ex:
        fs = [ex.submit(nap, 0.2) for _ in range(6)]
        while not (fs[0].running() and fs[1].running()):
            time.sleep(0.01)
        time.sleep(0.05)
        print([f.running() for f in fs], [f.cancel() for f in fs])

    ex = ProcessPoolExecutor(1, mp_context=ctx)
    first = ex.submit(nap, 0.1)
    later = [ex.submit(tag, i) for i in range(3)]
    ex.shutdown(wait=False)
    print(first.result(), [f.result() for f in later])
