# List/tuple slicing with steps and negative indices.
a = list(range(10))
print(a[2:5], a[:3], a[7:], a[-3:], a[:-7])
print(a[::3], a[1::3], a[::-1], a[::-3], a[8:2:-2])
print(a[-1], a[-10], a[5:100], a[100:], a[-100:2])
t = tuple("abcdef")
print(t[1:4], t[::-2], t[-2:])
print(a[slice(2, 8, 2)], a[slice(5)])
b = a[:]
b[0] = 99
print(a[0], b[0], a[::] == a, a[::] is a)
m = [[1, 2, 3], [4, 5, 6]]
print(m[1][2], m[-1][-1], m[0][::-1])
print(a[3:3], a[5:2], a[2:5:-1])
