# What the start method shows: the workers' names, how many an executor starts, and
# max_tasks_per_child (which needs a start method other than fork).
import multiprocessing as mp
import os
from concurrent.futures import ProcessPoolExecutor

def who(_):
    return mp.current_process().name

def kind(name):
    return name.split('-')[0]

if __name__ == "__main__":
    print(mp.get_start_method(), mp.get_context().get_start_method())
    # fork (the default on Linux): every worker starts at the first submit.
    with ProcessPoolExecutor(3) as ex:
        print(kind(ex.submit(who, 0).result()), len(mp.active_children()))
    with ProcessPoolExecutor(2, mp_context=mp.get_context("spawn")) as ex:
        print(kind(ex.submit(who, 0).result()), len(mp.active_children()))
    print(len(mp.active_children()))
    for method in ["fork", "spawn"]:
        with mp.get_context(method).Pool(2) as p:
            print(method, kind(p.apply(who, (0,))))
            children = sorted(mp.active_children(), key=lambda c: c.name)
            print([(kind(c.name), c.daemon, c.is_alive(), c.exitcode) for c in children])
            print(repr(children[0]).split(" pid=")[0])
        ctx = mp.get_context(method)
        p = ctx.Process(target=who, args=(0,))
        named = ctx.Process(target=who, name="mine")
        print(kind(p.name), named.name, kind(mp.Process(target=who).name))
    # max_tasks_per_child: a fresh worker every N calls.
    with ProcessPoolExecutor(1, max_tasks_per_child=1) as ex:
        pids = [ex.submit(os.getpid).result() for _ in range(3)]
        print(len(set(pids)), kind(ex.submit(who, 0).result()))
    # shutdown() with calls still queued: retired workers are still replaced.
    ex = ProcessPoolExecutor(1, max_tasks_per_child=1)
    fs = [ex.submit(abs, -i) for i in range(4)]
    ex.shutdown()
    print([f.result(timeout=10) for f in fs])
    for bad in [0, "2"]:
        try:
            ProcessPoolExecutor(1, max_tasks_per_child=bad)
        except (TypeError, ValueError) as e:
            print(type(e).__name__, e)
    try:
        ProcessPoolExecutor(2, mp_context=mp.get_context("fork"), max_tasks_per_child=1)
    except ValueError as e:
        print(e)
