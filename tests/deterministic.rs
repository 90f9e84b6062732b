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
