//! The one scheduler of a deterministic run. It is the interpreter lock (it implements
//! [`Gil`]) and also every wait the program can make: sleeps, threading-lock waits (with or
//! without a timeout) and I/O pauses all end here, so that the scheduler always knows which
//! threads could run and when.
//!
//! The lock models follow the real ones in virtual time:
//! - `new` (Python/ceval_gil.c): a thread that has wanted the lock for a whole switch
//!   interval sets the holder's drop request, which the holder honours at its next poll
//!   (backward jump or call); a forced drop hands the lock to another thread
//!   (FORCE_SWITCHING).
//! - `old` (Python 2's ceval.c): every `check_interval` instructions the holder releases
//!   and the lock goes to any thread that wants it, the holder included.
//!
//! Choices among equals (which waiter gets the lock; which waiter a released threading
//! lock wakes) come from a generator seeded with `--seed`.

use std::collections::BTreeSet;
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
    /// The awaited threading lock was released (or the wait was a plain yield).
    Notified,
    /// The deadline passed (the end of a sleep, or a wait's timeout).
    TimedOut,
    /// Nothing can ever run again: every thread waits on a lock with no timeout.
    Deadlock,
    /// Ctrl-C, for the main thread.
    Interrupted,
}

/// The longest a holder runs between two looks at the clock.
const MAX_SLICE_NS: u64 = 10_000_000;

/// A real waiter's timed wait ends a little after the switch interval (the OS wakes it
/// late), so the holder's drop request lands at a varying point of its loop. Without this
/// every request would fall at the same instruction of a loop, and a race would either
/// always or never lose updates. The seed decides each delay, up to this much.
const WAKEUP_JITTER_NS: u64 = 50_000;

struct Entry {
    thread: Arc<ThreadState>,
    cond: Arc<Condvar>,
    /// Why its last wait ended, for the waiter to read.
    wake: Option<Wake>,
    /// The threading lock it waits on.
    lock_key: Option<usize>,
    /// Its deadline in `timers`.
    timer: Option<(u64, u64)>,
    runnable: bool,
    /// When it last started wanting the lock.
    since: u64,
}

struct State {
    now: u64,
    holder: Option<u64>,
    hold_since: u64,
    last_holder: u64,
    /// Threads that want the lock, in the order they started wanting it.
    runnable: Vec<u64>,
    /// (deadline, sequence number, thread): sleeps and waits with a timeout.
    timers: BTreeSet<(u64, u64, u64)>,
    seq: u64,
    entries: FxHashMap<u64, Entry>,
    /// Threads waiting on each threading lock (keyed by the lock's address), in order.
    lock_waiters: FxHashMap<usize, Vec<u64>>,
    rng: u64,
    /// The holder was asked to drop the lock and has not yet.
    drop_requested: bool,
    /// Instructions the holder ran since its last periodic release (`old` only).
    since_check: u64,
    /// How late the current hold's drop request comes (see [`WAKEUP_JITTER_NS`]).
    jitter: u64,
}

pub struct Scheduler {
    st: Mutex<State>,
    pub settings: Settings,
    policy: Policy,
    interval_us: Arc<AtomicU64>,
    check_interval: u64,
    stats: GilStats,
}

impl Scheduler {
    pub fn new(settings: Settings, policy: Policy, interval_us: Arc<AtomicU64>, check_interval: u32) -> Scheduler {
        Scheduler {
            st: Mutex::new(State {
                now: 0,
                holder: None,
                hold_since: 0,
                last_holder: 0,
                runnable: Vec::new(),
                timers: BTreeSet::new(),
                seq: 0,
                entries: FxHashMap::default(),
                lock_waiters: FxHashMap::default(),
                rng: settings.seed,
                drop_requested: false,
                since_check: 0,
                jitter: 0,
            }),
            settings,
            policy,
            interval_us,
            check_interval: u64::from(check_interval.max(1)),
            stats: GilStats::default(),
        }
    }

    /// Virtual nanoseconds since the run started.
    pub fn now_ns(&self) -> u64 {
        self.st.lock().now
    }

    fn interval_ns(&self) -> u64 {
        self.interval_us.load(Ordering::Relaxed).max(1) * 1000
    }

    /// The holder ran `instructions` more instructions.
    pub fn advance(&self, instructions: u64) {
        let mut st = self.st.lock();
        st.now += instructions * self.settings.instruction_ns;
        if self.policy == Policy::Old {
            st.since_check += instructions;
        }
    }

    /// A new thread, created by the running one: it wants the lock from now on.
    pub fn register(&self, t: &Arc<ThreadState>) {
        let mut st = self.st.lock();
        let now = st.now;
        ensure_entry(&mut st, t);
        make_runnable(&mut st, t.id, now);
        self.ask_holder_to_reschedule(&st);
    }

    /// A thread that was registered but never started.
    pub fn forget(&self, tid: u64) {
        let mut st = self.st.lock();
        remove_thread(&mut st, tid);
    }

    /// The calling thread (the holder) gives the lock up and waits: for the threading lock
    /// `key` to be released, until `deadline` (virtual ns), or both. With neither it only
    /// lets the others run (a yield). Returns holding the lock again.
    pub fn block(&self, t: &Arc<ThreadState>, key: Option<usize>, deadline: Option<u64>) -> Wake {
        let mut st = self.st.lock();
        crate::gil::take_drop_request(t);
        let now = st.now;
        ensure_entry(&mut st, t);
        if st.holder == Some(t.id) {
            st.holder = None;
        }
        let tid = t.id;
        let cond = {
            let e = st.entries.get_mut(&tid).expect("entry was just ensured");
            e.wake = None;
            e.lock_key = key;
            e.cond.clone()
        };
        if let Some(k) = key {
            st.lock_waiters.entry(k).or_default().push(tid);
        }
        if let Some(d) = deadline {
            st.seq += 1;
            let seq = st.seq;
            st.timers.insert((d.max(now), seq, tid));
            st.entries.get_mut(&tid).expect("entry exists").timer = Some((d.max(now), seq));
        }
        if key.is_none() && deadline.is_none() {
            make_runnable(&mut st, tid, now);
        }
        self.dispatch(&mut st);
        while st.holder != Some(tid) {
            cond.wait(&mut st);
        }
        st.entries
            .get_mut(&tid)
            .and_then(|e| e.wake.take())
            .unwrap_or(Wake::Notified)
    }

    /// A threading lock was released: one of its waiters (or all) may run again.
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
        let now = st.now;
        for tid in woken {
            cancel_timer(&mut st, tid);
            if let Some(e) = st.entries.get_mut(&tid) {
                e.lock_key = None;
                e.wake = Some(Wake::Notified);
            }
            make_runnable(&mut st, tid, now);
        }
        if st.holder.is_none() {
            self.dispatch(&mut st);
        } else {
            self.ask_holder_to_reschedule(&st);
        }
    }

    /// Ctrl-C: a main thread that is waiting wakes up to raise KeyboardInterrupt.
    pub fn interrupt_main(&self) {
        let mut st = self.st.lock();
        let waiting = st.entries.get(&1).is_some_and(|e| !e.runnable && st.holder != Some(1));
        if !waiting {
            return;
        }
        wake_waiter(&mut st, 1, Wake::Interrupted);
        self.dispatch(&mut st);
    }

    /// The holder's periodic look at the clock, after `executed` more instructions. Returns
    /// how many instructions it may run before the next look, and whether it must give the
    /// lock up now (the old lock's check interval).
    pub fn tick(&self, t: &ThreadState, executed: u64) -> (i64, bool) {
        let mut st = self.st.lock();
        st.now += executed * self.settings.instruction_ns;
        let now = st.now;
        fire_due_timers(&mut st, now);
        let mut release_now = false;
        match self.policy {
            Policy::Old => {
                st.since_check += executed;
                release_now = st.since_check >= self.check_interval;
            }
            _ => {
                if let Some(deadline) = self.switch_deadline(&st) {
                    if now >= deadline {
                        // SET_GIL_DROP_REQUEST: honoured at the holder's next poll.
                        t.breaker.fetch_or(breaker::DROP_REQUEST, Ordering::Relaxed);
                        st.drop_requested = true;
                        self.stats.record_drop_request();
                    }
                }
            }
        }
        (self.budget_locked(&st), release_now)
    }

    /// Instructions the holder may run before its next [`tick`](Self::tick).
    pub fn budget(&self) -> i64 {
        self.budget_locked(&self.st.lock())
    }

    fn budget_locked(&self, st: &State) -> i64 {
        let mut until = MAX_SLICE_NS;
        if let Some(&(wake, _, _)) = st.timers.first() {
            until = until.min(wake.saturating_sub(st.now));
        }
        if let Some(deadline) = self.switch_deadline(st) {
            until = until.min(deadline.saturating_sub(st.now));
        }
        let cost = self.settings.instruction_ns.max(1);
        let mut instructions = until.div_ceil(cost).max(1);
        if self.policy == Policy::Old {
            instructions = instructions.min(self.check_interval.saturating_sub(st.since_check).max(1));
        }
        instructions.min(i64::MAX as u64) as i64
    }

    /// When the `new` lock's longest waiter will have waited a whole switch interval since
    /// the holder took the lock (take_gil's timed wait), if anyone waits and no drop
    /// request is pending.
    fn switch_deadline(&self, st: &State) -> Option<u64> {
        if self.policy != Policy::New || st.drop_requested || st.holder.is_none() {
            return None;
        }
        let first = st
            .runnable
            .iter()
            .filter_map(|tid| st.entries.get(tid).map(|e| e.since))
            .min()?;
        Some(first.max(st.hold_since) + self.interval_ns() + st.jitter)
    }

    /// The running thread made another runnable: its budget must shrink to the new
    /// switch deadline, at its next poll.
    fn ask_holder_to_reschedule(&self, st: &State) {
        if let Some(e) = st.holder.and_then(|h| st.entries.get(&h)) {
            e.thread.breaker.fetch_or(breaker::RESCHEDULE, Ordering::Relaxed);
        }
    }

    /// Hands the free lock to a thread that wants it; advances the clock to the next
    /// deadline when nobody does.
    fn dispatch(&self, st: &mut State) {
        if st.holder.is_some() {
            return;
        }
        loop {
            let now = st.now;
            fire_due_timers(st, now);
            if !st.runnable.is_empty() {
                let i = match st.runnable.len() {
                    1 => 0,
                    n => (next_random(&mut st.rng) % n as u64) as usize,
                };
                let tid = st.runnable.remove(i);
                self.grant(st, tid);
                return;
            }
            if let Some(&(wake, _, _)) = st.timers.first() {
                // Every thread sleeps: jump to the first wake-up.
                st.now = st.now.max(wake);
                continue;
            }
            // Nobody can run and nobody will wake by time: if the main thread waits on a
            // lock, that is a deadlock, and it wakes to report it.
            let main_blocked = st.entries.get(&1).is_some_and(|e| e.lock_key.is_some());
            if main_blocked {
                wake_waiter(st, 1, Wake::Deadlock);
                continue;
            }
            return;
        }
    }

    fn grant(&self, st: &mut State, tid: u64) {
        let now = st.now;
        st.holder = Some(tid);
        st.hold_since = now;
        st.drop_requested = false;
        st.since_check = 0;
        st.jitter = next_random(&mut st.rng) % WAKEUP_JITTER_NS;
        if st.last_holder != tid {
            st.last_holder = tid;
            // The handoff itself takes no virtual time.
            self.stats.record_switch(Some(Duration::ZERO));
        }
        if let Some(e) = st.entries.get_mut(&tid) {
            e.runnable = false;
            e.cond.notify_one();
        }
    }

    /// When `tid` started wanting the lock last (for the trace's "wants gil" event).
    pub fn wanted_since(&self, tid: u64) -> Option<u64> {
        self.st.lock().entries.get(&tid).map(|e| e.since)
    }
}

impl Gil for Scheduler {
    fn policy(&self) -> Policy {
        self.policy
    }

    fn take(&self, t: &Arc<ThreadState>) {
        let mut st = self.st.lock();
        if st.holder == Some(t.id) {
            return;
        }
        let now = st.now;
        ensure_entry(&mut st, t);
        let (runnable, cond) = {
            let e = &st.entries[&t.id];
            (e.runnable, e.cond.clone())
        };
        if !runnable {
            make_runnable(&mut st, t.id, now);
        }
        self.dispatch(&mut st);
        while st.holder != Some(t.id) {
            cond.wait(&mut st);
        }
        drop(st);
        crate::gil::take_drop_request(t);
    }

    fn release(&self, t: &ThreadState, reason: Release) {
        let mut st = self.st.lock();
        crate::gil::take_drop_request(t);
        if st.holder == Some(t.id) {
            st.holder = None;
        }
        let now = st.now;
        match reason {
            Release::Exit => {
                remove_thread(&mut st, t.id);
                self.dispatch(&mut st);
            }
            Release::Forced => {
                self.stats.record_forced_drop();
                // FORCE_SWITCHING: another thread gets the lock before the dropper can.
                if !st.runnable.is_empty() {
                    self.dispatch(&mut st);
                }
                make_runnable(&mut st, t.id, now);
                self.dispatch(&mut st);
            }
            _ => {
                // Interval (any thread may win, the dropper too), or a plain yield.
                make_runnable(&mut st, t.id, now);
                self.dispatch(&mut st);
            }
        }
    }

    fn stats(&self) -> &GilStats {
        &self.stats
    }
}

fn ensure_entry(st: &mut State, t: &Arc<ThreadState>) {
    st.entries.entry(t.id).or_insert_with(|| Entry {
        thread: t.clone(),
        cond: Arc::new(Condvar::new()),
        wake: None,
        lock_key: None,
        timer: None,
        runnable: false,
        since: 0,
    });
}

fn make_runnable(st: &mut State, tid: u64, since: u64) {
    if let Some(e) = st.entries.get_mut(&tid) {
        if e.runnable {
            return;
        }
        e.runnable = true;
        e.since = since;
        st.runnable.push(tid);
    }
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
    let now = st.now;
    make_runnable(st, tid, now);
}

/// Every timer due by `now` fires, in deadline order: its thread wants the lock from its
/// deadline on.
fn fire_due_timers(st: &mut State, now: u64) {
    while let Some(&(at, seq, tid)) = st.timers.first() {
        if at > now {
            break;
        }
        st.timers.remove(&(at, seq, tid));
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
    st.runnable.retain(|&x| x != tid);
    if st.holder == Some(tid) {
        st.holder = None;
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
