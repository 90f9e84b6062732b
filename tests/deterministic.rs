//! `--deterministic`: virtual time and one scheduler. The phenomena the course teaches
//! come out exact, runs repeat byte for byte, and seeds choose among schedules.
//!
//! Everything measured here is virtual time, printed by the programs themselves; nothing
//! depends on how fast this machine is.

mod common;

use common::{run, script};

/// `time.perf_counter()` readings a program printed as `name=value` pairs.
fn figures(out: &str) -> std::collections::HashMap<String, f64> {
    out.split_whitespace()
        .filter_map(|w| w.split_once('='))
        .filter_map(|(k, v)| Some((k.to_string(), v.parse().ok()?)))
        .collect()
}

const CPU_THREADS: &str = r#"
import threading, time

def count(n):
    while n > 0:
        n -= 1

def timed(k):
    t0 = time.perf_counter()
    ts = [threading.Thread(target=count, args=(200_000,)) for _ in range(k)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return time.perf_counter() - t0

one = timed(1)
four = timed(4)
print(f"one={one:.9f} four={four:.9f}")
"#;

#[test]
fn four_cpu_bound_threads_take_four_times_one() {
    let p = script("det_cpu.py", CPU_THREADS);
    for gil in ["new", "old"] {
        let r = run(&["run", "--deterministic", "--gil", gil, p.to_str().unwrap()]);
        assert!(r.success(), "{}", r.dump());
        let f = figures(&r.stdout);
        let ratio = f["four"] / f["one"];
        assert!(
            (ratio - 4.0).abs() <= 0.08,
            "--gil {gil}: 4 threads / 1 = {ratio}\n{}",
            r.dump()
        );
    }
}

const IO_THREADS: &str = r#"
import threading, time

def fake_io(total, chunks):
    for _ in range(chunks):
        time.sleep(total / chunks)

def timed(k):
    t0 = time.perf_counter()
    ts = [threading.Thread(target=fake_io, args=(0.3, 10)) for _ in range(k)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return time.perf_counter() - t0

one = timed(1)
four = timed(4)
t0 = time.time()
time.sleep(100)
slept = time.time() - t0
print(f"one={one:.9f} four={four:.9f} slept={slept:.6f}")
"#;

#[test]
fn io_bound_threads_overlap_and_sleeps_jump_ahead() {
    let p = script("det_io.py", IO_THREADS);
    let r = run(&["run", "--deterministic", p.to_str().unwrap()]);
    assert!(r.success(), "{}", r.dump());
    let f = figures(&r.stdout);
    let ratio = f["four"] / f["one"];
    assert!((ratio - 1.0).abs() <= 0.01, "4 I/O threads / 1 = {ratio}\n{}", r.dump());
    // 100 s of virtual sleep: the clock jumped (the run would otherwise be killed as hung).
    assert_eq!(f["slept"], 100.0, "{}", r.dump());
}

const RACE: &str = r#"
import threading

counter = 0

def one(x):
    return x

def work(n):
    global counter
    for _ in range(n):
        counter = counter + one(1)

ts = [threading.Thread(target=work, args=(100_000,)) for _ in range(2)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(f"counter={counter}")
"#;

#[test]
fn the_same_run_twice_is_byte_identical() {
    let p = script("det_race.py", RACE);
    let args = ["run", "--deterministic", "--stats", "--seed", "7", p.to_str().unwrap()];
    let a = run(&args);
    let b = run(&args);
    assert!(a.success(), "{}", a.dump());
    assert_eq!(a.stdout, b.stdout);
    assert_eq!(a.stderr, b.stderr);
    assert!(a.stderr.contains("forced drops"), "{}", a.dump());
}

#[test]
fn seeds_choose_different_schedules_that_lose_different_updates() {
    let p = script("det_race_seeds.py", RACE);
    let counts: Vec<f64> = ["1", "2", "3"]
        .iter()
        .map(|seed| {
            let r = run(&["run", "--deterministic", "--seed", seed, p.to_str().unwrap()]);
            assert!(r.success(), "{}", r.dump());
            figures(&r.stdout)["counter"]
        })
        .collect();
    // A call inside the read-modify-write loses updates under the new GIL…
    assert!(counts.iter().all(|&c| c < 200_000.0), "{counts:?}");
    // …and which ones depends on the schedule the seed picks.
    assert!(counts[0] != counts[1] || counts[1] != counts[2], "{counts:?}");
}

#[test]
fn a_lock_wait_times_out_in_virtual_time() {
    let p = script(
        "det_timeout.py",
        r#"
import threading, time
lock = threading.Lock()
lock.acquire()
t0 = time.monotonic()
got = lock.acquire(timeout=2.5)
print(f"waited={time.monotonic() - t0:.9f} got={int(got)}")
ev = threading.Event()
t0 = time.monotonic()
ev.wait(0.75)
print(f"event={time.monotonic() - t0:.9f}")
"#,
    );
    let r = run(&["run", "--deterministic", p.to_str().unwrap()]);
    assert!(r.success(), "{}", r.dump());
    let f = figures(&r.stdout);
    assert!((f["waited"] - 2.5).abs() < 1e-5, "{}", r.dump());
    assert_eq!(f["got"], 0.0);
    assert!((f["event"] - 0.75).abs() < 1e-3, "{}", r.dump());
}

#[test]
fn a_deadlock_is_reported_with_every_waiting_thread() {
    let r = run(&[
        "run",
        "--deterministic",
        concat!(env!("CARGO_MANIFEST_DIR"), "/examples/deadlock.py"),
    ]);
    assert_eq!(r.code, Some(1), "{}", r.dump());
    assert!(
        r.stderr.contains("DeadlockError: all 3 threads are blocked"),
        "{}",
        r.dump()
    );
    assert!(
        r.stderr.contains("one waits in Lock.acquire for a lock held by two"),
        "{}",
        r.dump()
    );
    assert!(
        r.stderr.contains("two waits in Lock.acquire for a lock held by one"),
        "{}",
        r.dump()
    );
}

#[test]
fn unsupported_combinations_are_refused_clearly() {
    let p = script("det_plain.py", "print('hi')\n");
    let r = run(&["run", "--deterministic", "--gil", "off", p.to_str().unwrap()]);
    assert_eq!(r.code, Some(2), "{}", r.dump());
    assert!(r.stderr.contains("--deterministic models a lock"), "{}", r.dump());
    let r = run(&["run", "--seed", "3", p.to_str().unwrap()]);
    assert_eq!(r.code, Some(2), "{}", r.dump());
    assert!(r.stderr.contains("--deterministic"), "{}", r.dump());
}

const CPU_PROCESSES: &str = r#"
import time
from concurrent.futures import ProcessPoolExecutor

def count(n):
    while n > 0:
        n -= 1
    return n

def timed(workers, tasks):
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as ex:
        results = list(ex.map(count, [200_000] * tasks))
    assert results == [0] * tasks
    return time.perf_counter() - t0

if __name__ == "__main__":
    one = timed(1, 1)
    four = timed(4, 4)
    eight = timed(8, 8)
    print(f"one={one:.9f} four={four:.9f} eight={eight:.9f}")
"#;

#[test]
fn four_processes_on_four_simulated_cores_take_the_time_of_one() {
    let p = script("det_processes.py", CPU_PROCESSES);
    let r = run(&["run", "--deterministic", "--cores", "4", p.to_str().unwrap()]);
    assert!(r.success(), "{}", r.dump());
    let f = figures(&r.stdout);
    let four = f["four"] / f["one"];
    assert!(
        (four - 1.0).abs() <= 0.05,
        "4 processes on 4 cores / 1 = {four}\n{}",
        r.dump()
    );
    // Eight processes on four cores: two rounds of work (the start-up is paid once).
    let eight = f["eight"] / f["one"];
    assert!(
        eight > 1.6 && eight < 2.05,
        "8 processes on 4 cores / 1 = {eight}\n{}",
        r.dump()
    );
    // With eight cores they all run at once.
    let r = run(&["run", "--deterministic", "--cores", "8", p.to_str().unwrap()]);
    let f = figures(&r.stdout);
    let eight = f["eight"] / f["one"];
    assert!(
        (eight - 1.0).abs() <= 0.05,
        "8 processes on 8 cores / 1 = {eight}\n{}",
        r.dump()
    );
}

#[test]
fn simulated_processes_keep_their_globals_apart_and_report_remote_errors() {
    let p = script(
        "det_isolation.py",
        r#"
from multiprocessing import Pool
from concurrent.futures import ProcessPoolExecutor

counter = 0

def bump(n):
    global counter
    counter += n
    return counter

def boom(x):
    return 1 // x

if __name__ == "__main__":
    with Pool(2) as pool:
        print(sorted(pool.map(bump, [1, 1, 1, 1])) != [1, 2, 3, 4] or "shared?")
    print("parent counter", counter)
    with ProcessPoolExecutor(2) as ex:
        try:
            ex.submit(boom, 0).result()
        except ZeroDivisionError as e:
            print("caught", type(e).__name__, "|", e.__cause__ is not None)
"#,
    );
    let args = ["run", "--deterministic", p.to_str().unwrap()];
    let r = run(&args);
    assert!(r.success(), "{}", r.dump());
    assert!(r.stdout.contains("parent counter 0"), "{}", r.dump());
    assert!(r.stdout.contains("caught ZeroDivisionError | True"), "{}", r.dump());
    assert_eq!(run(&args).stdout, r.stdout);
}

#[test]
fn processes_flag_summary_is_virtual_and_repeatable() {
    let p = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/trace_programs/replicas.py");
    let args = ["run", "--deterministic", "--processes", "3", p];
    let a = run(&args);
    let b = run(&args);
    assert!(a.success(), "{}", a.dump());
    assert_eq!(a.stdout.matches("done 374993750025000").count(), 4, "{}", a.dump());
    assert_eq!(a.stderr, b.stderr);
    assert!(a.stderr.contains("3 processes and the parent"), "{}", a.dump());
    assert!(a.stderr.contains("main-2"), "{}", a.dump());
}

#[test]
fn pipes_between_simulated_processes_are_refused_clearly() {
    let p = script(
        "det_pipe.py",
        r#"
from multiprocessing import Process, Queue

def put(q):
    q.put(1)

if __name__ == "__main__":
    q = Queue()
    p = Process(target=put, args=(q,))
    p.start()
    p.join()
"#,
    );
    let r = run(&["run", "--deterministic", p.to_str().unwrap()]);
    assert_eq!(r.code, Some(1), "{}", r.dump());
    assert!(r.stderr.contains("does not simulate Pipe or Queue"), "{}", r.dump());
}

/// An unguarded pool after a second of waiting at the top level (seeds/003's shape).
const UNGUARDED_AFTER_A_WAIT: &str = r#"
import time
from concurrent.futures import ProcessPoolExecutor
import multiprocessing

def square(x):
    return x * x

t0 = time.perf_counter()
time.sleep(1)
t1 = time.perf_counter()
with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context(METHOD)) as ex:
    print(list(ex.map(square, range(4))))
t2 = time.perf_counter()
print(f"wait={t1 - t0:.6f} pool={t2 - t1:.6f}")
"#;

#[test]
fn a_fork_like_worker_does_not_wait_again_for_its_parents_top_level() {
    // A forked child starts where its parent started it: the second of waiting before the
    // pool is not the worker's to wait again, so the pool costs its start-up only.
    let p = script("det_fork_wait.py", &UNGUARDED_AFTER_A_WAIT.replace("METHOD", "'fork'"));
    let r = run(&["run", "--deterministic", p.to_str().unwrap()]);
    assert!(r.success(), "{}", r.dump());
    assert!(r.stdout.starts_with("[0, 1, 4, 9]\n"), "{}", r.dump());
    let f = figures(&r.stdout);
    assert!((f["wait"] - 1.0).abs() < 0.001, "{}", r.dump());
    assert!(
        f["pool"] < 0.1,
        "the worker waited again: pool = {} s\n{}",
        f["pool"],
        r.dump()
    );

    // Under spawn the same script is the bootstrapping error in the worker.
    let p = script(
        "det_spawn_wait.py",
        &UNGUARDED_AFTER_A_WAIT.replace("METHOD", "'spawn'"),
    );
    let r = run(&["run", "--deterministic", p.to_str().unwrap()]);
    assert!(!r.success(), "{}", r.dump());
    assert!(r.stderr.contains("bootstrapping phase"), "{}", r.dump());
}

#[test]
fn a_simulated_process_has_its_own_pid() {
    let p = script(
        "det_pid.py",
        "import os\n\
         from concurrent.futures import ProcessPoolExecutor\n\
         if __name__ == '__main__':\n\
         \x20   with ProcessPoolExecutor(2) as ex:\n\
         \x20       pids = {ex.submit(os.getpid).result() for _ in range(4)}\n\
         \x20   print(os.getpid() not in pids, len(pids) >= 1)\n",
    );
    let r = run(&["run", "--deterministic", p.to_str().unwrap()]);
    assert!(r.success(), "{}", r.dump());
    assert_eq!(r.stdout, "True True\n", "{}", r.dump());
}
