# CPython 3.11 appends a suggestion when a name is a near-miss of an existing one.
counter = 5
print(countr)
