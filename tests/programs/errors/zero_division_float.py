# Uncaught ZeroDivisionError from float division.
rate = 2.5
print(rate / 1.0)
print(rate / 0.0)
