# gilsim-example: deadlock
# A deadlock (ABBA): thread one holds lock a and wants b, thread two holds b and wants a.
# CPython hangs here forever (press Ctrl-C twice: once for the join, once for the wait for
# the threads at exit); gilsim notices that every thread is blocked for good and raises
# DeadlockError in the main thread, naming who waits for what, and where.
# (tests/examples.rs runs this one under gilsim only, as its marker line says.)
#
#     gilsim run examples/deadlock.py
#     gilsim run --gil off examples/deadlock.py          # no lock model prevents it
#     gilsim run --timeout 5 examples/deadlock.py        # a whole-run time limit, for programs that spin instead
import threading
import time

a = threading.Lock()
b = threading.Lock()


def one():
    with a:
        time.sleep(0.1)
        with b:
            print("one has both locks")


def two():
    with b:
        time.sleep(0.1)
        with a:
            print("two has both locks")


t1 = threading.Thread(target=one, name="one")
t2 = threading.Thread(target=two, name="two")
print("starting two threads that take the same two locks in opposite orders")
t1.start()
t2.start()
t1.join()
t2.join()
print("done")
