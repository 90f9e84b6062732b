//! The interpreter lock: one interface, one file per policy.
//!
//! A thread holds the lock while it runs Python code. It gives the lock up voluntarily
//! around blocking calls ([`Vm::allow_threads`], CPython's `Py_BEGIN_ALLOW_THREADS`), and
//! by force when another thread has waited a whole switch interval (the `new` policy) or
//! every few instructions (the `old` policy).

use crate::vm::vm::Vm;

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

impl Vm {
    /// Runs `blocking` without the interpreter lock: other threads run Python code meanwhile.
    /// `blocking` must not touch Python objects. (Include/ceval.h `Py_BEGIN_ALLOW_THREADS`.)
    pub fn allow_threads<R>(&mut self, reason: Release, blocking: impl FnOnce() -> R) -> R {
        let _ = reason;
        blocking()
    }
}
