# Uncaught RecursionError from unbounded recursion (low limit keeps it quick).
import sys
sys.setrecursionlimit(200)


def down(n):
    return down(n + 1)


print("recursing")
down(0)
