# multiprocessing.Queue between two producer processes and the parent; Pipe both ways.
import multiprocessing as mp
import queue

def producer(q, n, tag):
    for i in range(n):
        q.put((tag, i, "x" * 10))
    q.put((tag, None, ""))

def echo(conn):
    while True:
        msg = conn.recv()
        if msg is None:
            break
        conn.send(("echo", msg))
    conn.close()

if __name__ == "__main__":
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    procs = [ctx.Process(target=producer, args=(q, 200, t)) for t in "ab"]
    for p in procs:
        p.start()
    done, got = 0, []
    while done < 2:
        tag, i, _ = q.get(timeout=10)
        if i is None:
            done += 1
        else:
            got.append((tag, i))
    for p in procs:
        p.join()
    print(len(got), sorted(got)[:2], [p.exitcode for p in procs])
    print(q.empty())
    try:
        q.get(timeout=0.05)
    except queue.Empty:
        print("Empty")
    parent, child = ctx.Pipe()
    p = ctx.Process(target=echo, args=(child,))
    p.start()
    child.close()
    for x in [1, "two", [3.0], {"four": (4,)}]:
        parent.send(x)
        print(parent.recv())
    parent.send(None)
    p.join()
    print(p.exitcode, parent.poll(0.1))
    try:
        parent.recv()
    except EOFError:
        print("EOFError")
    r, w = ctx.Pipe(duplex=False)
    w.send(2 ** 100)
    print(r.recv(), r.readable, r.writable, w.readable, w.writable)
