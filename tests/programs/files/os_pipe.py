# os.pipe, os.read, os.write, os.close, and file objects over pipe descriptors.
import os

r, w = os.pipe()
print(type(r).__name__, type(w).__name__, r != w)
print(os.write(w, b"hello "), os.write(w, b"pipe"), os.write(w, b""))
print(os.read(r, 3), os.read(r, 100), os.read(r, 0))
os.write(w, b"last")
os.close(w)
print(os.read(r, 2), os.read(r, 10), os.read(r, 10))
os.close(r)

for bad in [lambda: os.close(r), lambda: os.read(r, 1), lambda: os.write(w, b"x")]:
    try:
        bad()
    except OSError as e:
        print(type(e).__name__, e.errno, e)

# Text and binary file objects over the two ends.
r, w = os.pipe()
reader = open(r, "r")
writer = open(w, "w")
print(reader.name == r, writer.fileno() == w, reader.seekable(), writer.seekable())
print(repr(reader).replace(str(r), "R"))
writer.write("one\ntwo\n")
writer.write("three")
writer.flush()
print(repr(reader.readline()), repr(reader.readline()))
writer.close()
print(repr(reader.read()), repr(reader.read()))
reader.close()

r, w = os.pipe()
with open(w, "wb") as out:
    out.write(bytes(range(10)) * 1000)
with open(r, "rb") as inp:
    data = inp.read()
print(len(data), data[:12])

# A pipe is not seekable: tell() fails the way CPython's does.
r, w = os.pipe()
with open(r, "rb") as inp:
    try:
        inp.tell()
    except OSError as e:
        print(type(e).__name__, e)
os.close(w)
print(os.fdopen(os.pipe()[1], "w").mode)
