# The second of two local loads is unbound: the error names it, at its own line.
def pair(flag):
    if flag:
        b = 2
    a = 1
    return (a,
            b)


print(pair(True))
print(pair(False))
