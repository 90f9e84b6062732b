# threading.local: each thread sees its own attributes; a subclass's __init__ runs again in
# every thread that uses the object.
import threading

data = threading.local()
data.name = "main"
seen = []
lock = threading.Lock()


def worker(i):
    before = hasattr(data, "name")
    data.name = f"worker-{i}"
    data.items = [i]
    for _ in range(100):
        data.items.append(i)
    with lock:
        seen.append((i, before, data.name, len(data.items), set(data.items) == {i}))


ts = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
for t in ts:
    t.start()
for t in ts:
    t.join()
for row in sorted(seen):
    print(row)
print("main still sees:", data.name, hasattr(data, "items"))


class Context(threading.local):
    def __init__(self):
        self.stack = ["root"]


ctx = Context()
ctx.stack.append("main")
found = []


def use_context():
    ctx.stack.append("thread")
    found.append(list(ctx.stack))


t = threading.Thread(target=use_context)
t.start()
t.join()
print(found, ctx.stack)
try:
    ctx.missing
except AttributeError as e:
    print("AttributeError:", e)

# A thread that ends takes its values with it: the next one starts empty.
fresh = []


def check(i):
    fresh.append(getattr(data, "tag", None))
    data.tag = i


for i in range(3):
    t = threading.Thread(target=check, args=(i,))
    t.start()
    t.join()
print(fresh)


# A class attribute is the default each thread starts from.
class Depth(threading.local):
    level = 0


depth = Depth()
depth.level += 1
levels = []


def deeper():
    levels.append(depth.level)
    depth.level += 2
    levels.append(depth.level)


t = threading.Thread(target=deeper)
t.start()
t.join()
print(levels, depth.level)
