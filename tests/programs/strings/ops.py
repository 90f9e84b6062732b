# String operators: +, *, in, comparison.
a = "abc"
b = "abd"
print(a + b, a * 3, 3 * "-", "x" * 0, repr("y" * -2))
print("b" in a, "bc" in a, "" in a, "z" not in a)
print(a < b, a == "abc", a != b, "Z" < "a", "abc" < "abcd", "b" > "abc")
print(max("apple", "banana", "cherry"), min(["pear", "fig", "apple"]))
print(sorted(["banana", "Apple", "cherry", "apple"]))
s = ""
for ch in "hello":
    s = ch + s
print(s)
s += "!"
s *= 2
print(s)
print(str(123) + "4", "5" + str(6.0))
print(len("abc" * 1000))
