# The course's pool of squares (shared/seeds/003): four worker processes, each with its own
# interpreter and its own GIL, square the numbers 0..9. The `__main__` guard matters: each
# worker imports this file again, as CPython's spawn does, and must not start a pool itself.
#
#     gilsim run examples/course_pool_squares.py
#     gilsim trace --deterministic examples/course_pool_squares.py        # every process's handoffs, reproducibly
#     gilsim trace --deterministic --format svg -o pool.svg examples/course_pool_squares.py
from multiprocessing import Pool


def square(n):
    return n ** 2


if __name__ == "__main__":
    with Pool(processes=4) as pool:
        results = pool.map(square, range(10))
    print(results)
