# String indexing and slicing.
s = "Hello, World"
print(s[0], s[4], s[-1], s[-5])
print(s[0:5], s[7:], s[:5], s[:], s[-5:])
print(s[::2], s[1::2], s[::-1], s[::-2])
print(s[2:10:3], s[10:2:-3], s[-3:-8:-1])
print(repr(s[5:2]), repr(s[100:]), s[-100:3])
print(s[len(s) - 1], s[1:-1])
for i in range(0, len(s), 4):
    print(i, repr(s[i:i + 4]))
word = "python"
print(word[slice(1, 4)], word[slice(None, None, -1)])
