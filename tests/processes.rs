//! Worker processes: multiprocessing.Pool and Process, ProcessPoolExecutor, `--processes N`,
//! failures (exceptions, killed workers, a killed parent, the `__main__` guard) and the
//! value codec. Every run has a hard timeout, so a hang fails the test instead of stalling
//! the suite; nothing asserts on wall-clock time.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{running, sigkill};
use gilsim::process::codec::{decode, encode, Wire};
use gilsim::vm::value::Value;
use gilsim::vm::vm::Vm;
use num_bigint::BigInt;
use proptest::prelude::*;

const GILSIM: &str = env!("CARGO_BIN_EXE_gilsim");
/// Far above what any of these programs needs: reaching it means a hang.
const HANG: Duration = Duration::from_secs(60);

/// A fresh directory for one test's script.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gilsim-processes-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

fn write_script(name: &str, text: &str) -> PathBuf {
    let path = scratch(name).join(format!("{name}.py"));
    std::fs::write(&path, text).expect("write script");
    path
}

fn gilsim(args: &[&str], script: &Path) -> Command {
    let mut cmd = Command::new(GILSIM);
    cmd.arg("run")
        .args(args)
        .arg(script)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// Waits for `child` at most `limit`, killing it (and failing) on a hang.
fn wait_or_kill(mut child: Child, limit: Duration, what: &str) -> Output {
    let start = Instant::now();
    loop {
        match child.try_wait().expect("try_wait") {
            Some(_) => return child.wait_with_output().expect("output"),
            None if start.elapsed() > limit => {
                let _ = child.kill();
                let out = child.wait_with_output().expect("output");
                panic!(
                    "{what} hung (killed after {limit:?})\nstdout:\n{}\nstderr:\n{}",
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                );
            }
            None => std::thread::sleep(Duration::from_millis(20)),
        }
    }
}

fn run(name: &str, args: &[&str], text: &str) -> (String, String, i32) {
    let script = write_script(name, text);
    let child = gilsim(args, &script).spawn().expect("start gilsim");
    let out = wait_or_kill(child, HANG, name);
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

/// The seeds' Pool sample, verbatim (shared/seeds/003).
#[test]
fn pool_map_of_squares() {
    let (out, err, code) = run(
        "squares",
        &[],
        r#"from multiprocessing import Pool

def square(n):
    return n ** 2

if __name__ == "__main__":
    with Pool(processes=4) as pool:
        results = pool.map(square, range(10))
    print(results)
"#,
    );
    assert_eq!(
        (out.as_str(), err.as_str(), code),
        ("[0, 1, 4, 9, 16, 25, 36, 49, 64, 81]\n", "", 0)
    );
}

#[test]
fn globals_are_not_shared() {
    let (out, err, code) = run(
        "isolation",
        &[],
        r#"import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor
seen = []
def add(x):
    seen.append(x)
    return len(seen)
if __name__ == "__main__":
    seen.append("parent")
    with ProcessPoolExecutor(1) as ex:
        print([ex.submit(add, i).result() for i in range(3)])
    print(seen)
"#,
    );
    assert_eq!(err, "");
    assert_eq!(code, 0);
    assert_eq!(out, "[1, 2, 3]\n['parent']\n");
}

#[test]
fn a_worker_exception_carries_the_remote_traceback() {
    let (out, err, code) = run(
        "remote_tb",
        &[],
        r#"from concurrent.futures import ProcessPoolExecutor
import multiprocessing as mp

def inner(x):
    raise KeyError(x)

def outer(x):
    return inner(x)

if __name__ == "__main__":
    with mp.Pool(1) as pool:
        try:
            pool.apply(outer, ("pool",))
        except KeyError as e:
            print("caught", repr(e), type(e.__cause__).__module__, type(e.__cause__).__name__)
    with ProcessPoolExecutor(1) as ex:
        ex.submit(outer, "executor").result()
"#,
    );
    assert_eq!(out, "caught KeyError('pool') multiprocessing.pool RemoteTraceback\n");
    assert_eq!(code, 1);
    let expected_start = "concurrent.futures.process._RemoteTraceback: \n\"\"\"\nTraceback (most recent call last):\n";
    assert!(err.starts_with(expected_start), "stderr:\n{err}");
    assert!(err.contains(", line 8, in outer\n"), "stderr:\n{err}");
    assert!(err.contains(", line 5, in inner\n"), "stderr:\n{err}");
    assert!(
        err.contains("KeyError: 'executor'\n\"\"\"\n\nThe above exception was the direct cause of the following exception:\n\nTraceback (most recent call last):\n"),
        "stderr:\n{err}"
    );
    assert!(err.ends_with("KeyError: 'executor'\n"), "stderr:\n{err}");
}

#[test]
fn process_exit_codes_and_child_tracebacks() {
    let (out, err, code) = run(
        "exitcodes",
        &[],
        r#"import multiprocessing as mp, sys, time
def ok(): print("child ran", mp.current_process().name)
def boom(): raise ValueError("in child")
def leave(): sys.exit(7)
def nap(): time.sleep(30)
if __name__ == "__main__":
    for target in (ok, boom, leave):
        p = mp.Process(target=target)
        p.start(); p.join()
        print(p.name, p.exitcode, p.is_alive())
    p = mp.Process(target=nap, name="sleeper")
    p.start(); p.join(0.05)
    print(p.is_alive(), p.exitcode, p.pid > 0)
    p.kill(); p.join()
    print(p.name, p.exitcode)
"#,
    );
    assert_eq!(
        out,
        "child ran Process-1\nProcess-1 0 False\nProcess-2 1 False\nProcess-3 7 False\nTrue None True\nsleeper -9\n"
    );
    assert!(
        err.starts_with("Process Process-2:\nTraceback (most recent call last):\n"),
        "{err}"
    );
    assert!(err.ends_with("ValueError: in child\n"), "{err}");
    assert_eq!(code, 0);
}

/// Reads lines from the child's stdout until `pred` finds what it wants.
fn read_until(child: &mut Child, pred: impl Fn(&str) -> bool) -> String {
    let mut stdout = child.stdout.take().expect("stdout");
    let mut seen = String::new();
    let start = Instant::now();
    let mut buf = [0u8; 256];
    while !pred(&seen) {
        assert!(start.elapsed() < HANG, "no expected output; got {seen:?}");
        match stdout.read(&mut buf) {
            Ok(0) => panic!("stdout closed early; got {seen:?}"),
            Ok(n) => seen.push_str(&String::from_utf8_lossy(&buf[..n])),
            Err(e) => panic!("read: {e}"),
        }
    }
    child.stdout = Some(stdout);
    seen
}

fn pids_after(text: &str, tag: &str) -> Vec<i32> {
    text.lines()
        .filter_map(|l| l.strip_prefix(tag))
        .flat_map(|rest| rest.split_whitespace().map(|p| p.parse::<i32>().expect("pid")))
        .collect()
}

#[test]
fn a_killed_worker_breaks_the_pool_without_a_hang() {
    let script = write_script(
        "killed_worker",
        r#"import os, time
from concurrent.futures import ProcessPoolExecutor
def report_then_sleep():
    print("worker", os.getpid(), flush=True)
    time.sleep(60)
if __name__ == "__main__":
    with ProcessPoolExecutor(2) as ex:
        f = ex.submit(report_then_sleep)
        try:
            f.result()
        except Exception as e:
            print(type(e).__name__ + ":", e)
        try:
            ex.submit(abs, -1)
        except Exception as e:
            print(type(e).__name__ + ":", e)
"#,
    );
    let mut child = gilsim(&[], &script).spawn().expect("start");
    let seen = read_until(&mut child, |s| s.contains('\n'));
    let pids = pids_after(&seen, "worker ");
    assert_eq!(pids.len(), 1, "{seen}");
    sigkill(pids[0]);
    let out = wait_or_kill(child, HANG, "killed worker");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        stdout,
        "BrokenProcessPool: A process in the process pool was terminated abruptly while the future was running or pending.\n\
         BrokenProcessPool: A child process terminated abruptly, the process pool is not usable anymore\n"
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn no_worker_outlives_a_sigkilled_parent() {
    let script = write_script(
        "orphans",
        r#"import os, time
import multiprocessing as mp
def pid(_):
    time.sleep(0.05)
    return os.getpid()
if __name__ == "__main__":
    pool = mp.Pool(2)
    pids = sorted(set(pool.map(pid, range(8), chunksize=1)))
    print("parent", os.getpid(), flush=True)
    print("workers", *pids, flush=True)
    time.sleep(60)
"#,
    );
    let mut child = gilsim(&[], &script).spawn().expect("start");
    let seen = read_until(&mut child, |s| s.contains("workers") && s.ends_with('\n'));
    let workers = pids_after(&seen, "workers ");
    assert!(!workers.is_empty(), "{seen}");
    for &w in &workers {
        assert!(running(w), "worker {w} should be running before the parent dies");
    }
    sigkill(child.id() as i32);
    let _ = child.wait();
    let start = Instant::now();
    loop {
        // The reported workers, and any other process started on this script (the marker:
        // its path on the command line), must be gone.
        let mut alive: Vec<i32> = workers.iter().copied().filter(|&w| running(w)).collect();
        for p in processes_running(&script) {
            if !alive.contains(&p) {
                alive.push(p);
            }
        }
        if alive.is_empty() {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "processes {alive:?} still run after their parent was killed"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Running processes whose command line mentions `script`.
fn processes_running(script: &Path) -> Vec<i32> {
    let marker = script.display().to_string();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<i32>().ok())
        .filter(|&pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .map(|c| String::from_utf8_lossy(&c).contains(&marker))
                .unwrap_or(false)
                && running(pid)
        })
        .collect()
}

#[test]
fn starting_a_pool_without_the_main_guard_is_the_bootstrap_error_under_spawn() {
    let (out, err, code) = run(
        "no_guard",
        &[],
        r#"from concurrent.futures import ProcessPoolExecutor
import multiprocessing
def double(x):
    return 2 * x
print("top level")
with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as ex:
    print(list(ex.map(double, [1, 2])))
"#,
    );
    // The script's top level ran twice: once in the parent, once in the worker, which
    // then failed instead of starting workers of its own.
    assert_eq!(out, "top level\ntop level\n");
    assert!(
        err.contains("RuntimeError: \n        An attempt has been made to start a new process before the\n        current process has finished its bootstrapping phase."),
        "{err}"
    );
    assert!(err.contains("if __name__ == '__main__':"), "{err}");
    assert!(
        err.ends_with("concurrent.futures.process.BrokenProcessPool: A process in the process pool was terminated abruptly while the future was running or pending.\n"),
        "{err}"
    );
    assert_eq!(code, 1);
}

#[test]
fn without_the_main_guard_the_default_fork_method_starts_workers_where_the_parent_did() {
    // CPython on Linux forks by default: the unguarded script runs, and a worker never
    // prints the top level. gilsim's worker stops importing the script where the parent
    // started it, with the definitions made before that point (`double`, not `late`).
    let (out, err, code) = run(
        "no_guard_fork",
        &[],
        r#"from concurrent.futures import ProcessPoolExecutor
import multiprocessing, os
def double(x):
    return 2 * x
def pid():
    return os.getpid()
def late_defined(x):
    return late(x)
print("top level", multiprocessing.get_start_method())
with ProcessPoolExecutor(1) as ex:
    print(list(ex.map(double, [1, 2])))
    print(ex.submit(pid).result() != os.getpid())
    try:
        ex.submit(late_defined, 1).result()
    except NameError as e:
        print("NameError:", e)
def late(x):
    return x
"#,
    );
    assert_eq!(
        out, "top level fork\n[2, 4]\nTrue\nNameError: name 'late' is not defined\n",
        "stderr: {err}"
    );
    assert_eq!(err, "");
    assert_eq!(code, 0);
}

#[test]
fn values_that_cannot_travel_are_pickle_errors() {
    let (out, err, code) = run(
        "cannot_travel",
        &[],
        r#"import multiprocessing as mp, threading
def identity(x):
    return x
def make_lock():
    return threading.Lock()
if __name__ == "__main__":
    with mp.Pool(1) as pool:
        for bad in (threading.Lock(), (i for i in range(3))):
            try:
                pool.apply(identity, (bad,))
            except Exception as e:
                print(type(e).__name__, e)
        try:
            pool.apply(make_lock)
        except Exception as e:
            print("result:", type(e).__name__, e)
        deep = []
        for _ in range(2000):
            deep = [deep]
        try:
            pool.apply(identity, (deep,))
        except RecursionError as e:
            print("RecursionError", e)
        loop = [1]
        loop.append(loop)
        try:
            pool.apply(identity, (loop,))
        except ValueError as e:
            print("ValueError", e)
        print(pool.apply(identity, ("fine",)))
"#,
    );
    assert_eq!(err, "");
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "TypeError cannot pickle '_thread.lock' object\n\
         TypeError cannot pickle 'generator' object\n\
         result: TypeError cannot pickle '_thread.lock' object\n\
         RecursionError maximum recursion depth exceeded while pickling an object\n\
         ValueError cannot send a list that contains itself to another process (gilsim's pickle keeps no memo)\n\
         fine\n"
    );
}

#[test]
fn processes_flag_runs_main_in_each_worker() {
    let (out, err, code) = run(
        "replicas",
        &["--processes", "2"],
        r#"import multiprocessing as mp
def main(i):
    print("replica", i, mp.current_process().name, __name__, flush=True)
"#,
    );
    let mut lines: Vec<&str> = out.lines().collect();
    lines.sort();
    assert_eq!(lines, ["replica 0 main-0 __mp_main__", "replica 1 main-1 __mp_main__"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.starts_with("gilsim: wall "), "{err}");
    assert!(err.contains("2 processes and the parent"), "{err}");
    for row in ["MainProcess", "main-0", "main-1"] {
        assert!(err.lines().any(|l| l.trim_start().starts_with(row)), "{err}");
    }
}

#[test]
fn processes_flag_reports_a_failing_replica() {
    let (_, err, code) = run(
        "replica_fails",
        &["--processes", "1"],
        "def main():\n    raise ValueError('replica failed')\n",
    );
    assert_eq!(code, 1);
    assert!(
        err.starts_with("Process main-0:\nTraceback (most recent call last):\n"),
        "{err}"
    );
    assert!(err.contains("ValueError: replica failed\n"), "{err}");
}

#[test]
fn worker_subcommand_is_hidden() {
    let out = Command::new(GILSIM).arg("--help").output().expect("help");
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("run"), "{help}");
    assert!(!help.contains("__worker"), "{help}");
}

// ---- the codec ----

fn vm() -> Vm {
    let interp = gilsim::vm::interp::Interpreter::new(
        vec!["codec".into()],
        std::env::temp_dir(),
        gilsim::vm::stdout::Stdout::process(),
    );
    let mut vm = Vm::new(interp);
    vm.gil_take();
    vm
}

/// Values as the codec produces them: hashable keys are strings, so no two keys collide.
fn wire() -> impl Strategy<Value = Wire> {
    let big = (any::<bool>(), proptest::collection::vec(any::<u32>(), 3..6)).prop_map(|(neg, digits)| {
        let mut b: BigInt = BigInt::from(1u8) << 64usize;
        for d in digits {
            b = (b << 32) + BigInt::from(d);
        }
        if neg {
            b = -b;
        }
        Wire::BigInt(b.to_signed_bytes_le())
    });
    let leaf = prop_oneof![
        Just(Wire::None),
        any::<bool>().prop_map(Wire::Bool),
        any::<i64>().prop_map(Wire::Int),
        big,
        any::<f64>()
            .prop_filter("NaN is not equal to itself", |f| !f.is_nan())
            .prop_map(Wire::Float),
        ".{0,12}".prop_map(Wire::Str),
        proptest::collection::vec(any::<u8>(), 0..16).prop_map(Wire::Bytes),
        proptest::collection::btree_set("[a-z]{0,5}", 0..4)
            .prop_map(|s| Wire::FrozenSet(s.into_iter().map(Wire::Str).collect())),
    ];
    leaf.prop_recursive(6, 64, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Wire::List),
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Wire::Tuple),
            proptest::collection::btree_map("[a-z]{0,6}", inner, 0..6)
                .prop_map(|m| Wire::Dict(m.into_iter().map(|(k, v)| (Wire::Str(k), v)).collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn codec_round_trips(w in wire()) {
        let mut vm = vm();
        let value = decode(&mut vm, w.clone()).expect("decode");
        let again = encode(&mut vm, &value).expect("encode");
        prop_assert_eq!(&again, &w);
        let bytes = postcard::to_stdvec(&again).expect("postcard");
        let back: Wire = postcard::from_bytes(&bytes).expect("postcard back");
        prop_assert_eq!(back, w);
    }
}

#[test]
fn big_ints_keep_their_value() {
    let mut vm = vm();
    for text in [
        "340282366920938463463374607431768211457",
        "-9223372036854775809",
        "18446744073709551616",
    ] {
        let b: BigInt = text.parse().expect("bigint");
        let v = Value::from_bigint(b.clone());
        let w = encode(&mut vm, &v).expect("encode");
        assert_eq!(w, Wire::BigInt(b.to_signed_bytes_le()));
        let back = decode(&mut vm, w).expect("decode");
        assert!(matches!(&back, Value::BigInt(x) if **x == b), "{text}");
    }
    // An i64 stays an Int on the way back.
    let w = Wire::BigInt(BigInt::from(5).to_signed_bytes_le());
    assert!(matches!(decode(&mut vm, w).expect("decode"), Value::Int(5)));
}

#[test]
fn deep_and_cyclic_values_are_errors_not_crashes() {
    let mut vm = vm();
    let mut deep = Value::list(Vec::new());
    for _ in 0..100_000 {
        deep = Value::list(vec![deep]);
    }
    let err = encode(&mut vm, &deep).expect_err("too deep");
    assert_eq!(
        vm.exception_line(&err),
        "RecursionError: maximum recursion depth exceeded while pickling an object"
    );
    let cyclic = Value::list(vec![Value::Int(1)]);
    if let Value::List(l) = &cyclic {
        l.items.lock().push(cyclic.clone());
    }
    let err = encode(&mut vm, &cyclic).expect_err("cycle");
    assert!(vm
        .exception_line(&err)
        .starts_with("ValueError: cannot send a list that contains itself"));
    // Break the cycle so the test does not leak it.
    if let Value::List(l) = &cyclic {
        l.items.lock().clear();
    }
    // Dismantle the deep list iteratively (dropping it recursively could overflow).
    let mut cur = deep;
    while let Value::List(l) = &cur {
        let next = l.items.lock().pop();
        match next {
            Some(n) => cur = n,
            None => break,
        }
    }
}

#[test]
fn a_pipe_end_reaches_a_pool_worker_only_as_an_error() {
    let (out, err, code) = run(
        "pipe_to_pool",
        &[],
        r#"import multiprocessing as mp
def use(conn):
    conn.send("hello")
if __name__ == "__main__":
    a, b = mp.Pipe()
    with mp.Pool(1) as pool:
        try:
            pool.apply(use, (b,))
        except OSError as e:
            print("OSError", e)
    b.send("still fine")
    print(a.recv())
"#,
    );
    assert_eq!(err, "");
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "OSError this pipe or queue was not passed to this process when it started (gilsim passes them only as arguments of Process)\nstill fine\n"
    );
}

/// max_tasks_per_child with a backlog: each worker serves its quota, exits, and a new one
/// takes the queued calls. CPython 3.11 hangs on this program (gh-115634, fixed in later
/// releases), so it is checked here rather than recorded as a conformance program.
#[test]
fn max_tasks_per_child_replaces_workers_under_a_backlog() {
    let text = r#"import os
from concurrent.futures import ProcessPoolExecutor
if __name__ == "__main__":
    with ProcessPoolExecutor(2, max_tasks_per_child=2) as ex:
        fs = [ex.submit(os.getpid) for _ in range(11)]
        pids = [f.result() for f in fs]
    counts = sorted(pids.count(p) for p in set(pids))
    print(len(set(pids)) >= 6, max(counts) <= 2, os.getpid() not in pids)
"#;
    for flags in [&[][..], &["--deterministic"][..]] {
        let (out, err, code) = run("max_tasks", flags, text);
        assert_eq!(
            (out.as_str(), err.as_str(), code),
            ("True True True\n", "", 0),
            "{flags:?}"
        );
    }
}

/// A Pool whose initializer raises: CPython prints each worker's traceback and starts new
/// workers for ever, so apply() never returns. gilsim prints the traceback the same way,
/// then the pool is broken: the queued task and later submissions fail at once.
#[test]
fn a_pool_initializer_that_raises_breaks_the_pool() {
    let text = r#"import multiprocessing as mp
def init():
    raise ValueError("no setup")
def f(x):
    return x
if __name__ == "__main__":
    with mp.Pool(2, initializer=init) as p:
        for _ in range(2):
            try:
                p.apply(f, (1,))
            except Exception as e:
                print(type(e).__name__, e)
    print("done")
"#;
    for flags in [&[][..], &["--deterministic"][..]] {
        let (out, err, code) = run("pool_init_fails", flags, text);
        let broken = "BrokenProcessPool A worker process of the pool died (exit code 1) before it \
                      could take tasks; CPython would start new ones for ever here\n";
        assert_eq!(out, format!("{broken}{broken}done\n"), "{flags:?}\n{err}");
        assert_eq!(code, 0, "{flags:?}\n{err}");
        // Which workers report depends on timing: the pool ends the others once it is
        // broken, possibly before their initializers ran.
        let one = "Traceback (most recent call last):\n  File \"";
        assert!(
            err.starts_with("Process ForkPoolWorker-") && err.contains(one),
            "{flags:?}\n{err}"
        );
        assert!(
            err.contains("line 3, in init\n") && err.ends_with("ValueError: no setup\n"),
            "{flags:?}\n{err}"
        );
    }
}
