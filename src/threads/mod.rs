//! Language threads: the state each OS thread running Python code has, the registry of live
//! threads (for `threading.active_count`, statistics and deadlock detection), the lock
//! primitive every blocking wait is built on, and thread start-up.

pub mod deadlock;
pub mod lock;
pub mod site;
pub mod spawn;
pub mod summary;

use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use parking_lot::Mutex;

use lock::LockCore;

/// What one language thread is, shared between the thread itself, the lock, the registry
/// and whoever reports on it.
pub struct ThreadState {
    /// Small and unique within the interpreter, from 1 (the main thread).
    pub id: u64,
    /// The interpreter's domain in a deterministic run (0: the program's own; each
    /// simulated process has its own).
    pub domain: u32,
    /// `threading.get_ident()`: the pthread id, as CPython reports it.
    pub ident: AtomicU64,
    /// `threading.get_native_id()`: the kernel's thread id.
    pub native_id: AtomicU64,
    pub name: Mutex<Arc<str>>,
    /// The eval breaker this thread polls; the lock sets DROP_REQUEST here.
    pub breaker: Arc<AtomicU32>,
    pub stats: Mutex<ThreadStats>,
    /// What the thread waits for while it blocks with no timeout (deadlock reports).
    pub wait: Mutex<Option<WaitInfo>>,
    /// The awaited lock's take count when this thread last failed to take it.
    pub wait_seen_takes: AtomicU64,
    /// Locks released when the thread ends (`_thread._set_sentinel`, which join waits on).
    pub sentinels: Mutex<Vec<Arc<LockCore>>>,
    pub finished: AtomicBool,
}

/// Where a thread's time went (the `--stats` summary).
#[derive(Clone, Debug, Default)]
pub struct ThreadStats {
    pub cpu: Duration,
    /// Holding the interpreter lock.
    pub held: Duration,
    /// Waiting to take the interpreter lock.
    pub waiting: Duration,
    /// Without the interpreter lock in a blocking call (sleep, I/O, lock waits, join).
    pub blocked: Duration,
    /// Times this thread took the lock after another thread had held it.
    pub acquisitions: u64,
    /// When it was created and when it ended, on the run's clock (`crate::clock`).
    pub started: Option<Duration>,
    pub ended: Option<Duration>,
}

/// A blocked thread's wait: the lock it waits on, what the program was doing, and where.
#[derive(Clone)]
pub struct WaitInfo {
    pub lock: Arc<LockCore>,
    /// "Lock.acquire", "Queue.get", "Thread.join"…
    pub what: Arc<str>,
    /// `file, line N: source` of the innermost frame of the user's program.
    pub site: String,
}

impl ThreadState {
    pub fn name(&self) -> Arc<str> {
        self.name.lock().clone()
    }

    /// Records the OS-level identity of the calling thread (run on the thread itself).
    pub fn bind_os_thread(&self) {
        // SAFETY: pthread_self and gettid have no preconditions and only read the calling
        // thread's own identity.
        let (ident, tid) = unsafe { (libc::pthread_self() as u64, libc::gettid() as u64) };
        self.ident.store(ident, Ordering::Relaxed);
        self.native_id.store(tid, Ordering::Relaxed);
    }

    /// CPU time the calling thread has used so far (CLOCK_THREAD_CPUTIME_ID).
    pub fn own_cpu_time() -> Duration {
        let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
        // SAFETY: clock_gettime writes only to the timespec we own.
        let ok = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) } == 0;
        if ok {
            Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
        } else {
            Duration::ZERO
        }
    }
}

/// The threads of one interpreter.
pub struct Registry {
    inner: Mutex<RegistryInner>,
    /// Set once a deadlock was found: the report, raised as DeadlockError in the main thread.
    deadlock: Mutex<Option<String>>,
    deadlocked: AtomicBool,
    /// Set when the program has ended and only daemon threads may still be alive: from
    /// then on no thread but the main one runs Python code again.
    finalizing: AtomicBool,
    next_id: AtomicU64,
    pub max_threads: usize,
    /// The deterministic scheduler's domain of this interpreter.
    domain: u32,
}

#[derive(Default)]
struct RegistryInner {
    live: Vec<Arc<ThreadState>>,
    /// Threads that ended, kept for the statistics summary.
    ended: Vec<Arc<ThreadState>>,
    /// Live threads blocked with no timeout.
    blocked_forever: usize,
}

/// How many threads may be alive at once unless `--max-threads` says otherwise.
pub const DEFAULT_MAX_THREADS: usize = 4096;

impl Registry {
    pub fn new(max_threads: usize, domain: u32) -> Registry {
        Registry {
            inner: Mutex::new(RegistryInner::default()),
            deadlock: Mutex::new(None),
            deadlocked: AtomicBool::new(false),
            finalizing: AtomicBool::new(false),
            next_id: AtomicU64::new(1),
            max_threads,
            domain,
        }
    }

    /// A new thread's state, registered as live. `None` past the thread limit.
    pub fn register(&self, name: &str) -> Option<Arc<ThreadState>> {
        let mut inner = self.inner.lock();
        if inner.live.len() >= self.max_threads {
            return None;
        }
        let t = Arc::new(ThreadState {
            id: self.next_id.fetch_add(1, Ordering::Relaxed),
            domain: self.domain,
            ident: AtomicU64::new(0),
            native_id: AtomicU64::new(0),
            name: Mutex::new(Arc::from(name)),
            breaker: Arc::new(AtomicU32::new(0)),
            stats: Mutex::new(ThreadStats {
                started: Some(crate::clock::now()),
                ..Default::default()
            }),
            wait: Mutex::new(None),
            wait_seen_takes: AtomicU64::new(u64::MAX),
            sentinels: Mutex::new(Vec::new()),
            finished: AtomicBool::new(false),
        });
        inner.live.push(t.clone());
        Some(t)
    }

    /// The thread has run its last Python code.
    pub fn unregister(&self, t: &Arc<ThreadState>) {
        let mut inner = self.inner.lock();
        t.finished.store(true, Ordering::Relaxed);
        if let Some(i) = inner.live.iter().position(|x| Arc::ptr_eq(x, t)) {
            inner.live.swap_remove(i);
        }
        inner.ended.push(t.clone());
        drop(inner);
        // The end of a thread can leave the others with nobody to wake them.
        self.check_deadlock();
    }

    pub fn live_count(&self) -> usize {
        self.inner.lock().live.len()
    }

    /// Every thread that ran, live or ended, in order of creation.
    pub fn all(&self) -> Vec<Arc<ThreadState>> {
        let inner = self.inner.lock();
        let mut v: Vec<_> = inner.live.iter().chain(inner.ended.iter()).cloned().collect();
        v.sort_by_key(|t| t.id);
        v
    }

    pub fn deadlocked(&self) -> bool {
        self.deadlocked.load(Ordering::Acquire)
    }

    /// The main thread starts tearing the interpreter down (Py_FinalizeEx after
    /// wait_for_thread_shutdown): every other thread stops at its next poll or the next
    /// time it takes the interpreter lock, as CPython's daemon threads do in take_gil.
    pub fn begin_finalizing(&self) {
        self.finalizing.store(true, Ordering::SeqCst);
        for t in self.inner.lock().live.iter().filter(|t| t.id != 1) {
            // Without a global lock (`--gil off`) the poll is the only place to stop them.
            t.breaker
                .fetch_or(crate::vm::vm::breaker::DROP_REQUEST, Ordering::SeqCst);
        }
    }

    pub fn finalizing(&self) -> bool {
        self.finalizing.load(Ordering::SeqCst)
    }

    pub fn deadlock_report(&self) -> Option<String> {
        self.deadlock.lock().clone()
    }
}
