# Blocking I/O releases the interpreter lock: a thread waits in os.read on a pipe while
# the main thread keeps running Python code and then writes. If os.read held the lock,
# the main thread could never run again and this program would hang.
import os
import threading
import time

r, w = os.pipe()
started = threading.Event()
received = []


def reader():
    started.set()
    received.append(os.read(r, 100))
    received.append(os.read(r, 100))


t = threading.Thread(target=reader)
t.start()
started.wait()
time.sleep(0.05)  # the reader is now blocked inside os.read
total = 0
for i in range(200000):
    total += i % 7
print("main thread computed", total, "while the reader waited")
os.write(w, b"ping")
time.sleep(0.05)
os.close(w)
t.join()
print(received)
os.close(r)

# The same with file objects: a thread iterating over a pipe's lines while another writes.
r, w = os.pipe()
lines = []


def consume():
    with open(r) as f:
        for line in f:
            lines.append(line.rstrip("\n"))


c = threading.Thread(target=consume)
c.start()
with open(w, "w") as out:
    for i in range(5):
        out.write("line %d\n" % i)
        out.flush()
        time.sleep(0.01)
c.join()
print(lines)

# Threads writing their own files at the same time.
here = os.path.dirname(__file__)
names = [os.path.join(here, "tmp_threads_%d_%d.txt" % (os.getpid(), i)) for i in range(4)]


def write_file(name, n):
    with open(name, "w") as f:
        for j in range(n):
            f.write("%s %d\n" % (name[-5], j))


workers = [threading.Thread(target=write_file, args=(n, 2000)) for n in names]
for t in workers:
    t.start()
for t in workers:
    t.join()
for n in names:
    with open(n) as f:
        content = f.readlines()
    print(len(content), content[0].strip(), content[-1].strip())
    os.remove(n)
