# list methods.
a = [3, 1, 2]
a.append(4); print(a)
a.extend([5, 6]); a.extend("xy"); print(a)
a.insert(0, "first"); a.insert(100, "last"); a.insert(-1, "before last"); print(a)
print(a.pop(), a.pop(0), a.pop(-2), a)
a.remove("x"); print(a)
print(a.index(2), a.count(1), [1, 2, 1].count(1), [1, 2, 3, 2].index(2, 2))
nums = [5, 2, 8, 1, 9]
nums.sort(); print(nums)
nums.sort(reverse=True); print(nums)
words = ["bb", "a", "ccc", "dd"]
words.sort(key=len); print(words)
words.sort(key=len, reverse=True); print(words)
words.reverse(); print(words)
c = words.copy(); c.append("new"); print(words, c, c is words)
c.clear(); print(c, len(c))
print(nums.sort(), [].copy())
try:
    [1].remove(2)
except ValueError as e:
    print("ValueError:", e)
try:
    [].pop()
except IndexError as e:
    print("IndexError:", e)
try:
    [1, 2].index(3)
except ValueError as e:
    print("ValueError:", e)
