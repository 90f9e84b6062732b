# Floor division and modulo follow the sign of the divisor.
pairs = [(7, 2), (-7, 2), (7, -2), (-7, -2), (0, 3), (6, 3), (-6, 3)]
for a, b in pairs:
    print(a, b, "->", a // b, a % b, (a // b) * b + a % b == a)
print(7.0 // 2, -7.0 // 2, 7.0 % -2, -7.0 % 2)
print(5 % 3, -5 % 3, 5 % -3, -5 % -3)
print(-1 // 10, -1 % 10)
print(10 ** 20 // 3, -(10 ** 20) // 3, -(10 ** 20) % 7)
