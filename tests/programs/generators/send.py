# Generator send(): values flow into the paused yield expression.
def averager():
    total = 0
    count = 0
    avg = None
    while True:
        value = yield avg
        total += value
        count += 1
        avg = total / count


g = averager()
print(next(g))
print(g.send(10))
print(g.send(20))
print(g.send(60))
def echo():
    received = yield "ready"
    while True:
        received = yield f"got {received}"
e = echo()
print(e.send(None))
print(e.send("a"), e.send("b"))
