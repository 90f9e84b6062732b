# Conditional expressions, lambda and the walrus operator.
for n in range(-1, 3):
    print(n, "pos" if n > 0 else "zero" if n == 0 else "neg")
square = lambda v: v * v
add = lambda a, b=10: a + b
print(square(7), add(1), add(1, 2), (lambda: "no args")())
print(sorted(["bb", "a", "ccc"], key=lambda s: -len(s)))
print(list(map(lambda p: p[0] * p[1], [(1, 2), (3, 4)])))
data = [5, 3, 8, 0, 2]
i = 0
while (value := data[i]) != 0:
    print("value", value)
    i += 1
if (n := len(data)) > 3:
    print("long list", n)
print([y for x in range(5) if (y := x * x) > 4])
print(y)
compose = lambda f, g: lambda v: f(g(v))
print(compose(square, lambda v: v + 1)(3))
