import multiprocessing as mp

def cube(x):
    return x * x * x

def add(a, b=0):
    return a + b

class Vec:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __repr__(self):
        return "Vec(%r, %r)" % (self.x, self.y)

def scale(v, k):
    return Vec(v.x * k, v.y * k)

def fail(x):
    raise ValueError("bad value %r" % x)

if __name__ == "__main__":
    ctx = mp.get_context("spawn")
    got = []
    with ctx.Pool(2) as pool:
        print(pool.map(cube, range(8)))
        print(pool.map(cube, [], chunksize=3))
        print(pool.starmap(add, [(1, 2), (3, 4), (5, 6)]))
        r = pool.apply_async(add, (1,), {"b": 41}, callback=got.append)
        print(r.get(timeout=10), r.ready(), r.successful())
        r.wait()
        print(list(pool.imap(cube, [3, 2, 1])))
        print(sorted(pool.imap_unordered(cube, [3, 2, 1])))
        print(pool.apply(scale, (Vec(1, 2), 3)))
        print(pool.apply(sorted, ({"b", "a"},)), pool.apply(dict, ([("k", (1, 2.5, None))],)))
        print(pool.apply(pow, (3, 100)))
        bad = pool.apply_async(fail, (7,), error_callback=lambda e: got.append(repr(e)))
        bad.wait()
        print(bad.ready(), bad.successful())
        try:
            bad.get()
        except ValueError as e:
            print("ValueError:", e)
            print(type(e.__cause__).__name__)
        try:
            pool.map(fail, [1, 2], chunksize=2)
        except ValueError as e:
            print("map raised:", e)
    print(got)
    pool = mp.Pool(1)
    print(pool.apply(cube, (5,)))
    pool.close()
    pool.join()
    try:
        pool.apply(cube, (1,))
    except ValueError as e:
        print("ValueError:", e)
    print(mp.current_process().name, mp.cpu_count() > 0)
