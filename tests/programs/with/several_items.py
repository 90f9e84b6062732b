# with statement with several items: entered left to right, exited right to left.
class Named:
    def __init__(self, name):
        self.name = name

    def __enter__(self):
        print("enter", self.name)
        return self.name.upper()

    def __exit__(self, exc_type, exc, tb):
        print("exit", self.name)
        return False


with Named("a") as a, Named("b") as b, Named("c"):
    print("body", a, b)
with Named("outer") as o:
    with Named("inner") as i:
        print("nested", o, i)
with (Named("p1") as p1,
      Named("p2") as p2):
    print("parenthesized", p1, p2)
