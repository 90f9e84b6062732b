# any, all, ord, chr, abs, len.
print(any([]), all([]), any([0, "", None]), any([0, 1]), all([1, "a", [0]]), all([1, 0]))
print(any(x > 5 for x in range(10)), all(x < 5 for x in range(10)))
print(ord("A"), ord("a"), ord("0"), ord(" "), ord("~"), ord("\n"))
print(chr(65), chr(97), chr(48), repr(chr(10)), chr(8364))
print("".join(chr(ord(c) + 1) for c in "HAL"))
print(abs(-3), abs(3.5), abs(-0.0), abs(-2 ** 70))
print(len("abc"), len([1, 2]), len({"a": 1}), len(range(5)), len({1, 2, 2}), len((1,)))
print([chr(c) for c in range(ord("a"), ord("f"))])
