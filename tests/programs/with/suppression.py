# __exit__ returning True suppresses the exception.
class Suppress:
    def __init__(self, *types):
        self.types = types

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None and issubclass(exc_type, self.types):
            print("suppressed", exc_type.__name__, exc)
            self.caught = exc
            return True
        return False


with Suppress(ZeroDivisionError) as s:
    print("before")
    1 / 0
    print("not reached")
print("after; caught args:", s.caught.args)
with Suppress(KeyError, IndexError):
    [][5]
print("index error suppressed")
try:
    with Suppress(KeyError):
        int("x")
except ValueError as e:
    print("ValueError escaped:", e)
with Suppress(Exception):
    pass
print("no exception, nothing suppressed")
