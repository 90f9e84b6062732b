//! Where a thread is in the user's program, for deadlock reports and traces.

use std::sync::Arc;

use super::lock::LockKind;
use crate::vm::vm::Vm;

/// File names of the library modules written in Python and embedded in gilsim start so.
pub const LIBRARY_PREFIX: &str = "<gilsim>/";

/// Library functions that start a thread's own code or end the program: a wait below
/// one of them with no user frame in between is named by the library call just inside
/// it (`Event.wait` for `Thread(target=event.wait)`), not by the plumbing.
const ENTRY_POINTS: &[&str] = &[
    "Thread._bootstrap",
    "Thread._bootstrap_inner",
    "Thread.run",
    "_shutdown",
    "_run_replicas.<locals>.replica",
    // concurrent.futures: a pool worker running a submitted call.
    "_WorkItem.run",
    "_worker",
];

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
                let name = &*code.qualname;
                if ENTRY_POINTS.contains(&name) {
                    let site = if name == "_shutdown" {
                        "the end of the program, where every thread that is not a daemon is joined".to_string()
                    } else {
                        String::new()
                    };
                    return (api.unwrap_or_else(|| lock_method(kind)), site);
                }
                // The outermost public function: `Thread.join`, not the private
                // `Thread._wait_for_tstate_lock` it calls, nor a library's private worker
                // loop that calls `Queue.get`.
                let private = name.rsplit('.').next().is_some_and(|n| n.starts_with('_'));
                if api.is_none() || !private {
                    api = Some(code.qualname.clone());
                }
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

impl Vm {
    /// The line of the innermost frame running the main script (0 if none is on the
    /// stack): where a trace says a thread is, even while it runs library code.
    pub fn script_line(&self) -> u32 {
        let Some(script) = crate::trace::recorder::script() else {
            return 0;
        };
        self.frames
            .iter()
            .rev()
            .find(|f| f.code().filename() == script)
            .map(|f| f.current_line() as u32)
            .unwrap_or(0)
    }

    /// Whether the code running now is the program's own, or one of the library functions
    /// `via` that the program called directly (`threading.RLock()` is a library function
    /// in front of `_thread.RLock`).
    pub fn made_by_user(&self, via: &[&str]) -> bool {
        let mut frames = self.frames.iter().rev();
        let Some(top) = frames.next() else {
            return false;
        };
        let code = top.code();
        if !code.filename().starts_with(LIBRARY_PREFIX) {
            return true;
        }
        via.contains(&&*code.qualname)
            && frames
                .next()
                .is_some_and(|f| !f.code().filename().starts_with(LIBRARY_PREFIX))
    }
}
