# Uncaught OSError from os.read on a descriptor that is closed.
import os

r, w = os.pipe()
os.write(w, b"x")
print(os.read(r, 10))
os.close(r)
os.close(w)
os.read(r, 10)
