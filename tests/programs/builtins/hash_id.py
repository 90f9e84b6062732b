# hash and id: only equality properties are deterministic.
print(hash(1) == hash(1.0), hash(0) == hash(0.0) == hash(False), hash(True) == hash(1))
print(hash("abc") == hash("abc"), hash((1, 2)) == hash((1, 2)))
print(hash(2 ** 100 // 2 ** 98) == hash(4), hash(-1) == hash(-1.0))
print(isinstance(hash("x"), int), isinstance(hash(3.5), int))
a = [1, 2]
b = a
c = [1, 2]
print(id(a) == id(b), id(a) == id(c), isinstance(id(a), int))
try:
    hash([1, 2])
except TypeError as e:
    print("TypeError:", e)
try:
    {[1]: 2}
except TypeError as e:
    print("TypeError:", e)
d = {1: "int key"}
print(d[1.0], d[True])
s = {1, 1.0, True}
print(len(s))
class K:
    pass
k = K()
print(hash(k) == hash(k), {k: 1}[k])
