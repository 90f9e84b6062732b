# sum with start; min/max with key=, default= and several arguments.
print(sum([1, 2, 3]), sum([1, 2, 3], 10), sum([], 5), sum([0.1] * 10))
print(sum([[1], [2, 3]], []), sum((i for i in range(5)), start=100))
print(min(3, 1, 2), max(3, 1, 2), min([4, 5]), max("hello"))
words = ["pear", "fig", "banana", "kiwi"]
print(min(words, key=len), max(words, key=len), max(words))
print(max(words, key=lambda w: w[-1]), min([], default="empty"), max([], key=len, default=0))
print(min((3, "c"), (1, "z"), (1, "a")), max([1, 5, 5, 2], key=lambda v: -v))
print(max(2, 3.5, -1), min(-0.0, 0.0), max(0, 0.0))
print(max([("a", 2), ("b", 2), ("c", 1)], key=lambda p: p[1]))
print(min({"x": 3, "y": 1}), max({"x": 3, "y": 1}.values()))
