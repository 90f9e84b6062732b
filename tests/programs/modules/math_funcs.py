# The math module.
import math
print(math.sqrt(16), math.sqrt(2), math.floor(2.7), math.floor(-2.7), math.ceil(2.1), math.ceil(-2.1))
print(math.pi, math.e, math.fabs(-3), math.fabs(2.5))
print(math.factorial(0), math.factorial(10), math.factorial(30))
print(math.gcd(48, 18), math.gcd(0, 5), math.gcd(-12, 8), math.gcd(2 ** 80, 6 ** 40))
print(math.log(math.e), math.log(8, 2), math.log(100, 10), math.log2(1024), math.log10(1000))
print(math.exp(0), math.exp(1), math.exp(2))
print(math.sin(0), math.cos(0), math.sin(math.pi / 2), round(math.cos(math.pi), 10))
print(math.isclose(0.1 + 0.2, 0.3), 0.1 + 0.2 == 0.3, math.isclose(1.0, 1.1, rel_tol=0.2))
print(math.inf, -math.inf, math.inf > 10 ** 300, math.isnan(float("nan")), math.isnan(1.0))
print(math.isinf(math.inf), math.nan != math.nan)
print(type(math.floor(2.5)).__name__, math.floor(10 ** 20 + 0.0), math.trunc(-2.7))
print(math.sqrt(10 ** 20), math.hypot(3, 4), math.pow(2, 10))
try:
    math.sqrt(-1)
except ValueError as e:
    print("ValueError:", e)
try:
    math.log(0)
except ValueError as e:
    print("ValueError:", e)
