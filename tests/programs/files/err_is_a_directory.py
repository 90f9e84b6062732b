# Uncaught IsADirectoryError: opening a directory for reading.
import os

print(os.path.isdir("."))
open(".").read()
