# The course's CPU-bound function, with a small n.
import math


def burn_cpu(n):
    acc = 0.0
    for i in range(n):
        acc += math.sqrt((i % 1000) + 1)
    return acc


print(burn_cpu(0))
print(burn_cpu(10))
print(burn_cpu(1000))
print(burn_cpu(25_000))
print(round(burn_cpu(5000), 6))
print(f"{burn_cpu(2000):.3f}")
