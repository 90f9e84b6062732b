//! `Vm`: the state of one interpreter thread (its frame stack and handled exceptions) and
//! the entry points Rust code uses to run Python code: calls, generator resumption and the
//! protocol helpers (`repr`, `eq`, `iter`…) that library functions need.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use super::errors::{recursion_error, PyErr};
use super::frame::{Frame, FrameKind};
use super::interp::Interpreter;
use super::objects::{Args, Generator};
use super::value::Value;
use super::PyResult;
use crate::threads::ThreadState;

/// Why the dispatch loop stopped.
pub enum RunExit {
    Return(Value),
    Yield(Value),
}

/// Bits of the eval breaker: requests a running thread must notice at its next poll.
pub mod breaker {
    /// Another thread asks this one to drop the interpreter lock.
    pub const DROP_REQUEST: u32 = 1;
    /// A signal (Ctrl-C) or a timeout is pending.
    pub const PENDING_SIGNAL: u32 = 2;
    /// Suspended generators died with a `try`/`with` open: their cleanup must run.
    pub const FINALIZE: u32 = 4;
    /// Deterministic runs: another thread became runnable, so the holder's instruction
    /// budget must be worked out again (src/deterministic/).
    pub const RESCHEDULE: u32 = 8;
    /// Deterministic runs: a blocking I/O call ran with the lock kept; the thread now
    /// gives the lock up for the I/O's virtual time.
    pub const IO_PAUSE: u32 = 16;
}

pub struct Vm {
    pub interp: Arc<Interpreter>,
    pub frames: Vec<Frame>,
    /// Exceptions being handled (innermost last): what a bare `raise` re-raises.
    pub exc_info: Vec<PyErr>,
    /// Nesting of Rust-level recursion (dispatch loops entered from Rust, nested reprs…).
    pub native_depth: usize,
    /// Polled at backward jumps and calls: the one place a thread can be asked to stop.
    pub breaker: Arc<AtomicU32>,
    /// Set before returning an error that must not gain a traceback entry (re-raise).
    pub(super) skip_traceback: bool,
    /// Containers whose repr is in progress (for `[...]` on self-reference).
    pub(super) repr_active: rustc_hash::FxHashSet<usize>,
    /// The value stack shared by all frames of this thread (locals, then operands).
    pub stack: Vec<Value>,
    /// This thread as the lock and the registry know it.
    pub thread: Arc<ThreadState>,
    /// The interpreter's lock (a copy of `interp.gil`, one pointer hop closer).
    pub gil: Arc<dyn crate::gil::Gil>,
    /// When this thread last took the lock (on the run's clock, `crate::clock`).
    pub(crate) hold_start: std::time::Duration,
    /// Instructions left before the next tick (counting mode only).
    pub(crate) ticks: i64,
    /// Instructions between ticks; `None` runs the loop without counting.
    pub(super) tick_period: Option<i64>,
    /// What `ticks` was last set to: `tick_budget - ticks` instructions ran since
    /// (deterministic runs count virtual time this way).
    pub(crate) tick_budget: i64,
    /// Class attribute lookups of this thread (CPython's type attribute cache).
    pub(super) method_cache: super::method_cache::MethodCache,
}

/// With an instruction budget (and no other reason to count), instructions between two
/// looks at it.
const BUDGET_CHECK_PERIOD: i64 = 256;

/// How deep Rust-level recursion may go on top of the Python recursion limit.
const NATIVE_DEPTH_LIMIT: usize = 20_000;

impl Vm {
    /// The VM of the main thread (registered as thread 1, "MainThread").
    pub fn new(interp: Arc<Interpreter>) -> Vm {
        let thread = interp
            .threads
            .register("MainThread")
            .expect("the first thread is always under the limit");
        thread.bind_os_thread();
        Vm::for_thread(interp, thread)
    }

    /// The VM of a language thread, run on that thread.
    pub fn for_thread(interp: Arc<Interpreter>, thread: Arc<ThreadState>) -> Vm {
        let breaker = thread.breaker.clone();
        super::generator::register_breaker(&breaker);
        crate::deterministic::set_current_domain(thread.domain as usize);
        let gil = interp.gil.clone();
        let tick_period = if crate::deterministic::active().is_some() {
            // Virtual time: every instruction counts; the scheduler sets each budget.
            Some(1)
        } else {
            gil.check_interval()
                .map(i64::from)
                .or(interp.settings.instruction_budget.map(|_| BUDGET_CHECK_PERIOD))
        };
        Vm {
            thread,
            gil,
            hold_start: crate::clock::now(),
            ticks: tick_period.unwrap_or(0),
            tick_budget: tick_period.unwrap_or(0),
            tick_period,
            interp,
            frames: Vec::with_capacity(64),
            exc_info: Vec::new(),
            native_depth: 0,
            breaker,
            skip_traceback: false,
            repr_active: Default::default(),
            stack: Vec::with_capacity(1024),
            method_cache: Default::default(),
        }
    }

    /// Pushes a frame, enforcing the recursion limit (sys.setrecursionlimit).
    #[inline]
    pub(super) fn push_frame(&mut self, frame: Frame) -> PyResult<()> {
        if self.frames.len() >= self.interp.recursion_limit() {
            self.stack.truncate(frame.ret_to);
            return Err(recursion_error("maximum recursion depth exceeded"));
        }
        self.frames.push(frame);
        Ok(())
    }

    /// Guards Rust recursion that a program can drive (nested reprs, comparisons, dispatch
    /// loops entered from Rust).
    pub fn enter_native(&mut self) -> PyResult<()> {
        if self.native_depth >= NATIVE_DEPTH_LIMIT.min(self.interp.recursion_limit() * 4 + 100) {
            return Err(recursion_error("maximum recursion depth exceeded"));
        }
        self.native_depth += 1;
        Ok(())
    }

    pub fn leave_native(&mut self) {
        self.native_depth -= 1;
    }

    // ---- running code from Rust ----

    /// Runs `frame` to completion in a nested dispatch loop and returns its result.
    pub fn run_frame(&mut self, mut frame: Frame) -> PyResult<Value> {
        frame.kind = FrameKind::Boundary;
        if let Err(e) = self.enter_native() {
            self.stack.truncate(frame.ret_to);
            return Err(e);
        }
        let r = match self.push_frame(frame) {
            Ok(()) => self.run(),
            Err(e) => Err(e),
        };
        self.leave_native();
        match r? {
            RunExit::Return(v) => Ok(v),
            // A boundary frame is never a generator's, so it cannot yield to us.
            RunExit::Yield(v) => Ok(v),
        }
    }

    /// Resumes a generator from Rust, sending `sent` (None for `next()`).
    pub fn resume_generator(&mut self, gen: &Arc<Generator>, sent: Value) -> PyResult<GenStep> {
        self.enter_native()?;
        let r = match self.take_generator_frame(gen.clone(), sent) {
            Ok(Some(mut f)) => {
                f.kind = FrameKind::GenBoundary;
                self.frames.push(f);
                self.run()
            }
            Ok(None) => Ok(RunExit::Return(Value::None)),
            Err(e) => Err(e),
        };
        self.leave_native();
        match r? {
            RunExit::Yield(v) => Ok(GenStep::Yield(v)),
            RunExit::Return(v) => Ok(GenStep::Return(v)),
        }
    }

    /// Takes a suspended generator's frame for resumption. A generator keeps its own value
    /// stack: it is swapped in here (and swapped out when the frame suspends or ends), so
    /// resuming moves no values. The sent value is pushed if the generator has started.
    /// `Ok(None)` if it already finished. The caller must push the frame at once: the
    /// recursion limit is checked here, before anything changes.
    pub(super) fn take_generator_frame(&mut self, gen: Arc<Generator>, sent: Value) -> PyResult<Option<Frame>> {
        let mut st = gen.state.lock();
        if st.running {
            return Err(super::errors::value_error("generator already executing"));
        }
        if st.finished {
            return Ok(None);
        }
        let Some(mut frame) = st.frame.take() else {
            return Ok(None);
        };
        if frame.ip == 0 && !sent.is_none() {
            st.frame = Some(frame);
            return Err(super::errors::type_error(
                "can't send non-None value to a just-started generator",
            ));
        }
        if self.frames.len() >= self.interp.recursion_limit() {
            st.frame = Some(frame);
            return Err(recursion_error("maximum recursion depth exceeded"));
        }
        st.running = true;
        // The caller's stack waits in the generator's state until the frame leaves.
        std::mem::swap(&mut self.stack, &mut st.values);
        drop(st);
        frame.base = 0;
        frame.ret_to = 0;
        if frame.ip > 0 {
            self.stack.push(sent);
        }
        frame.generator = Some(gen);
        Ok(Some(frame))
    }

    /// A generator frame leaves the thread: its stack goes back into the generator (with the
    /// frame itself when it is suspending, `None` when it finished) and the caller's stack
    /// comes back. One lock for all of it: this is on every `yield`.
    pub(super) fn release_generator_stack(&mut self, gen: &Generator, suspended: Option<Frame>) {
        let mut st = gen.state.lock();
        std::mem::swap(&mut self.stack, &mut st.values);
        st.running = false;
        match suspended {
            Some(frame) => st.frame = Some(frame),
            None => {
                st.finished = true;
                st.values = Vec::new();
            }
        }
    }

    /// Calls any callable with positional arguments.
    pub fn call(&mut self, callee: &Value, args: &[Value]) -> PyResult<Value> {
        self.call_with(callee, Args::positional(args))
    }

    /// Calls any callable.
    pub fn call_with(&mut self, callee: &Value, args: Args<'_>) -> PyResult<Value> {
        match callee {
            Value::Function(f) => {
                let f = f.clone();
                match self.frame_for_call(&f, args.pos, args.kw)? {
                    CallTarget::Frame(frame) => self.run_frame(frame),
                    CallTarget::Value(v) => Ok(v),
                }
            }
            Value::Builtin(b) => (b.func)(self, args),
            _ => self.call_other(callee, args),
        }
    }

    /// Runs the cleanup of generators that just died, if any (and nothing else the breaker
    /// may be asking for).
    #[inline]
    pub fn run_pending_finalizers(&mut self) {
        if self.breaker.load(Ordering::Relaxed) & breaker::FINALIZE != 0 {
            self.breaker.fetch_and(!breaker::FINALIZE, Ordering::Relaxed);
            self.finalize_dead_generators();
        }
    }

    /// Whether the eval breaker has anything pending.
    #[inline]
    pub fn breaker_set(&self) -> bool {
        self.breaker.load(Ordering::Relaxed) != 0
    }
}

/// One step of a generator driven from Rust.
pub enum GenStep {
    Yield(Value),
    Return(Value),
}

/// What calling a Python function produced: a frame to run, or (for generator functions)
/// the generator object itself.
pub enum CallTarget {
    Frame(Frame),
    Value(Value),
}

/// What a thread does when its eval breaker is set. The GIL policies hook in here.
#[cold]
pub fn breaker_hook(vm: &mut Vm) -> PyResult<()> {
    let bits = vm.breaker.fetch_and(
        !(breaker::PENDING_SIGNAL | breaker::FINALIZE | breaker::RESCHEDULE | breaker::IO_PAUSE),
        Ordering::Relaxed,
    );
    if bits & breaker::FINALIZE != 0 {
        vm.finalize_dead_generators();
    }
    if bits & breaker::IO_PAUSE != 0 {
        vm.det_io_pause();
    } else if bits & breaker::RESCHEDULE != 0 {
        if let Some(s) = crate::deterministic::active() {
            vm.det_tick(s);
        }
    }
    // Signals first, in the main thread only (Python/ceval_gil.c _Py_HandlePending →
    // handle_signals): a KeyboardInterrupt leaves a drop request for the next poll.
    if bits & breaker::PENDING_SIGNAL != 0 && vm.thread.id == 1 {
        if let Some(e) = crate::signals::take_interrupt() {
            return Err(e);
        }
    }
    if bits & breaker::DROP_REQUEST != 0 {
        vm.gil_yield_forced();
    }
    Ok(())
}
