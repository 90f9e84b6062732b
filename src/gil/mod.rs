//! The interpreter lock: one interface, one file per policy.
//!
//! A thread holds the lock while it runs Python code. It gives the lock up voluntarily
//! around blocking calls ([`Vm::allow_threads`], CPython's `Py_BEGIN_ALLOW_THREADS`), and
//! by force when another thread has waited a whole switch interval (the `new` policy) or
//! every few instructions (the `old` policy).

mod new;
mod off;
mod old;
pub mod stats;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use crate::threads::ThreadState;
use crate::vm::vm::{breaker, Vm};

pub use stats::GilStats;

/// Which lock model a run uses (`--gil`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Policy {
    /// CPython 3.2+ (Python/ceval_gil.c): drop requests after a switch interval.
    #[default]
    New,
    /// Python 2: release and re-acquire every `check_interval` instructions.
    Old,
    /// Free-threading (PEP 703): no global lock at all.
    Off,
}

impl Policy {
    pub fn name(self) -> &'static str {
        match self {
            Policy::New => "new",
            Policy::Old => "old",
            Policy::Off => "off",
        }
    }
}

/// Why a thread gave up the lock (what traces and statistics report).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Release {
    /// The old GIL's periodic check (every `--check-interval` instructions).
    Interval,
    /// A waiter asked for the lock and the holder dropped it at its next poll.
    Forced,
    Sleep,
    Io,
    /// Waiting for a threading lock, condition, event, semaphore or queue.
    LockWait,
    Join,
    Exit,
}

impl Release {
    pub fn name(self) -> &'static str {
        match self {
            Release::Interval => "interval",
            Release::Forced => "forced",
            Release::Sleep => "sleep",
            Release::Io => "io",
            Release::LockWait => "lock wait",
            Release::Join => "join",
            Release::Exit => "exit",
        }
    }
}

/// One lock policy. `take` blocks until the calling thread holds the lock; `drop` gives it up.
pub trait Gil: Send + Sync {
    fn policy(&self) -> Policy;
    fn take(&self, t: &Arc<ThreadState>);
    fn release(&self, t: &ThreadState, reason: Release);
    /// Instructions between forced releases (the old GIL's check interval), if counted.
    fn check_interval(&self) -> Option<u32> {
        None
    }
    fn stats(&self) -> &GilStats;
}

/// Settings of the lock for one interpreter.
#[derive(Clone, Debug)]
pub struct GilSettings {
    pub policy: Policy,
    /// Shared with `sys.setswitchinterval`.
    pub switch_interval_us: Arc<AtomicU64>,
    pub check_interval: u32,
}

pub fn create(settings: &GilSettings) -> Arc<dyn Gil> {
    match settings.policy {
        Policy::New => Arc::new(new::NewGil::new(settings.switch_interval_us.clone())),
        Policy::Old => Arc::new(old::OldGil::new(settings.check_interval.max(1))),
        Policy::Off => Arc::new(off::NoGil::default()),
    }
}

impl Vm {
    /// Takes the interpreter lock, accounting the wait.
    pub fn gil_take(&mut self) {
        let start = Instant::now();
        self.gil.take(&self.thread);
        if self.thread.id != 1 && self.interp.threads.finalizing() {
            self.park_for_good();
        }
        let now = Instant::now();
        self.hold_start = now;
        self.thread.stats.lock().waiting += now - start;
    }

    /// A thread other than the main one wants to run Python code after the program ended
    /// (a daemon thread): it never does. The interpreter is being torn down (module globals
    /// cleared) and the process is about to exit; CPython's take_gil ends such a thread
    /// (`tstate_must_exit`, PyThread_exit_thread). Here it gives the lock back and sleeps
    /// until the process exits.
    #[cold]
    fn park_for_good(&mut self) -> ! {
        self.gil.release(&self.thread, Release::Exit);
        loop {
            std::thread::park();
        }
    }

    /// Gives up the interpreter lock, accounting the hold.
    pub fn gil_drop(&mut self, reason: Release) {
        let now = Instant::now();
        let held = now - self.hold_start;
        self.thread.stats.lock().held += held;
        self.gil.stats().record_hold(held, self.thread.id);
        self.gil.release(&self.thread, reason);
        if reason == Release::Forced {
            // A forced drop waits for the handoff (FORCE_SWITCHING): time spent wanting the lock.
            self.thread.stats.lock().waiting += now.elapsed();
        }
    }

    /// Runs `blocking` without the interpreter lock: other threads run Python code meanwhile.
    /// `blocking` must not touch Python objects. (Include/ceval.h `Py_BEGIN_ALLOW_THREADS`.)
    pub fn allow_threads<R>(&mut self, reason: Release, blocking: impl FnOnce() -> R) -> R {
        self.gil_drop(reason);
        let start = Instant::now();
        let r = blocking();
        self.thread.stats.lock().blocked += start.elapsed();
        self.gil_take();
        r
    }

    /// The holder was asked to drop the lock (the new GIL's drop request), at a poll point:
    /// drop it and queue up again (Python/ceval.c eval_frame_handle_pending).
    pub(crate) fn gil_yield_forced(&mut self) {
        self.gil_drop(Release::Forced);
        self.gil_take();
    }

    /// The old GIL's periodic release: drop and immediately re-take, with no handoff.
    pub(crate) fn gil_tick(&mut self) {
        self.gil_drop(Release::Interval);
        self.gil_take();
    }
}

/// Clears a pending drop request on `t`, returning whether there was one.
fn take_drop_request(t: &ThreadState) -> bool {
    t.breaker.fetch_and(!breaker::DROP_REQUEST, Ordering::Relaxed) & breaker::DROP_REQUEST != 0
}
