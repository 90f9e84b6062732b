//! Worker processes: CPython's multiprocessing with the spawn start method, as real OS
//! processes, each with its own interpreter and its own lock.
//!
//! - [`codec`]: values ⇄ the wire format (pickle's part).
//! - [`protocol`]: the messages and their length-prefixed framing.
//! - [`spawn`]: the parent's side — starting a worker, its pipes, killing and reaping it.
//! - [`worker`]: the worker's side — import the script as `__mp_main__`, serve calls.
//! - [`replicas`]: `gilsim run --processes N`.
//! - [`spin`]: a short adaptive spin before a pipe read sleeps.
//!
//! The Python API (`multiprocessing`, `concurrent.futures.ProcessPoolExecutor`) is written
//! in Python in `src/library/` on top of the native module `_gilsim_process`
//! (`src/modules/process.rs`).

pub mod codec;
pub mod handle;
pub mod protocol;
pub mod replicas;
pub mod spawn;
pub mod spin;
pub mod worker;

use std::sync::atomic::AtomicBool;
use std::sync::OnceLock;
use std::time::Duration;

/// Who this process is, when it is a worker.
pub struct ProcessInfo {
    /// `current_process().name`.
    pub name: String,
    /// `pool`, `process` or `replica`.
    pub role: String,
    /// True while the worker imports the main script: starting a process then is the
    /// bootstrapping error (`current_process()._inheriting` in CPython).
    pub inheriting: AtomicBool,
    /// Started with the fork method: the import replays the parent's top level up to the
    /// point it started this worker (src/process/worker.rs `serve`).
    pub fork_like: bool,
    /// A simulated process's pid (deterministic runs), which `os.getpid()` reports there.
    pub simulated_pid: std::sync::OnceLock<u32>,
}

impl ProcessInfo {
    pub fn new(name: &str, role: &str, fork_like: bool) -> ProcessInfo {
        ProcessInfo {
            name: name.to_string(),
            role: role.to_string(),
            inheriting: AtomicBool::new(true),
            fork_like,
            simulated_pid: std::sync::OnceLock::new(),
        }
    }
}

/// Set once, at the start of a worker process; unset in the program's own process.
pub static PROCESS: OnceLock<ProcessInfo> = OnceLock::new();

/// The CPU time this process has used, all threads together.
pub fn process_cpu_time() -> Duration {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: a valid timespec to write into; CLOCK_PROCESS_CPUTIME_ID is always available.
    if unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) } != 0 {
        return Duration::ZERO;
    }
    Duration::new(ts.tv_sec.max(0) as u64, ts.tv_nsec.clamp(0, 999_999_999) as u32)
}

/// The text of CPython's RuntimeError for a process started while the main module is
/// still being imported in a child (Lib/multiprocessing/spawn.py `_check_not_importing_main`).
pub const BOOTSTRAP_ERROR: &str = "
        An attempt has been made to start a new process before the
        current process has finished its bootstrapping phase.

        This probably means that you are not using fork to start your
        child processes and you have forgotten to use the proper idiom
        in the main module:

            if __name__ == '__main__':
                freeze_support()
                ...

        The \"freeze_support()\" line can be omitted if the program
        is not going to be frozen to produce an executable.

        To fix this issue, refer to the \"Safe importing of main module\"
        section in https://docs.python.org/3/library/multiprocessing.html
        ";

/// True while this worker is still importing the main script.
pub fn importing_main(interp: &crate::vm::interp::Interpreter) -> bool {
    info(interp)
        .map(|p| p.inheriting.load(std::sync::atomic::Ordering::Relaxed))
        .unwrap_or(false)
}

/// True while a worker started with the fork method replays its parent's top level: a
/// forked child would start after it, so waiting in it (`time.sleep`) is skipped.
pub fn replaying_fork(interp: &crate::vm::interp::Interpreter) -> bool {
    info(interp).is_some_and(|p| p.fork_like && p.inheriting.load(std::sync::atomic::Ordering::Relaxed))
}

/// Who the process running `interp` is, if it is a worker: a simulated process's own
/// record, or this OS process's.
pub fn info(interp: &crate::vm::interp::Interpreter) -> Option<&ProcessInfo> {
    interp.process.get().map(|p| &**p).or_else(|| PROCESS.get())
}
