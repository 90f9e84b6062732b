# An exception raised in a worker reaches the caller of result(), uncaught.
from concurrent.futures import ThreadPoolExecutor


def parse(text):
    return int(text)


ex = ThreadPoolExecutor(max_workers=2)
print(ex.submit(parse, "42").result())
bad = ex.submit(parse, "forty-two")
print(bad.exception() is not None)
ex.shutdown()
print("shut down")
bad.result()
