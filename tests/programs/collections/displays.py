# List, tuple, dict and set displays.
print([], [1], [1, 2, 3,], [[1, 2], [3]])
print((), (1,), (1, 2), tuple([3, 4]))
print(type((1)).__name__, type((1,)).__name__)
print({}, {"a": 1, "b": 2}, {1: "one", (1, 2): "tuple key"})
print(set(), sorted({3, 1, 2}), len({1, 1, 2, 2}))
print({"x": 1, "x": 2}, {1: "a", 1.0: "b"})
t = 1, 2, 3
print(t, len(t))
nested = {"list": [1, {"deep": (2, 3)}], "set_size": len({4, 5})}
print(nested)
print(repr([1, "a", None, True, 2.5]))
print(str((1, "a")), str({"k": "v"}))
print([1, 2] + [3], (1,) + (2,), [0] * 3, (1, 2) * 2)
print([1, 2] == [1, 2], (1, 2) < (1, 3), [1, [2]] == [1, [2]])
print(len([]), len(()), len({}), len({"a": 1}))
