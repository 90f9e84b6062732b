# Uncaught TypeError: missing required argument.
def greet(greeting, name):
    return f"{greeting}, {name}"


print(greet("hi", "ann"))
print(greet("hi"))
