# Function decorators, with and without arguments (no functools).
def shout(func):
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs).upper()
    wrapper.__name__ = func.__name__
    return wrapper


def repeat(times):
    def decorate(func):
        def wrapper(*args):
            return [func(*args) for _ in range(times)]
        return wrapper
    return decorate


calls = []
def trace(func):
    def wrapper(*args):
        calls.append(func.__name__)
        print("->", func.__name__, args)
        result = func(*args)
        print("<-", func.__name__, result)
        return result
    return wrapper


@shout
def greet(name):
    return f"hello {name}"


@repeat(3)
def roll(x):
    return x * 2


@trace
@shout
def both(word):
    return word + "!"


print(greet("ann"), greet.__name__)
print(roll(4))
print(both("hey"))
print(calls)
def register(registry):
    def deco(f):
        registry[f.__name__] = f
        return f
    return deco
table = {}
@register(table)
def alpha(): return "a"
print(list(table), table["alpha"]())
