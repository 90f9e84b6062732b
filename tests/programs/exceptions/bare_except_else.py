# Bare except, else and finally ordering.
def attempt(x):
    try:
        value = 10 / x
    except:
        print("bare except caught something for", repr(x))
        return None
    else:
        print("else: no exception for", x)
        return value
    finally:
        print("finally for", repr(x))


print(attempt(2))
print(attempt(0))
print(attempt("s"))
try:
    pass
except Exception:
    print("never")
else:
    print("else runs when try succeeds")
finally:
    print("finally always runs")
