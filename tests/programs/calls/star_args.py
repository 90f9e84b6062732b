# *args and **kwargs in definitions and calls.
def collect(*args, **kwargs):
    print("args", args, "kwargs", kwargs)
    return len(args) + len(kwargs)


print(collect())
print(collect(1, 2, 3))
print(collect(a=1, b=2))
print(collect(1, *[2, 3], x=4, **{"y": 5, "z": 6}))
def add3(a, b, c):
    return a + b + c
nums = [1, 2, 3]
print(add3(*nums), add3(*"abc"), add3(1, *(2, 3)))
print(add3(**{"a": 10, "b": 20, "c": 30}))
print(add3(1, **{"c": 3, "b": 2}))
def head_tail(first, *rest):
    return first, rest
print(head_tail(1), head_tail(1, 2, 3))
def wrapper(*args, **kwargs):
    return add3(*args, **kwargs)
print(wrapper(1, 2, c=3))
print(*[1, 2, 3], sep=", ")
print(*"xyz", *range(3))
