# Exceptions propagate through __exit__ (which sees them) unless suppressed.
class Logger:
    def __init__(self, name):
        self.name = name

    def __enter__(self):
        print("enter", self.name)
        return self

    def __exit__(self, exc_type, exc, tb):
        print("exit", self.name, "saw", exc_type.__name__ if exc_type else None, repr(exc))
        return False


try:
    with Logger("one"), Logger("two"):
        raise KeyError("k")
except KeyError as e:
    print("caught outside:", repr(e))
class Replacer:
    def __enter__(self):
        return self
    def __exit__(self, exc_type, exc, tb):
        raise RuntimeError("raised by __exit__")
try:
    with Replacer():
        raise ValueError("original")
except RuntimeError as e:
    print("caught:", e, "| context:", repr(e.__context__))
def inner():
    with Logger("fn"):
        return 1 / 0
try:
    inner()
except ZeroDivisionError as e:
    print("from function:", e)
