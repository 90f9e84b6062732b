# Executor.map returns results in input order, whatever order the calls finish in.
import time
from concurrent.futures import ThreadPoolExecutor


def slow_square(n):
    # later items sleep less, so they tend to finish first
    time.sleep(0.01 * (5 - n))
    return n * n


def add(a, b):
    return a + b


with ThreadPoolExecutor(max_workers=3) as ex:
    print(list(ex.map(slow_square, range(6))))
    print(list(ex.map(add, [1, 2, 3], [10, 20, 30, 40])))  # shortest iterable wins
    print(list(ex.map(add, [], [])))
    print(list(ex.map(str.upper, ["a", "b"], timeout=5)))
    print(list(ex.map(abs, [-1, -2, 3], chunksize=2)))
    it = ex.map(slow_square, [3, 1, 2])
    print(type(it).__name__)
    print(next(it))
    for value in it:
        print("then", value)
    # map submits every call before the first result is asked for
    calls = []
    gen = ex.map(calls.append, range(4))
    ex.submit(time.sleep, 0.05).result()
    print(sorted(calls))
    print(list(gen))
