# Several levels of closures sharing cells.
def level1():
    a = 1
    def level2():
        b = 2
        def level3():
            nonlocal a
            a += 10
            return a + b
        return level3
    f = level2()
    print("level3 ->", f())
    print("level3 ->", f())
    return a
print(level1())
def memo(func):
    cache = {}
    def wrapper(n):
        if n not in cache:
            cache[n] = func(n)
        return cache[n]
    wrapper.cache = cache
    return wrapper
@memo
def slow_fib(n):
    return n if n < 2 else slow_fib(n - 1) + slow_fib(n - 2)
print(slow_fib(80), len(slow_fib.cache))
def compose(*fns):
    def run(x):
        for fn in reversed(fns):
            x = fn(x)
        return x
    return run
print(compose(lambda v: v + 1, lambda v: v * 2)(5))
def outer():
    items = []
    def add(x):
        items.append(x)
        return len(items)
    return add, items
add, items = outer()
add("a"); add("b")
print(items)
