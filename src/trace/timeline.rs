//! Per-thread state slices, lock handoffs and lock holders, derived from a trace's events.
//! Every renderer draws from these, so the three views always agree.

use std::collections::BTreeMap;

use super::event::{Event, EventKind, ThreadInfo, Trace};
use crate::gil::Release;

/// What a thread is doing during a slice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum State {
    /// Holds the interpreter lock and runs Python code.
    Running,
    /// Wants the lock (or was forced out of it) and waits for it.
    WaitingForGil,
    Sleeping,
    Io,
    /// Waits for a threading lock, condition, queue… or for another thread to finish.
    Blocked,
}

impl State {
    /// Every state, in legend order.
    pub const ALL: [State; 5] = [
        State::Running,
        State::WaitingForGil,
        State::Sleeping,
        State::Io,
        State::Blocked,
    ];

    /// The fixed name renderers use (Chrome slice names, SVG legend ids).
    pub fn name(self) -> &'static str {
        match self {
            State::Running => "running",
            State::WaitingForGil => "waiting_for_gil",
            State::Sleeping => "sleeping",
            State::Io => "io",
            State::Blocked => "blocked",
        }
    }
}

/// One thread in one state from `start_ns` to `end_ns` (never empty).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Slice {
    pub pid: u32,
    pub tid: u32,
    pub state: State,
    pub start_ns: u64,
    pub end_ns: u64,
}

impl Slice {
    pub fn dur_ns(&self) -> u64 {
        self.end_ns.saturating_sub(self.start_ns)
    }
}

/// The lock passed from one thread to another within a process.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Handoff {
    pub from_tid: u32,
    pub to_tid: u32,
    pub pid: u32,
    pub release_ns: u64,
    pub acquire_ns: u64,
}

/// The end of the trace's timeline: its recorded end, or its last event if that is later
/// (a malformed trace must not produce slices that end before they start).
pub fn end_ns(trace: &Trace) -> u64 {
    let last = trace.events.iter().map(|e| e.t_ns).max().unwrap_or(0);
    trace.end_ns.max(last)
}

/// The events in time order. The recorder already writes them so; sorting (stably, so
/// ties keep recording order) makes hand-built or merged traces safe too.
fn ordered(trace: &Trace) -> Vec<&Event> {
    let mut events: Vec<&Event> = trace.events.iter().collect();
    events.sort_by_key(|e| e.t_ns);
    events
}

/// Whether `e` ends its thread: nothing it does afterwards counts.
fn is_exit(e: &Event) -> bool {
    matches!(e.kind, EventKind::ThreadExit | EventKind::GilRelease(Release::Exit))
}

/// Every process id that appears, ascending.
pub fn pids(trace: &Trace) -> Vec<u32> {
    let mut pids: Vec<u32> = trace
        .processes
        .iter()
        .map(|p| p.pid)
        .chain(trace.threads.iter().map(|t| t.pid))
        .chain(trace.events.iter().map(|e| e.pid))
        .collect();
    pids.sort_unstable();
    pids.dedup();
    pids
}

/// Every thread that appears, one lane each: by process, then in the trace's listing order,
/// then threads only seen in events (named "tid N") by id.
pub fn threads(trace: &Trace) -> Vec<ThreadInfo> {
    let mut seen = std::collections::BTreeSet::new();
    let mut listed: Vec<ThreadInfo> = Vec::new();
    for t in &trace.threads {
        if seen.insert((t.pid, t.tid)) {
            listed.push(t.clone());
        }
    }
    let mut unknown: Vec<(u32, u32)> = trace
        .events
        .iter()
        .map(|e| (e.pid, e.tid))
        .filter(|k| !seen.contains(k))
        .collect();
    unknown.sort_unstable();
    unknown.dedup();
    let mut all: Vec<(usize, ThreadInfo)> = listed.into_iter().enumerate().collect();
    let base = all.len();
    all.extend(unknown.into_iter().enumerate().map(|(i, (pid, tid))| {
        (
            base + i,
            ThreadInfo {
                pid,
                tid,
                name: format!("tid {tid}"),
            },
        )
    }));
    all.sort_by_key(|(order, t)| (t.pid, *order));
    all.into_iter().map(|(_, t)| t).collect()
}

/// A thread's name for display: its listed name, or "tid N" when the trace lacks it.
pub fn thread_label(trace: &Trace, pid: u32, tid: u32) -> String {
    trace
        .threads
        .iter()
        .find(|t| t.pid == pid && t.tid == tid)
        .or_else(|| trace.threads.iter().find(|t| t.tid == tid))
        .map(|t| t.name.clone())
        .unwrap_or_else(|| format!("tid {tid}"))
}

/// One thread's state machine while slicing.
#[derive(Default)]
struct Track {
    open: Option<(State, u64)>,
    ended: bool,
}

impl Track {
    /// Enter `state` at `t`, closing the open slice (same state: the slice just goes on).
    fn enter(&mut self, key: (u32, u32), state: State, t: u64, out: &mut Vec<Slice>) {
        if let Some((s, _)) = self.open {
            if s == state {
                return;
            }
        }
        self.close(key, t, out);
        self.open = Some((state, t));
    }

    fn close(&mut self, (pid, tid): (u32, u32), t: u64, out: &mut Vec<Slice>) {
        if let Some((state, start)) = self.open.take() {
            // Zero-length slices carry nothing a renderer could draw.
            if t > start {
                out.push(Slice {
                    pid,
                    tid,
                    state,
                    start_ns: start,
                    end_ns: t,
                });
            }
        }
    }

    fn state(&self) -> Option<State> {
        self.open.map(|(s, _)| s)
    }
}

/// Each thread's states over time, ordered by process, thread id, then start. Slices of
/// one thread never overlap and are never empty; open ones close at the trace's end.
pub fn slices(trace: &Trace) -> Vec<Slice> {
    let mut tracks: BTreeMap<(u32, u32), Track> = BTreeMap::new();
    let mut out = Vec::new();
    for e in ordered(trace) {
        let key = (e.pid, e.tid);
        let track = tracks.entry(key).or_default();
        if track.ended {
            continue;
        }
        let t = e.t_ns;
        match e.kind {
            EventKind::GilWant => track.enter(key, State::WaitingForGil, t, &mut out),
            EventKind::GilAcquire => track.enter(key, State::Running, t, &mut out),
            EventKind::GilRelease(reason) => match reason {
                Release::Sleep => track.enter(key, State::Sleeping, t, &mut out),
                Release::Io => track.enter(key, State::Io, t, &mut out),
                Release::LockWait | Release::Join => track.enter(key, State::Blocked, t, &mut out),
                Release::Forced | Release::Interval => track.enter(key, State::WaitingForGil, t, &mut out),
                Release::Exit => {
                    track.close(key, t, &mut out);
                    track.ended = true;
                }
            },
            EventKind::ThreadExit => {
                track.close(key, t, &mut out);
                track.ended = true;
            }
            // A begin refines what a thread not running is doing (with no lock, or before
            // its release is recorded it stays "running": the release decides).
            EventKind::SleepBegin | EventKind::IoBegin | EventKind::LockWait(_) => {
                let refined = match e.kind {
                    EventKind::SleepBegin => State::Sleeping,
                    EventKind::IoBegin => State::Io,
                    _ => State::Blocked,
                };
                if track.state() != Some(State::Running) {
                    track.enter(key, refined, t, &mut out);
                }
            }
            // The matching end finishes that wait; what follows (usually wanting the
            // lock) opens the next slice.
            EventKind::SleepEnd | EventKind::IoEnd | EventKind::LockAcquire(_) => {
                let waited = match e.kind {
                    EventKind::SleepEnd => State::Sleeping,
                    EventKind::IoEnd => State::Io,
                    _ => State::Blocked,
                };
                if track.state() == Some(waited) {
                    track.close(key, t, &mut out);
                }
            }
            EventKind::ThreadStart
            | EventKind::GilDropRequest
            | EventKind::LockRelease(_)
            | EventKind::ProcessSpawn(_)
            | EventKind::ProcessExit(_)
            | EventKind::TaskSubmit(_)
            | EventKind::TaskStart(_)
            | EventKind::TaskDone(_) => {}
        }
    }
    let end = end_ns(trace);
    for (key, track) in tracks.iter_mut() {
        track.close(*key, end, &mut out);
    }
    // Stable: one thread's slices are already in time order.
    out.sort_by_key(|s| (s.pid, s.tid, s.start_ns));
    out
}

/// Every time the lock passed to a different thread: an acquire after another thread's
/// release in the same process. Each release hands off at most once.
pub fn handoffs(trace: &Trace) -> Vec<Handoff> {
    let mut last_release: BTreeMap<u32, (u32, u64)> = BTreeMap::new();
    let mut exited = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for e in ordered(trace) {
        if is_exit(e) {
            exited.insert((e.pid, e.tid));
        }
        match e.kind {
            EventKind::GilRelease(_) => {
                last_release.insert(e.pid, (e.tid, e.t_ns));
            }
            EventKind::GilAcquire if !exited.contains(&(e.pid, e.tid)) => {
                if let Some((from, release_ns)) = last_release.remove(&e.pid) {
                    if from != e.tid {
                        out.push(Handoff {
                            from_tid: from,
                            to_tid: e.tid,
                            pid: e.pid,
                            release_ns,
                            acquire_ns: e.t_ns,
                        });
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Who holds each process's lock when: `(pid, tid, start_ns, end_ns)`, by process then
/// time. An acquire while another thread is recorded as holding ends that hold (the
/// modelled lock has one holder; the release was lost or never recorded).
pub fn holder_lanes(trace: &Trace) -> Vec<(u32, u32, u64, u64)> {
    let mut holder: BTreeMap<u32, (u32, u64)> = BTreeMap::new();
    let mut exited = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    let push = |out: &mut Vec<_>, pid: u32, (tid, start): (u32, u64), end: u64| {
        if end > start {
            out.push((pid, tid, start, end));
        }
    };
    for e in ordered(trace) {
        if is_exit(e) {
            exited.insert((e.pid, e.tid));
        }
        match e.kind {
            EventKind::GilAcquire if exited.contains(&(e.pid, e.tid)) => {}
            EventKind::GilAcquire => match holder.get(&e.pid) {
                Some(&(tid, _)) if tid == e.tid => {}
                Some(&h) => {
                    push(&mut out, e.pid, h, e.t_ns);
                    holder.insert(e.pid, (e.tid, e.t_ns));
                }
                None => {
                    holder.insert(e.pid, (e.tid, e.t_ns));
                }
            },
            EventKind::GilRelease(_) | EventKind::ThreadExit => {
                if let Some(&h) = holder.get(&e.pid) {
                    if h.0 == e.tid {
                        holder.remove(&e.pid);
                        push(&mut out, e.pid, h, e.t_ns);
                    }
                }
            }
            _ => {}
        }
    }
    let end = end_ns(trace);
    for (pid, h) in holder {
        push(&mut out, pid, h, end);
    }
    out.sort_by_key(|&(pid, _, start, _)| (pid, start));
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::trace::event::{ProcessInfo, TraceMeta};
    use crate::trace::fixture::{ev, threads as thread_table};

    /// Two threads in one process: T1 runs, is forced out by T2's drop request, T2 then
    /// waits for a lock, T1 sleeps, T2 runs and exits, T1 comes back and is still running
    /// at the end.
    pub(crate) fn sample() -> Trace {
        use EventKind::*;
        let events = vec![
            ev(0, 1, 0, ThreadStart),
            ev(0, 1, 0, GilWant),
            ev(1_000, 1, 1, GilAcquire),
            ev(2_000, 2, 0, ThreadStart),
            ev(2_000, 2, 0, GilWant),
            ev(7_000, 2, 0, GilDropRequest),
            ev(7_500, 1, 3, GilRelease(Release::Forced)),
            ev(8_000, 2, 5, GilAcquire),
            ev(9_000, 2, 6, LockWait(1)),
            ev(9_000, 2, 6, GilRelease(Release::LockWait)),
            ev(9_500, 1, 3, GilAcquire),
            ev(10_000, 1, 4, GilRelease(Release::Sleep)),
            ev(10_000, 1, 4, SleepBegin),
            ev(11_000, 2, 6, LockAcquire(1)),
            ev(11_000, 2, 6, GilWant),
            ev(11_200, 2, 6, GilAcquire),
            ev(12_000, 2, 7, ThreadExit),
            ev(12_000, 2, 7, GilRelease(Release::Exit)),
            ev(15_000, 1, 4, SleepEnd),
            ev(15_000, 1, 4, GilWant),
            ev(15_100, 1, 8, GilAcquire),
        ];
        Trace {
            meta: TraceMeta {
                program: "two.py".into(),
                mode: "deterministic".into(),
                policy: "new".into(),
                switch_interval_us: 5_000,
                check_interval: 100,
                seed: Some(7),
                cores: Some(2),
                threads: Some(1),
                processes: None,
            },
            processes: vec![ProcessInfo {
                pid: 1,
                name: "MainProcess".into(),
            }],
            threads: thread_table(&["MainThread", "main-0"]),
            events,
            source: vec![
                "import threading".into(),
                "lock = threading.Lock()".into(),
                "    x += 1".into(),
                "    time.sleep(0.01)".into(),
                "    with lock:".into(),
                "        y = 2".into(),
                "    return y".into(),
                "print(x)".into(),
            ],
            dropped: 0,
            end_ns: 20_000,
            stats: "gilsim: wall 0.000 s\n".into(),
        }
    }

    fn s(tid: u32, state: State, start_ns: u64, end_ns: u64) -> Slice {
        Slice {
            pid: 1,
            tid,
            state,
            start_ns,
            end_ns,
        }
    }

    /// No two slices of one thread overlap and none is empty.
    pub(crate) fn assert_well_formed(slices: &[Slice]) {
        for w in slices.windows(2) {
            assert!(w[0].start_ns < w[0].end_ns, "empty slice {:?}", w[0]);
            if (w[0].pid, w[0].tid) == (w[1].pid, w[1].tid) {
                assert!(w[0].end_ns <= w[1].start_ns, "overlap {:?} {:?}", w[0], w[1]);
            }
        }
        if let Some(last) = slices.last() {
            assert!(last.start_ns < last.end_ns);
        }
    }

    #[test]
    fn slices_of_the_sample_are_exact() {
        use State::*;
        assert_eq!(
            slices(&sample()),
            vec![
                s(1, WaitingForGil, 0, 1_000),
                s(1, Running, 1_000, 7_500),
                s(1, WaitingForGil, 7_500, 9_500),
                s(1, Running, 9_500, 10_000),
                s(1, Sleeping, 10_000, 15_000),
                s(1, WaitingForGil, 15_000, 15_100),
                s(1, Running, 15_100, 20_000),
                s(2, WaitingForGil, 2_000, 8_000),
                s(2, Running, 8_000, 9_000),
                s(2, Blocked, 9_000, 11_000),
                s(2, WaitingForGil, 11_000, 11_200),
                s(2, Running, 11_200, 12_000),
            ]
        );
    }

    #[test]
    fn handoffs_of_the_sample_are_exact() {
        let h = |from_tid, to_tid, release_ns, acquire_ns| Handoff {
            from_tid,
            to_tid,
            pid: 1,
            release_ns,
            acquire_ns,
        };
        assert_eq!(
            handoffs(&sample()),
            vec![
                h(1, 2, 7_500, 8_000),
                h(2, 1, 9_000, 9_500),
                h(1, 2, 10_000, 11_200),
                h(2, 1, 12_000, 15_100),
            ]
        );
    }

    #[test]
    fn holders_of_the_sample_are_exact() {
        assert_eq!(
            holder_lanes(&sample()),
            vec![
                (1, 1, 1_000, 7_500),
                (1, 2, 8_000, 9_000),
                (1, 1, 9_500, 10_000),
                (1, 2, 11_200, 12_000),
                (1, 1, 15_100, 20_000),
            ]
        );
    }

    #[test]
    fn begin_events_refine_only_a_thread_not_running() {
        use EventKind::*;
        let mut t = Trace {
            end_ns: 100,
            ..Default::default()
        };
        t.events = vec![
            ev(0, 1, 0, GilAcquire),
            ev(10, 1, 0, IoBegin), // still running until the release
            ev(20, 1, 0, GilRelease(Release::Io)),
            ev(30, 1, 0, IoEnd),
            ev(40, 1, 0, GilWant),
            ev(50, 1, 0, GilRelease(Release::Join)), // blocked, no acquire in between
            ev(60, 1, 0, SleepBegin),                // refines blocked into sleeping
        ];
        let got = slices(&t);
        assert_well_formed(&got);
        assert_eq!(
            got,
            vec![
                s(1, State::Running, 0, 20),
                s(1, State::Io, 20, 30),
                s(1, State::WaitingForGil, 40, 50),
                s(1, State::Blocked, 50, 60),
                s(1, State::Sleeping, 60, 100),
            ]
        );
    }

    #[test]
    fn hostile_inputs_do_not_panic_and_stay_well_formed() {
        use EventKind::*;
        assert!(slices(&Trace::default()).is_empty());
        assert!(handoffs(&Trace::default()).is_empty());
        assert!(holder_lanes(&Trace::default()).is_empty());
        // Out of order, unknown threads, events after exit, an end before the last event.
        let mut t = Trace {
            end_ns: 5,
            ..Default::default()
        };
        t.events = vec![
            ev(50, 9, 0, GilAcquire),
            ev(10, 9, 0, GilWant),
            ev(60, 9, 0, GilRelease(Release::Exit)),
            ev(70, 9, 0, GilAcquire), // after exit: ignored
            ev(40, 8, 0, GilAcquire), // 8 holds, 9 takes over at 50 without a release
            ev(u64::MAX, 8, 0, GilRelease(Release::Forced)),
        ];
        let got = slices(&t);
        assert_well_formed(&got);
        assert_eq!(
            got,
            vec![
                s(8, State::Running, 40, u64::MAX),
                s(9, State::WaitingForGil, 10, 50),
                s(9, State::Running, 50, 60),
            ]
        );
        assert_eq!(holder_lanes(&t), vec![(1, 8, 40, 50), (1, 9, 50, 60)]);
        assert_eq!(handoffs(&t), vec![]);
        assert_eq!(
            threads(&t).iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
            ["tid 8", "tid 9"]
        );
    }

    #[test]
    fn threads_are_grouped_by_process_in_listing_order() {
        let mut t = sample();
        t.threads.insert(
            0,
            ThreadInfo {
                pid: 2,
                tid: 5,
                name: "worker".into(),
            },
        );
        t.events.push(Event {
            t_ns: 1,
            pid: 2,
            tid: 6,
            line: 0,
            kind: EventKind::ThreadStart,
        });
        let names: Vec<String> = threads(&t).into_iter().map(|t| t.name).collect();
        assert_eq!(names, ["MainThread", "main-0", "worker", "tid 6"]);
        assert_eq!(pids(&t), [1, 2]);
    }
}
