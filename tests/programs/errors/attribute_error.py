# Uncaught AttributeError on an int.
n = 7
print(n.bit_length())
print(n.foo)
