# Case methods and character-class predicates.
s = "hello wORLD, it's 2024"
print(s.upper(), "|", s.lower(), "|", s.title(), "|", s.capitalize())
print("ABC def".swapcase(), "mIxEd".capitalize(), "o'neil mc-donald".title())
for t in ["123", "12a", "abc", "ABC", "", " ", " \t\n", "a1", "3.5"]:
    print(repr(t), t.isdigit(), t.isalpha(), t.isalnum(), t.isspace(), t.isupper(), t.islower())
print("Title Case".istitle(), "not Title".istitle(), "é".isalpha(), "٣".isdigit())
