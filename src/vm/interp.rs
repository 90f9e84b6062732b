//! The interpreter: state shared by all of its threads (modules, settings, standard output).

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;

use parking_lot::Mutex;

use super::objects::Module;

/// CPython's default recursion limit (sys.getrecursionlimit()).
pub const DEFAULT_RECURSION_LIMIT: usize = 1000;
/// CPython's default switch interval, 5 ms, stored in microseconds (Python/ceval_gil.c).
pub const DEFAULT_SWITCH_INTERVAL_US: u64 = 5000;

pub struct Interpreter {
    pub recursion_limit: AtomicUsize,
    pub switch_interval_us: AtomicU64,
    /// `sys.modules`
    pub modules: Mutex<HashMap<String, Arc<Module>>>,
    pub argv: Vec<String>,
    /// The directory of the main script: where `import name` finds `name.py`.
    pub script_dir: PathBuf,
    stdout: Mutex<Box<dyn Write + Send>>,
    /// Set once a write to stdout fails with a broken pipe: later output is dropped quietly.
    stdout_closed: std::sync::atomic::AtomicBool,
}

impl Interpreter {
    pub fn new(argv: Vec<String>, script_dir: PathBuf, stdout: Box<dyn Write + Send>) -> Arc<Interpreter> {
        Arc::new(Interpreter {
            recursion_limit: AtomicUsize::new(DEFAULT_RECURSION_LIMIT),
            switch_interval_us: AtomicU64::new(DEFAULT_SWITCH_INTERVAL_US),
            modules: Mutex::new(HashMap::new()),
            argv,
            script_dir,
            stdout: Mutex::new(stdout),
            stdout_closed: std::sync::atomic::AtomicBool::new(false),
        })
    }

    /// Writes program output. Once the reader has gone (`gilsim run x.py | head -1`), every
    /// write raises BrokenPipeError, as in CPython; the driver ends such a run quietly.
    pub fn write_stdout(&self, s: &str) -> super::PyResult<()> {
        if self.stdout_closed.load(Ordering::Relaxed) {
            return Err(broken_pipe());
        }
        match self.stdout.lock().write_all(s.as_bytes()) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                self.stdout_closed.store(true, Ordering::Relaxed);
                Err(broken_pipe())
            }
            Err(e) => Err(super::errors::os_error(e.to_string())),
        }
    }

    /// True once standard output's reader has gone.
    pub fn stdout_closed(&self) -> bool {
        self.stdout_closed.load(Ordering::Relaxed)
    }

    pub fn flush_stdout(&self) {
        if self.stdout.lock().flush().is_err() {
            self.stdout_closed.store(true, Ordering::Relaxed);
        }
    }

    pub fn recursion_limit(&self) -> usize {
        self.recursion_limit.load(Ordering::Relaxed)
    }
}

/// Standard output for a run: line-buffered on a terminal, block-buffered otherwise, as
/// CPython's sys.stdout is.
pub fn default_stdout() -> Box<dyn Write + Send> {
    use std::io::IsTerminal;
    let out = std::io::stdout();
    if out.is_terminal() {
        Box::new(std::io::LineWriter::new(out))
    } else {
        Box::new(std::io::BufWriter::with_capacity(64 * 1024, out))
    }
}

#[cold]
fn broken_pipe() -> super::PyErr {
    super::PyErr::new(&super::types::exc().broken_pipe_error, "[Errno 32] Broken pipe")
}
