# Closures capture variables, not values: late binding in loops.
funcs = []
for i in range(3):
    funcs.append(lambda: i)
print([f() for f in funcs])
fixed = [lambda i=i: i for i in range(3)]
print([f() for f in fixed])
def make_multipliers():
    return [lambda x: x * n for n in range(4)]
print([m(2) for m in make_multipliers()])
def make_adders():
    adders = []
    for n in range(3):
        def add(x, n=n):
            return x + n
        adders.append(add)
    return adders
print([a(10) for a in make_adders()])
x = 1
def show():
    return x
x = 2
print(show())
