# finally runs on return, break and continue, and can override a return.
def on_return():
    try:
        return "try value"
    finally:
        print("finally on return")


def override():
    try:
        return "try"
    finally:
        return "finally wins"


print(on_return())
print(override())
for i in range(3):
    try:
        if i == 0:
            continue
        if i == 2:
            break
        print("body", i)
    finally:
        print("finally", i)
def swallow():
    for _ in range(1):
        try:
            raise ValueError("lost")
        finally:
            break
    return "exception discarded by break in finally"
print(swallow())
def nested_finally():
    try:
        try:
            raise KeyError("inner")
        finally:
            print("inner finally")
    except KeyError as e:
        print("caught", repr(e))
    finally:
        print("outer finally")
nested_finally()
