# Swaps and assignments to subscript/attribute targets.
a, b = 1, 2
a, b = b, a
print(a, b)
x, y, z = 1, 2, 3
x, y, z = z, x, y
print(x, y, z)
lst = [10, 20, 30]
lst[0], lst[2] = lst[2], lst[0]
print(lst)
class P:
    pass
p = P()
p.a, p.b = "A", "B"
p.a, p.b = p.b, p.a
print(p.a, p.b)
d = {}
d["x"], d["y"] = 1, 2
print(d)
i = 0
arr = [0, 0, 0]
i, arr[i] = 1, 9
print(i, arr)
def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a
print([fib(k) for k in range(12)])
