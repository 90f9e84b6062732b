# An uncaught exception with an explicit cause: both tracebacks are printed.
def parse(text):
    try:
        return int(text)
    except ValueError as e:
        raise RuntimeError("bad config value") from e


print(parse("7"))
parse("seven")
