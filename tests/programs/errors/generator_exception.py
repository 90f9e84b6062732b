# An exception raised inside a generator, uncaught by the consumer.
def readings():
    yield 1
    yield 2
    raise RuntimeError("sensor failed")


for r in readings():
    print("reading", r)
print("not reached")
