//! Ctrl-C and `--timeout` from the outside: real SIGINTs sent to a child `gilsim run`, and
//! whole-run time limits, checked against what CPython 3.11 does (KeyboardInterrupt in the
//! main thread, its traceback, death by SIGINT so that a shell sees 130).
//!
//! Every child has a hard kill timeout ([`HANG`]): a child that hangs fails its test instead
//! of hanging the suite. No assertion is about how long something took.

use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A child still running after this long is killed and fails its test: it hung.
const HANG: Duration = Duration::from_secs(30);

/// What a child did.
struct Ended {
    status: ExitStatus,
    stdout: String,
    stderr: String,
}

impl Ended {
    fn dump(&self) -> String {
        format!(
            "status {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.status, self.stdout, self.stderr
        )
    }

    fn last_stderr_line(&self) -> &str {
        self.stderr.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("")
    }

    /// Ended by SIGINT at its default action, as CPython's exit_sigint does.
    fn died_of_sigint(&self) -> bool {
        self.status.signal() == Some(libc::SIGINT)
    }
}

/// A running `gilsim run` child whose stdout lines arrive on a channel.
struct Running {
    child: Child,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
    stderr: std::thread::JoinHandle<String>,
}

fn script(src: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!("gilsim-signals-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let p = dir.join(format!("prog{}.py", N.fetch_add(1, Ordering::Relaxed)));
    std::fs::write(&p, src).expect("write the program");
    p
}

fn start(flags: &[&str], src: &str) -> Running {
    start_with_sigint(flags, src, libc::SIG_DFL)
}

/// Starts a child with SIGINT at `disposition` (SIG_DFL, or SIG_IGN as under nohup).
fn start_with_sigint(flags: &[&str], src: &str, disposition: libc::sighandler_t) -> Running {
    let path = script(src);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gilsim"));
    cmd.arg("run")
        .args(flags)
        .arg(&path)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // SAFETY: between fork and exec the closure only calls async-signal-safe functions
    // (signal, sigemptyset, sigaddset, sigprocmask) on memory it owns. The child must start
    // with SIGINT as the test asks and unblocked, whatever the test runner inherited (a
    // shell's background job ignores SIGINT, and gilsim, like CPython, then leaves it so).
    unsafe {
        cmd.pre_exec(move || {
            libc::signal(libc::SIGINT, disposition);
            let mut set: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            libc::sigaddset(&mut set, libc::SIGINT);
            libc::sigprocmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
            Ok(())
        });
    }
    let mut child = cmd.spawn().expect("gilsim starts");
    let out = child.stdout.take().expect("piped stdout");
    let mut err = child.stderr.take().expect("piped stderr");
    let (tx, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines() {
            match line {
                Ok(l) => {
                    if tx.send(l).is_err() {
                        break;
                    }
                }
                Err(_) => break,
            }
        }
    });
    let stderr = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    Running {
        child,
        lines,
        seen: Vec::new(),
        stderr,
    }
}

impl Running {
    /// Waits for the program to print `line` (it prints it with flush=True).
    fn wait_for_line(&mut self, line: &str) {
        let deadline = Instant::now() + HANG;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(l) => {
                    let found = l == line;
                    self.seen.push(l);
                    if found {
                        return;
                    }
                }
                Err(_) => {
                    let _ = self.child.kill();
                    let _ = self.child.wait();
                    panic!("the program never printed {line:?}; it printed {:?}", self.seen);
                }
            }
        }
    }

    /// Sends SIGINT, as Ctrl-C in a terminal does (to the one process here).
    fn interrupt(&self) {
        // SAFETY: kill(2) with our own child's pid, which has not been reaped yet.
        let rc = unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGINT) };
        assert_eq!(rc, 0, "kill: {}", std::io::Error::last_os_error());
    }

    /// Whether the child is still running after `d` (it should be: waiting for threads).
    fn still_running_after(&mut self, d: Duration) -> bool {
        std::thread::sleep(d);
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Waits for the end, killing the child if it hangs.
    fn finish(mut self) -> Ended {
        let start = Instant::now();
        let status = loop {
            if let Some(st) = self.child.try_wait().expect("wait for gilsim") {
                break st;
            }
            if start.elapsed() > HANG {
                let _ = self.child.kill();
                let _ = self.child.wait();
                let stderr = self.stderr.join().unwrap_or_default();
                panic!("gilsim hung; printed {:?}\nstderr:\n{stderr}", self.seen);
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let mut stdout: Vec<String> = std::mem::take(&mut self.seen);
        // The reader ends at EOF, which follows the exit.
        while let Ok(l) = self.lines.recv_timeout(HANG) {
            stdout.push(l);
        }
        Ended {
            status,
            stdout: stdout.join("\n"),
            stderr: self.stderr.join().unwrap_or_default(),
        }
    }
}

/// One Ctrl-C at a program that prints "ready" and then blocks or spins in the main thread.
fn interrupted_once(flags: &[&str], src: &str) -> Ended {
    let mut run = start(flags, src);
    run.wait_for_line("ready");
    // A moment for the main thread to get into its wait; the outcome must be the same
    // if the signal lands before it does.
    std::thread::sleep(Duration::from_millis(100));
    run.interrupt();
    run.finish()
}

fn assert_keyboard_interrupt(e: &Ended) {
    assert!(e.died_of_sigint(), "{}", e.dump());
    assert_eq!(e.last_stderr_line(), "KeyboardInterrupt", "{}", e.dump());
    assert!(
        e.stderr.starts_with("Traceback (most recent call last):"),
        "{}",
        e.dump()
    );
}

const CPU_LOOP: &str = "\
print('ready', flush=True)
n = 0
while True:
    n += 1
";

#[test]
fn ctrl_c_interrupts_a_cpu_loop_under_every_lock_model() {
    for gil in ["new", "old", "off"] {
        let e = interrupted_once(&["--gil", gil], CPU_LOOP);
        assert_keyboard_interrupt(&e);
        assert!(e.stderr.contains("line 3, in <module>"), "{gil}: {}", e.dump());
    }
}

#[test]
fn ctrl_c_interrupts_a_cpu_loop_beside_a_spinning_thread() {
    let src = "\
import threading
def spin():
    x = 0
    while True:
        x += 1
threading.Thread(target=spin, daemon=True).start()
print('ready', flush=True)
n = 0
while True:
    n += 1
";
    for gil in ["new", "old", "off"] {
        let e = interrupted_once(&["--gil", gil], src);
        assert_keyboard_interrupt(&e);
    }
}

#[test]
fn ctrl_c_wakes_a_main_thread_in_time_sleep() {
    let e = interrupted_once(&[], "import time\nprint('ready', flush=True)\ntime.sleep(1000)\n");
    assert_keyboard_interrupt(&e);
    assert!(e.stderr.contains("time.sleep(1000)"), "{}", e.dump());
}

#[test]
fn ctrl_c_wakes_a_main_thread_in_lock_acquire() {
    let src = "\
import threading, time
lock = threading.Lock()
held = threading.Event()
def holder():
    with lock:
        held.set()
        while True:
            time.sleep(0.01)
threading.Thread(target=holder, daemon=True).start()
held.wait()
print('ready', flush=True)
lock.acquire()
";
    let e = interrupted_once(&[], src);
    assert_keyboard_interrupt(&e);
    assert!(e.stderr.contains("lock.acquire()"), "{}", e.dump());
}

/// CPython 3.11 (Lib/threading.py `_wait_for_tstate_lock`, bpo-45274): a join interrupted
/// while the thread still runs counts that thread as stopped, so the program exits at once
/// instead of waiting for it at shutdown.
#[test]
fn ctrl_c_wakes_a_main_thread_in_join_and_the_program_exits() {
    let src = "\
import threading, time
def forever():
    while True:
        time.sleep(0.01)
t = threading.Thread(target=forever)
t.start()
print('ready', flush=True)
t.join()
";
    let e = interrupted_once(&[], src);
    assert_keyboard_interrupt(&e);
    assert!(e.stderr.contains("t.join()"), "{}", e.dump());
}

#[test]
fn ctrl_c_wakes_a_main_thread_in_queue_get() {
    let src = "\
import queue
q = queue.Queue()
print('ready', flush=True)
q.get()
";
    // Blocked for good with no other thread: that is a deadlock unless it has a timeout.
    let src = src.replace("q.get()", "q.get(timeout=1000)");
    let e = interrupted_once(&[], &src);
    assert_keyboard_interrupt(&e);
}

/// A program may catch KeyboardInterrupt and go on, as under CPython.
#[test]
fn keyboard_interrupt_can_be_caught() {
    let src = "\
import time
try:
    print('ready', flush=True)
    time.sleep(1000)
except KeyboardInterrupt:
    print('caught')
";
    let e = interrupted_once(&[], src);
    assert_eq!(e.status.code(), Some(0), "{}", e.dump());
    assert!(e.stdout.ends_with("caught"), "{}", e.dump());
    assert!(e.stderr.is_empty(), "{}", e.dump());
}

/// Interrupted with a thread that is not a daemon still running: the traceback is printed,
/// then the program waits for that thread (threading._shutdown) until a second Ctrl-C,
/// which is reported as ignored in threading; the process still dies of SIGINT.
#[test]
fn a_second_ctrl_c_stops_the_wait_for_threads_at_exit() {
    let src = "\
import threading, time
def forever():
    while True:
        time.sleep(0.01)
threading.Thread(target=forever).start()
print('ready', flush=True)
time.sleep(1000)
";
    let mut run = start(&[], src);
    run.wait_for_line("ready");
    std::thread::sleep(Duration::from_millis(100));
    run.interrupt();
    assert!(
        run.still_running_after(Duration::from_millis(300)),
        "exited without waiting for the thread"
    );
    run.interrupt();
    let e = run.finish();
    assert!(e.died_of_sigint(), "{}", e.dump());
    assert!(
        e.stderr.contains("time.sleep(1000)\nKeyboardInterrupt\n"),
        "{}",
        e.dump()
    );
    assert!(
        e.stderr.contains("Exception ignored in: <module 'threading'>"),
        "{}",
        e.dump()
    );
    assert!(e.stderr.contains("in _shutdown"), "{}", e.dump());
}

/// The program itself ended well; Ctrl-C while waiting for a thread at exit is reported and
/// the exit status stays 0, as CPython's (wait_for_thread_shutdown: PyErr_WriteUnraisable).
#[test]
fn ctrl_c_while_waiting_for_threads_after_a_clean_end() {
    let src = "\
import threading, time
def forever():
    while True:
        time.sleep(0.01)
threading.Thread(target=forever).start()
print('ready', flush=True)
";
    let e = interrupted_once(&[], src);
    assert_eq!(e.status.code(), Some(0), "{}", e.dump());
    assert!(
        e.stderr.starts_with("Exception ignored in: <module 'threading'>"),
        "{}",
        e.dump()
    );
    assert_eq!(e.last_stderr_line(), "KeyboardInterrupt", "{}", e.dump());
}

/// A main thread stuck where it never polls (a long native loop) does not notice the first
/// Ctrl-C; the second one ends the process at once, with the output so far flushed.
#[test]
fn a_second_ctrl_c_ends_a_stuck_program_at_once() {
    let src = "print('ready', flush=True)\nprint('partial output')\nx = sum(range(10**12))\n";
    let mut run = start(&[], src);
    run.wait_for_line("ready");
    std::thread::sleep(Duration::from_millis(100));
    run.interrupt();
    std::thread::sleep(Duration::from_millis(200));
    run.interrupt();
    let e = run.finish();
    assert!(e.died_of_sigint(), "{}", e.dump());
    assert!(e.stderr.contains("a second Ctrl-C"), "{}", e.dump());
    // Still in gilsim's buffer when the process ended: flushed on the way out.
    assert_eq!(e.stdout, "ready\npartial output", "{}", e.dump());
}

/// `--timeout`: exit status 124, a message naming the limit, and the output printed so far
/// (still in gilsim's buffer: stdout is a pipe here) flushed.
fn assert_timed_out(e: &Ended, limit: &str) {
    assert_eq!(e.status.code(), Some(124), "{}", e.dump());
    assert_eq!(
        e.last_stderr_line(),
        format!("gilsim: stopped after the {limit} s --timeout"),
        "{}",
        e.dump()
    );
    assert!(e.stdout.starts_with("partial output"), "{}", e.dump());
}

fn timed(flags: &[&str], src: &str) -> Ended {
    start(flags, src).finish()
}

#[test]
fn timeout_stops_spinning_threads_under_every_lock_model() {
    let src = "\
import threading
def spin():
    x = 0
    while True:
        x += 1
print('partial output')
threads = [threading.Thread(target=spin) for _ in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
";
    for gil in ["new", "old", "off"] {
        let e = timed(&["--gil", gil, "--timeout", "0.5"], src);
        assert_timed_out(&e, "0.5");
    }
}

#[test]
fn timeout_stops_a_main_thread_spinning_with_the_lock() {
    let src = "print('partial output')\nwhile True:\n    pass\n";
    let e = timed(&["--timeout", "0.3"], src);
    assert_timed_out(&e, "0.3");
}

/// Threads blocked (not deadlocked: each wait has a timeout, or a sleeping holder could
/// still release) do not keep the run alive past its limit.
#[test]
fn timeout_stops_blocked_threads() {
    let src = "\
import threading, time
lock = threading.Lock()
def holder():
    with lock:
        while True:
            time.sleep(0.01)
def waiter():
    lock.acquire()
threading.Thread(target=holder).start()
time.sleep(0.05)
threading.Thread(target=waiter).start()
print('partial output')
cond = threading.Condition()
with cond:
    cond.wait(timeout=1000)
";
    let e = timed(&["--timeout", "1"], src);
    assert_timed_out(&e, "1");
}

/// A native call that never polls (the main thread holds the lock throughout) is stopped too.
#[test]
fn timeout_stops_a_long_native_call() {
    let src = "print('partial output')\nx = sum(range(10**12))\n";
    let e = timed(&["--timeout", "0.5"], src);
    assert_timed_out(&e, "0.5");
}

#[test]
fn a_run_within_its_timeout_is_unaffected() {
    let e = timed(&["--timeout", "60"], "print('partial output and the end')\n");
    assert_eq!(e.status.code(), Some(0), "{}", e.dump());
    assert_eq!(e.stdout, "partial output and the end");
    assert!(e.stderr.is_empty(), "{}", e.dump());
}

#[test]
fn timeout_must_be_a_positive_number() {
    for bad in ["0", "-1", "nan", "inf", "soon"] {
        let e = timed(&["--timeout", bad], "print('never')\n");
        assert_eq!(e.status.code(), Some(2), "--timeout {bad}: {}", e.dump());
        assert!(e.stdout.is_empty(), "--timeout {bad}: {}", e.dump());
    }
}

/// `--threads N`: Ctrl-C interrupts the wait for the replicas of main(), and the run ends
/// without waiting for them.
#[test]
fn ctrl_c_ends_a_threads_run() {
    let src = "\
import time
print('ready', flush=True)
def main():
    while True:
        time.sleep(0.01)
";
    let e = interrupted_once(&["--threads", "3"], src);
    assert!(e.died_of_sigint(), "{}", e.dump());
    assert!(e.stderr.contains("KeyboardInterrupt\n"), "{}", e.dump());
}

/// SIGINT ignored when gilsim starts (nohup, a background job): it stays ignored, as
/// CPython's signal_install_handlers leaves it, and the program runs to its end.
#[test]
fn an_ignored_sigint_stays_ignored() {
    let src = "import time\nprint('ready', flush=True)\ntime.sleep(0.5)\nprint('done')\n";
    let mut run = start_with_sigint(&[], src, libc::SIG_IGN);
    run.wait_for_line("ready");
    run.interrupt();
    let e = run.finish();
    assert_eq!(e.status.code(), Some(0), "{}", e.dump());
    assert_eq!(e.stdout, "ready\ndone", "{}", e.dump());
}
