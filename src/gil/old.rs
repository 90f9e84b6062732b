//! `--gil old`: Python 2's lock (Python/ceval.c of 2.7, `_Py_Ticker` and
//! PyThread_release_lock / PyThread_acquire_lock).
//!
//! Every `check_interval` instructions ("ticks", default 100) the holder releases the lock
//! and immediately asks for it again. Nothing hands the lock over: the waiter woken by the
//! release usually finds it taken again by the time it runs. On a multicore machine that
//! wakes waiters over and over for nothing (the "GIL battle"), so two CPU-bound threads
//! run slower than one thread doing both jobs; and a switch can fall between any two
//! instructions, even inside `counter += 1`.

use std::sync::Arc;
use std::time::Instant;

use parking_lot::{Condvar, Mutex};

use super::{Gil, GilStats, Policy, Release};
use crate::threads::ThreadState;

pub struct OldGil {
    state: Mutex<State>,
    cond: Condvar,
    check_interval: u32,
    stats: GilStats,
}

#[derive(Default)]
struct State {
    locked: bool,
    last_holder: u64,
    waiters: u32,
    released_at: Option<Instant>,
}

impl OldGil {
    pub fn new(check_interval: u32) -> OldGil {
        OldGil {
            state: Mutex::new(State::default()),
            cond: Condvar::new(),
            check_interval,
            stats: GilStats::default(),
        }
    }
}

impl Gil for OldGil {
    fn policy(&self) -> Policy {
        Policy::Old
    }

    fn take(&self, t: &Arc<ThreadState>) {
        let mut st = self.state.lock();
        let mut waited = false;
        if st.locked {
            waited = true;
            st.waiters += 1;
            while st.locked {
                self.cond.wait(&mut st);
            }
            st.waiters -= 1;
        }
        st.locked = true;
        if st.last_holder != t.id {
            st.last_holder = t.id;
            let handoff = if waited {
                st.released_at.map(|r| r.elapsed())
            } else {
                None
            };
            self.stats.record_switch(handoff);
        }
    }

    fn release(&self, _t: &ThreadState, _reason: Release) {
        let mut st = self.state.lock();
        st.locked = false;
        st.released_at = Some(Instant::now());
        if st.waiters > 0 {
            self.cond.notify_one();
        }
    }

    fn check_interval(&self) -> Option<u32> {
        Some(self.check_interval)
    }

    fn stats(&self) -> &GilStats {
        &self.stats
    }
}
