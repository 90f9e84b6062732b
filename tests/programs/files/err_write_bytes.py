# Uncaught TypeError: bytes written to a text file.
import os

name = os.path.join(os.path.dirname(__file__), "tmp_err_write_bytes_%d.txt" % os.getpid())
with open(name, "w") as f:
    os.remove(name)
    print(f.write("text is fine\n"))
    f.write(b"bytes are not")
