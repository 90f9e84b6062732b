# f-strings with nested expressions and conversions.
name = "World"
n = 42
items = [1, 2, 3]
print(f"Hello, {name}!")
print(f"{n + 1} {n * 2} {n // 5}")
print(f"{name!r} {name!s} {items!r}")
print(f"{items[1]} {items[-1]} {len(items)}")
print(f"{ {'a': 1}['a'] }")
print(f"{'nested ' + name.upper()}")
print(f"{'yes' if n > 40 else 'no'}")
print(f"{[x * 2 for x in items]}")
print(f"{{literal}} {{{n}}}")
print(F"upper F {n}", rf"raw \n {n}", fr"{name}\t")
d = {"key": "value"}
print(f"{d['key']}")
print(f"{3.0} {1e20} {0.1 + 0.2} {None} {True}")
print(f"multi" f"{n}" "plain")
print(f"{n}" * 2)
