# wait() with FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED and a timeout.
import threading
from concurrent.futures import (Future, ThreadPoolExecutor, wait, FIRST_COMPLETED,
                                FIRST_EXCEPTION, ALL_COMPLETED)


def fail():
    raise ValueError("nope")


print(FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED)
gate = threading.Event()
with ThreadPoolExecutor(max_workers=4) as ex:
    blocked = ex.submit(gate.wait)
    quick = ex.submit(pow, 2, 8)
    done, not_done = wait([blocked, quick], return_when=FIRST_COMPLETED)
    print(len(done), len(not_done), quick in done, blocked in not_done)

    bad = ex.submit(fail)
    result = wait([blocked, bad], return_when=FIRST_EXCEPTION)
    print(len(result.done), len(result.not_done), bad in result.done)

    result = wait([blocked, quick], timeout=0.05)
    print(len(result[0]), len(result[1]), len(result))

    gate.set()
    done, not_done = wait([blocked, quick, bad], return_when=ALL_COMPLETED)
    print(len(done), len(not_done))
    print(sorted(f.result() for f in done if f.exception() is None))

    fs = [ex.submit(pow, 3, i) for i in range(6)]
    done, not_done = wait(fs)
    print(len(done), len(not_done), sorted(f.result() for f in done))
    # everything already done: FIRST_COMPLETED and FIRST_EXCEPTION return at once
    print(len(wait(fs, return_when=FIRST_COMPLETED).done))
    print(len(wait(fs + [bad], return_when=FIRST_EXCEPTION).done))
    print(len(wait([]).done), len(wait([]).not_done))
    try:
        wait([Future()], return_when="SOMETIMES")
    except ValueError as e:
        print("ValueError:", e)
