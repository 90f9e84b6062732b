# Functions without a return value return None.
def nothing():
    pass


def bare_return(x):
    if x:
        return
    print("no early return")


def implicit(x):
    x + 1


print(nothing(), bare_return(True), implicit(1))
print(bare_return(False))
def early(n):
    for i in range(n):
        if i == 3:
            return i
    return -1
print(early(10), early(2))
def multiple():
    return 1, "two", [3]
r = multiple()
print(r, type(r).__name__)
print([nothing() for _ in range(2)])
