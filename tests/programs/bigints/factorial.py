# Factorials overflow 64 bits quickly.
def fact(n):
    result = 1
    for k in range(2, n + 1):
        result *= k
    return result


for n in [0, 1, 5, 20, 21, 25, 50]:
    print(n, fact(n))
import math
print(math.factorial(50) == fact(50))
print(fact(30) // fact(28), fact(30) % 1000003)
