"""Stress: 200 threads doing locks, queues, events, conditions, semaphores, barriers and
shared-list appends at once, until a deadline or a count bound, whichever comes first.

    threads_mix.py SECONDS MAX_ITEMS

SECONDS is the deadline (time.monotonic(): the virtual clock under --deterministic),
MAX_ITEMS bounds what each thread does (items produced, increments, turns, appends), so
a deterministic run can be bounded by work alone. The program checks its own invariants
(an AssertionError ends it with exit code 1) and prints what the test checks again:

    producer P produced N consumed RANGES   the sequence numbers of P's items that the
                                            consumers received, sorted, as runs a-b
                                            (a duplicate starts a new run)
    consumers GOT                           items received, summed over the consumers
    appended N                              items the appenders appended
    shared_list LEN expected N              the items the consumers appended, plus the
                                            appenders' items
    counter LOCKED expected N               lock-protected counter and its increments
    rcounter LOCKED expected N              the same under a nested RLock
    turns TURN expected N spread S          Condition turn-taking: total, max-min per thread
    semaphore max_inside M limit L
    barrier ROUND indices OK
    threads alive N
    ALL OK

Runs unchanged under python3.
"""

import queue
import sys
import threading
import time

SECONDS = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
MAX_ITEMS = int(sys.argv[2]) if len(sys.argv) > 2 else 10**9

N_PRODUCERS = 60
N_CONSUMERS = 40
N_COUNTERS = 40
N_TURNS = 20
N_SEM = 20
N_APPENDERS = 20
N_THREADS = N_PRODUCERS + N_CONSUMERS + N_COUNTERS + N_TURNS + N_SEM + N_APPENDERS
SEM_LIMIT = 3
APPEND_CAP = 20000         # appends per appender: keeps the final checks short

work = queue.Queue(maxsize=64)
go = threading.Event()
stop = threading.Event()
producers_done = threading.Event()
barrier = threading.Barrier(N_THREADS)
barrier_indices = [[], []]  # per rendezvous: the index each party got

state_lock = threading.Lock()
produced = {}              # producer id -> items it put
producers_left = [N_PRODUCERS]
consumed_by = {}           # consumer id -> its items, in the order received
shared = []                # every consumed item, plus the appenders' items

lock = threading.Lock()
counter = 0
increments = {}

rlock = threading.RLock()
rcounter = 0

cond = threading.Condition()
turn = 0
turns_finished = False
turns_by = {}

sem = threading.BoundedSemaphore(SEM_LIMIT)
inside_lock = threading.Lock()
inside = 0
max_inside = 0
sem_entries = {}

appended = {}


def rendezvous(k):
    i = barrier.wait()
    barrier_indices[k].append(i)


def one(x):
    # A call inside the read-modify-write: without the lock, updates are lost under every
    # policy (the new GIL polls at calls).
    return x + 1


def producer(pid):
    rendezvous(0)
    go.wait()
    seq = 0
    while seq < MAX_ITEMS and not stop.is_set():
        item = (pid, seq)
        if seq % 2:
            work.put(item)
        else:
            # The timed path: retry while the queue is full.
            while True:
                try:
                    work.put(item, timeout=0.01)
                    break
                except queue.Full:
                    pass
        seq += 1
    with state_lock:
        produced[pid] = seq
        producers_left[0] -= 1
        if producers_left[0] == 0:
            producers_done.set()
    rendezvous(1)


def consumer(cid):
    rendezvous(0)
    mine = []
    while True:
        try:
            item = work.get(timeout=0.05)
        except queue.Empty:
            continue
        if item is None:
            work.task_done()
            break
        mine.append(item)
        shared.append(item)
        work.task_done()
    with state_lock:
        consumed_by[cid] = mine
    rendezvous(1)


def counting(tid):
    global counter, rcounter
    rendezvous(0)
    go.wait()
    n = 0
    while n < MAX_ITEMS and not stop.is_set():
        with lock:
            counter = one(counter)
        with rlock:
            with rlock:
                rcounter = one(rcounter)
        n += 1
    with state_lock:
        increments[tid] = n
    rendezvous(1)


def turn_taker(i):
    global turn, turns_finished
    rendezvous(0)
    go.wait()
    n = 0
    while True:
        with cond:
            cond.wait_for(lambda: turns_finished or turn % N_TURNS == i)
            if turns_finished:
                break
            if stop.is_set() or n >= MAX_ITEMS:
                turns_finished = True
                cond.notify_all()
                break
            turn = one(turn)
            n += 1
            cond.notify_all()
    with state_lock:
        turns_by[i] = n
    rendezvous(1)


def sem_user(i):
    global inside, max_inside
    rendezvous(0)
    go.wait()
    n = 0
    while n < MAX_ITEMS and not stop.is_set():
        with sem:
            with inside_lock:
                inside += 1
                if inside > max_inside:
                    max_inside = inside
            time.sleep(0)
            with inside_lock:
                inside -= 1
        n += 1
    with state_lock:
        sem_entries[i] = n
    rendezvous(1)


def appender(i):
    rendezvous(0)
    go.wait()
    n = 0
    while n < min(MAX_ITEMS, APPEND_CAP) and not stop.is_set():
        shared.append(("a", i, n))
        n += 1
        if n % 100 == 0:
            time.sleep(0)
    with state_lock:
        appended[i] = n
    rendezvous(1)


def runs(values):
    """Sorted values as runs 'a-b' of consecutive numbers; a repeated value starts a new run."""
    out = []
    start = prev = None
    for v in values:
        if prev is not None and v == prev + 1:
            prev = v
            continue
        if start is not None:
            out.append("%d-%d" % (start, prev))
        start = prev = v
    if start is not None:
        out.append("%d-%d" % (start, prev))
    return ",".join(out) if out else "none"


def main():
    kinds = ([(producer, i) for i in range(N_PRODUCERS)]
             + [(consumer, i) for i in range(N_CONSUMERS)]
             + [(counting, i) for i in range(N_COUNTERS)]
             + [(turn_taker, i) for i in range(N_TURNS)]
             + [(sem_user, i) for i in range(N_SEM)]
             + [(appender, i) for i in range(N_APPENDERS)])
    threads = [threading.Thread(target=f, args=(i,), name="%s-%d" % (f.__name__, i))
               for f, i in kinds]
    for t in threads:
        t.start()
    go.set()
    # Stop at the deadline, or as soon as every producer reached its bound.
    producers_done.wait(SECONDS)
    stop.set()
    producers_done.wait()
    work.join()                      # every item put has been taken and marked done
    for _ in range(N_CONSUMERS):
        work.put(None)
    for t in threads:
        t.join()

    failures = []

    def check(ok, what):
        if not ok:
            failures.append(what)

    by_producer = {}
    total = 0
    for cid in sorted(consumed_by):
        for pid, seq in consumed_by[cid]:
            by_producer.setdefault(pid, []).append(seq)
            total += 1
    for pid in range(N_PRODUCERS):
        seqs = sorted(by_producer.get(pid, []))
        n = produced[pid]
        print("producer", pid, "produced", n, "consumed", runs(seqs))
        check(seqs == list(range(n)), "producer %d: items lost or duplicated" % pid)
    total_produced = sum(produced.values())
    print("consumers", total)
    check(total == total_produced, "consumed %d of %d items" % (total, total_produced))

    print("appended", sum(appended.values()))
    expected_shared = total_produced + sum(appended.values())
    print("shared_list", len(shared), "expected", expected_shared)
    check(len(shared) == expected_shared, "shared list lost appends")
    from_consumers = []
    from_appenders = {}
    for x in shared:
        if x[0] == "a":
            from_appenders.setdefault(x[1], []).append(x[2])
        else:
            from_consumers.append(x)
    check(sorted(from_consumers) == sorted(
        item for items in consumed_by.values() for item in items), "shared list items")
    for i in range(N_APPENDERS):
        mine = from_appenders.get(i, [])
        check(mine == list(range(appended[i])), "appender %d: order or items" % i)

    incs = sum(increments.values())
    print("counter", counter, "expected", incs)
    check(counter == incs, "lock-protected counter")
    print("rcounter", rcounter, "expected", incs)
    check(rcounter == incs, "rlock-protected counter")

    counts = [turns_by[i] for i in range(N_TURNS)]
    spread = max(counts) - min(counts)
    print("turns", turn, "expected", sum(counts), "spread", spread)
    check(turn == sum(counts), "condition turns")
    check(spread <= 1, "turns not taken in order")

    print("semaphore max_inside", max_inside, "limit", SEM_LIMIT,
          "entries", sum(sem_entries.values()))
    check(1 <= max_inside <= SEM_LIMIT or sum(sem_entries.values()) == 0, "semaphore limit")
    check(inside == 0, "semaphore balance")

    for k in range(2):
        ok = sorted(barrier_indices[k]) == list(range(N_THREADS))
        print("barrier", k, "indices", "OK" if ok else "BAD")
        check(ok, "barrier %d indices" % k)

    alive = threading.active_count()
    print("threads alive", alive)
    check(alive == 1, "threads still alive")

    if failures:
        print("FAILED:", "; ".join(failures))
        sys.stdout.flush()
        raise AssertionError("; ".join(failures))
    print("ALL OK")


if __name__ == "__main__":
    main()
