print("start")
values = foo(1, 2
print(values)
