# The same countdown at module level, where every access is a global.
n = 10_000_000
while n > 0:
    n -= 1
print(n)
