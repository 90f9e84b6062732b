//! `--deterministic`: real OS threads still run the program, but one scheduler decides every
//! handoff of the interpreter lock, and time is virtual.
//!
//! - Every instruction advances the running thread's clock by a fixed cost
//!   ([`Settings::instruction_ns`]); sleeps advance virtual time; the switch interval is
//!   counted in virtual time; when every thread sleeps, the clock jumps ahead.
//! - Only the thread the scheduler chose runs Python code, so every event happens in one
//!   order, the same on every machine. Where several choices are legal (which waiter gets
//!   the lock, which waiter a released lock wakes), a generator seeded with `--seed` picks.
//! - A blocking call that the scheduler does not model (a file read, a pipe write) runs
//!   while the thread keeps the lock; at its next poll the thread then gives the lock up
//!   for [`Settings::io_ns`] of virtual time, as the real call would have
//!   (Py_BEGIN_ALLOW_THREADS).

pub mod process;
mod scheduler;

use std::sync::{Arc, OnceLock};

pub use scheduler::{current_domain, set_current_domain, DomainGil, Scheduler, Wake, QUANTUM_NS};

/// How a deterministic run is set up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
    pub seed: u64,
    /// Virtual cost of one bytecode instruction.
    pub instruction_ns: u64,
    /// Virtual time a blocking I/O call (file, pipe, console write) takes without the lock.
    pub io_ns: u64,
    /// Simulated cores for simulated processes (`--cores`).
    pub cores: u32,
}

/// 20 ns an instruction: CPython 3.11 runs some 30–60 million simple instructions a second.
pub const INSTRUCTION_NS: u64 = 20;
/// A console or file write, a small read: tens of microseconds.
pub const IO_NS: u64 = 20_000;
/// Simulated cores unless `--cores` says otherwise.
pub const DEFAULT_CORES: u32 = 4;

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            seed: 0,
            instruction_ns: INSTRUCTION_NS,
            io_ns: IO_NS,
            cores: DEFAULT_CORES,
        }
    }
}

/// The scheduler of this process's deterministic run, if it is one. Set once, before the
/// first thread takes the lock.
static ACTIVE: OnceLock<Arc<Scheduler>> = OnceLock::new();

/// The active scheduler, if the run is deterministic.
#[inline]
pub fn active() -> Option<&'static Arc<Scheduler>> {
    ACTIVE.get()
}

/// Makes `s` the process's scheduler. Returns false if one was already installed.
pub fn install(s: Arc<Scheduler>) -> bool {
    ACTIVE.set(s).is_ok()
}

/// Virtual epoch of `time.time()` in a deterministic run: 2023-11-14 22:13:20 UTC, so that
/// dates look like dates and stay the same on every run.
pub const EPOCH_SECS: u64 = 1_700_000_000;

/// `os.cpu_count()`: the simulated cores in a deterministic run (so that a program sizes
/// its pools for them), else the machine's.
pub fn cpu_count() -> Option<usize> {
    match active() {
        Some(s) => Some(s.settings.cores as usize),
        None => std::thread::available_parallelism().ok().map(|n| n.get()),
    }
}
