# Counter factory: each closure has its own cell.
def make_counter(start=0):
    count = start
    def step():
        nonlocal count
        count += 1
        return count
    return step


a = make_counter()
b = make_counter(100)
print(a(), a(), a())
print(b(), b())
print(a())
def make_pair():
    value = 0
    def get():
        return value
    def set_(v):
        nonlocal value
        value = v
    return get, set_
get, set_ = make_pair()
print(get())
set_(42)
print(get())
