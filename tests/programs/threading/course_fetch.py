# The course's "Threading — I/O-Bound Tasks" sample (shared/seeds/003), with time.sleep
# standing in for requests.get: each thread writes its own slot of a shared list.
import threading
import time


class FakeResponse:
    def __init__(self, url):
        time.sleep(0.05)  # the network wait, without the interpreter lock
        self.text = "<html>" + url + "</html>"


def fetch(url, results, index):
    response = FakeResponse(url)
    results[index] = len(response.text)

urls = ["https://example.com"] * 5 + ["https://example.org/longer/path"]
results = [None] * len(urls)
threads = []

for i, url in enumerate(urls):
    t = threading.Thread(target=fetch, args=(url, results, i))
    threads.append(t)
    t.start()

for t in threads:
    t.join()

print(results)
