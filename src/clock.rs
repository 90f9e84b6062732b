//! The run's clock: real time since the process started, or the deterministic scheduler's
//! virtual time. Statistics, traces and the `time` module all read it, so that in a
//! deterministic run every figure is virtual and the same on every machine.

use std::sync::LazyLock;
use std::time::{Duration, Instant};

static START: LazyLock<Instant> = LazyLock::new(Instant::now);

/// Fixes the real clock's zero (call early: the first reading otherwise sets it).
pub fn init() {
    LazyLock::force(&START);
}

/// Time since the run started. In a deterministic run this is the scheduler's virtual
/// time, which the thread holding the lock should bring up to date first
/// (`Vm::sync_clock`).
#[inline]
pub fn now() -> Duration {
    match crate::deterministic::active() {
        Some(s) => Duration::from_nanos(s.now_ns()),
        None => START.elapsed(),
    }
}

/// [`now`] in nanoseconds.
#[inline]
pub fn now_ns() -> u64 {
    now().as_nanos().min(u64::MAX as u128) as u64
}

/// Whether the run is on virtual time.
#[inline]
pub fn is_virtual() -> bool {
    crate::deterministic::active().is_some()
}
