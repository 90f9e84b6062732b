//! Deadlock reports, pinned as snapshots: the text a learner reads when every thread is
//! stuck. Each scenario is made deterministic with a Barrier, so the report is the same on
//! every run; only the DeadlockError block is pinned (the library frames above it move
//! whenever threading.py changes).

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A hang detector, not a timing assertion: a run still going after this is a failure.
const HANG: Duration = Duration::from_secs(60);

/// Runs `src` as a script and returns (exit code, the DeadlockError block of stderr with
/// the script's directory replaced by `<dir>`).
fn deadlock_report(name: &str, src: &str) -> (Option<i32>, String) {
    let dir = std::env::temp_dir().join(format!("gilsim-deadlock-snap-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(format!("{name}.py"));
    std::fs::write(&path, src).expect("write script");
    let mut child = Command::new(env!("CARGO_BIN_EXE_gilsim"))
        .arg("run")
        .arg(&path)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("gilsim starts");
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if start.elapsed() > HANG {
            let _ = child.kill();
            panic!("{name}: still running after {HANG:?}: the deadlock was not detected");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    use std::io::Read;
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .expect("utf-8");
    let _ = std::fs::remove_dir_all(&dir);
    let block = match stderr.find("DeadlockError:") {
        Some(at) => stderr[at..].to_string(),
        None => panic!("{name}: no DeadlockError in stderr:\n{stderr}"),
    };
    (status.code(), block.replace(&dir.display().to_string(), "<dir>"))
}

#[test]
fn abba_deadlock_report() {
    let (code, report) = deadlock_report(
        "abba",
        "import threading\n\
         a = threading.Lock()\n\
         b = threading.Lock()\n\
         both_hold_one = threading.Barrier(2)\n\
         \n\
         def transfer_ab():\n\
         \x20   with a:\n\
         \x20       both_hold_one.wait()\n\
         \x20       with b:\n\
         \x20           pass\n\
         \n\
         def transfer_ba():\n\
         \x20   with b:\n\
         \x20       both_hold_one.wait()\n\
         \x20       with a:\n\
         \x20           pass\n\
         \n\
         t1 = threading.Thread(target=transfer_ab, name='ab')\n\
         t2 = threading.Thread(target=transfer_ba, name='ba')\n\
         t1.start(); t2.start()\n\
         t1.join(); t2.join()\n",
    );
    assert_eq!(code, Some(1));
    insta::assert_snapshot!(report);
}

#[test]
fn consumer_without_producer_report() {
    let (code, report) = deadlock_report(
        "no_producer",
        "import queue, threading\n\
         jobs = queue.Queue()\n\
         \n\
         def consumer():\n\
         \x20   while True:\n\
         \x20       job = jobs.get()\n\
         \x20       print(job)\n\
         \n\
         worker = threading.Thread(target=consumer, name='consumer')\n\
         worker.start()\n\
         worker.join()\n",
    );
    assert_eq!(code, Some(1));
    insta::assert_snapshot!(report);
}

#[test]
fn self_deadlock_report() {
    let (code, report) = deadlock_report(
        "self",
        "import threading\nlock = threading.Lock()\nwith lock:\n    lock.acquire()\n",
    );
    assert_eq!(code, Some(1));
    insta::assert_snapshot!(report);
}
