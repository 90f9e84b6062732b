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
use std::time::Duration;

use crate::clock;
use crate::threads::ThreadState;
use crate::trace::EventKind;
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
    pub deterministic: Option<crate::deterministic::Settings>,
}

pub fn create(settings: &GilSettings) -> Arc<dyn Gil> {
    if let Some(det) = settings.deterministic {
        // The process's one scheduler is the lock (an interpreter made later in the same
        // process shares it).
        if let Some(s) = crate::deterministic::active() {
            return s.main_gil();
        }
        let s = Arc::new(crate::deterministic::Scheduler::new(
            det,
            settings.policy,
            settings.switch_interval_us.clone(),
            settings.check_interval,
        ));
        crate::deterministic::install(s.clone());
        return s.main_gil();
    }
    match settings.policy {
        Policy::New => Arc::new(new::NewGil::new(settings.switch_interval_us.clone())),
        Policy::Old => Arc::new(old::OldGil::new(settings.check_interval.max(1))),
        Policy::Off => Arc::new(off::NoGil::default()),
    }
}

impl Vm {
    /// Takes the interpreter lock, accounting the wait.
    pub fn gil_take(&mut self) {
        // In a deterministic run only the holder may look at the clock or record: the wait
        // is accounted from when the scheduler saw this thread want the lock.
        let det = crate::deterministic::active();
        let start = match det {
            None => {
                let start = clock::now();
                self.trace_at(start, EventKind::GilWant);
                start
            }
            Some(_) => Duration::ZERO,
        };
        self.gil.take(&self.thread);
        if self.thread.id != 1 && self.interp.threads.finalizing() {
            self.park_for_good();
        }
        match det {
            None => self.after_take(start),
            Some(s) => {
                let wanted = Duration::from_nanos(s.wanted_since(&self.thread).unwrap_or(0));
                self.trace_at(wanted, EventKind::GilWant);
                self.after_take(wanted);
            }
        }
    }

    /// Accounting once the lock is ours again: the wait, the trace, the instruction budget.
    fn after_take(&mut self, wanted: Duration) {
        let now = clock::now();
        self.hold_start = now;
        self.thread.stats.lock().waiting += now.saturating_sub(wanted);
        if let Some(s) = crate::deterministic::active() {
            self.set_tick_budget(s.budget(&self.thread));
        }
        self.trace_at(now, EventKind::GilAcquire);
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
        let now = self.account_hold();
        self.trace_at(now, EventKind::GilRelease(reason));
        self.gil.release(&self.thread, reason);
        if reason == Release::Forced && !clock::is_virtual() {
            // A forced drop waits for the handoff (FORCE_SWITCHING): time spent wanting the lock.
            self.thread.stats.lock().waiting += clock::now().saturating_sub(now);
        }
    }

    /// Ends the current hold in the statistics; returns the time it ended.
    fn account_hold(&mut self) -> Duration {
        self.sync_clock();
        let now = clock::now();
        let held = now.saturating_sub(self.hold_start);
        self.thread.stats.lock().held += held;
        self.gil.stats().record_hold(held, self.thread.id);
        now
    }

    /// Runs `blocking` without the interpreter lock: other threads run Python code meanwhile.
    /// `blocking` must not touch Python objects. (Include/ceval.h `Py_BEGIN_ALLOW_THREADS`.)
    ///
    /// In a deterministic run the call runs with the lock kept, so that nothing happens
    /// out of the scheduler's order; an I/O call then gives the lock up for the virtual
    /// time of an I/O at the thread's next poll (see src/deterministic/).
    pub fn allow_threads<R>(&mut self, reason: Release, blocking: impl FnOnce() -> R) -> R {
        if crate::deterministic::active().is_some() {
            let r = blocking();
            if reason == Release::Io {
                self.breaker.fetch_or(breaker::IO_PAUSE, Ordering::Relaxed);
            }
            return r;
        }
        self.gil_drop(reason);
        let start = clock::now();
        let r = blocking();
        self.thread.stats.lock().blocked += clock::now().saturating_sub(start);
        self.gil_take();
        r
    }

    /// Gives the lock to the deterministic scheduler and waits there (a sleep, a wait on a
    /// threading lock, an I/O pause), accounting the time as blocked. Returns holding the
    /// lock again, with why the wait ended.
    pub fn det_block(
        &mut self,
        s: &crate::deterministic::Scheduler,
        reason: Release,
        key: Option<usize>,
        deadline_ns: Option<u64>,
    ) -> crate::deterministic::Wake {
        let start = self.account_hold();
        self.trace_at(start, EventKind::GilRelease(reason));
        let wake = s.block(&self.thread, key, deadline_ns);
        // The program has ended meanwhile: a daemon thread never runs Python code again
        // (as in gil_take).
        if self.thread.id != 1 && self.interp.threads.finalizing() {
            self.park_for_good();
        }
        // It wanted the lock from the moment its wait ended.
        let wanted = Duration::from_nanos(s.wanted_since(&self.thread).unwrap_or(0)).max(start);
        self.thread.stats.lock().blocked += wanted.saturating_sub(start);
        self.trace_at(wanted, EventKind::GilWant);
        self.after_take(wanted);
        wake
    }

    /// The deterministic I/O pause an `allow_threads` call left for the next poll.
    pub(crate) fn det_io_pause(&mut self) {
        if let Some(s) = crate::deterministic::active() {
            self.sync_clock();
            let until = s.now_ns() + s.settings.io_ns;
            self.det_block(s, Release::Io, None, Some(until));
        }
    }

    /// Brings the deterministic clock up to date with the instructions this thread (the
    /// holder) ran since it last looked.
    #[inline]
    pub fn sync_clock(&mut self) {
        if let Some(s) = crate::deterministic::active() {
            let executed = self.tick_budget - self.ticks;
            if executed > 0 {
                s.advance(&self.thread, executed as u64);
                self.interp.charge_instructions(executed);
                self.tick_budget = self.ticks;
            }
        }
    }

    /// The next look at the clock comes after `n` more instructions.
    pub(crate) fn set_tick_budget(&mut self, n: i64) {
        self.ticks = n;
        self.tick_budget = n;
    }

    /// The deterministic scheduler's periodic look (counting mode): the clock advances, a
    /// drop request may be set, and the old lock may be released.
    pub(crate) fn det_tick(&mut self, s: &crate::deterministic::Scheduler) {
        let executed = (self.tick_budget - self.ticks).max(0) as u64;
        self.interp.charge_instructions(executed as i64);
        let (budget, release_now) = s.tick(&self.thread, executed);
        self.set_tick_budget(budget);
        if release_now {
            self.gil_tick();
        }
    }

    /// Records a trace event for this thread at `at`, if a trace is being recorded.
    #[inline]
    pub fn trace_at(&self, at: Duration, kind: EventKind) {
        if crate::trace::recorder::enabled() {
            crate::trace::recorder::record(at, self.thread.domain, self.thread.id, self.script_line(), kind);
        }
    }

    /// Records a trace event for this thread now.
    pub fn trace(&mut self, kind: EventKind) {
        if crate::trace::recorder::enabled() {
            self.sync_clock();
            self.trace_at(clock::now(), kind);
        }
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
pub(crate) fn take_drop_request(t: &ThreadState) -> bool {
    t.breaker.fetch_and(!breaker::DROP_REQUEST, Ordering::Relaxed) & breaker::DROP_REQUEST != 0
}
