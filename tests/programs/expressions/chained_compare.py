# Chained comparisons evaluate middle operands once and short-circuit.
def val(v, tag):
    print("eval", tag)
    return v


x = 5
print(1 < x < 10, 1 < x > 10, 1 < x <= 5 < 6)
print(1 == 1.0 == True, 3 > 2 > 1 > 0, 0 < 0 < 1)
print(val(1, "a") < val(2, "b") < val(3, "c"))
print(val(3, "a") < val(2, "b") < val(5, "c"))
print("a" < "b" < "c", [1] < [1, 0] < [2])
n = None
print(1 < 2 != 3 == 3, n is None is not False)
a = b = [1]
print(a is b is a, a == b in [[1]])
