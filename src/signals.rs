//! Ctrl-C and `--timeout` for `gilsim run`.
//!
//! Ctrl-C follows CPython (Modules/signalmodule.c): the SIGINT handler only records the signal
//! (`trip_signal`), and the main thread raises KeyboardInterrupt when it next polls its eval
//! breaker (`_PyEval_SignalReceived`, then `PyErr_CheckSignals` → `default_int_handler`). A
//! main thread blocked in `time.sleep` or a lock wait (`Lock.acquire`, `Thread.join`,
//! `Queue.get`…) wakes for it, as CPython's do on EINTR (Modules/timemodule.c `pysleep`,
//! Modules/_threadmodule.c `acquire_timed`). Other threads never see it.
//!
//! The handler does only async-signal-safe work: it bumps an atomic counter and writes one
//! byte to a pipe. A watcher thread reads the pipe and does the rest: it sets the main
//! thread's breaker bit and wakes its wait. If a second Ctrl-C comes before the main thread
//! has noticed the first (it is stuck somewhere that does not poll), the watcher ends the
//! process at once. The same thread enforces `--timeout`: at the deadline it flushes the
//! program's output, says why it stopped, stops worker processes and exits with 124, as
//! timeout(1) does, whatever the program's threads are doing.

use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::{Condvar, Mutex};

use crate::threads::lock::LockCore;
use crate::vm::errors::PyErr;
use crate::vm::interp::Interpreter;
use crate::vm::types::exc;
use crate::vm::vm::breaker;

/// The exit status of a run stopped by `--timeout` (timeout(1)'s).
pub const TIMEOUT_EXIT: i32 = 124;

/// The write end of the self-pipe the handler signals through (-1 before `install`).
static PIPE_WRITE: AtomicI32 = AtomicI32::new(-1);
/// SIGINTs received by the handler (the watcher compares against what it has seen).
static RECEIVED: AtomicU32 = AtomicU32::new(0);
/// An interrupt the main thread has not raised yet (CPython's `is_tripped`).
static PENDING: AtomicBool = AtomicBool::new(false);
/// Set once the program ended with an uncaught KeyboardInterrupt
/// (`_Py_UnhandledKeyboardInterrupt`): the process then ends by SIGINT, as CPython's does.
static UNHANDLED_KEYBOARD_INTERRUPT: AtomicBool = AtomicBool::new(false);

/// What the watcher must reach: the run's main thread and its output.
struct Run {
    interp: Arc<Interpreter>,
    main_breaker: Arc<std::sync::atomic::AtomicU32>,
    deadline: Option<(Instant, f64)>,
}

static RUN: Mutex<Option<Run>> = Mutex::new(None);
/// The lock the main thread is waiting on, if any: the watcher wakes it.
static MAIN_WAIT: Mutex<Option<Arc<LockCore>>> = Mutex::new(None);
/// Where the main thread sleeps in `time.sleep`, so that an interrupt can wake it.
static SLEEPER: (Mutex<()>, Condvar) = (Mutex::new(()), Condvar::new());

/// `signal_handler` (Modules/signalmodule.c): record the signal and wake the watcher.
extern "C" fn on_sigint(_sig: libc::c_int) {
    // SAFETY: errno is thread-local; saving and restoring it keeps the interrupted code's
    // value intact. __errno_location is a plain accessor with no locking.
    let saved = unsafe { *libc::__errno_location() };
    RECEIVED.fetch_add(1, Ordering::SeqCst);
    let fd = PIPE_WRITE.load(Ordering::SeqCst);
    if fd >= 0 {
        let byte = 2u8;
        // SAFETY: write(2) is async-signal-safe; the buffer is a live local byte. The pipe
        // is non-blocking, so a full pipe (many signals unread) drops the byte instead of
        // blocking in the handler: the counter above still records it.
        unsafe { libc::write(fd, &byte as *const u8 as *const libc::c_void, 1) };
    }
    // SAFETY: as above.
    unsafe { *libc::__errno_location() = saved };
}

/// Installs Ctrl-C handling and the `--timeout` watch for a run whose main thread is
/// `main` (thread 1). Ctrl-C is handled only if SIGINT was at its default on entry, as
/// CPython's `signal_install_handlers` does (a shell's background job ignores it).
pub fn install(interp: &Arc<Interpreter>, main_breaker: &Arc<std::sync::atomic::AtomicU32>, timeout: Option<Duration>) {
    let mut fds = [0 as libc::c_int; 2];
    // SAFETY: pipe2 writes two descriptors into the array we own.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC | libc::O_NONBLOCK) } != 0 {
        eprintln!("gilsim: cannot watch for Ctrl-C: {}", std::io::Error::last_os_error());
        return;
    }
    *RUN.lock() = Some(Run {
        interp: interp.clone(),
        main_breaker: main_breaker.clone(),
        deadline: timeout.map(|t| (Instant::now() + t, t.as_secs_f64())),
    });
    PIPE_WRITE.store(fds[1], Ordering::SeqCst);
    let read_fd = fds[0];
    let watcher = std::thread::Builder::new()
        .name("gilsim-signals".into())
        .spawn(move || watch(read_fd));
    if let Err(e) = watcher {
        eprintln!("gilsim: cannot watch for Ctrl-C or --timeout: {e}");
        return;
    }
    if sigint_is_default() {
        // SAFETY: the sigaction struct is zeroed and then fully set; the handler only does
        // async-signal-safe work (atomics and write(2)). SA_RESTART: whichever thread the
        // kernel picks to run the handler, its blocking call goes on (PEP 475 retries such
        // calls in CPython); the main thread is woken through its wait, not by EINTR.
        unsafe {
            let mut act: libc::sigaction = std::mem::zeroed();
            act.sa_sigaction = on_sigint as extern "C" fn(libc::c_int) as usize;
            libc::sigemptyset(&mut act.sa_mask);
            act.sa_flags = libc::SA_RESTART;
            libc::sigaction(libc::SIGINT, &act, std::ptr::null_mut());
        }
    }
}

/// Whether SIGINT is at its default action (not ignored) in this process.
fn sigint_is_default() -> bool {
    // SAFETY: with a null new action, sigaction only reads the current one into `old`.
    unsafe {
        let mut old: libc::sigaction = std::mem::zeroed();
        libc::sigaction(libc::SIGINT, std::ptr::null(), &mut old) == 0 && old.sa_sigaction == libc::SIG_DFL
    }
}

/// The watcher thread: Ctrl-C bytes from the handler, and the deadline.
fn watch(read_fd: libc::c_int) {
    let mut seen = 0u32;
    loop {
        let deadline = RUN.lock().as_ref().and_then(|r| r.deadline);
        let wait_ms = match deadline {
            Some((at, _)) => at
                .saturating_duration_since(Instant::now())
                .as_millis()
                .clamp(0, i32::MAX as u128) as libc::c_int,
            None => -1,
        };
        let mut pfd = libc::pollfd {
            fd: read_fd,
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one pollfd we own, for the duration of the call.
        let n = unsafe { libc::poll(&mut pfd, 1, wait_ms) };
        if n > 0 {
            let mut buf = [0u8; 64];
            // SAFETY: reads into a local buffer of the stated length (non-blocking fd).
            while unsafe { libc::read(read_fd, buf.as_mut_ptr() as *mut libc::c_void, buf.len()) } > 0 {}
        }
        let received = RECEIVED.load(Ordering::SeqCst);
        if received != seen {
            let new = received.wrapping_sub(seen);
            seen = received;
            interrupt(new);
        }
        if let Some((at, secs)) = deadline {
            if Instant::now() >= at {
                stop_for_timeout(secs);
            }
        }
    }
}

/// `new` SIGINTs arrived: ask the main thread to raise KeyboardInterrupt, or end the process
/// if it has not noticed an earlier one.
fn interrupt(new: u32) {
    let unnoticed = PENDING.swap(true, Ordering::SeqCst);
    if unnoticed || new >= 2 {
        let msg = "\ngilsim: a second Ctrl-C before the program noticed the first: stopping now\n";
        stop_now(msg, None);
    }
    if let Some(run) = RUN.lock().as_ref() {
        run.main_breaker.fetch_or(breaker::PENDING_SIGNAL, Ordering::SeqCst);
    }
    // Wake the main thread's wait. It checks PENDING under the same mutex it waits with,
    // after publishing its wait here, so the wake-up cannot fall between its check and
    // its wait.
    if let Some(lock) = MAIN_WAIT.lock().clone() {
        lock.wake_all();
    }
    // In a deterministic run the main thread waits in the scheduler instead.
    if let Some(s) = crate::deterministic::active() {
        s.interrupt_main();
    }
    let _g = SLEEPER.0.lock();
    SLEEPER.1.notify_all();
}

/// `--timeout` expired.
#[cold]
fn stop_for_timeout(secs: f64) -> ! {
    let msg = format!("gilsim: stopped after the {secs} s --timeout\n");
    stop_now(&msg, Some(TIMEOUT_EXIT))
}

/// Ends the process from the watcher: the program's buffered output goes out first (if its
/// stream can be had within a moment), then `msg` on stderr; worker processes are stopped.
/// `code` None ends it by SIGINT.
#[cold]
fn stop_now(msg: &str, code: Option<i32>) -> ! {
    if let Some(run) = RUN.lock().as_ref() {
        run.interp.stdout.flush_for_exit(Duration::from_millis(500));
    }
    write_stderr(msg);
    crate::process::spawn::kill_all();
    match code {
        Some(c) => {
            // SAFETY: _exit ends the process at once, with no atexit handlers or destructors
            // that could wait for the program's threads; output was flushed above.
            unsafe { libc::_exit(c) }
        }
        None => exit_sigint(),
    }
}

/// Writes straight to file descriptor 2: no lock another thread could be holding.
fn write_stderr(msg: &str) {
    let mut rest = msg.as_bytes();
    while !rest.is_empty() {
        // SAFETY: writes from a live slice of the stated length.
        let n = unsafe { libc::write(2, rest.as_ptr() as *const libc::c_void, rest.len()) };
        if n <= 0 {
            break;
        }
        rest = &rest[n as usize..];
    }
}

/// Modules/main.c `exit_sigint`: end by SIGINT at its default action, so that the parent
/// (a shell: `$?` is 130) sees the program was interrupted; exit 130 if that fails.
pub fn exit_sigint() -> ! {
    // SAFETY: resetting SIGINT to its default and sending it to our own process; the default
    // action ends every thread of the process.
    unsafe {
        libc::signal(libc::SIGINT, libc::SIG_DFL);
        libc::kill(libc::getpid(), libc::SIGINT);
    }
    std::thread::sleep(Duration::from_millis(100));
    // SAFETY: as in stop_now.
    unsafe { libc::_exit(130) }
}

/// `PyErr_CheckSignals` for the main thread: the pending interrupt as KeyboardInterrupt
/// (`signal_default_int_handler`), consuming it.
pub fn take_interrupt() -> Option<PyErr> {
    PENDING
        .swap(false, Ordering::SeqCst)
        .then(|| PyErr::with_args(&exc().keyboard_interrupt, vec![]))
}

/// Whether an interrupt waits for the main thread.
pub fn interrupt_pending() -> bool {
    PENDING.load(Ordering::SeqCst)
}

/// The main thread starts (Some) or ends (None) a wait on `lock`.
pub fn set_main_wait(lock: Option<Arc<LockCore>>) {
    *MAIN_WAIT.lock() = lock;
}

/// `time.sleep` in the main thread: sleeps for `d` unless interrupted; true if interrupted.
pub fn sleep_interruptible(d: Duration) -> bool {
    let deadline = Instant::now().checked_add(d);
    let mut g = SLEEPER.0.lock();
    loop {
        if interrupt_pending() {
            return true;
        }
        match deadline {
            Some(at) => {
                if SLEEPER.1.wait_until(&mut g, at).timed_out() {
                    return interrupt_pending();
                }
            }
            None => SLEEPER.1.wait(&mut g),
        }
    }
}

/// An uncaught KeyboardInterrupt ended the program (`_Py_UnhandledKeyboardInterrupt`).
pub fn set_unhandled_keyboard_interrupt() {
    UNHANDLED_KEYBOARD_INTERRUPT.store(true, Ordering::SeqCst);
}

pub fn unhandled_keyboard_interrupt() -> bool {
    UNHANDLED_KEYBOARD_INTERRUPT.load(Ordering::SeqCst)
}
