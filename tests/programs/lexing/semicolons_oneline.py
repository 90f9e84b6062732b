# ';'-separated statements and one-line compound statements.
a = 1; b = 2; c = a + b; print(a, b, c)
x = 5;
if x > 3: print("big"); print("still big")
else: print("small")
for i in range(3): print("i =", i)
n = 3
while n > 0: n -= 1; print("n =", n)
def square(v): return v * v
print(square(7))
class Point: x = 1; y = 2
print(Point.x, Point.y)
try: 1 / 0
except ZeroDivisionError: print("caught")
class CM:
    def __enter__(self): return "entered"
    def __exit__(self, *exc): print("exited"); return False
with CM() as v: print(v)
