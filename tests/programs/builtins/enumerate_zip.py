# enumerate (with start) and zip (uneven lengths stop at the shortest).
names = ["ann", "bob", "cy"]
print(list(enumerate(names)))
print(list(enumerate(names, start=1)), list(enumerate("ab", 10)))
for i, n in enumerate(names, 100):
    print(i, n)
ages = [30, 25]
print(list(zip(names, ages)))
print(list(zip(names, ages, "xyz")), list(zip()), list(zip([1, 2])))
print(dict(zip("abc", range(3))))
pairs = [(1, "a"), (2, "b")]
nums, letters = zip(*pairs)
print(nums, letters)
print(type(enumerate([])).__name__, type(zip()).__name__)
z = zip(range(3), range(10, 13))
print(next(z), list(z))
