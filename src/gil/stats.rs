//! Lock statistics: switches, forced drops, handoff latency and the longest hold (the
//! figures gil_load, py-spy and gil_tracer report).

use std::time::Duration;

use parking_lot::Mutex;

#[derive(Default)]
pub struct GilStats {
    inner: Mutex<GilCounts>,
}

#[derive(Clone, Debug, Default)]
pub struct GilCounts {
    /// Times the lock passed to a different thread.
    pub switches: u64,
    /// Drop requests a waiter made (the new GIL's timeouts).
    pub drop_requests: u64,
    /// Times a holder dropped the lock because it was asked to.
    pub forced_drops: u64,
    /// Release-to-running latency of each handoff to a waiting thread, in nanoseconds.
    pub handoff_ns: Vec<u64>,
    pub longest_hold: Duration,
    pub longest_hold_thread: u64,
}

impl GilStats {
    pub fn record_hold(&self, held: Duration, thread: u64) {
        let mut c = self.inner.lock();
        if held > c.longest_hold {
            c.longest_hold = held;
            c.longest_hold_thread = thread;
        }
    }

    /// The lock changed hands; `handoff` is the time from release to the waiter running.
    pub fn record_switch(&self, handoff: Option<Duration>) {
        let mut c = self.inner.lock();
        c.switches += 1;
        if let Some(h) = handoff {
            c.handoff_ns.push(h.as_nanos().min(u64::MAX as u128) as u64);
        }
    }

    pub fn record_drop_request(&self) {
        self.inner.lock().drop_requests += 1;
    }

    pub fn record_forced_drop(&self) {
        self.inner.lock().forced_drops += 1;
    }

    pub fn snapshot(&self) -> GilCounts {
        self.inner.lock().clone()
    }
}

/// The `q`-quantile (0..=1) of `sorted` values, nearest rank.
pub fn quantile(sorted: &[u64], q: f64) -> Option<u64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    Some(sorted[rank - 1])
}
