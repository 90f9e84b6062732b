# Bare raise re-raises; 'raise X from Y' sets __cause__.
def parse(text):
    try:
        return int(text)
    except ValueError as e:
        raise RuntimeError(f"cannot parse {text!r}") from e


def log_and_reraise():
    try:
        {}["k"]
    except KeyError:
        print("logging, then re-raising")
        raise


try:
    parse("abc")
except RuntimeError as e:
    print("RuntimeError:", e)
    print("cause:", repr(e.__cause__))
    print("cause type:", type(e.__cause__).__name__)
try:
    log_and_reraise()
except KeyError as e:
    print("re-raised:", repr(e))
try:
    raise TypeError("no cause") from None
except TypeError as e:
    print(e, e.__cause__, e.__suppress_context__)
try:
    try:
        1 / 0
    except ZeroDivisionError:
        raise ValueError("during handling")
except ValueError as e:
    print("context:", repr(e.__context__))
