# An exception in a worker re-raises in the parent, with the worker's traceback attached
# as its cause (concurrent.futures.process._RemoteTraceback).
from concurrent.futures import ProcessPoolExecutor

def parse(text):
    return int(text)

def total(items):
    return sum(parse(t) for t in items)

if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=2) as ex:
        print(ex.submit(total, ["1", "2"]).result())
        ex.submit(total, ["3", "x"]).result()
