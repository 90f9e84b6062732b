# Big integer arithmetic beyond 64 bits.
print(2 ** 100)
print(2 ** 64, 2 ** 64 - 1, -(2 ** 63) - 1)
print(3 ** 50 * 7 ** 20)
print((2 ** 100 + 1) - 2 ** 100)
print(10 ** 30 + 10 ** 15)
print(-(2 ** 100))
big = 9223372036854775807
print(big + 1, big * big, -big - 2)
print(abs(-(10 ** 25)), type(2 ** 100).__name__)
print(len(str(2 ** 1000)), str(2 ** 1000)[:20])
print(hex(2 ** 70), bin(2 ** 65))
print(int("123456789012345678901234567890") + 1)
print((1 << 100) >> 98, 1 << 70, (2 ** 80) & (2 ** 80 - 1), (2 ** 80) | 1)
