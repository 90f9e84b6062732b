# Append mode: writes land at the end; 'a+' can read after a seek; 'x' refuses to overwrite.
import os

name = os.path.join(os.path.dirname(__file__), "tmp_append_mode_%d.txt" % os.getpid())
with open(name, "w") as f:
    f.write("one\n")
with open(name, "a") as f:
    print(f.tell(), f.readable(), f.writable(), f.mode)
    f.write("two\n")
    print(f.tell())
with open(name, "a") as f:
    f.write("three\n")
print(open(name).read().splitlines())

with open(name, "a+") as f:
    print(f.tell(), repr(f.read()))
    f.seek(0)
    print(repr(f.readline()))
    f.write("four\n")
    f.seek(0)
    print(f.read().splitlines())

for i in range(3):
    with open(name, "a") as f:
        print("line", i, file=f)
print(open(name).read().splitlines()[-3:])

try:
    open(name, "x")
except FileExistsError as e:
    print(type(e).__name__, e.errno, e.strerror, e.filename == name)
os.remove(name)
with open(name, "x") as f:
    print(f.mode, f.write("created"))
with open(name, "rt") as f:
    print(f.read())
os.remove(name)
