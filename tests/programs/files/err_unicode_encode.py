# Uncaught UnicodeEncodeError writing characters an ASCII file cannot hold.
import os

name = os.path.join(os.path.dirname(__file__), "tmp_err_unicode_encode_%d.txt" % os.getpid())
with open(name, "w", encoding="ascii") as f:
    os.remove(name)
    print(f.write("plain ascii\n"))
    f.write("caf\xe9 cr\xe8me")
