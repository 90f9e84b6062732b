# A custom context manager: __enter__ result bound by 'as', __exit__ always runs.
class Resource:
    def __init__(self, name):
        self.name = name
        self.open = False

    def __enter__(self):
        print("enter", self.name)
        self.open = True
        return self

    def __exit__(self, exc_type, exc, tb):
        print("exit", self.name, exc_type.__name__ if exc_type else None)
        self.open = False
        return False


with Resource("db") as r:
    print("inside, open =", r.open)
print("after, open =", r.open)
def use():
    with Resource("early") as r:
        return "returned from inside " + r.name
print(use())
for i in range(3):
    with Resource(f"loop{i}"):
        if i == 1:
            continue
        if i == 2:
            break
        print("body", i)
class Token:
    def __enter__(self):
        return 42
    def __exit__(self, *args):
        print("exit args:", args)
with Token() as value:
    print("value", value)
with Token():
    pass
