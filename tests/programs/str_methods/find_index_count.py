# find/rfind, index (and its ValueError), count.
s = "hello world, hello python"
print(s.find("hello"), s.find("hello", 1), s.find("xyz"), s.find("o", 5, 9))
print(s.rfind("hello"), s.rfind("o"), s.rfind("xyz"), s.find(""), s.rfind(""))
print(s.index("world"), s.rindex("l"), s.index("o", 5))
print(s.count("l"), s.count("hello"), s.count("xyz"), s.count(""), "aaaa".count("aa"))
try:
    s.index("missing")
except ValueError as e:
    print("ValueError:", e)
print("abc".find("c", -1), "abc".find("a", -1))
print([i for i in range(len(s)) if s.startswith("o", i)])
