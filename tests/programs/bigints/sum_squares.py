# Sums that overflow past 64 bits through ordinary accumulation.
print(sum(i ** 2 for i in range(1000)))
print(sum(i ** 2 for i in range(3_000_000, 3_000_010)))
acc = 0
for i in range(1, 45):
    acc = acc * 3 + i
print(acc, acc > 2 ** 63)
x = 1
for _ in range(10):
    x = x * x + 1
print(len(str(x)), x % 1000)
print(sum([2 ** 62, 2 ** 62, 2 ** 62]))
print(sum(i ** 3 for i in range(10**4)) == (10**4 * (10**4 - 1) // 2) ** 2)
