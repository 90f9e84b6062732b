//! Where a thread is in the user's program, for deadlock reports and traces.

use std::sync::Arc;

use super::lock::LockKind;
use crate::vm::vm::Vm;

/// File names of the library modules written in Python and embedded in gilsim start so.
pub const LIBRARY_PREFIX: &str = "<gilsim>/";

impl Vm {
    /// Where a wait about to start is, in the user's terms: the library function the user's
    /// code called ("Event.wait", "Queue.get", "Thread.join"), or the lock's own method if
    /// the user called it directly; and `file, line N: source` of the innermost frame of the
    /// user's own code (library frames such as threading.py's are skipped).
    pub fn wait_point(&self, kind: LockKind) -> (Arc<str>, String) {
        let mut api: Option<Arc<str>> = None;
        for f in self.frames.iter().rev() {
            let code = f.code();
            if code.filename().starts_with(LIBRARY_PREFIX) {
                api = Some(code.qualname.clone());
                continue;
            }
            let line = code.line_of(f.ip.saturating_sub(1));
            let text = code.source.line_text(line).trim();
            let site = format!("{}, line {}: {}", code.filename(), line, text);
            return (api.unwrap_or_else(|| lock_method(kind)), site);
        }
        (api.unwrap_or_else(|| lock_method(kind)), String::new())
    }
}

fn lock_method(kind: LockKind) -> Arc<str> {
    Arc::from(match kind {
        LockKind::Plain => "Lock.acquire",
        LockKind::Reentrant => "RLock.acquire",
    })
}
