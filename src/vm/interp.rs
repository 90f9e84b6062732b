//! The interpreter: state shared by all of its threads (modules, settings, standard output).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;

use parking_lot::Mutex;

use super::objects::Module;

/// CPython's default recursion limit (sys.getrecursionlimit()).
pub const DEFAULT_RECURSION_LIMIT: usize = 1000;
/// CPython's default switch interval, 5 ms, stored in microseconds (Python/ceval_gil.c).
pub const DEFAULT_SWITCH_INTERVAL_US: u64 = 5000;

/// How an interpreter runs its threads (the `gilsim run` flags).
#[derive(Clone, Debug)]
pub struct InterpSettings {
    pub policy: crate::gil::Policy,
    pub switch_interval_us: u64,
    /// The old GIL's release period, in instructions.
    pub check_interval: u32,
    pub max_threads: usize,
    /// `--deterministic`: one scheduler and virtual time (src/deterministic/).
    pub deterministic: Option<crate::deterministic::Settings>,
    /// This interpreter's domain in the deterministic scheduler (0: the program's own).
    pub domain: u32,
    /// The most bytecode instructions all of the interpreter's threads may run together
    /// (`None`: no limit). Past it the running code raises RuntimeError, which no `except`,
    /// `finally` or `with` block sees, so the run ends: the fuzz targets bound infinite loops
    /// this way (docs/RELIABILITY.md). It is looked at every 256 instructions (every check
    /// interval under `--gil old`, at each look of the scheduler, at most 10 ms of virtual
    /// time apart, under `--deterministic`), so a run may go that much over it.
    pub instruction_budget: Option<u64>,
}

impl Default for InterpSettings {
    fn default() -> Self {
        InterpSettings {
            policy: crate::gil::Policy::New,
            switch_interval_us: DEFAULT_SWITCH_INTERVAL_US,
            check_interval: DEFAULT_CHECK_INTERVAL,
            max_threads: crate::threads::DEFAULT_MAX_THREADS,
            deterministic: None,
            domain: 0,
            instruction_budget: None,
        }
    }
}

/// Python 2's `sys.setcheckinterval` default: 100 ticks.
pub const DEFAULT_CHECK_INTERVAL: u32 = 100;

pub struct Interpreter {
    pub recursion_limit: AtomicUsize,
    /// `sys.setswitchinterval`, shared with the lock.
    pub switch_interval_us: Arc<AtomicU64>,
    pub gil: Arc<dyn crate::gil::Gil>,
    pub threads: crate::threads::Registry,
    pub settings: InterpSettings,
    /// `sys.modules`
    pub modules: Mutex<HashMap<String, Arc<Module>>>,
    /// Held while a module's code runs for its first import, so that two threads importing
    /// the same module run it once (Python/import.c's global import lock, `_PyImport_AcquireLock`).
    pub import_lock: Arc<crate::threads::lock::LockCore>,
    pub argv: Vec<String>,
    /// The directory of the main script: where `import name` finds `name.py`.
    pub script_dir: PathBuf,
    pub stdout: super::stdout::Stdout,
    /// What is left of `settings.instruction_budget` (charged every few hundred instructions).
    instructions_left: AtomicI64,
    /// Who this interpreter is when it is a simulated worker process (deterministic runs).
    pub process: std::sync::OnceLock<Arc<crate::process::ProcessInfo>>,
}

impl Interpreter {
    pub fn new(argv: Vec<String>, script_dir: PathBuf, stdout: super::stdout::Stdout) -> Arc<Interpreter> {
        Self::with_settings(argv, script_dir, stdout, InterpSettings::default())
    }

    pub fn with_settings(
        argv: Vec<String>,
        script_dir: PathBuf,
        stdout: super::stdout::Stdout,
        settings: InterpSettings,
    ) -> Arc<Interpreter> {
        let switch_interval_us = Arc::new(AtomicU64::new(settings.switch_interval_us.max(1)));
        let gil = crate::gil::create(&crate::gil::GilSettings {
            policy: settings.policy,
            switch_interval_us: switch_interval_us.clone(),
            check_interval: settings.check_interval,
            deterministic: settings.deterministic,
        });
        Self::with_gil(argv, script_dir, stdout, settings, gil, switch_interval_us)
    }

    /// An interpreter with a lock made elsewhere (a simulated process's domain lock).
    pub fn with_gil(
        argv: Vec<String>,
        script_dir: PathBuf,
        stdout: super::stdout::Stdout,
        settings: InterpSettings,
        gil: Arc<dyn crate::gil::Gil>,
        switch_interval_us: Arc<AtomicU64>,
    ) -> Arc<Interpreter> {
        let budget = settings.instruction_budget.unwrap_or(u64::MAX).min(i64::MAX as u64) as i64;
        Arc::new(Interpreter {
            instructions_left: AtomicI64::new(budget),
            recursion_limit: AtomicUsize::new(DEFAULT_RECURSION_LIMIT),
            switch_interval_us,
            gil,
            threads: crate::threads::Registry::new(settings.max_threads, settings.domain),
            settings,
            modules: Mutex::new(HashMap::new()),
            import_lock: crate::threads::lock::LockCore::new(crate::threads::lock::LockKind::Reentrant),
            argv,
            script_dir,
            stdout,
            process: std::sync::OnceLock::new(),
        })
    }

    /// Writes program output while holding the interpreter lock (see `Vm::write_stdout`
    /// for the usual path, which gives the lock up around the OS write).
    pub fn write_stdout(&self, s: &str) -> super::PyResult<()> {
        self.stdout.write_holding_lock(s)
    }

    /// True once standard output's reader has gone.
    pub fn stdout_closed(&self) -> bool {
        self.stdout.closed()
    }

    /// Sends buffered output to the OS (errors are remembered as a closed stream).
    pub fn flush_stdout(&self) {
        let _ = self.stdout.flush_to_os();
    }

    pub fn recursion_limit(&self) -> usize {
        self.recursion_limit.load(Ordering::Relaxed)
    }

    /// Takes `n` executed instructions off the instruction budget, if there is one.
    #[inline]
    pub(crate) fn charge_instructions(&self, n: i64) {
        if self.settings.instruction_budget.is_some() && n > 0 {
            self.instructions_left.fetch_sub(n, Ordering::Relaxed);
        }
    }

    /// Whether the instruction budget is spent (never, without one).
    #[inline]
    pub fn budget_spent(&self) -> bool {
        self.settings.instruction_budget.is_some() && self.instructions_left.load(Ordering::Relaxed) <= 0
    }
}
