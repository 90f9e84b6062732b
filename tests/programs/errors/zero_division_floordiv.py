# Uncaught ZeroDivisionError from floor division of ints.
def halve(a, b):
    return a // b


print(halve(10, 2))
print(halve(1, 0))
