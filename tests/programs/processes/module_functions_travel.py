# Functions of built-in modules travel by module and name, as pickle saves them.
import math, os
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import Pool
from math import factorial

if __name__ == "__main__":
    with ProcessPoolExecutor(2) as ex:
        print(list(ex.map(math.sqrt, [1, 4, 9])))
        print(ex.submit(os.getpid).result() != os.getpid())
        print(list(ex.map(factorial, [5, 10])))
    with Pool(2) as p:
        print(p.map(abs, [-1, -2]), p.map(math.floor, [1.5, 2.5]))
