# strip/lstrip/rstrip (with and without chars) and replace.
s = "  \t hello world \n "
print(repr(s.strip()), repr(s.lstrip()), repr(s.rstrip()))
print("xxhixx".strip("x"), "xxhixx".lstrip("x"), "xxhixx".rstrip("x"))
print("www.example.com".strip("cmow."), "abcba".strip("ab"), repr("   ".strip()))
print("hello".replace("l", "L"), "hello".replace("l", "L", 1), "hello".replace("z", "!"))
print("aaaa".replace("aa", "b"), "abc".replace("", "-"), "a.b.c".replace(".", ""))
print("banana".replace("an", "AN", 5), "Mississippi".replace("ss", "SS").replace("i", "!"))
print(repr("\n\t x \t\n".strip(" ")), "<<a>>".strip("<>"))
