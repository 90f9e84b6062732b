# Submitting to an executor that has been shut down is a RuntimeError.
from concurrent.futures import ThreadPoolExecutor

ex = ThreadPoolExecutor(max_workers=2)
print(ex.submit(max, 3, 9).result())
ex.shutdown(wait=True)
ex.shutdown()  # a second shutdown is harmless
try:
    ex.map(abs, [1, 2])
except RuntimeError as e:
    print("map:", e)

with ThreadPoolExecutor(max_workers=1) as pool:
    print(pool.submit(len, "abc").result())
print("after with")
pool.submit(len, "abcd")
