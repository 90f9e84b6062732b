# Timer: runs a function once after a delay, unless cancelled first.
import threading

fired = []
t = threading.Timer(0.01, fired.append, args=["first"])
t.start()
t.join()
print(fired, t.is_alive())

t = threading.Timer(30, fired.append, args=["never"])
t.start()
t.cancel()
t.join()
print(fired, t.is_alive(), t.finished.is_set())

t = threading.Timer(0.01, lambda **kw: fired.append(kw), kwargs={"key": "value"})
t.start()
t.join()
print(fired)

# Cancelling after it fired changes nothing.
t = threading.Timer(0, fired.append, ["zero"])
t.start()
t.join()
t.cancel()
print(fired)
print(isinstance(t, threading.Thread))
