# zfill, center, ljust, rjust, partition, rpartition.
print("42".zfill(5), "-42".zfill(5), "+7".zfill(4), "abc".zfill(2), "3.14".zfill(7))
print("[" + "mid".center(9) + "]", "[" + "mid".center(8, "*") + "]", "[" + "ab".center(5) + "]")
print("[" + "left".ljust(8) + "]", "[" + "right".rjust(8, ".") + "]", "toolong".ljust(3))
print("key=value=more".partition("="), "no-sep".partition("="))
print("key=value=more".rpartition("="), "no-sep".rpartition("="))
head, sep, tail = "user@example.com".partition("@")
print(head, sep, tail)
for word in ["a", "bb", "ccc"]:
    print(word.ljust(4, "_") + "|" + word.rjust(4) + "|" + word.center(5, "-") + "|")
