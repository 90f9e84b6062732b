# round(): ties go to the even neighbour; ndigits works on the binary value.
for x in [0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5, 2.4, 2.6]:
    print(x, round(x))
print(type(round(2.5)).__name__, type(round(2.5, 1)).__name__)
print(round(0.125, 2), round(0.375, 2), round(2.675, 2))
print(round(3.14159, 3), round(1234.5678, -2), round(-1.005, 2))
print(round(1234, -2), round(1250, -2), round(1350, -2), round(-1250, -2))
print(round(7), round(7, 2), type(round(7, 2)).__name__)
print(round(1e16 + 0.5), round(0.0), round(-0.4))
