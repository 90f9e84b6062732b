# Subclassing Thread: run() is what start() runs, in the new thread.
import threading


class Squarer(threading.Thread):
    def __init__(self, n):
        super().__init__(name=f"squarer-{n}")
        self.n = n
        self.result = None
        self.ran_in = None

    def run(self):
        self.result = self.n * self.n
        self.ran_in = threading.current_thread().name


workers = [Squarer(n) for n in range(5)]
for w in workers:
    w.start()
for w in workers:
    w.join()
print([w.result for w in workers])
print([w.ran_in for w in workers])
print([w.is_alive() for w in workers])


# run() called directly runs in the calling thread.
s = Squarer(9)
s.run()
print(s.result, s.ran_in, s.is_alive())


class Counter(threading.Thread):
    total = 0
    lock = threading.Lock()

    def run(self):
        for _ in range(3):
            with Counter.lock:
                Counter.total += 1


cs = [Counter() for _ in range(4)]
for c in cs:
    c.start()
for c in cs:
    c.join()
print("total", Counter.total)


# A subclass that forgets Thread.__init__.
class Broken(threading.Thread):
    def __init__(self):
        pass


try:
    Broken().start()
except RuntimeError as e:
    print("RuntimeError:", e)
