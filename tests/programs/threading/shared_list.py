# Appending to one list and updating one dict from several threads loses nothing.
import threading

shared = []
table = {}


def fill(i, n):
    for k in range(n):
        shared.append((i, k))
        table[(i, k)] = i * k


ts = [threading.Thread(target=fill, args=(i, 2000)) for i in range(8)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(len(shared), len(table), len(set(shared)))
print(sorted(shared) == [(i, k) for i in range(8) for k in range(2000)])
print(sum(table.values()))
