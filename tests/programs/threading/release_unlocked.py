# Releasing a Lock nobody holds is a RuntimeError; uncaught, it ends the program.
import threading

lock = threading.Lock()
with lock:
    print("held:", lock.locked())
print("held:", lock.locked())
lock.release()
print("never printed")
