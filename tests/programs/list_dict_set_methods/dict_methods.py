# dict methods and views.
d = {"a": 1, "b": 2}
print(d.get("a"), d.get("z"), d.get("z", 0))
print(d.setdefault("c", 3), d.setdefault("a", 100), d)
print(d.pop("b"), d.pop("zz", "missing"), d)
d["x"] = 9
print(d.popitem(), d)
print(list(d.keys()), list(d.values()), list(d.items()))
print(d.keys(), d.values(), d.items())
for k, v in d.items():
    print(k, "->", v)
d.update({"a": -1, "n": 5}); d.update(m=7); d.update([("p", 0)])
print(d)
c = d.copy(); c["a"] = "changed"
print(d["a"], c["a"])
print("a" in d, "zz" in d, 5 in d.values(), ("n", 5) in d.items())
print(dict.fromkeys("abc"), dict.fromkeys(["x", "y"], 0))
keys = d.keys()
d["late"] = 1
print(len(keys), "late" in keys)
c.clear(); print(c, len(c))
counts = {}
for ch in "abracadabra":
    counts[ch] = counts.get(ch, 0) + 1
print(counts, sorted(counts.items(), key=lambda kv: -kv[1])[:2])
try:
    {}.popitem()
except KeyError as e:
    print("KeyError:", e)
print(list(reversed({"one": 1, "two": 2})), {"a": 1} == {"a": 1.0})
