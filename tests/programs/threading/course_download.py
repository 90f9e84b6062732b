# The course's "Download Files Concurrently" sample (shared/seeds/003), with time.sleep
# standing in for the HTTP request. as_completed yields in completion order, which two
# equal delays leave open, so the lines are sorted before printing.
from concurrent.futures import ThreadPoolExecutor, as_completed
import time

URLS = [
    "https://httpbin.org/delay/1",
    "https://httpbin.org/delay/2",
    "https://httpbin.org/delay/1",
]


class FakeResponse:
    def __init__(self, url):
        time.sleep(int(url.rsplit("/", 1)[1]) / 20)
        self.status_code = 200


def download(url):
    resp = FakeResponse(url)
    return url, resp.status_code

lines = []
with ThreadPoolExecutor(max_workers=3) as executor:
    futures = {executor.submit(download, url): url for url in URLS}
    for future in as_completed(futures):
        url, status = future.result()
        lines.append(f"{url} → {status}")
        assert futures[future] == url
for line in sorted(lines):
    print(line)
print(len(futures), "downloads")
