# Files not closed explicitly are flushed and closed when the last reference goes.
import os

name = os.path.join(os.path.dirname(__file__), "tmp_dropped_files_%d.txt" % os.getpid())
f = open(name, "w")
f.write("written but never closed\n")
print(repr(open(name).read()))
del f
print(repr(open(name).read()))


def write_and_forget(text):
    g = open(name, "a")
    g.write(text)


write_and_forget("from a function\n")
print(open(name).read().splitlines())

f = open(name, "a")
f.write("rebound\n")
f = None
print(open(name).read().splitlines()[-1])

files = [open(name, "a") for _ in range(3)]
for i, h in enumerate(files):
    h.write("list %d\n" % i)
del h
files.clear()
print(sorted(open(name).read().splitlines()[-3:]))

# flush() makes data visible without closing.
h = open(name, "w")
h.write("flushed")
print(repr(open(name).read()))
h.flush()
print(repr(open(name).read()))
h.close()
os.remove(name)
