"""Stress: process pools whose workers are killed (SIGKILL) at pseudo-random points.

    pool_kill.py KIND ROUNDS TASKS SEED

KIND is `executor` (concurrent.futures.ProcessPoolExecutor) or `pool`
(multiprocessing.Pool). gilsim has no os.kill, so the program announces and the test
kills: each task prints `T ROUND INDEX PID` as it starts; in a round of mode `sleep` or
`spin` the victim task (a pseudo-random index) prints `KILL ROUND PID` and then sleeps, or
computes, until the test SIGKILLs its worker; in a round of mode `ambient` no task waits
and the test kills the worker of a task it picks, wherever that worker is by then (in a
task, between tasks, sending a result, idle). The last round is a clean one: the pool
must work again after the broken ones.

Per round the program prints

    ROUND R KIND API MODE victim V
    RESULT R ok N broken B                 tasks that returned the right value / failed
    ERROR R TYPE: MESSAGE                  the first failure (only if B > 0)
    AFTER R TYPE: MESSAGE                  what submitting after the failure raised
                                           (`nothing`: a Pool replaces a dead worker)
    WAIT R                                 then reads a line: the test has done its kill

and `DONE` at the end. Any other outcome (a wrong value, another exception) is an
AssertionError. The pool stays open while the program waits at WAIT, so a kill the test
sends late still hits a worker of this round's pool.
"""

import multiprocessing as mp
import os
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

WORKERS = 3


def say(line):
    # One write per line: the workers share the parent's stdout.
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def task(r, i, victim, mode):
    say("T %d %d %d" % (r, i, os.getpid()))
    if victim:
        say("KILL %d %d" % (r, os.getpid()))
        if mode == "sleep":
            while True:
                time.sleep(0.01)
        else:
            x = 0
            while True:
                x += 1
    acc = 0
    for k in range(200 + 10 * i):
        acc += k * k
    return (r, i, acc)


def expected(r, i):
    return (r, i, sum(k * k for k in range(200 + 10 * i)))


def describe(e):
    return "%s: %s" % (type(e).__name__, e)


def broken(e):
    # ProcessPoolExecutor raises BrokenProcessPool; gilsim's Pool raises it too for the
    # task that was on the dead worker (CPython's Pool would wait for ever instead).
    return isinstance(e, BrokenProcessPool)


def submit(how, *args):
    # A pool that broke while the round was being submitted refuses the rest: the
    # refusal stands for the task's outcome.
    try:
        return how(*args)
    except BrokenProcessPool as e:
        return e


def run_round(kind, api, r, tasks, victim, mode):
    print("ROUND", r, kind, api, mode, "victim", victim, flush=True)
    ok = 0
    failures = []
    args = [(r, i, i == victim and mode != "ambient", mode) for i in range(tasks)]
    after = None
    if kind == "executor":
        pool = ProcessPoolExecutor(WORKERS)
        with pool:
            if api == "submit":
                futures = [submit(pool.submit, task, *a) for a in args]
                for i, f in enumerate(futures):
                    try:
                        if isinstance(f, BaseException):
                            raise f
                        v = f.result()
                        assert v == expected(r, i), (v, expected(r, i))
                        ok += 1
                    except AssertionError:
                        raise
                    except BaseException as e:
                        failures.append(e)
            else:
                i = 0
                try:
                    # map() submits as it goes: a death before the last chunk is in
                    # makes map() itself raise.
                    for v in pool.map(task, *zip(*args), chunksize=2):
                        assert v == expected(r, i), (v, expected(r, i))
                        ok += 1
                        i += 1
                except AssertionError:
                    raise
                except BaseException as e:
                    failures.append(e)
            if failures:
                try:
                    pool.submit(task, r, 0, False, mode)
                    after = "nothing"
                except BaseException as e:
                    after = describe(e)
            report(r, ok, failures, after)
    else:
        pool = mp.Pool(WORKERS)
        with pool:
            if api == "apply_async":
                results = [submit(pool.apply_async, task, a) for a in args]
                for i, res in enumerate(results):
                    try:
                        if isinstance(res, BaseException):
                            raise res
                        v = res.get()
                        assert v == expected(r, i), (v, expected(r, i))
                        ok += 1
                    except AssertionError:
                        raise
                    except BaseException as e:
                        failures.append(e)
            else:
                try:
                    vs = pool.starmap(task, args, chunksize=2)
                    assert vs == [expected(r, i) for i in range(tasks)]
                    ok = tasks
                except AssertionError:
                    raise
                except BaseException as e:
                    failures.append(e)
            if failures:
                try:
                    pool.apply_async(task, (r, 0, False, mode))
                    after = "nothing"
                except BaseException as e:
                    after = describe(e)
            report(r, ok, failures, after)
    for e in failures:
        assert broken(e), describe(e)


def report(r, ok, failures, after):
    print("RESULT", r, "ok", ok, "broken", len(failures))
    if failures:
        print("ERROR", r, describe(failures[0]))
        print("AFTER", r, after)
    print("WAIT", r, flush=True)
    input()


def main():
    kind, rounds, tasks, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    rng = random.Random(seed)
    apis = ["submit", "map"] if kind == "executor" else ["apply_async", "starmap"]
    modes = ["sleep", "spin", "ambient"]
    for r in range(rounds):
        mode = modes[(seed + r) % len(modes)]
        api = apis[(seed // 3 + r) % len(apis)]
        run_round(kind, api, r, tasks, rng.randrange(tasks), mode)
    run_round(kind, apis[0], rounds, tasks, -1, "clean")
    print("DONE", flush=True)


if __name__ == "__main__":
    main()
