# Attribute get/set/augment and nested attribute/subscript chains.
class Box:
    pass


b = Box()
b.value = 1
b.items = [1, 2, 3]
b.inner = Box()
b.inner.name = "inner"
print(b.value, b.items, b.inner.name)
b.value += 10
b.items[0] *= 5
b.inner.name += "!"
print(b.value, b.items, b.inner.name)
b.inner.data = {"k": [0, 0]}
b.inner.data["k"][1] += 7
print(b.inner.data)
print(sorted(vars(b).keys()))
print("abc".upper().lower().center(7, "*"))
grid = [[0] * 3 for _ in range(2)]
grid[1][2] = 5
grid[0][0] -= 1
print(grid)
