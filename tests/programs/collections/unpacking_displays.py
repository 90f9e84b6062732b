# '*' and '**' unpacking inside displays.
a = [1, 2]
b = (3, 4)
print([*a, *b, 5])
print((*a, *b))
print([*range(3), *"ab"])
print(sorted({*a, *b, 1}))
d1 = {"x": 1, "y": 2}
d2 = {"y": 20, "z": 30}
print({**d1, **d2})
print({**d2, **d1, "w": 0})
print({"first": 0, **d1})
print([*a] is a, [*a] == a)
print(*[*a, *b])
def gen():
    yield "g1"
    yield "g2"
print([*gen(), *{"k": 1}])
