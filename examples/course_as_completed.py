# The course's executor with as_completed (shared/seeds/003): the results come back in the
# order the tasks finish, not the order they were submitted. time.sleep stands in for the
# network, with different delays so that the order is the same on every run.
#
#     gilsim run examples/course_as_completed.py
#     gilsim run --stats examples/course_as_completed.py   # three pool threads, mostly blocked
import time
from concurrent.futures import ThreadPoolExecutor, as_completed

URLS = [
    "https://httpbin.org/delay/3",
    "https://httpbin.org/delay/1",
    "https://httpbin.org/delay/2",
]


def download(url):
    delay = int(url.rsplit("/", 1)[1])
    time.sleep(delay / 10)  # stands in for requests.get(url, timeout=30)
    return url, 200


start = time.perf_counter()
with ThreadPoolExecutor(max_workers=3) as executor:
    futures = {executor.submit(download, url): url for url in URLS}
    for future in as_completed(futures):
        url, status = future.result()
        print(f"{url} → {status}")
print(f"all three in {time.perf_counter() - start:.2f}s (the slowest alone takes 0.3s)")
