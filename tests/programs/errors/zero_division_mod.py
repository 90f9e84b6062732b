# Uncaught ZeroDivisionError from int modulo.
values = [10, 3, 0]
for v in values:
    print(100 % v)
