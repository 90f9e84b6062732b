# Deep nesting followed by a multi-level dedent at end of file.
def outer(items):
    out = []
    for item in items:
        if isinstance(item, list):
            for sub in item:
                if sub % 2 == 0:
                    while sub > 0:
                        out.append(sub)
                        sub -= 4
                else:
                    out.append(-sub)
        else:
            out.append(item * 10)
    return out


print(outer([1, [2, 3, 8], 4, [5]]))
class A:
    def method(self):
        def inner():
            return "inner"
        return inner()
print(A().method())
if True:
    if True:
        if True:
            print("three levels")
