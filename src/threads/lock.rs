//! The lock every blocking wait is built on: `_thread.LockType` and `_thread.RLock`
//! (Modules/_threadmodule.c). Condition, Event, Semaphore, Queue and Thread.join are written
//! in Python on top of it, as in CPython's Lib/threading.py, so they all block here.
//!
//! A wait gives up the interpreter lock (Py_BEGIN_ALLOW_THREADS around
//! PyThread_acquire_lock_timed), registers with deadlock detection when it has no timeout,
//! and wakes for the release, its deadline or a deadlock report.

use std::sync::Arc;
use std::time::{Duration, Instant};

use std::sync::atomic::Ordering;

use parking_lot::{Condvar, Mutex, MutexGuard};

use super::WaitInfo;
use crate::gil::Release;
use crate::trace::EventKind;
use crate::vm::errors::PyErr;
use crate::vm::types::exc;
use crate::vm::vm::Vm;
use crate::vm::PyResult;

/// How often a thread blocked with no timeout looks for a deadlock again.
const RECHECK: Duration = Duration::from_millis(200);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LockKind {
    /// Any thread may release it.
    Plain,
    /// Re-entrant: only the owner releases, as often as it acquired.
    Reentrant,
}

pub struct LockCore {
    state: Mutex<LockState>,
    cond: Condvar,
    pub kind: LockKind,
    /// Small and unique within the process: how traces tell locks apart.
    pub id: u32,
    /// Whether traces record every acquire and release (locks the program made itself).
    traced: std::sync::atomic::AtomicBool,
}

static NEXT_LOCK_ID: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);

#[derive(Default)]
struct LockState {
    /// Acquisitions not yet released (0 or 1 for a plain lock).
    count: u32,
    /// The thread id (`ThreadState::id`) of the holder; 0 when free.
    owner: u64,
    /// Successful takes so far: a waiter that saw this value when it last failed to take
    /// the lock knows nothing has changed since (see deadlock detection).
    takes: u64,
}

/// How a blocking acquire ended.
#[derive(PartialEq, Eq)]
enum Outcome {
    Acquired,
    TimedOut,
    Deadlock,
    /// Ctrl-C, in the main thread (PY_LOCK_INTR).
    Interrupted,
}

impl LockCore {
    pub fn new(kind: LockKind) -> Arc<LockCore> {
        Arc::new(LockCore {
            state: Mutex::new(LockState::default()),
            cond: Condvar::new(),
            kind,
            id: NEXT_LOCK_ID.fetch_add(1, Ordering::Relaxed),
            traced: std::sync::atomic::AtomicBool::new(false),
        })
    }

    /// Traces record this lock's acquires and releases, not only its waits.
    pub fn trace_operations(&self) {
        self.traced.store(true, Ordering::Relaxed);
    }

    pub fn traced(&self) -> bool {
        self.traced.load(Ordering::Relaxed)
    }

    /// The holder's thread id, if the lock is held, and how many takes it has seen.
    pub fn holder(&self) -> (Option<u64>, u64) {
        let st = self.state.lock();
        ((st.count > 0).then_some(st.owner), st.takes)
    }

    /// ("locked" or "unlocked", owner thread id, count), for reprs.
    pub fn describe(&self) -> (&'static str, u64, u32) {
        let st = self.state.lock();
        let state = if st.count > 0 { "locked" } else { "unlocked" };
        (state, st.owner, st.count)
    }

    pub fn locked(&self) -> bool {
        self.state.lock().count > 0
    }

    /// Wakes every waiter (to notice a deadlock report or an interrupt).
    pub fn wake_all(&self) {
        let _st = self.state.lock();
        self.cond.notify_all();
    }

    /// Takes the lock if that needs no waiting: free, or already ours and re-entrant.
    fn try_take(&self, st: &mut LockState, me: u64) -> bool {
        if st.count == 0 {
            st.count = 1;
            st.owner = me;
            st.takes += 1;
            true
        } else if self.kind == LockKind::Reentrant && st.owner == me {
            st.count += 1;
            true
        } else {
            false
        }
    }

    /// Takes the lock for thread `me` unconditionally (a new thread's sentinel).
    pub fn take_for(&self, me: u64) {
        let mut st = self.state.lock();
        st.count = 1;
        st.owner = me;
        st.takes += 1;
    }

    /// `acquire(blocking, timeout)`; `timeout` None waits forever.
    pub fn acquire(self: &Arc<Self>, vm: &mut Vm, blocking: bool, timeout: Option<Duration>) -> PyResult<bool> {
        let me = vm.thread.id;
        if self.try_take(&mut self.state.lock(), me) {
            if self.traced() {
                vm.trace(EventKind::LockAcquire(self.id));
            }
            return Ok(true);
        }
        if !blocking || timeout == Some(Duration::ZERO) {
            return Ok(false);
        }
        vm.trace(EventKind::LockWait(self.id));
        if let Some(s) = crate::deterministic::active() {
            return self.acquire_deterministic(vm, s, timeout);
        }
        let deadline = timeout.map(|t| Instant::now() + t);
        let (what, site) = vm.wait_point(self.kind);
        let reason = if &*what == "Thread.join" {
            Release::Join
        } else {
            Release::LockWait
        };
        // Only a wait with no timeout can be part of a deadlock.
        let registry_wait = deadline.is_none().then(|| WaitInfo {
            lock: self.clone(),
            what,
            site,
        });
        let interp = vm.interp.clone();
        let thread = vm.thread.clone();
        let is_main = thread.id == 1;
        let outcome = vm.allow_threads(reason, || {
            let forever = registry_wait.is_some();
            // Ctrl-C wakes the main thread's wait (Modules/_threadmodule.c acquire_timed:
            // an EINTR ends the wait and the pending call raises KeyboardInterrupt).
            if is_main {
                crate::signals::set_main_wait(Some(self.clone()));
            }
            if let Some(info) = registry_wait {
                interp.threads.enter_blocked(&thread, info);
            }
            let mut st = self.state.lock();
            let outcome = loop {
                if self.try_take(&mut st, me) {
                    break Outcome::Acquired;
                }
                if is_main && interp.threads.deadlocked() {
                    break Outcome::Deadlock;
                }
                if is_main && crate::signals::interrupt_pending() {
                    break Outcome::Interrupted;
                }
                // What deadlock detection compares against: nothing changed since.
                thread.wait_seen_takes.store(st.takes, Ordering::Relaxed);
                match deadline {
                    None => {
                        // Wake now and then to look for a deadlock again, in case the
                        // last look raced with a lock changing hands.
                        if self.cond.wait_for(&mut st, RECHECK).timed_out() {
                            MutexGuard::unlocked(&mut st, || interp.threads.check_deadlock());
                        }
                    }
                    Some(d) => {
                        if self.cond.wait_until(&mut st, d).timed_out() && !self.try_take(&mut st, me) {
                            break Outcome::TimedOut;
                        }
                    }
                }
            };
            drop(st);
            if is_main {
                crate::signals::set_main_wait(None);
            }
            if forever {
                interp.threads.leave_blocked(&thread);
            }
            outcome
        });
        match outcome {
            Outcome::Acquired => {
                vm.trace(EventKind::LockAcquire(self.id));
                Ok(true)
            }
            Outcome::TimedOut => Ok(false),
            Outcome::Interrupted => match crate::signals::take_interrupt() {
                Some(e) => Err(e),
                // Raised already at a poll on the way back: wait again, as acquire_timed
                // retries when the pending calls raise nothing.
                None => self.acquire(
                    vm,
                    blocking,
                    deadline.map(|d| d.saturating_duration_since(Instant::now())),
                ),
            },
            Outcome::Deadlock => Err(deadlock_error(vm)),
        }
    }

    /// A blocking acquire in a deterministic run: the wait is the scheduler's, in virtual
    /// time, and a release wakes a waiter the scheduler (and the seed) picks.
    fn acquire_deterministic(
        self: &Arc<Self>,
        vm: &mut Vm,
        s: &crate::deterministic::Scheduler,
        timeout: Option<Duration>,
    ) -> PyResult<bool> {
        use crate::deterministic::Wake;
        let me = vm.thread.id;
        vm.sync_clock();
        let deadline = timeout.map(|t| s.now_ns().saturating_add(t.as_nanos().min(u64::MAX as u128) as u64));
        let (what, site) = vm.wait_point(self.kind);
        let reason = if &*what == "Thread.join" {
            Release::Join
        } else {
            Release::LockWait
        };
        let forever = deadline.is_none();
        if forever {
            let info = WaitInfo {
                lock: self.clone(),
                what,
                site,
            };
            vm.interp.threads.enter_blocked(&vm.thread, info);
        }
        let key = self.key();
        let outcome = loop {
            vm.thread
                .wait_seen_takes
                .store(self.state.lock().takes, Ordering::Relaxed);
            let wake = vm.det_block(s, reason, Some(key), deadline);
            if self.try_take(&mut self.state.lock(), me) {
                break Outcome::Acquired;
            }
            match wake {
                Wake::Notified => continue,
                Wake::TimedOut => break Outcome::TimedOut,
                Wake::Deadlock => break Outcome::Deadlock,
                Wake::Interrupted => break Outcome::Interrupted,
            }
        };
        // The report names every blocked thread: build it while this one still counts.
        let deadlock = (outcome == Outcome::Deadlock).then(|| deadlock_error(vm));
        if forever {
            vm.interp.threads.leave_blocked(&vm.thread);
        }
        match outcome {
            Outcome::Acquired => {
                vm.trace(EventKind::LockAcquire(self.id));
                Ok(true)
            }
            Outcome::TimedOut => Ok(false),
            Outcome::Deadlock => Err(deadlock.expect("built above for a deadlock")),
            Outcome::Interrupted => match crate::signals::take_interrupt() {
                Some(e) => Err(e),
                None => {
                    let left = deadline.map(|d| Duration::from_nanos(d.saturating_sub(s.now_ns())));
                    self.acquire(vm, true, left)
                }
            },
        }
    }

    /// How the deterministic scheduler names this lock's waiters.
    fn key(&self) -> usize {
        self as *const LockCore as usize
    }

    /// Tells the deterministic scheduler, if any, that the lock was released.
    fn wake_waiters(&self, all: bool) {
        if let Some(s) = crate::deterministic::active() {
            s.notify(self.key(), all);
        }
    }

    /// `release()`: CPython's errors for a lock that is not held (by us, if re-entrant).
    pub fn release(&self, me: u64) -> PyResult<()> {
        let mut st = self.state.lock();
        match self.kind {
            LockKind::Plain if st.count == 0 => {
                return Err(crate::vm::errors::runtime_error("release unlocked lock"));
            }
            LockKind::Reentrant if st.count == 0 || st.owner != me => {
                return Err(crate::vm::errors::runtime_error("cannot release un-acquired lock"));
            }
            _ => {}
        }
        st.count -= 1;
        if st.count == 0 {
            st.owner = 0;
            self.cond.notify_one();
            drop(st);
            self.wake_waiters(false);
        }
        Ok(())
    }

    /// Releases whatever the lock holds, whoever holds it (a finished thread's sentinel).
    pub fn force_release(&self) {
        let mut st = self.state.lock();
        st.count = 0;
        st.owner = 0;
        self.cond.notify_all();
        drop(st);
        self.wake_waiters(true);
    }

    /// RLock `_release_save`: gives up every level at once, returning (count, owner).
    pub fn release_all(&self, me: u64) -> PyResult<(u32, u64)> {
        let mut st = self.state.lock();
        if st.count == 0 || st.owner != me {
            return Err(crate::vm::errors::runtime_error("cannot release un-acquired lock"));
        }
        let saved = (st.count, st.owner);
        st.count = 0;
        st.owner = 0;
        self.cond.notify_one();
        drop(st);
        self.wake_waiters(false);
        Ok(saved)
    }

    /// RLock `_acquire_restore`: the count goes back to what `release_all` saved.
    pub fn restore_count(&self, count: u32) {
        self.state.lock().count = count;
    }

    /// RLock `_is_owned`.
    pub fn is_owned_by(&self, me: u64) -> bool {
        let st = self.state.lock();
        st.count > 0 && st.owner == me
    }
}

/// The DeadlockError the main thread raises, with the report of who waits for what.
fn deadlock_error(vm: &mut Vm) -> PyErr {
    let threads = &vm.interp.threads;
    if threads.deadlock_report().is_none() {
        threads.check_deadlock();
    }
    let report = threads.deadlock_report().unwrap_or_else(|| {
        let report = "every thread is blocked, each waiting for something only a blocked thread could do";
        threads.declare_deadlock(report.to_string());
        report.to_string()
    });
    PyErr::new(&exc().deadlock_error, report)
}
