# Tuples: immutability, packing, methods, comparison.
t = (3, 1, 4, 1, 5)
print(t.count(1), t.index(4), len(t), max(t), min(t), sum(t))
print(t[1:3], t + (9,), sorted(t), tuple(reversed(t)))
try:
    t[0] = 10
except TypeError as e:
    print("TypeError:", e)
point = (1, 2)
x, y = point
print(x, y)
print((1, 2) < (1, 2, 0), (2,) > (1, 9), (1, "a") == (1, "a"))
nested = ((1, 2), (3, 4))
print([a * b for a, b in nested])
single = "a",
print(single, type(single).__name__)
print(hash((1, 2)) == hash((1, 2)))
print(tuple(), tuple("ab"), tuple(range(3)))
