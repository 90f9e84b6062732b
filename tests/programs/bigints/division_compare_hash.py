# Big-int division/modulo/comparison and hash equality with small ints.
a = 2 ** 100
b = 3 ** 40
print(a // b, a % b, divmod(a, b))
print(-a // b, -a % b)
print(a / 2 ** 90, a // 2 ** 99)
small = (2 ** 100) // (2 ** 99)
print(small, small == 2, hash(small) == hash(2), type(small).__name__)
d = {2: "two", 2 ** 70: "big"}
print(d[small], d[2 ** 71 // 2])
print(2 ** 100 > 2 ** 99, 2 ** 100 < 10 ** 31, -(2 ** 100) < 5)
print(2 ** 64 == 2 ** 64, 2 ** 64 != 2 ** 64 + 1)
print(10 ** 20 == 1e20, 2 ** 53 + 1 == float(2 ** 53 + 1))
print(hash(1) == hash(1.0), hash(2 ** 70) == hash(2 ** 70))
print(max(2 ** 70, 5, -(2 ** 80)), min(2 ** 70, 5, -(2 ** 80)))
print(sorted([2 ** 65, -3, 2 ** 64, 0]))
print((10 ** 40 - 1) // 10 ** 20, (10 ** 40) % (10 ** 20 + 1))
