# An exception that escapes a thread is reported on stderr by threading.excepthook
# ("Exception in thread NAME:" and the traceback); the program carries on and exits 0.
import threading


def divide(x):
    return 1 // x


def worker():
    divide(0)


t = threading.Thread(target=worker, name="doomed")
t.start()
t.join()
print("main carries on; the thread is alive:", t.is_alive())


class Failing(threading.Thread):
    def run(self):
        raise ValueError("raised in run")


f = Failing(name="failing")
f.start()
f.join()
print("after the second failure")

# SystemExit in a thread ends that thread silently.
t = threading.Thread(target=lambda: leave())


def leave():
    raise SystemExit(3)


t.start()
t.join()
print("exit code stays 0")
