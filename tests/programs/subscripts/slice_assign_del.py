# Assignment to slices and deletion by slice.
a = list(range(8))
a[1:3] = ["x", "y", "z"]
print(a)
a[:2] = []
print(a)
a[len(a):] = [100, 101]
print(a)
a[::2] = ["E"] * len(a[::2])
print(a)
del a[::2]
print(a)
b = list(range(10))
del b[1:4]
print(b)
del b[-1]
print(b)
del b[0], b[0]
print(b)
c = [1, 2, 3, 4, 5]
c[1:4] = "ab"
print(c)
c[:] = range(3)
print(c)
try:
    c[::2] = [7]
except ValueError as e:
    print("ValueError:", e)
d = [0] * 5
d[-2:] = [8, 9]
print(d)
