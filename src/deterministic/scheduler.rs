//! The one scheduler of a deterministic run. It is the interpreter lock of every
//! interpreter in the run (through [`DomainGil`]) and also every wait the program can make:
//! sleeps, threading-lock waits (with or without a timeout), I/O pauses and messages
//! between simulated processes all end here, so that the scheduler always knows which
//! threads could run and when.
//!
//! **Domains.** Each interpreter — the program's, and each simulated worker process — is a
//! domain with its own lock and its own clock. A domain whose lock is held occupies one of
//! the simulated cores; a domain that wants a core when all are busy queues for one (the
//! OS's time slicing between processes is not modelled: a process keeps its core until its
//! threads all block). Only one OS thread runs at a time: the lock holder of the on-core
//! domain whose clock is furthest behind, which runs until it is [`QUANTUM_NS`] ahead of
//! the next one. Virtual time thus advances in parallel on every core while real
//! execution stays serial, in one order.
//!
//! **The lock models** follow the real ones in virtual time:
//! - `new` (Python/ceval_gil.c): a thread that has wanted the lock for a whole switch
//!   interval sets the holder's drop request, which the holder honours at its next poll
//!   (backward jump or call); a forced drop hands the lock to another thread
//!   (FORCE_SWITCHING).
//! - `old` (Python 2's ceval.c): every `check_interval` instructions the holder releases
//!   and the lock goes to any thread that wants it, the holder included.
//!
//! Choices among equals (which waiter gets the lock; which waiter a released threading
//! lock wakes; how late a waiter's timed wait ends) come from a generator seeded with
//! `--seed`.

use std::cell::Cell;
use std::collections::{BTreeSet, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use parking_lot::{Condvar, Mutex};
use rustc_hash::FxHashMap;

use super::Settings;
use crate::gil::{Gil, GilStats, Policy, Release};
use crate::threads::ThreadState;
use crate::vm::vm::breaker;

/// Why a wait in the scheduler ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wake {
    /// The awaited lock or channel was released (or the wait was a plain yield).
    Notified,
    /// The deadline passed (the end of a sleep, or a wait's timeout).
    TimedOut,
    /// Nothing can ever run again: every thread waits with no timeout.
    Deadlock,
    /// Ctrl-C, for the main thread.
    Interrupted,
}

/// The longest a holder runs between two looks at the clock.
const MAX_SLICE_NS: u64 = 10_000_000;

/// How far one simulated process may run ahead of another before they swap (bounds how
/// late a message between processes can be noticed).
pub const QUANTUM_NS: u64 = 100_000;

/// A real waiter's timed wait ends a little after the switch interval (the OS wakes it
/// late), so the holder's drop request lands at a varying point of its loop. Without this
/// every request would fall at the same instruction of a loop, and a race would either
/// always or never lose updates. The seed decides each delay, up to this much.
const WAKEUP_JITTER_NS: u64 = 50_000;

thread_local! {
    /// The domain of the interpreter the calling OS thread runs (0: the program's own).
    static CURRENT_DOMAIN: Cell<usize> = const { Cell::new(0) };
}

/// Records which domain the calling OS thread belongs to (its clock is the one it reads).
pub fn set_current_domain(domain: usize) {
    CURRENT_DOMAIN.with(|d| d.set(domain));
}

pub fn current_domain() -> usize {
    CURRENT_DOMAIN.with(|d| d.get())
}

/// The scheduler's name for a thread: unique across domains.
fn key_of(t: &ThreadState) -> u64 {
    (u64::from(t.domain) << 32) | (t.id & 0xffff_ffff)
}

fn domain_of(key: u64) -> usize {
    (key >> 32) as usize
}

struct Entry {
    thread: Arc<ThreadState>,
    cond: Arc<Condvar>,
    /// Why its last wait ended, for the waiter to read.
    wake: Option<Wake>,
    /// The lock or channel it waits on.
    lock_key: Option<usize>,
    /// Its deadline in `timers`.
    timer: Option<(u64, u64)>,
    runnable: bool,
    /// When it last started wanting the lock (on its domain's clock).
    since: u64,
}

/// One interpreter's lock and clock.
struct Domain {
    clock: u64,
    holder: Option<u64>,
    hold_since: u64,
    last_holder: u64,
    /// Threads that want the lock, in the order they started wanting it.
    runnable: Vec<u64>,
    /// The holder was asked to drop the lock and has not yet.
    drop_requested: bool,
    /// Instructions the holder ran since its last periodic release (`old` only).
    since_check: u64,
    /// How late the current hold's drop request comes (see [`WAKEUP_JITTER_NS`]).
    jitter: u64,
    on_core: bool,
    queued_for_core: bool,
    stats: Arc<GilStats>,
}

impl Domain {
    fn new(clock: u64) -> Domain {
        Domain {
            clock,
            holder: None,
            hold_since: clock,
            last_holder: 0,
            runnable: Vec::new(),
            drop_requested: false,
            since_check: 0,
            jitter: 0,
            on_core: false,
            queued_for_core: false,
            stats: Arc::new(GilStats::default()),
        }
    }
}

struct State {
    domains: Vec<Domain>,
    /// Domains waiting for a free core, in order.
    core_queue: VecDeque<usize>,
    /// The one thread executing now.
    running: Option<u64>,
    /// (deadline, sequence number, thread): sleeps and waits with a timeout.
    timers: BTreeSet<(u64, u64, u64)>,
    seq: u64,
    entries: FxHashMap<u64, Entry>,
    /// Threads waiting on each lock or channel (keyed by its address), in order.
    lock_waiters: FxHashMap<usize, Vec<u64>>,
    rng: u64,
}

pub struct Scheduler {
    st: Mutex<State>,
    pub settings: Settings,
    policy: Policy,
    interval_us: Arc<AtomicU64>,
    check_interval: u64,
    cores: usize,
}

impl Scheduler {
    pub fn new(settings: Settings, policy: Policy, interval_us: Arc<AtomicU64>, check_interval: u32) -> Scheduler {
        Scheduler {
            st: Mutex::new(State {
                domains: vec![Domain::new(0)],
                core_queue: VecDeque::new(),
                running: None,
                timers: BTreeSet::new(),
                seq: 0,
                entries: FxHashMap::default(),
                lock_waiters: FxHashMap::default(),
                rng: settings.seed,
            }),
            cores: settings.cores.max(1) as usize,
            settings,
            policy,
            interval_us,
            check_interval: u64::from(check_interval.max(1)),
        }
    }

    /// The lock of the program's own interpreter (domain 0).
    pub fn main_gil(self: &Arc<Self>) -> Arc<DomainGil> {
        let stats = self.st.lock().domains[0].stats.clone();
        Arc::new(DomainGil {
            sched: self.clone(),
            stats,
        })
    }

    /// A new domain (a simulated process), its clock starting at the caller's time.
    /// Returns its number and its lock.
    pub fn new_domain(self: &Arc<Self>) -> (usize, Arc<DomainGil>) {
        let mut st = self.st.lock();
        let clock = st.domains[current_domain()].clock;
        st.domains.push(Domain::new(clock));
        let d = st.domains.len() - 1;
        let stats = st.domains[d].stats.clone();
        (
            d,
            Arc::new(DomainGil {
                sched: self.clone(),
                stats,
            }),
        )
    }

    /// Virtual nanoseconds since the run started, on the calling thread's domain clock.
    pub fn now_ns(&self) -> u64 {
        let st = self.st.lock();
        st.domains.get(current_domain()).map(|d| d.clock).unwrap_or(0)
    }

    /// The latest time of any domain: when the whole run ended.
    pub fn end_ns(&self) -> u64 {
        self.st.lock().domains.iter().map(|d| d.clock).max().unwrap_or(0)
    }

    fn interval_ns(&self) -> u64 {
        self.interval_us.load(Ordering::Relaxed).max(1) * 1000
    }

    /// The holder ran `instructions` more instructions.
    pub fn advance(&self, t: &ThreadState, instructions: u64) {
        let mut st = self.st.lock();
        let d = &mut st.domains[t.domain as usize];
        d.clock += instructions * self.settings.instruction_ns;
        if self.policy == Policy::Old {
            d.since_check += instructions;
        }
    }

    /// A new thread, created by the running one: it wants its lock from now on (or from
    /// `at`, for a process that takes a while to start).
    pub fn register(&self, t: &Arc<ThreadState>, at: Option<u64>) {
        let mut st = self.st.lock();
        let now = st.domains[current_domain()].clock;
        ensure_entry(&mut st, t);
        let key = key_of(t);
        match at {
            Some(at) if at > now => {
                st.seq += 1;
                let seq = st.seq;
                st.timers.insert((at, seq, key));
                st.entries.get_mut(&key).expect("just ensured").timer = Some((at, seq));
            }
            _ => {
                make_runnable(&mut st, key, now);
                self.dispatch_domain(&mut st, t.domain as usize);
            }
        }
        self.ask_running_to_reschedule(&st);
    }

    /// A thread that was registered but never started.
    pub fn forget(&self, t: &ThreadState) {
        let mut st = self.st.lock();
        remove_thread(&mut st, key_of(t));
    }

    /// The calling thread (the running holder) gives its lock up and waits: for the lock
    /// or channel `key` to be released, until `deadline` (virtual ns), or both. With
    /// neither it only lets the others run (a yield). Returns holding the lock and running.
    pub fn block(&self, t: &Arc<ThreadState>, key: Option<usize>, deadline: Option<u64>) -> Wake {
        let mut st = self.st.lock();
        crate::gil::take_drop_request(t);
        ensure_entry(&mut st, t);
        let me = key_of(t);
        let d = t.domain as usize;
        let now = st.domains[d].clock;
        if st.domains[d].holder == Some(me) {
            st.domains[d].holder = None;
        }
        if st.running == Some(me) {
            st.running = None;
        }
        let cond = {
            let e = st.entries.get_mut(&me).expect("entry was just ensured");
            e.wake = None;
            e.lock_key = key;
            e.cond.clone()
        };
        if let Some(k) = key {
            st.lock_waiters.entry(k).or_default().push(me);
        }
        if let Some(at) = deadline {
            st.seq += 1;
            let seq = st.seq;
            st.timers.insert((at.max(now), seq, me));
            st.entries.get_mut(&me).expect("entry exists").timer = Some((at.max(now), seq));
        }
        if key.is_none() && deadline.is_none() {
            make_runnable(&mut st, me, now);
        }
        self.wait_turn(&mut st, me, d, &cond);
        st.entries
            .get_mut(&me)
            .and_then(|e| e.wake.take())
            .unwrap_or(Wake::Notified)
    }

    /// A lock was released or a channel received a message: one of its waiters (or all)
    /// may run again, from the caller's time on.
    pub fn notify(&self, key: usize, all: bool) {
        let mut st = self.st.lock();
        let Some(waiters) = st.lock_waiters.get_mut(&key) else {
            return;
        };
        let woken: Vec<u64> = if all || waiters.len() <= 1 {
            std::mem::take(waiters)
        } else {
            let n = waiters.len();
            let i = (next_random(&mut st.rng) % n as u64) as usize;
            let waiters = st.lock_waiters.get_mut(&key).expect("just looked up");
            vec![waiters.remove(i)]
        };
        if st.lock_waiters.get(&key).is_some_and(|w| w.is_empty()) {
            st.lock_waiters.remove(&key);
        }
        let now = st.domains[current_domain()].clock;
        for tid in woken {
            cancel_timer(&mut st, tid);
            if let Some(e) = st.entries.get_mut(&tid) {
                e.lock_key = None;
                e.wake = Some(Wake::Notified);
            }
            make_runnable(&mut st, tid, now);
            self.dispatch_domain(&mut st, domain_of(tid));
        }
        if st.running.is_none() {
            self.run_next(&mut st);
        } else {
            self.ask_running_to_reschedule(&st);
        }
    }

    /// Ctrl-C: a main thread that is waiting wakes up to raise KeyboardInterrupt.
    pub fn interrupt_main(&self) {
        let mut st = self.st.lock();
        let waiting = st.entries.get(&MAIN).is_some_and(|e| !e.runnable) && st.domains[0].holder != Some(MAIN);
        if !waiting {
            return;
        }
        wake_waiter(&mut st, MAIN, Wake::Interrupted);
        self.dispatch_domain(&mut st, 0);
        if st.running.is_none() {
            self.run_next(&mut st);
        }
    }

    /// The running thread's periodic look at the clock, after `executed` more
    /// instructions. Returns how many instructions it may run before the next look, and
    /// whether it must give the lock up now (the old lock's check interval). It may pause
    /// here (keeping its lock) while a simulated process that is behind catches up.
    pub fn tick(&self, t: &ThreadState, executed: u64) -> (i64, bool) {
        let mut st = self.st.lock();
        let me = key_of(t);
        let d = t.domain as usize;
        st.domains[d].clock += executed * self.settings.instruction_ns;
        if self.policy == Policy::Old {
            st.domains[d].since_check += executed;
        }
        self.fire_due_timers(&mut st);
        self.dispatch_all(&mut st);
        // Another process is behind: let it catch up first.
        if self.behind_other(&st, d).is_some() {
            st.running = None;
            self.run_next(&mut st);
            let cond = st.entries[&me].cond.clone();
            while st.running != Some(me) {
                cond.wait(&mut st);
            }
        }
        let now = st.domains[d].clock;
        let mut release_now = false;
        match self.policy {
            Policy::Old => release_now = st.domains[d].since_check >= self.check_interval,
            _ => {
                if let Some(deadline) = self.switch_deadline(&st, d) {
                    if now >= deadline {
                        // SET_GIL_DROP_REQUEST: honoured at the holder's next poll.
                        t.breaker.fetch_or(breaker::DROP_REQUEST, Ordering::Relaxed);
                        st.domains[d].drop_requested = true;
                        st.domains[d].stats.record_drop_request();
                    }
                }
            }
        }
        (self.budget_locked(&st, d), release_now)
    }

    /// Instructions the running thread of domain `d` may run before its next look.
    pub fn budget(&self, t: &ThreadState) -> i64 {
        self.budget_locked(&self.st.lock(), t.domain as usize)
    }

    fn budget_locked(&self, st: &State, d: usize) -> i64 {
        let dom = &st.domains[d];
        let now = dom.clock;
        let mut until = MAX_SLICE_NS;
        if let Some(&(wake, _, _)) = st.timers.first() {
            until = until.min(wake.saturating_sub(now));
        }
        if let Some(deadline) = self.switch_deadline(st, d) {
            until = until.min(deadline.saturating_sub(now));
        }
        if let Some(other) = self.slowest_other(st, d) {
            until = until.min((other + QUANTUM_NS).saturating_sub(now));
        }
        let cost = self.settings.instruction_ns.max(1);
        let mut instructions = until.div_ceil(cost).max(1);
        if self.policy == Policy::Old {
            instructions = instructions.min(self.check_interval.saturating_sub(dom.since_check).max(1));
        }
        instructions.min(i64::MAX as u64) as i64
    }

    /// The clock of the on-core domain other than `d` that is furthest behind.
    fn slowest_other(&self, st: &State, d: usize) -> Option<u64> {
        st.domains
            .iter()
            .enumerate()
            .filter(|&(i, dom)| i != d && dom.on_core)
            .map(|(_, dom)| dom.clock)
            .min()
    }

    /// Another on-core domain more than a quantum behind `d`, if any.
    fn behind_other(&self, st: &State, d: usize) -> Option<u64> {
        self.slowest_other(st, d)
            .filter(|&other| other + QUANTUM_NS <= st.domains[d].clock)
    }

    /// When the `new` lock's longest waiter in domain `d` will have waited a whole switch
    /// interval since the holder took the lock (take_gil's timed wait), if anyone waits
    /// and no drop request is pending.
    fn switch_deadline(&self, st: &State, d: usize) -> Option<u64> {
        let dom = &st.domains[d];
        if self.policy != Policy::New || dom.drop_requested || dom.holder.is_none() {
            return None;
        }
        let first = dom
            .runnable
            .iter()
            .filter_map(|tid| st.entries.get(tid).map(|e| e.since))
            .min()?;
        Some(first.max(dom.hold_since) + self.interval_ns() + dom.jitter)
    }

    /// A thread became runnable: the running one must work its budget out again at its
    /// next poll (a switch deadline, or another process, may now come sooner).
    fn ask_running_to_reschedule(&self, st: &State) {
        if let Some(e) = st.running.and_then(|r| st.entries.get(&r)) {
            e.thread.breaker.fetch_or(breaker::RESCHEDULE, Ordering::Relaxed);
        }
    }

    /// The earliest clock of the domains on a core: how far the whole run has got.
    fn horizon(st: &State) -> Option<u64> {
        st.domains.iter().filter(|d| d.on_core).map(|d| d.clock).min()
    }

    /// Every timer due by the run's horizon fires, in deadline order.
    fn fire_due_timers(&self, st: &mut State) {
        let Some(horizon) = Self::horizon(st) else {
            return;
        };
        while let Some(&(at, _, _)) = st.timers.first() {
            if at > horizon {
                break;
            }
            self.fire_first_timer(st);
        }
    }

    /// The first timer fires: its thread wants its lock from the deadline on.
    fn fire_first_timer(&self, st: &mut State) {
        let Some((at, seq, tid)) = st.timers.pop_first() else {
            return;
        };
        let _ = seq;
        let key = st.entries.get_mut(&tid).and_then(|e| {
            e.timer = None;
            e.wake = Some(Wake::TimedOut);
            e.lock_key.take()
        });
        if let Some(k) = key {
            if let Some(w) = st.lock_waiters.get_mut(&k) {
                w.retain(|&x| x != tid);
            }
        }
        make_runnable(st, tid, at);
    }

    /// Every domain whose lock is free and wanted gets it (or queues for a core), in
    /// domain order.
    fn dispatch_all(&self, st: &mut State) {
        for d in 0..st.domains.len() {
            if st.domains[d].holder.is_none() && !st.domains[d].runnable.is_empty() {
                self.dispatch_domain(st, d);
            }
        }
    }

    /// Domain `d`'s lock is free: hand it to a thread that wants it, taking a core if the
    /// domain has none (or queueing for one). A domain with nobody wanting its lock gives
    /// its core to the next domain in the queue.
    fn dispatch_domain(&self, st: &mut State, d: usize) {
        let dom = &st.domains[d];
        if dom.holder.is_some() {
            return;
        }
        if dom.runnable.is_empty() {
            if dom.on_core {
                st.domains[d].on_core = false;
                let freed_at = st.domains[d].clock;
                if let Some(next) = st.core_queue.pop_front() {
                    let n = &mut st.domains[next];
                    n.queued_for_core = false;
                    n.clock = n.clock.max(freed_at);
                    n.on_core = true;
                    self.grant_in(st, next);
                }
            }
            return;
        }
        if !dom.on_core {
            let busy = st.domains.iter().filter(|x| x.on_core).count();
            if busy >= self.cores {
                if !dom.queued_for_core {
                    st.domains[d].queued_for_core = true;
                    st.core_queue.push_back(d);
                }
                return;
            }
            st.domains[d].on_core = true;
        }
        self.grant_in(st, d);
    }

    /// Gives domain `d`'s lock to one of the threads that want it (the seed picks).
    fn grant_in(&self, st: &mut State, d: usize) {
        let n = st.domains[d].runnable.len();
        if n == 0 {
            return;
        }
        let i = if n == 1 {
            0
        } else {
            (next_random(&mut st.rng) % n as u64) as usize
        };
        let tid = st.domains[d].runnable.remove(i);
        let jitter = next_random(&mut st.rng) % WAKEUP_JITTER_NS;
        let since = st.entries.get(&tid).map(|e| e.since).unwrap_or(0);
        let dom = &mut st.domains[d];
        // A message from a process running up to a quantum ahead cannot be received
        // before it was sent: the receiving process's clock catches up first.
        dom.clock = dom.clock.max(since);
        dom.holder = Some(tid);
        dom.hold_since = dom.clock;
        dom.drop_requested = false;
        dom.since_check = 0;
        dom.jitter = jitter;
        if dom.last_holder != tid {
            dom.last_holder = tid;
            // The handoff itself takes no virtual time.
            dom.stats.record_switch(Some(Duration::ZERO));
        }
        if let Some(e) = st.entries.get_mut(&tid) {
            e.runnable = false;
        }
    }

    /// Nobody is executing: pick the lock holder of the on-core domain furthest behind;
    /// when no domain is on a core, jump the clock to the next timer; when nothing will
    /// ever run and the main thread waits, wake it to report the deadlock.
    fn run_next(&self, st: &mut State) {
        if st.running.is_some() {
            return;
        }
        loop {
            self.fire_due_timers(st);
            self.dispatch_all(st);
            let next = st
                .domains
                .iter()
                .enumerate()
                .filter(|(_, d)| d.on_core && d.holder.is_some())
                .min_by_key(|&(i, d)| (d.clock, i))
                .and_then(|(_, d)| d.holder);
            if let Some(tid) = next {
                st.running = Some(tid);
                if let Some(e) = st.entries.get(&tid) {
                    e.cond.notify_one();
                }
                return;
            }
            if !st.timers.is_empty() {
                // Every thread sleeps: jump to the first wake-up.
                self.fire_first_timer(st);
                continue;
            }
            let main_blocked = st.entries.get(&MAIN).is_some_and(|e| e.lock_key.is_some());
            if main_blocked {
                wake_waiter(st, MAIN, Wake::Deadlock);
                self.dispatch_domain(st, 0);
                continue;
            }
            return;
        }
    }

    /// Domain `d`'s lock is free or wanted by `me`: let the scheduler choose, and wait
    /// until `me` is the thread that runs.
    fn wait_turn(&self, st: &mut parking_lot::MutexGuard<'_, State>, me: u64, d: usize, cond: &Condvar) {
        self.fire_due_timers(st);
        self.dispatch_domain(st, d);
        self.run_next(st);
        while st.running != Some(me) {
            cond.wait(st);
        }
    }

    /// When `t` started wanting its lock last (for the trace's "wants gil" event).
    pub fn wanted_since(&self, t: &ThreadState) -> Option<u64> {
        self.st.lock().entries.get(&key_of(t)).map(|e| e.since)
    }

    fn take(&self, t: &Arc<ThreadState>) {
        let mut st = self.st.lock();
        let me = key_of(t);
        if st.running == Some(me) {
            return;
        }
        ensure_entry(&mut st, t);
        let d = t.domain as usize;
        let (runnable, cond) = {
            let e = &st.entries[&me];
            (e.runnable, e.cond.clone())
        };
        let holds = st.domains[d].holder == Some(me);
        if !runnable && !holds && st.entries[&me].timer.is_none() {
            let now = st.domains[d].clock;
            make_runnable(&mut st, me, now);
        }
        self.wait_turn(&mut st, me, d, &cond);
        drop(st);
        crate::gil::take_drop_request(t);
    }

    fn release(&self, t: &ThreadState, reason: Release) {
        let mut st = self.st.lock();
        crate::gil::take_drop_request(t);
        let me = key_of(t);
        let d = t.domain as usize;
        if st.domains[d].holder == Some(me) {
            st.domains[d].holder = None;
        }
        if st.running == Some(me) {
            st.running = None;
        }
        let now = st.domains[d].clock;
        self.fire_due_timers(&mut st);
        match reason {
            Release::Exit => {
                remove_thread(&mut st, me);
                self.dispatch_domain(&mut st, d);
            }
            Release::Forced => {
                st.domains[d].stats.record_forced_drop();
                // FORCE_SWITCHING: another thread gets the lock before the dropper can.
                if !st.domains[d].runnable.is_empty() {
                    self.dispatch_domain(&mut st, d);
                }
                make_runnable(&mut st, me, now);
                self.dispatch_domain(&mut st, d);
            }
            _ => {
                // Interval (any thread may win, the dropper too), or a plain yield.
                make_runnable(&mut st, me, now);
                self.dispatch_domain(&mut st, d);
            }
        }
        self.run_next(&mut st);
    }
}

/// The scheduler key of the program's main thread (domain 0, thread 1).
const MAIN: u64 = 1;

/// One interpreter's view of the scheduler: its lock, with statistics of its own.
pub struct DomainGil {
    sched: Arc<Scheduler>,
    stats: Arc<GilStats>,
}

impl DomainGil {
    pub fn scheduler(&self) -> &Arc<Scheduler> {
        &self.sched
    }
}

impl Gil for DomainGil {
    fn policy(&self) -> Policy {
        self.sched.policy
    }

    fn take(&self, t: &Arc<ThreadState>) {
        self.sched.take(t);
    }

    fn release(&self, t: &ThreadState, reason: Release) {
        self.sched.release(t, reason);
    }

    fn stats(&self) -> &GilStats {
        &self.stats
    }
}

fn ensure_entry(st: &mut State, t: &Arc<ThreadState>) {
    st.entries.entry(key_of(t)).or_insert_with(|| Entry {
        thread: t.clone(),
        cond: Arc::new(Condvar::new()),
        wake: None,
        lock_key: None,
        timer: None,
        runnable: false,
        since: 0,
    });
}

/// `tid` wants its lock from `since` on; an idle domain's clock moves up to then.
fn make_runnable(st: &mut State, tid: u64, since: u64) {
    let Some(e) = st.entries.get_mut(&tid) else {
        return;
    };
    if e.runnable {
        return;
    }
    let d = domain_of(tid);
    let dom = &mut st.domains[d];
    let since = if dom.on_core || dom.holder.is_some() {
        since
    } else {
        dom.clock = dom.clock.max(since);
        dom.clock
    };
    e.runnable = true;
    e.since = since;
    dom.runnable.push(tid);
}

fn cancel_timer(st: &mut State, tid: u64) {
    if let Some((at, seq)) = st.entries.get_mut(&tid).and_then(|e| e.timer.take()) {
        st.timers.remove(&(at, seq, tid));
    }
}

/// Ends `tid`'s wait (lock and timer) with `why` and makes it runnable now.
fn wake_waiter(st: &mut State, tid: u64, why: Wake) {
    cancel_timer(st, tid);
    let key = st.entries.get_mut(&tid).and_then(|e| {
        e.wake = Some(why);
        e.lock_key.take()
    });
    if let Some(k) = key {
        if let Some(w) = st.lock_waiters.get_mut(&k) {
            w.retain(|&x| x != tid);
        }
    }
    let now = st.domains[domain_of(tid)].clock;
    make_runnable(st, tid, now);
}

fn remove_thread(st: &mut State, tid: u64) {
    cancel_timer(st, tid);
    if let Some(e) = st.entries.remove(&tid) {
        if let Some(k) = e.lock_key {
            if let Some(w) = st.lock_waiters.get_mut(&k) {
                w.retain(|&x| x != tid);
            }
        }
    }
    let d = domain_of(tid);
    if let Some(dom) = st.domains.get_mut(d) {
        dom.runnable.retain(|&x| x != tid);
        if dom.holder == Some(tid) {
            dom.holder = None;
        }
    }
    if st.running == Some(tid) {
        st.running = None;
    }
}

/// splitmix64: small, fast, and the same everywhere.
fn next_random(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
