# Keyword-only (after * or *args) and positional-only (before /) parameters.
def kw_only(a, *, b, c=3):
    return a, b, c


print(kw_only(1, b=2), kw_only(1, c=4, b=5))
def pos_only(a, b, /, c):
    return a + b + c
print(pos_only(1, 2, 3), pos_only(1, 2, c=3))
def mixed(a, /, b, *args, c, d=4, **kw):
    return a, b, args, c, d, kw
print(mixed(1, 2, c=3))
print(mixed(1, 2, 5, 6, c=3, d=0, e=9))
print(mixed(1, b=2, c=3, a=7))
try:
    pos_only(a=1, b=2, c=3)
except TypeError as e:
    print("TypeError:", e)
try:
    kw_only(1, 2)
except TypeError as e:
    print("TypeError:", e)
try:
    kw_only(1)
except TypeError as e:
    print("TypeError:", e)
