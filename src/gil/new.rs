//! `--gil new`: CPython 3.2+'s lock (Python/ceval_gil.c take_gil / drop_gil, with
//! FORCE_SWITCHING).
//!
//! A waiter sleeps on the condition variable for one switch interval. If it times out, the
//! lock is still held and no switch happened meanwhile, it sets the holder's drop request,
//! which the holder polls at backward jumps and calls. A forced drop then waits until
//! another thread has taken the lock, so the dropper cannot grab it straight back; a
//! voluntary drop (sleep, I/O, a lock wait) does not wait. Which waiter wins is up to the
//! OS, as in CPython.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::{Condvar, Mutex};

use super::{take_drop_request, Gil, GilStats, Policy, Release};
use crate::threads::ThreadState;
use crate::vm::vm::breaker;

pub struct NewGil {
    state: Mutex<State>,
    /// Waiters for the lock (`gil->cond`).
    cond: Condvar,
    /// A forced dropper waits here for the switch (`gil->switch_cond`).
    switch_cond: Condvar,
    interval_us: Arc<AtomicU64>,
    stats: GilStats,
}

#[derive(Default)]
struct State {
    locked: bool,
    /// The thread holding the lock: the one a drop request goes to.
    holder: Option<Arc<ThreadState>>,
    /// `gil->last_holder`: the thread id that took the lock last.
    last_holder: u64,
    /// `gil->switch_number`: how many times the lock changed hands.
    switch_number: u64,
    waiters: u32,
    released_at: Option<Instant>,
}

impl NewGil {
    pub fn new(interval_us: Arc<AtomicU64>) -> NewGil {
        NewGil {
            state: Mutex::new(State::default()),
            cond: Condvar::new(),
            switch_cond: Condvar::new(),
            interval_us,
            stats: GilStats::default(),
        }
    }

    fn interval(&self) -> Duration {
        Duration::from_micros(self.interval_us.load(Ordering::Relaxed).max(1))
    }
}

impl Gil for NewGil {
    fn policy(&self) -> Policy {
        Policy::New
    }

    fn take(&self, t: &Arc<ThreadState>) {
        let mut st = self.state.lock();
        let mut waited = false;
        if st.locked {
            waited = true;
            st.waiters += 1;
            while st.locked {
                let saved_switch = st.switch_number;
                let timed_out = self.cond.wait_for(&mut st, self.interval()).timed_out();
                if timed_out && st.locked && st.switch_number == saved_switch {
                    // SET_GIL_DROP_REQUEST: the holder drops at its next poll.
                    if let Some(h) = &st.holder {
                        h.breaker.fetch_or(breaker::DROP_REQUEST, Ordering::Relaxed);
                        self.stats.record_drop_request();
                    }
                }
            }
            st.waiters -= 1;
        }
        st.locked = true;
        st.holder = Some(t.clone());
        if st.last_holder != t.id {
            st.last_holder = t.id;
            st.switch_number += 1;
            let handoff = if waited {
                st.released_at.map(|r| r.elapsed())
            } else {
                None
            };
            self.stats.record_switch(handoff);
        }
        // FORCE_SWITCHING: the forced dropper may stop waiting now.
        self.switch_cond.notify_all();
        drop(st);
        // A request aimed at an earlier hold of ours is stale (RESET_GIL_DROP_REQUEST).
        take_drop_request(t);
    }

    fn release(&self, t: &ThreadState, reason: Release) {
        let mut st = self.state.lock();
        st.locked = false;
        st.holder = None;
        st.released_at = Some(Instant::now());
        self.cond.notify_one();
        // A drop while a request is pending (forced, or voluntary just as the request came)
        // waits for the switch, as drop_gil does under FORCE_SWITCHING.
        let requested = take_drop_request(t) || reason == Release::Forced;
        if reason == Release::Forced {
            self.stats.record_forced_drop();
        }
        if requested && reason != Release::Exit {
            while st.last_holder == t.id && st.waiters > 0 {
                self.switch_cond.wait(&mut st);
            }
        }
    }

    fn stats(&self) -> &GilStats {
        &self.stats
    }
}
