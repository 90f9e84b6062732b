//! Simulated worker processes for a deterministic run. A worker of `multiprocessing` or
//! `ProcessPoolExecutor` is, here, another interpreter in the same OS process: its own
//! modules, its own lock and its own clock (a domain of the scheduler), on a simulated
//! core. Requests and replies still travel as encoded values (`src/process/codec.rs`), so
//! what cannot be pickled fails as it does with real processes, and globals stay apart.
//!
//! A worker starts [`SPAWN_NS`] of virtual time after it was asked for, as a spawned
//! CPython worker takes a while to start and import the script.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use parking_lot::Mutex;

use super::{Scheduler, Wake};
use crate::gil::Release;
use crate::process::protocol::{Reply, Request};
use crate::process::worker::Transport;
use crate::vm::errors::PyErr;
use crate::vm::interp::Interpreter;
use crate::vm::types::exc;
use crate::vm::vm::Vm;
use crate::vm::PyResult;

/// Virtual time from asking for a worker to its first instruction: process creation,
/// interpreter start-up and imports (CPython's spawn takes tens of milliseconds).
pub const SPAWN_NS: u64 = 10_000_000;

/// Process ids of simulated workers count up from here (they are not OS processes).
const FIRST_PID: u32 = 100_001;

/// A queue between two simulated processes; a reader waits in the scheduler.
pub struct Channel<T> {
    items: Mutex<VecDeque<T>>,
    closed: AtomicBool,
}

/// What a read from a [`Channel`] got.
pub enum Popped<T> {
    Item(T),
    /// The writer closed it and it is empty.
    Closed,
    Timeout,
}

impl<T> Channel<T> {
    fn new() -> Channel<T> {
        Channel {
            items: Mutex::new(VecDeque::new()),
            closed: AtomicBool::new(false),
        }
    }

    fn key(&self) -> usize {
        self as *const Channel<T> as usize
    }

    /// Adds an item and wakes a reader (from the writer's time, `vm`'s clock); false once
    /// the channel is closed.
    pub fn push(&self, vm: &mut Vm, s: &Scheduler, item: T) -> bool {
        vm.sync_clock();
        if self.closed.load(Ordering::Acquire) {
            return false;
        }
        self.items.lock().push_back(item);
        s.notify(self.key(), false);
        true
    }

    pub fn close(&self, vm: &mut Vm, s: &Scheduler) {
        vm.sync_clock();
        self.closed.store(true, Ordering::Release);
        s.notify(self.key(), true);
    }

    /// The next item, waiting in virtual time until `deadline_ns` (None: for ever).
    pub fn pop(&self, vm: &mut Vm, s: &Scheduler, deadline_ns: Option<u64>) -> PyResult<Popped<T>> {
        loop {
            if let Some(item) = self.items.lock().pop_front() {
                return Ok(Popped::Item(item));
            }
            if self.closed.load(Ordering::Acquire) {
                return Ok(Popped::Closed);
            }
            vm.sync_clock();
            if deadline_ns.is_some_and(|d| s.now_ns() >= d) {
                return Ok(Popped::Timeout);
            }
            match vm.det_block(s, Release::Io, Some(self.key()), deadline_ns) {
                Wake::Notified | Wake::TimedOut => {}
                Wake::Deadlock => {
                    return Err(PyErr::new(
                        &exc().deadlock_error,
                        "every thread of every process is blocked: this one waits for a message from another process that will never come",
                    ))
                }
                Wake::Interrupted => {
                    if let Some(e) = crate::signals::take_interrupt() {
                        return Err(e);
                    }
                }
            }
        }
    }
}

/// The parent's handle on a simulated worker process.
pub struct SimWorker {
    pub pid: u32,
    pub name: String,
    requests: Channel<Request>,
    replies: Channel<Reply>,
    /// Its exit code once it has ended; `exited` is a channel that closes then.
    exit: Mutex<Option<i32>>,
    exited: Channel<()>,
    terminated: AtomicBool,
    sched: Arc<Scheduler>,
}

/// The simulated processes of this run, for the trace: (pid in the trace, name,
/// interpreter).
pub static PROCESSES: Mutex<Vec<(u32, String, Arc<Interpreter>)>> = Mutex::new(Vec::new());

static NEXT_PID: AtomicU64 = AtomicU64::new(FIRST_PID as u64);

impl SimWorker {
    /// Starts a worker named `name` (role `pool`, `process` or `replica`) running `script`.
    pub fn start(
        vm: &mut Vm,
        s: &Arc<Scheduler>,
        name: &str,
        role: &str,
        script: &Path,
        fork_like: bool,
    ) -> PyResult<Arc<SimWorker>> {
        let src = crate::driver::read_source(script).map_err(|m| PyErr::new(&exc().os_error, m))?;
        let compiled = crate::driver::compile_source(&src, false)
            .map_err(|d| PyErr::new(&exc().syntax_error, d.first.message.clone()))?;
        let (domain, gil) = s.new_domain();
        let mut settings = vm.interp.settings.clone();
        settings.domain = domain as u32;
        let interval = Arc::new(AtomicU64::new(vm.interp.switch_interval_us.load(Ordering::Relaxed)));
        let script_dir: PathBuf = script.parent().map(Path::to_path_buf).unwrap_or_default();
        let interp = Interpreter::with_gil(
            vm.interp.argv.clone(),
            script_dir,
            crate::vm::stdout::Stdout::process(),
            settings,
            gil,
            interval,
        );
        let pid = NEXT_PID.fetch_add(1, Ordering::Relaxed) as u32;
        let info = crate::process::ProcessInfo::new(name, role, fork_like);
        let _ = info.simulated_pid.set(pid);
        let _ = interp.process.set(Arc::new(info));
        let Some(main) = interp.threads.register("MainThread") else {
            return Err(PyErr::new(&exc().runtime_error, "cannot start a worker: thread limit"));
        };
        let worker = Arc::new(SimWorker {
            pid,
            name: name.to_string(),
            requests: Channel::new(),
            replies: Channel::new(),
            exit: Mutex::new(None),
            exited: Channel::new(),
            terminated: AtomicBool::new(false),
            sched: s.clone(),
        });
        PROCESSES
            .lock()
            .push((domain as u32 + 1, name.to_string(), interp.clone()));
        vm.sync_clock();
        let started = Duration::from_nanos(s.now_ns());
        s.register(&main, Some(s.now_ns() + SPAWN_NS));
        let w = worker.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("gilsim-sim-{pid}"))
            .stack_size(crate::threads::spawn::THREAD_STACK)
            .spawn(move || {
                main.bind_os_thread();
                let mut wvm = Vm::for_thread(interp, main);
                wvm.gil_take();
                wvm.trace(crate::trace::EventKind::ThreadStart);
                let name = w.name.clone();
                let mut link = Link(w.clone());
                let code = crate::process::worker::serve(&mut wvm, &compiled, &name, pid, started, &mut link);
                w.finish(&mut wvm, code);
                wvm.end_thread();
            });
        if let Err(e) = spawned {
            return Err(PyErr::new(&exc().os_error, format!("cannot start a worker: {e}")));
        }
        vm.trace(crate::trace::EventKind::ProcessSpawn(pid));
        Ok(worker)
    }

    /// Sends a request; false if the worker has gone.
    pub fn send(&self, vm: &mut Vm, req: Request) -> bool {
        self.requests.push(vm, &self.sched, req)
    }

    /// The next reply, waiting until `timeout` (virtual).
    pub fn recv(&self, vm: &mut Vm, timeout: Option<Duration>) -> PyResult<Popped<Reply>> {
        let deadline = self.deadline(vm, timeout);
        self.replies.pop(vm, &self.sched, deadline)
    }

    /// No more requests: the worker ends once it has served those sent.
    pub fn close(&self, vm: &mut Vm) {
        self.requests.close(vm, &self.sched);
    }

    /// `terminate()`/`kill()`: an in-process interpreter cannot be stopped mid-call, so
    /// the worker ends at its next request, and reports the signal's exit code.
    pub fn terminate(&self, vm: &mut Vm) {
        self.terminated.store(true, Ordering::Relaxed);
        self.close(vm);
    }

    pub fn poll(&self) -> Option<i32> {
        *self.exit.lock()
    }

    /// Waits (in virtual time) for the worker to end; its exit code, or None at the timeout.
    pub fn wait(&self, vm: &mut Vm, timeout: Option<Duration>) -> PyResult<Option<i32>> {
        if let Some(code) = self.poll() {
            return Ok(Some(code));
        }
        let deadline = self.deadline(vm, timeout);
        let _ = self.exited.pop(vm, &self.sched, deadline)?;
        let code = self.poll();
        if code.is_some() {
            vm.trace(crate::trace::EventKind::ProcessExit(self.pid));
        }
        Ok(code)
    }

    fn deadline(&self, vm: &mut Vm, timeout: Option<Duration>) -> Option<u64> {
        vm.sync_clock();
        timeout.map(|t| {
            self.sched
                .now_ns()
                .saturating_add(t.as_nanos().min(u64::MAX as u128) as u64)
        })
    }

    /// The worker's last act, while it still runs: its exit code, and no more replies.
    fn finish(&self, vm: &mut Vm, code: i32) {
        let code = if self.terminated.load(Ordering::Relaxed) {
            -(libc::SIGTERM)
        } else {
            code
        };
        *self.exit.lock() = Some(code);
        self.replies.close(vm, &self.sched);
        self.exited.close(vm, &self.sched);
    }
}

/// The worker's side of its channels.
struct Link(Arc<SimWorker>);

impl Transport for Link {
    fn next_request(&mut self, vm: &mut Vm) -> Option<Request> {
        let w = self.0.clone();
        match w.requests.pop(vm, &w.sched, None) {
            Ok(Popped::Item(r)) => Some(r),
            _ => None,
        }
    }

    fn reply(&mut self, vm: &mut Vm, reply: Reply) -> bool {
        self.0.replies.push(vm, &self.0.sched, reply)
    }
}
