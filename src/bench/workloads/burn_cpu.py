# The course's CPU-bound task (../shared/seeds/001): a float loop calling math.sqrt.
import math


def burn_cpu(n):
    acc = 0.0
    for i in range(n):
        acc += math.sqrt((i % 1000) + 1)
    return acc


print(round(burn_cpu(2_000_000), 3))
