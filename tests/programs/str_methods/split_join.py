# split, rsplit, join.
s = "  the quick  brown fox  "
print(s.split())
print(s.split(" "))
print("a,b,,c".split(","), "a,b,,c".split(",", 1), "a,b,c".split(",", maxsplit=0))
print("a b c d".rsplit(" ", 1), "a b c d".rsplit(maxsplit=2), "a-b-c".rsplit("-"))
print("".split(), "".split(","), "abc".split("abc"), "x".split("y"))
print("one::two::three".split("::"), "\ta\nb  c\r\n".split())
print(", ".join(["a", "b", "c"]), "".join(["x", "y"]), "-".join("abc"), "+".join([]))
print(" ".join(str(i) for i in range(5)))
try:
    ",".join([1, 2])
except TypeError as e:
    print("TypeError:", e)
try:
    "a".split("")
except ValueError as e:
    print("ValueError:", e)
