# global and nonlocal declarations.
counter = 0


def increment():
    global counter
    counter += 1
    return counter


increment(); increment()
print(counter)
def make_new_global():
    global created
    created = "made inside"
make_new_global()
print(created)
def outer():
    x = "outer"
    def inner():
        nonlocal x
        x = "modified"
    inner()
    return x
print(outer())
def accumulator():
    total = 0
    def add(n):
        nonlocal total
        total += n
        return total
    return add
acc = accumulator()
print(acc(5), acc(10), acc(-3))
value = "global"
def shadow():
    value = "local"
    return value
print(shadow(), value)
def read_only():
    return counter * 100
print(read_only())
