# Uncaught ValueError: reading a file after the with block closed it.
import os

name = os.path.join(os.path.dirname(__file__), "tmp_err_closed_file_%d.txt" % os.getpid())
with open(name, "w") as f:
    f.write("contents\n")
os.remove(name)
print(f.closed)
f.write("too late\n")
