# Pool(maxtasksperchild=N): each worker exits after N tasks and a new one takes its place;
# the pool's size stays the same and every task still runs once.
import multiprocessing as mp
import os

def pid(_):
    return os.getpid()

def square(x):
    return x * x

if __name__ == "__main__":
    with mp.Pool(1, maxtasksperchild=2) as p:
        pids = [p.apply(pid, (i,)) for i in range(6)]
    print(len(set(pids)), [pids.count(x) for x in dict.fromkeys(pids)], os.getpid() in pids)
    with mp.Pool(2, maxtasksperchild=1) as p:
        print(len(set(p.map(pid, range(8), chunksize=1))))
        print(p.map(square, range(10)), sorted(p.imap_unordered(square, range(5))))
    p = mp.Pool(2, maxtasksperchild=3)
    results = [p.apply_async(square, (i,)) for i in range(9)]
    p.close()
    p.join()
    print([r.get() for r in results])
    for bad in [0, -1, 1.5, "2"]:
        try:
            mp.Pool(1, maxtasksperchild=bad)
        except ValueError as e:
            print("ValueError", e)
