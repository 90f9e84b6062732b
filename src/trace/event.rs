//! The event model every trace is made of: what happened, when, to which thread of which
//! process, at which source line. Renderers (text, Chrome JSON, SVG) and the stepper read
//! only this.

use crate::gil::Release;

/// One thing that happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// Nanoseconds since the run started (virtual nanoseconds in deterministic mode).
    pub t_ns: u64,
    /// The process: 1 is the program's own, workers count from 2.
    pub pid: u32,
    /// The thread: small, from 1, unique across processes.
    pub tid: u32,
    /// The source line the thread was at (0 when unknown, e.g. before its first frame).
    pub line: u32,
    pub kind: EventKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventKind {
    ThreadStart,
    ThreadExit,
    /// The thread wants the interpreter lock (and waits if it is held).
    GilWant,
    /// The thread holds the interpreter lock and runs Python code.
    GilAcquire,
    /// A waiter asked the holder to drop the lock (the new GIL's timeout).
    GilDropRequest,
    /// The thread gave the lock up, and why.
    GilRelease(Release),
    SleepBegin,
    SleepEnd,
    IoBegin,
    IoEnd,
    /// A threading lock (Lock, RLock, and what is built on them) was taken without waiting,
    /// or after a wait. The number tells locks apart within a trace.
    LockAcquire(u32),
    /// The thread starts waiting for a threading lock held by another.
    LockWait(u32),
    LockRelease(u32),
    /// A worker process was started or exited (its OS process id: workers run in
    /// processes of their own and are not traced themselves yet).
    ProcessSpawn(u32),
    ProcessExit(u32),
    /// An executor or pool task was submitted, started running, finished.
    TaskSubmit(u64),
    TaskStart(u64),
    TaskDone(u64),
}

impl EventKind {
    /// The event's name in text traces and the stepper.
    pub fn name(&self) -> String {
        match self {
            EventKind::ThreadStart => "thread start".into(),
            EventKind::ThreadExit => "thread exit".into(),
            EventKind::GilWant => "wants gil".into(),
            EventKind::GilAcquire => "acquired gil".into(),
            EventKind::GilDropRequest => "drop request".into(),
            EventKind::GilRelease(r) => format!("released gil ({})", r.name()),
            EventKind::SleepBegin => "sleep begin".into(),
            EventKind::SleepEnd => "sleep end".into(),
            EventKind::IoBegin => "io begin".into(),
            EventKind::IoEnd => "io end".into(),
            EventKind::LockAcquire(l) => format!("lock {l} acquire"),
            EventKind::LockWait(l) => format!("lock {l} wait"),
            EventKind::LockRelease(l) => format!("lock {l} release"),
            EventKind::ProcessSpawn(p) => format!("process {p} spawn"),
            EventKind::ProcessExit(p) => format!("process {p} exit"),
            EventKind::TaskSubmit(t) => format!("task {t} submit"),
            EventKind::TaskStart(t) => format!("task {t} start"),
            EventKind::TaskDone(t) => format!("task {t} done"),
        }
    }

    /// Whether the interpreter lock changes hands or holders at this event (what the
    /// stepper's "next handoff" stops at).
    pub fn is_handoff(&self) -> bool {
        matches!(self, EventKind::GilAcquire)
    }
}

/// A thread that appears in a trace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThreadInfo {
    pub pid: u32,
    pub tid: u32,
    pub name: String,
}

/// A process that appears in a trace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProcessInfo {
    pub pid: u32,
    /// "MainProcess", "SpawnProcess-1"…
    pub name: String,
}

/// How the run was made: what every trace header records.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TraceMeta {
    /// The script as given on the command line.
    pub program: String,
    /// "real time" or "deterministic".
    pub mode: String,
    /// "new", "old" or "off".
    pub policy: String,
    pub switch_interval_us: u64,
    pub check_interval: u32,
    /// Deterministic mode only.
    pub seed: Option<u64>,
    /// Simulated cores (deterministic mode only).
    pub cores: Option<u32>,
    /// `--threads N` / `--processes N`, if given.
    pub threads: Option<u32>,
    pub processes: Option<u32>,
}

/// A finished trace: events in time order (ties keep recording order).
#[derive(Clone, Debug, Default)]
pub struct Trace {
    pub meta: TraceMeta,
    pub processes: Vec<ProcessInfo>,
    pub threads: Vec<ThreadInfo>,
    pub events: Vec<Event>,
    /// The program's source lines, for snippets (`lines[n - 1]` is line n).
    pub source: Vec<String>,
    /// Events dropped past the recording cap (0 normally).
    pub dropped: u64,
    /// The end of the run, in the events' clock.
    pub end_ns: u64,
    /// The `--stats` summary of the run, as text.
    pub stats: String,
}

impl Trace {
    /// The source text of `line`, trimmed, or "" when unknown.
    pub fn snippet(&self, line: u32) -> &str {
        if line == 0 {
            return "";
        }
        self.source.get(line as usize - 1).map(|s| s.trim()).unwrap_or("")
    }

    pub fn thread_name(&self, tid: u32) -> &str {
        self.threads
            .iter()
            .find(|t| t.tid == tid)
            .map(|t| t.name.as_str())
            .unwrap_or("?")
    }
}
