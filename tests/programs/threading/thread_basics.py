# Thread construction: target, args, kwargs, name, daemon; start, join, is_alive.
import threading

results = []


def worker(a, b, c=0, *, d=1):
    results.append((a, b, c, d, threading.current_thread().name))


t = threading.Thread(target=worker, args=(1, 2), kwargs={"c": 3, "d": 4}, name="w1")
print(t.name, t.daemon, t.is_alive(), t.ident is None)
t.start()
t.join()
print(results, t.is_alive(), t.ident is not None)

# Default names count every Thread made so far and add the target's name.
t2 = threading.Thread(target=worker, args=(5, 6))
t3 = threading.Thread(target=worker, args=[7, 8], daemon=True)
t4 = threading.Thread()
print(t2.name, "|", t3.name, t3.daemon, "|", t4.name)
t2.start()
t3.start()
t2.join()
t3.join()
t4.start()
t4.join()
print(sorted(results))

# A name that is not a string becomes one; the name can change later.
t5 = threading.Thread(target=worker, args=(0, 0), name=42)
print(repr(t5.name))
t5.name = "renamed"
t5.start()
t5.join()
print(results[-1][-1])

# daemon is inherited from the creating thread (the main thread is not a daemon).
inherited = []


def make_child():
    inherited.append(threading.Thread(target=worker, args=(0, 0)).daemon)


p = threading.Thread(target=make_child, daemon=True)
p.start()
p.join()
print("inherited daemon:", inherited)

# The main thread.
main = threading.main_thread()
print(main.name, main is threading.current_thread(), main.is_alive(), main.daemon)
print(threading.current_thread().ident == threading.get_ident())
print(repr(threading.Thread(name="fresh")))
