//! Flushes files still open when the process exits. Most files are flushed by their `Drop`
//! (at `close()`, when the last reference goes, or when the driver clears `__main__`);
//! this catches the ones that are never dropped — held by a reference cycle, a module
//! other than `__main__`, or a daemon thread — as CPython's shutdown flushes them when it
//! tears down modules and collects cycles.

use std::sync::{Arc, Once, Weak};

use parking_lot::Mutex;

use super::object::FileState;

/// Every writable file opened so far (dead entries are pruned as the list grows).
static OPEN_FILES: Mutex<Vec<Weak<Mutex<FileState>>>> = Mutex::new(Vec::new());
static INSTALL: Once = Once::new();

pub(super) fn register(state: &Arc<Mutex<FileState>>) {
    INSTALL.call_once(|| {
        // SAFETY: atexit only records the function pointer. `flush_all` never unwinds
        // into C (it catches panics) and touches only statics that live as long as the
        // process, so running it during exit is sound.
        unsafe {
            libc::atexit(flush_all);
        }
    });
    let mut files = OPEN_FILES.lock();
    // Prune at each doubling, so registering stays O(1) amortised.
    if files.len() >= 64 && files.len().is_power_of_two() {
        files.retain(|w| w.strong_count() > 0);
    }
    files.push(Arc::downgrade(state));
}

/// Writes out what open files still buffer. A file whose lock is held (a daemon thread
/// in the middle of an operation) is skipped rather than waited for.
extern "C" fn flush_all() {
    let _ = std::panic::catch_unwind(|| {
        let files = match OPEN_FILES.try_lock() {
            Some(mut files) => std::mem::take(&mut *files),
            None => return,
        };
        for file in files.iter().filter_map(Weak::upgrade) {
            if let Some(mut st) = file.try_lock() {
                st.flush_quietly();
            }
        }
    });
}
