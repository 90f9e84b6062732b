# os: only environment-independent properties.
import os
print(os.cpu_count() >= 1, isinstance(os.cpu_count(), int))
print(isinstance(os.getpid(), int), os.getpid() > 0, os.getpid() == os.getpid())
