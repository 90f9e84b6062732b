# The course's samples start pools at the top level with no __main__ guard. CPython on
# Linux forks by default, so they run; the workers start as copies of the parent at the
# point the pool starts them and print nothing of the script's top level.
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import Pool, Process, get_start_method

print("start method:", get_start_method())
LIMIT = 10_000


def heavy(n):
    return sum(i ** 2 for i in range(n))


def square(x):
    return x * x


print("before the executor")
with ProcessPoolExecutor(max_workers=2) as pool:
    results = list(pool.map(heavy, [LIMIT] * 4))
print(results)

print("before the pool")
with Pool(2) as p:
    print(p.map(square, range(6)))

p = Process(target=square, args=(3,))
p.start()
p.join()
print("process exit code:", p.exitcode)
