# threading.excepthook can be replaced; it receives the exception and the thread.
import threading

caught = []


def hook(args):
    caught.append((args.exc_type.__name__, str(args.exc_value), args.thread.name))


threading.excepthook = hook


def fail(msg):
    raise KeyError(msg)


ts = [threading.Thread(target=fail, args=(f"key{i}",), name=f"t{i}") for i in range(3)]
for t in ts:
    t.start()
for t in ts:
    t.join()
for row in sorted(caught):
    print(row)

# The original stays available as threading.__excepthook__.
print(threading.__excepthook__ is not hook)


def bad_hook(args):
    raise RuntimeError("the hook itself failed")


threading.excepthook = bad_hook
t = threading.Thread(target=fail, args=("again",))
t.start()
t.join()
threading.excepthook = threading.__excepthook__
print("done")
