//! Building blocks for the renderers' unit tests: events of process 1, and the thread table.

use super::event::{Event, EventKind, ThreadInfo};

/// An event of process 1.
pub fn ev(t_ns: u64, tid: u32, line: u32, kind: EventKind) -> Event {
    Event {
        t_ns,
        pid: 1,
        tid,
        line,
        kind,
    }
}

/// Threads of process 1, numbered from 1 in the order given.
pub fn threads(names: &[&str]) -> Vec<ThreadInfo> {
    names
        .iter()
        .zip(1..)
        .map(|(name, tid)| ThreadInfo {
            pid: 1,
            tid,
            name: name.to_string(),
        })
        .collect()
}
