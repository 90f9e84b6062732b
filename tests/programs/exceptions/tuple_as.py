# except (A, B) as e; the name is unbound after the handler.
errors = [ValueError("bad value"), TypeError("bad type"), KeyError("k")]
for err in errors:
    try:
        try:
            raise err
        except (ValueError, TypeError) as e:
            print("tuple handler:", type(e).__name__, e.args)
    except KeyError as e:
        print("outer handler:", repr(e))
try:
    raise ValueError("x")
except ValueError as e:
    pass
try:
    print(e)
except NameError:
    print("e was unbound after the except block")
group = (ZeroDivisionError, OverflowError)
try:
    1 % 0
except group as caught:
    print("caught via variable tuple:", caught)
