# Binary files: bytes in, bytes out; read(n), readline, iteration, all byte values.
import os

name = os.path.join(os.path.dirname(__file__), "tmp_binary_roundtrip_%d.bin" % os.getpid())
data = bytes(range(256))
with open(name, "wb") as f:
    print(f.write(data), f.write(b"line one\nline two\r\nend"), f.write(b""))
    print(f.mode, f.tell(), repr(f).replace(name, "NAME"), f.closed)
    f.writelines([b"\n", b"x" * 3])
print(f.closed, repr(f).replace(name, "NAME"))

with open(name, "rb") as f:
    print(f.read(4), f.read(0), len(f.read(250)), f.tell())
    print(f.read(2), f.readline(), f.readline(4), f.readline())
    print(f.readlines())
    print(f.read(), f.read(10), f.readline())

with open(name, "rb") as f:
    lines = list(f)
    print(len(lines), lines[-3:])
    print(b"".join(lines) == data + b"line one\nline two\r\nend\nxxx")

with open(name, "rb") as f:
    print(f.read() == open(name, "rb").read(), f.read(None))
    f.seek(0)
    print(f.read(-1)[:3], f.seek(250), f.read(3), f.peek()[:3] == b"\xfd\xfe\xff")

# Unbuffered binary files are FileIO objects.
with open(name, "rb", buffering=0) as raw:
    print(type(raw).__name__, raw.mode, raw.closefd, repr(raw).replace(name, "NAME"))
    print(raw.read(3), raw.readall()[-3:], raw.read(5))
print(repr(raw))

with open(name, "r+b") as f:
    print(type(f).__name__, f.mode, f.read(3))
    print(f.write(b"ABC"), f.tell())
    f.seek(0)
    print(f.read(8))
with open(name, "w+b") as f:
    print(f.mode, f.read(), f.write(b"fresh"), f.seek(0), f.read())
with open(name, "ab") as f:
    print(type(f).__name__, f.mode, f.tell(), f.write(b"!"), f.tell())
print(open(name, "rb").read())
os.remove(name)
