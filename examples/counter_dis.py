# Why `counter += 1` is not atomic: it is a read, an add and a write, and a thread switch can
# land between them. See the separate instructions with:
#
#     gilsim dis examples/counter_dis.py
#
# and compare with CPython's own view: python3 -m dis examples/counter_dis.py
counter = 0


def increment():
    global counter
    counter += 1


def increment_with_call():
    # A call between the read and the write: CPython 3.10+ can switch threads at the call.
    global counter
    counter = counter + int(1)


for _ in range(1000):
    increment()
    increment_with_call()
print(counter)
