# and/or return one of their operands; not returns a bool.
print(1 and 2, 0 and 2, 1 or 2, 0 or 2, None or "default")
print("" or [] or 0, "a" and "b" and "c", [] and 1/0)
print(not 1, not 0, not [], not "x", not None)
def noisy(v):
    print("called", v)
    return v
print(noisy(0) and noisy(1))
print(noisy(1) or noisy(2))
print(noisy(1) and noisy(0) or noisy(3))
x = None
name = x or "anonymous"
print(name)
print(True + (3 > 2), (1 < 2) == True, type(not 5).__name__)
print(bool([0]), bool({}), bool(""), bool(" "), bool(()))
