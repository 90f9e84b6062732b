# The course's counter with a lock (shared/seeds/003): 1000 threads each add one under
# `with lock:`, so no update is lost whatever the lock model. Compare examples/race.py,
# where there is no lock.
#
#     gilsim run examples/course_counter_lock.py
#     gilsim run --gil off examples/course_counter_lock.py                    # still 1000: the lock does the work
#     gilsim run --gil old --check-interval 1 examples/course_counter_lock.py # a switch after every instruction: still 1000
#     gilsim run --stats examples/course_counter_lock.py                      # 1001 threads, and how the GIL changed hands
import threading

counter = 0
lock = threading.Lock()


def increment():
    global counter
    with lock:
        counter += 1


threads = [threading.Thread(target=increment) for _ in range(1000)]
for t in threads:
    t.start()
for t in threads:
    t.join()

print(counter)  # 1000
