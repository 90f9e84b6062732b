# The course's threaded "download" (shared/seeds/003) with time.sleep in place of the network:
# each thread writes its result into its own slot of a shared list, and the waits overlap
# because time.sleep gives the GIL up, as a socket read does.
#
#     gilsim run examples/course_download_threads.py
#     gilsim run --stats examples/course_download_threads.py   # the threads spend their time blocked, not holding the lock
#     gilsim run --gil old examples/course_download_threads.py # the same: I/O does not care which GIL
import threading
import time

PAGES = {
    "https://example.com/a": 0.2,
    "https://example.com/b": 0.1,
    "https://example.com/c": 0.3,
    "https://example.com/d": 0.2,
    "https://example.com/e": 0.1,
}


def fetch(url, results, index):
    time.sleep(PAGES[url])  # stands in for requests.get(url, timeout=10)
    results[index] = len(url) * 100


urls = list(PAGES)
results = [None] * len(urls)
threads = []

start = time.perf_counter()
for i, url in enumerate(urls):
    t = threading.Thread(target=fetch, args=(url, results, i))
    threads.append(t)
    t.start()

for t in threads:
    t.join()
elapsed = time.perf_counter() - start

print(results)
print(f"{len(urls)} downloads in {elapsed:.2f}s (one after another: {sum(PAGES.values()):.1f}s)")
