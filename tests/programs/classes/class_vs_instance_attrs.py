# Class attributes are shared until an instance attribute shadows them.
class Counter:
    instances = 0
    shared_list = []
    label = "class label"

    def __init__(self):
        Counter.instances += 1
        self.id = Counter.instances


a = Counter()
b = Counter()
print(Counter.instances, a.instances, b.id)
a.label = "instance label"
print(a.label, b.label, Counter.label)
a.shared_list.append("from a")
print(b.shared_list, Counter.shared_list)
Counter.label = "changed"
print(a.label, b.label)
del a.label
print(a.label)
print(hasattr(a, "id"), hasattr(Counter, "id"))
print(sorted(vars(a)), "instances" in vars(Counter))
class Sub(Counter):
    label = "sub label"
s = Sub()
print(s.label, s.id, Counter.instances, Sub.instances)
