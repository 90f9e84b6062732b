# An exception raised while handling another: implicit chaining.
data = {}
try:
    data["key"]
except KeyError:
    print("handling KeyError")
    raise ValueError("handler failed")
