# Uncaught io.UnsupportedOperation: reading a file opened for writing.
import os

name = os.path.join(os.path.dirname(__file__), "tmp_err_not_readable_%d.txt" % os.getpid())
f = open(name, "w")
os.remove(name)
print(f.writable(), f.readable())
for line in f:
    print(line)
