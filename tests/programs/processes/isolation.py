# Each process has its own globals: what a worker changes, the parent never sees, and
# the reverse. With spawn (gilsim's only start method), a worker imports the script
# afresh, so it sees the module's initial values, not the parent's current ones.
import multiprocessing as mp

counter = 0
items = []

def bump(n):
    global counter
    counter += n
    items.append(n)
    return counter, len(items)

def read_counter(_):
    return counter

if __name__ == "__main__":
    mp = mp.get_context("spawn")
    counter = 100
    items.append("parent")
    p = mp.Process(target=bump, args=(5,))
    p.start()
    p.join()
    print("exitcode", p.exitcode)
    print("parent after child:", counter, items)
    with mp.Pool(1) as pool:
        print("worker sees", pool.apply(read_counter, (None,)))
        print(pool.apply(bump, (1,)), pool.apply(bump, (2,)))
        print("worker state persists:", pool.apply(read_counter, (None,)))
    print("parent still:", counter, items)
    shared = [1, 2, 3]
    with mp.Pool(2) as pool:
        out = pool.apply(list.__add__, (shared, [4]))
    print(shared, out, out is shared)
