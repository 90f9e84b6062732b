//! Recording events while a program runs. Off unless a trace was asked for: then each
//! event is one push onto a shared buffer, which only happens at lock handoffs, blocking
//! calls and lock operations, never per instruction.
//!
//! In a deterministic run only the thread holding the interpreter lock records, so the
//! buffer's order is itself deterministic; the trace is put in time order at the end with
//! a stable sort.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use parking_lot::Mutex;

use super::event::{Event, EventKind};

static ENABLED: AtomicBool = AtomicBool::new(false);
static EVENTS: Mutex<Vec<Event>> = Mutex::new(Vec::new());
static DROPPED: AtomicU64 = AtomicU64::new(0);
static CAP: AtomicU64 = AtomicU64::new(DEFAULT_CAP);
/// The process number events of this process carry (1, or a worker's number).
static PID: AtomicU64 = AtomicU64::new(1);

/// Events kept at most; later ones are counted as dropped (a trace of a lock taken in a
/// tight loop would otherwise grow without bound).
pub const DEFAULT_CAP: u64 = 2_000_000;

#[inline]
pub fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

/// The file name of the main script, whose lines events carry.
static SCRIPT: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// The main script's file name, once recording started.
pub fn script() -> Option<&'static str> {
    SCRIPT.get().map(String::as_str)
}

/// Starts recording the run of `script`, keeping at most `cap` events.
pub fn start(cap: u64, pid: u32, script: &str) {
    let _ = SCRIPT.set(script.to_string());
    CAP.store(cap, Ordering::Relaxed);
    PID.store(u64::from(pid), Ordering::Relaxed);
    ENABLED.store(true, Ordering::Release);
}

/// Records one event of thread `tid` of `domain` (a simulated process; 0 otherwise).
pub fn record(at: Duration, domain: u32, tid: u64, line: u32, kind: EventKind) {
    let mut events = EVENTS.lock();
    if events.len() as u64 >= CAP.load(Ordering::Relaxed) {
        DROPPED.fetch_add(1, Ordering::Relaxed);
        return;
    }
    events.push(Event {
        t_ns: at.as_nanos().min(u64::MAX as u128) as u64,
        pid: PID.load(Ordering::Relaxed) as u32 + domain,
        tid: tid.min(u64::from(u32::MAX)) as u32,
        line,
        kind,
    });
}

/// Stops recording and hands over the events in time order, and how many were dropped.
pub fn finish() -> (Vec<Event>, u64) {
    ENABLED.store(false, Ordering::Release);
    let mut events = std::mem::take(&mut *EVENTS.lock());
    events.sort_by_key(|e| e.t_ns);
    (events, DROPPED.swap(0, Ordering::Relaxed))
}
