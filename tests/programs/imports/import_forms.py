# The different import statement forms.
import math
import math as m
from math import sqrt, pi
from math import floor as fl
print(math.sqrt(16), m.sqrt(25), sqrt(36), fl(2.7))
print(pi == math.pi, m is math, round(pi, 5))
print(type(math).__name__, math.__name__)
def local_import():
    import math as inner_math
    from math import factorial
    return inner_math.gcd(12, 18), factorial(5)
print(local_import())
