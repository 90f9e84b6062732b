# time: only differences and types are deterministic.
import time
t0 = time.time()
p0 = time.perf_counter()
m0 = time.monotonic()
time.sleep(0.01)
t1 = time.time()
p1 = time.perf_counter()
m1 = time.monotonic()
print(t1 - t0 >= 0, p1 - p0 >= 0, m1 - m0 >= 0)
print(p1 - p0 >= 0.005, m1 - m0 >= 0.005)
print(isinstance(t0, float), isinstance(p0, float), isinstance(m0, float))
print(t0 > 1_600_000_000)
print(time.sleep(0) is None)
