# Comprehension variables do not leak into the enclosing scope.
x = "outer"
squares = [x * x for x in range(4)]
print(squares, x)
total = {x: 1 for x in "ab"}
print(total, x)
gen = list(x for x in range(3))
print(gen, x)
def f():
    y = 10
    return [y + i for i in range(3)]
print(f())
try:
    print(i)
except NameError as e:
    print("NameError:", e)
class C:
    items = [1, 2, 3]
    doubled = [v * 2 for v in items]
print(C.doubled)
funcs = [lambda: k for k in range(3)]
print([fn() for fn in funcs])
