# iter() and next() on built-in containers.
it = iter([10, 20, 30])
print(next(it), next(it), next(it), next(it, "end"))
s = iter("ab")
print(next(s), next(s), next(s, None))
d = iter({"x": 1, "y": 2})
print(next(d), list(d))
t = iter((1, 2, 3))
print(list(t), list(t))
r = iter(range(2))
print(next(r), next(r), next(r, -1))
same = iter([1])
print(iter(same) is same)
nums = [1, 2, 3]
a = iter(nums)
b = iter(nums)
print(next(a), next(a), next(b))
for x in iter([4, 5]):
    print("x", x)
