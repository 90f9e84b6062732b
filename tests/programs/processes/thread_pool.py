# multiprocessing.pool.ThreadPool and multiprocessing.dummy: Pool's interface over threads
# of this process (so they share its interpreter lock).
import threading
import time
from multiprocessing.pool import ThreadPool
from multiprocessing.dummy import Pool as DummyPool, Queue, current_process

def square(x):
    return x * x

def nap(t):
    time.sleep(t)
    return threading.current_thread() is not threading.main_thread()

def fail(x):
    raise ValueError("bad %d" % x)

seen = []

def setup(tag):
    seen.append(tag)

if __name__ == "__main__":
    with ThreadPool(4, initializer=setup, initargs=("init",)) as pool:
        print(pool.map(square, range(10)))
        print(pool.starmap(pow, [(2, 3), (3, 2)]), pool.apply(square, (7,)))
        r = pool.apply_async(fail, (3,))
        try:
            r.get(timeout=5)
        except ValueError as e:
            print("ValueError", e, r.successful())
        print(list(pool.imap(square, range(5))), sorted(pool.imap_unordered(square, range(5))))
        print(all(pool.map(nap, [0.05] * 4)))
        print(pool.map_async(square, [1, 2]).get(timeout=5))
    print(seen)
    with DummyPool(2) as pool:
        print(pool.map(square, [3, 4]))
    q = Queue()
    q.put(current_process().name)
    print(q.get())
    p = ThreadPool(2)
    rs = [p.apply_async(square, (i,)) for i in range(6)]
    p.close()
    p.join()
    print([r.get() for r in rs])
    try:
        p.apply(square, (1,))
    except ValueError as e:
        print("ValueError", e)
