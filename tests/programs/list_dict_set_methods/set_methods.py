# set methods and operators (printed sorted: set order is not specified).
s = {1, 2, 3}
s.add(4); s.add(2)
print(sorted(s), len(s))
s.discard(10); s.discard(1)
print(sorted(s))
s.remove(4)
print(sorted(s))
try:
    s.remove(99)
except KeyError as e:
    print("KeyError:", e)
a = {1, 2, 3, 4}
b = {3, 4, 5}
print(sorted(a.union(b)), sorted(a | b))
print(sorted(a.intersection(b)), sorted(a & b))
print(sorted(a.difference(b)), sorted(a - b), sorted(b - a))
print(sorted(a.symmetric_difference(b)), sorted(a ^ b))
print({1, 2}.issubset(a), {1, 2} <= a, a <= a, a < a, {1, 9} <= a)
print(a.issuperset({1}), a >= {1, 2}, a.isdisjoint({7, 8}), a == {4, 3, 2, 1})
c = a.copy(); c |= {10}; c &= {1, 10, 3}; c -= {1}
print(sorted(c), sorted(a))
words = {"pear", "apple"}
print(sorted(words), "pear" in words, "fig" not in words)
print(sorted(set([1, 2]) | set(range(3, 5))), set() == set(), len(set("aabbc")))
s.clear(); print(s)
