# Uncaught ZeroDivisionError from true division of ints.
print("about to divide")
x = 1
print(x / 0)
print("not reached")
