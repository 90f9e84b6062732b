# Positions: tell/seek in text and binary files, r+ overwrites, truncate.
import os

name = os.path.join(os.path.dirname(__file__), "tmp_seek_tell_%d.txt" % os.getpid())
with open(name, "w") as f:
    f.write("alpha\nbeta\ngamma\n")
    print(f.tell())

with open(name) as f:
    print(f.tell(), f.readline(), f.tell())
    mark = f.tell()
    print(repr(f.read(3)), f.tell())
    print(f.seek(mark), repr(f.readline()))
    print(f.seek(0, 2), repr(f.read()))
    print(f.seek(0), f.seek(0, 1), repr(f.read(5)))

with open(name) as f:
    for line in f:
        pass
    print(f.tell())

with open(name, "rb") as f:
    print(f.seek(6), f.read(4), f.tell())
    print(f.seek(-3, 1), f.read(3))
    print(f.seek(-6, 2), f.read())
    print(f.seek(100), f.read(), f.tell())

with open(name, "r+") as f:
    print(repr(f.read(5)))
    f.seek(0)
    print(f.write("ALPHA"), f.tell())
    f.seek(0)
    print(f.read().splitlines())
    print(f.truncate(10), f.tell())
print(repr(open(name).read()))

with open(name, "w+") as f:
    f.write("0123456789")
    print(f.truncate(4), f.tell(), f.seek(0), repr(f.read()))
    print(f.truncate(), f.seek(0, 2))
print(repr(open(name).read()))
os.remove(name)
