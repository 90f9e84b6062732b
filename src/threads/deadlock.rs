//! Deadlock detection. CPython hangs forever when every thread waits on a lock no running
//! thread can release; gilsim notices and raises DeadlockError in the main thread instead.
//!
//! Every blocking wait in gilsim ends in a [`LockCore`](super::lock::LockCore) acquire (user
//! locks, condition waiters, queue waits, joins on a thread's sentinel). A wait with no
//! timeout registers here. When the last live thread starts such a wait, or a thread ends
//! leaving only such waiters, and every awaited lock is held, nothing can ever wake any of
//! them: that is a deadlock. (A thread sleeping, in I/O or waiting with a timeout is not
//! counted as blocked, so it can still wake the others.)

use std::fmt::Write as _;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use super::{Registry, ThreadState, WaitInfo};

impl Registry {
    /// The calling thread starts a wait with no timeout.
    pub fn enter_blocked(&self, t: &ThreadState, info: WaitInfo) {
        // What the thread saw of an earlier lock means nothing for this one: until it has
        // failed to take this lock, it counts as possibly running. (A stale value equal to
        // this lock's count once the thread has taken it would make a thread on its way
        // out of the wait look blocked.)
        t.wait_seen_takes.store(u64::MAX, Ordering::Relaxed);
        *t.wait.lock() = Some(info);
        self.inner.lock().blocked_forever += 1;
        self.check_deadlock();
    }

    /// The wait registered by [`enter_blocked`](Self::enter_blocked) is over.
    pub fn leave_blocked(&self, t: &ThreadState) {
        *t.wait.lock() = None;
        self.inner.lock().blocked_forever -= 1;
    }

    /// Looks for a deadlock; if there is one, records the report and wakes the main thread,
    /// whose wait then raises DeadlockError.
    pub fn check_deadlock(&self) {
        if self.deadlocked() {
            return;
        }
        let inner = self.inner.lock();
        if inner.live.is_empty() || inner.blocked_forever < inner.live.len() {
            return;
        }
        let mut waits: Vec<(Arc<ThreadState>, WaitInfo, u64)> = Vec::new();
        for t in &inner.live {
            let Some(w) = t.wait.lock().clone() else {
                return; // between registering and recording its wait: not settled yet
            };
            match w.lock.holder() {
                // Taken or released since that thread last looked: it may be running.
                (_, takes) if takes != t.wait_seen_takes.load(Ordering::Relaxed) => return,
                (Some(holder), _) => waits.push((t.clone(), w, holder)),
                // Free: that thread is about to take it.
                (None, _) => return,
            }
        }
        let name_of = |id: u64| -> String {
            let found = inner.live.iter().chain(inner.ended.iter()).find(|t| t.id == id);
            match found {
                Some(t) if t.finished.load(Ordering::Relaxed) => format!("{} (which has ended)", t.name()),
                Some(t) => t.name().to_string(),
                None => format!("thread {id}"),
            }
        };
        waits.sort_by_key(|(t, _, _)| t.id);
        let mut report = format!(
            "all {} threads are blocked, each waiting for something only a blocked thread could do",
            waits.len()
        );
        if waits.len() == 1 {
            report = "the only thread left is blocked, and nothing can wake it".to_string();
        }
        for (t, w, holder) in &waits {
            let direct = matches!(&*w.what, "Lock.acquire" | "RLock.acquire");
            let waits_for = if *holder == t.id && direct {
                "for a lock it holds itself".to_string()
            } else if *holder == t.id {
                // Condition-style waits block on a lock of their own until notified.
                "to be notified, which only a blocked thread could do".to_string()
            } else if &*w.what == "Thread.join" {
                format!("for {} to finish", name_of(*holder))
            } else {
                format!("for a lock held by {}", name_of(*holder))
            };
            let _ = write!(report, "\n  {} waits in {} {}", t.name(), w.what, waits_for);
            if !w.site.is_empty() {
                let _ = write!(report, "\n      at {}", w.site);
            }
        }
        let main = inner.live.iter().find(|t| t.id == 1).cloned();
        drop(inner);
        *self.deadlock.lock() = Some(report);
        self.deadlocked.store(true, Ordering::Release);
        // Wake the main thread's wait so that it raises the error.
        if let Some(main) = main {
            if let Some(w) = main.wait.lock().clone() {
                w.lock.wake_all();
            }
        }
    }

    /// Records a deadlock found elsewhere (the deterministic scheduler, which sees that
    /// nothing can run) when the lock-by-lock check above could not name the waits.
    pub fn declare_deadlock(&self, report: String) {
        let mut slot = self.deadlock.lock();
        if slot.is_none() {
            *slot = Some(report);
        }
        self.deadlocked.store(true, Ordering::Release);
    }
}
