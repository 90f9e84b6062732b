# Custom exception classes with inheritance and extra attributes.
class AppError(Exception):
    pass


class NotFound(AppError):
    def __init__(self, key):
        super().__init__(f"{key} not found")
        self.key = key


class Invalid(AppError):
    pass


def lookup(key):
    if key == "bad":
        raise Invalid("bad key", 400)
    if key != "ok":
        raise NotFound(key)
    return "found"


for key in ["ok", "missing", "bad"]:
    try:
        print(lookup(key))
    except NotFound as e:
        print("NotFound:", e, "| key =", e.key, "| args =", e.args)
    except AppError as e:
        print(type(e).__name__ + ":", e, "| args =", e.args)
print(issubclass(NotFound, AppError), issubclass(NotFound, Exception))
print(isinstance(NotFound("x"), AppError), NotFound.__mro__[1].__name__)
try:
    raise NotFound("z")
except Exception as e:
    print("generic handler:", repr(e))
