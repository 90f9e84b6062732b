# generator.throw and close: handlers inside the generator, finally blocks, bad arguments.
def g():
    try:
        x = yield 1
        print("sent", x)
        yield 2
    except ValueError as e:
        print("caught inside:", e)
        yield 3
    finally:
        print("finally runs")


it = g()
print(next(it))
print(it.send("hello"))
print(it.throw(ValueError("boom")))
it.close()
it = g()
next(it)
try:
    it.throw(5)
except TypeError as e:
    print("TypeError:", e)
it.close()
fresh = g()
try:
    fresh.throw(KeyError("never started"))
except KeyError as e:
    print("KeyError from an unstarted generator:", e)
print(list(fresh))
