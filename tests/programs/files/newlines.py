# Universal newlines on read; the newline argument on write and read.
import os

name = os.path.join(os.path.dirname(__file__), "tmp_newlines_%d.txt" % os.getpid())
with open(name, "wb") as f:
    f.write(b"unix\nwindows\r\nmac\rend")

with open(name) as f:
    print(f.readlines(), f.newlines)
with open(name) as f:
    print(repr(f.read()))
for nl in ["", "\n", "\r", "\r\n"]:
    with open(name, newline=nl) as f:
        print(repr(nl), f.readlines(), f.newlines)

for nl in [None, "", "\n", "\r", "\r\n"]:
    with open(name, "w", newline=nl) as f:
        f.write("a\nb\r\nc\rd\n")
    with open(name, "rb") as f:
        print(repr(nl), f.read())

with open(name, "w") as f:
    f.write("x" * 10000 + "\r")
    f.write("\n" + "y" * 10)
with open(name) as f:
    lines = f.readlines()
    print(len(lines), len(lines[0]), repr(lines[0][-2:]), repr(lines[1]))
os.remove(name)
