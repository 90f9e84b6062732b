# Errors from open(), file methods and descriptors, caught: class and message.
import os


def show(label, action):
    try:
        action()
        print(label, "no error")
    except Exception as e:
        print(label, "->", type(e).__module__, type(e).__name__ + ":", str(e).replace(name, "NAME"))


name = os.path.join(os.path.dirname(__file__), "tmp_caught_errors_%d.txt" % os.getpid())
with open(name, "w") as f:
    f.write("data\n")

show("missing", lambda: open("no_such_dir_gilsim/x.txt"))
show("directory", lambda: open("."))
show("dir write", lambda: open(".", "w"))
show("not a dir", lambda: open(name + "/inner"))
show("exists", lambda: open(name, "x"))
show("bad mode", lambda: open(name, "rz"))
show("two modes", lambda: open(name, "rw"))
show("text+binary", lambda: open(name, "rtb"))
show("no mode", lambda: open(name, "+"))
show("binary encoding", lambda: open(name, "rb", encoding="utf-8"))
show("mode type", lambda: open(name, 1))
show("file type", lambda: open(3.5))
show("unbuffered text", lambda: open(name, buffering=0))
show("encoding", lambda: open(name, encoding="klingon"))
show("newline", lambda: open(name, newline="x"))
show("negative fd", lambda: open(-1))
show("closefd", lambda: open(name, closefd=False))
show("nul", lambda: open("a\0b"))

f = open(name)
show("write on r", lambda: f.write("x"))
show("read str size", lambda: f.read("3"))
show("cur seek", lambda: f.seek(2, 1))
show("whence", lambda: f.seek(0, 7))
f.close()
show("closed read", lambda: f.read())
show("closed fileno", lambda: f.fileno())
show("closed iter", lambda: iter(f))
show("closed with", lambda: f.__enter__())

g = open(name, "a")
show("read on a", lambda: g.read())
show("write bytes", lambda: g.write(b"x"))
show("writelines ints", lambda: g.writelines([1]))
g.close()
b = open(name, "rb")
show("write on rb", lambda: b.write(b"x"))
show("write str", lambda: b.write("x"))
show("negative read", lambda: b.read(-2))
b.close()
show("closed binary", lambda: b.read())

e = None
try:
    open(name, "w").write("x").bad
except OSError as exc:
    e = exc
except AttributeError as exc:
    print("AttributeError:", exc)
try:
    open("missing_" + name)
except FileNotFoundError as exc:
    print(exc.errno, exc.strerror, exc.filename == "missing_" + name, isinstance(exc, OSError))
try:
    open(name, "w").read()
except ValueError as exc:
    print("UnsupportedOperation is a ValueError:", exc, isinstance(exc, OSError))
show("bad fd read", lambda: os.read(987654, 1))
show("negative os.read", lambda: os.read(0, -1))
show("os.write str", lambda: os.write(1, "text"))
show("remove missing", lambda: os.remove(name + ".missing"))
os.remove(name)
print(os.path.exists(name))
