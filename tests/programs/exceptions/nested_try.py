# Nested try statements and exceptions raised inside handlers.
def step(n):
    try:
        print("outer try", n)
        try:
            if n == 1:
                raise KeyError("inner key")
            if n == 2:
                raise ValueError("passes through inner")
            print("inner ok")
        except KeyError as e:
            print("inner caught", repr(e))
            if n == 1:
                raise IndexError("raised in handler")
        finally:
            print("inner finally")
    except ValueError as e:
        print("outer caught ValueError", e)
    except IndexError as e:
        print("outer caught IndexError", e, "context", repr(e.__context__))
    finally:
        print("outer finally")


for n in range(3):
    step(n)
    print("--")
