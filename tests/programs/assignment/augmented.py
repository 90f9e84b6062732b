# Augmented assignment on names, subscripts, attributes and slices.
n = 10
n += 5; print(n)
n -= 3; print(n)
n *= 2; print(n)
n //= 5; print(n)
n **= 3; print(n)
n %= 10; print(n)
n /= 4; print(n)
m = 6
m <<= 2; m |= 1; m &= 0b11101; m ^= 0b100; m >>= 1
print(m)
a = [1, 2, 3]
a[0] += 10
a[-1] *= 3
print(a)
i = 0
a[i + 1] -= 7
print(a)
d = {"k": 1}
d["k"] += 1
d.setdefault("new", 0)
d["new"] += 5
print(d)
class Obj:
    def __init__(self):
        self.x = 3
o = Obj()
o.x *= 2
o.x += 1
print(o.x)
lst = [1]
alias = lst
lst += [2, 3]
print(lst, alias, lst is alias)
tup = (1,)
talias = tup
tup += (2,)
print(tup, talias)
s = "ab"
s *= 3
print(s)
grid = [[1, 2], [3, 4]]
grid[1][0] **= 2
print(grid)
