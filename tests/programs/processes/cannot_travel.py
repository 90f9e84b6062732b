# What pickle refuses, gilsim's process boundary refuses too, with the same errors.
from concurrent.futures import ProcessPoolExecutor
import threading
import sys

def outer():
    def inner():
        return 1
    return inner

def gen():
    yield 1

def identity(x):
    return x

def show(e):
    msg = str(e)
    if " at 0x" in msg:
        msg = msg[:msg.index(" at 0x")] + msg[msg.index(">:"):]
    print(type(e).__module__, type(e).__name__, msg)

if __name__ == "__main__":
    with ProcessPoolExecutor(1) as ex:
        print(ex.submit(identity, [1, (2, 3), {"four": 4.0}, b"5", {6}, frozenset({7}), None, True]).result())
        print(ex.submit(identity, 2 ** 200 + 1).result(), ex.submit(identity, -2 ** 70).result())
        for bad in [threading.Lock(), threading.RLock(), lambda: 1, outer(), gen(), sys, open(__file__)]:
            try:
                ex.submit(identity, bad).result()
            except Exception as e:
                show(e)
        try:
            ex.submit(lambda: 1).result()
        except Exception as e:
            show(e)
        print(ex.submit(identity, "still works").result())
