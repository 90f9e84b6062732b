# Text files: write and read back with read(n), readline, readlines, iteration and with.
import os

name = os.path.join(os.path.dirname(__file__), "tmp_text_roundtrip_%d.txt" % os.getpid())
f = open(name, "w")
print(f.write("first line\n"), f.write("héllo wörld €\n"), f.write(""))
f.writelines(["third\n", "fourth", " still fourth\n"])
print("last line without newline", end="", file=f)
print(f.closed, f.mode, f.name == name, f.readable(), f.writable(), f.seekable())
print(repr(f).replace(name, "NAME"))
f.close()
print(f.closed, f.close())

with open(name) as f:
    print(repr(f.read(5)), repr(f.read(0)), repr(f.readline()))
    print(repr(f.readline()), repr(f.readline(3)), repr(f.readline(-1)))
    print(f.readlines())
    print(repr(f.read()), repr(f.readline()), f.readlines())
print(f.closed)

with open(name, encoding="utf-8") as f:
    print(f.read().splitlines())

with open(name, "rt") as f:
    for number, line in enumerate(f, 1):
        print(number, repr(line))
    print(f.mode, f.encoding, f.errors, f.line_buffering)

with open(name) as f:
    print(f.readlines(12))
    print(f.readlines(1), f.readlines(0))
    print(len(list(f)))

with open(name) as f:
    print(list(f) == open(name).readlines())
    print(next(f, "at end"))

# The with statement closes the file even when the block raises.
try:
    with open(name) as f:
        print(f.readline().strip())
        raise KeyError("boom")
except KeyError as e:
    print("caught", e, f.closed)

# Encodings beside UTF-8.
with open(name, "w", encoding="latin-1") as f:
    f.write("caf\xe9 \xff\n")
with open(name, "rb") as f:
    print(f.read())
with open(name, encoding="latin1") as f:
    print(repr(f.read()), repr(f).replace(name, "NAME"))
with open(name, "w", encoding="ascii", errors="replace") as f:
    print(f.write("naïve café\n"))
print(open(name).read(), end="")
os.remove(name)
print(os.path.exists(name))
