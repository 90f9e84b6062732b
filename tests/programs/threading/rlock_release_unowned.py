# An RLock can only be released by the thread that holds it.
import threading

rlock = threading.RLock()
done = threading.Event()


def hold():
    rlock.acquire()
    done.set()


t = threading.Thread(target=hold)
t.start()
t.join()
print("held by a finished thread:", done.is_set())
rlock.release()
