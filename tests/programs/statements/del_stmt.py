# del on names, items, slices and attributes.
x = 10
del x
try:
    print(x)
except NameError as e:
    print("NameError:", e)
items = [0, 1, 2, 3, 4]
del items[1]
print(items)
del items[-1], items[0]
print(items)
d = {"a": 1, "b": 2, "c": 3}
del d["b"]
print(d)
try:
    del d["zzz"]
except KeyError as e:
    print("KeyError:", e)
class O:
    pass
o = O()
o.attr = 1
o.other = 2
del o.attr
print(hasattr(o, "attr"), o.other)
a, b = 1, 2
del a, b
print("a" in globals(), "b" in globals())
nested = {"k": [1, 2, 3]}
del nested["k"][0]
print(nested)
