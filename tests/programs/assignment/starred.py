# Starred assignment targets.
first, *rest = [1, 2, 3, 4]
print(first, rest)
*init, last = "abcd"
print(init, last)
a, *middle, z = range(6)
print(a, middle, z)
h, *empty, t = [1, 2]
print(h, empty, t)
(x, *ys), w = [1, 2, 3], 4
print(x, ys, w)
for head, *tail in [(1, 2, 3), (4,)]:
    print(head, tail)
*everything, = (7, 8)
print(everything)
