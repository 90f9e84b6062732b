# Escape sequences and raw strings.
print("tab:\tend")
print("newline:\nsecond line")
print("backslash: \\ quote: \" apostrophe: \'")
print("hex: \x41\x42 octal: \101\102 unicode: \u00e9 \U0001F600".encode("utf-8"))
print(len("\n"), len("\\n"), len(r"\n"))
print(r"raw \n stays", r'C:\path\to\file')
print(repr("a\tb\nc"), repr(r"a\tb"))
print(repr("\x00\x7f"), repr("\r"))
print(ord("\a"), ord("\b"), ord("\f"), ord("\v"), ord("\0"))
print("line\
continued")
print(r"\d+\.\d+", len(r"\d+\.\d+"))
