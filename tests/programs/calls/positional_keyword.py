# Positional and keyword arguments.
def describe(name, age, city="Nowhere"):
    return f"{name} ({age}) from {city}"


print(describe("Ann", 30))
print(describe("Bob", 25, "Paris"))
print(describe(age=40, name="Cy"))
print(describe("Di", city="Rome", age=22))
def order(a, b, c):
    print("a", a, "b", b, "c", c)
order(1, 2, 3)
order(1, c=3, b=2)
order(c="z", a="x", b="y")
print(max(3, 9, 4), round(number=2.567, ndigits=1))
print(sorted([3, 1, 2], reverse=True))
print("sep test", 1, 2, sep="-", end="!\n")
