# in / not in / is / is not.
nums = [1, 2, 3]
print(2 in nums, 5 in nums, 5 not in nums)
print("k" in {"k": 1}, 1 in {"k": 1}, 1 in {1, 2}, (1, 2) in [(1, 2)])
print("ell" in "hello", 3 in range(5), 5 in range(5), 4 in range(0, 10, 2))
a = [1, 2]
b = a
c = [1, 2]
print(a is b, a is c, a == c, a is not c)
print(None is None, x := None, x is None)
print(True is True, type(1) is int, type(True) is bool)
print(1.0 in [1], 2 in (1.0, 2.0), float("nan") in [float("nan")])
