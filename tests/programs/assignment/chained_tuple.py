# Chained assignment and tuple/list unpacking.
a = b = c = 5
print(a, b, c)
x = y = []
x.append(1)
print(x, y, x is y)
p, q = 1, 2
print(p, q)
(r, s), t = (3, 4), 5
print(r, s, t)
[u, v] = "uv"
print(u, v)
(a, (b, (c, d))) = (1, (2, (3, 4)))
print(a, b, c, d)
for i, (name, score) in enumerate([("ann", 90), ("bob", 85)]):
    print(i, name, score)
k, = [42]
print(k)
m = n = (1, 2)
m1, m2 = m
print(m1, m2, n)
try:
    e, f = [1, 2, 3]
except ValueError as err:
    print("ValueError:", err)
try:
    e, f, g = [1, 2]
except ValueError as err:
    print("ValueError:", err)
