//! `gilsim step`: walks through a run's trace in the terminal. Each stop shows the event,
//! who holds the interpreter lock, every thread's state and the source line each thread is
//! at, with context around the thread that acted.
//!
//! Commands, one per line (a terminal's Enter sends an empty one): Enter or `n` goes to
//! the next handoff of the lock, `s` to the next event, `c` runs to the end, `q` quits.
//! When standard input is not a terminal the same commands are read line by line, so a
//! session can be scripted and tested; at the end of input the stepper stops.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{BufRead, IsTerminal, Write};

use super::event::{Event, EventKind, Trace};
use crate::gil::Release;

/// A thread as the stepper sees it at the current event.
#[derive(Clone, Debug)]
struct ThreadView {
    name: String,
    state: &'static str,
    line: u32,
}

/// What the stepper does next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Command {
    NextHandoff,
    NextEvent,
    Continue,
    Quit,
}

fn parse_command(line: &str) -> Option<Command> {
    match line.trim() {
        "" | "n" | "next" => Some(Command::NextHandoff),
        "s" | "step" => Some(Command::NextEvent),
        "c" | "continue" => Some(Command::Continue),
        "q" | "quit" | "exit" => Some(Command::Quit),
        _ => None,
    }
}

/// Runs the stepper on standard input and output.
pub fn run(trace: &Trace) -> Result<(), String> {
    let stdin = std::io::stdin();
    let interactive = stdin.is_terminal();
    let mut out = std::io::stdout().lock();
    let result = step_through(trace, &mut stdin.lock(), &mut out, interactive);
    match result {
        Ok(()) => Ok(()),
        // The reader went away (`gilsim step … | head`): stop quietly.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(format!("step: {e}")),
    }
}

/// The stepper over any input and output (what tests drive).
pub fn step_through(
    trace: &Trace,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    interactive: bool,
) -> std::io::Result<()> {
    let mut threads: BTreeMap<(u32, u32), ThreadView> = BTreeMap::new();
    for t in &trace.threads {
        threads.insert(
            (t.pid, t.tid),
            ThreadView {
                name: t.name.clone(),
                state: "not started",
                line: 0,
            },
        );
    }
    let mut holder: BTreeMap<u32, u32> = BTreeMap::new();
    writeln!(
        out,
        "gilsim step: {} ({}, gil {}{}), {} events, {} handoffs",
        trace.meta.program,
        trace.meta.mode,
        trace.meta.policy,
        trace.meta.seed.map(|s| format!(", seed {s}")).unwrap_or_default(),
        trace.events.len(),
        trace.events.iter().filter(|e| e.kind.is_handoff()).count()
    )?;
    writeln!(out, "Enter or n: next handoff · s: next event · c: continue · q: quit")?;
    let mut mode = Command::NextHandoff;
    let mut i = 0;
    while i < trace.events.len() {
        let e = &trace.events[i];
        apply(&mut threads, &mut holder, e);
        i += 1;
        let stop = match mode {
            Command::NextEvent => true,
            Command::NextHandoff => e.kind.is_handoff(),
            Command::Continue | Command::Quit => false,
        };
        if mode == Command::Continue {
            writeln!(out, "{}", event_line(trace, e))?;
            continue;
        }
        if !stop {
            continue;
        }
        out.write_all(render_stop(trace, e, &threads, &holder).as_bytes())?;
        mode = match read_command(input, out, interactive)? {
            Some(Command::Quit) | None => return Ok(()),
            Some(c) => c,
        };
    }
    writeln!(out, "— end of the trace —")?;
    if !trace.stats.is_empty() {
        write!(out, "{}", trace.stats)?;
    }
    Ok(())
}

/// Reads the next command, asking again on a line it does not understand. `None` at the
/// end of input.
fn read_command(input: &mut dyn BufRead, out: &mut dyn Write, interactive: bool) -> std::io::Result<Option<Command>> {
    loop {
        if interactive {
            write!(out, "step> ")?;
            out.flush()?;
        }
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        match parse_command(&line) {
            Some(c) => return Ok(Some(c)),
            None => writeln!(
                out,
                "unknown command {:?}: Enter or n (next handoff), s (next event), c (continue), q (quit)",
                line.trim()
            )?,
        }
    }
}

/// Updates the thread views with one event.
fn apply(threads: &mut BTreeMap<(u32, u32), ThreadView>, holder: &mut BTreeMap<u32, u32>, e: &Event) {
    let view = threads.entry((e.pid, e.tid)).or_insert_with(|| ThreadView {
        name: format!("thread {}", e.tid),
        state: "not started",
        line: 0,
    });
    if e.line != 0 {
        view.line = e.line;
    }
    let state = match e.kind {
        EventKind::ThreadStart => Some("started"),
        EventKind::ThreadExit => Some("exited"),
        EventKind::GilWant => Some("waiting for gil"),
        EventKind::GilAcquire => {
            holder.insert(e.pid, e.tid);
            Some("running")
        }
        EventKind::GilRelease(reason) => {
            if holder.get(&e.pid) == Some(&e.tid) {
                holder.remove(&e.pid);
            }
            Some(match reason {
                Release::Sleep => "sleeping",
                Release::Io => "in i/o",
                Release::LockWait | Release::Join => "blocked",
                Release::Forced | Release::Interval => "waiting for gil",
                Release::Exit => "exited",
            })
        }
        _ => None,
    };
    if let Some(s) = state {
        view.state = s;
    }
}

/// One event as a line: time, thread, what happened, where.
fn event_line(trace: &Trace, e: &Event) -> String {
    let mut s = format!(
        "[{:>10.6} s] {:<12} {}",
        e.t_ns as f64 / 1e9,
        trace.thread_name(e.tid),
        e.kind.name()
    );
    if e.line != 0 {
        let _ = write!(s, "  (line {}: {})", e.line, trace.snippet(e.line));
    }
    s
}

/// The screen at one stop.
fn render_stop(
    trace: &Trace,
    e: &Event,
    threads: &BTreeMap<(u32, u32), ThreadView>,
    holder: &BTreeMap<u32, u32>,
) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "\n{}", event_line(trace, e));
    let held_by = match holder.get(&e.pid) {
        Some(tid) => trace.thread_name(*tid).to_string(),
        None => "nobody".to_string(),
    };
    let _ = writeln!(s, "  gil held by: {held_by}");
    let width = threads.values().map(|t| t.name.len()).max().unwrap_or(6);
    for ((pid, tid), t) in threads {
        let marker = if (*pid, *tid) == (e.pid, e.tid) { '>' } else { ' ' };
        let at = if t.line == 0 {
            String::new()
        } else {
            format!("line {:>4}: {}", t.line, trace.snippet(t.line))
        };
        let row = format!(" {marker} {:<width$}  {:<15}  {}", t.name, t.state, at);
        let _ = writeln!(s, "{}", row.trim_end());
    }
    // Context around the line of the thread that acted.
    if e.line != 0 {
        let first = e.line.saturating_sub(2).max(1);
        let last = (e.line + 2).min(trace.source.len() as u32);
        let _ = writeln!(s, "  ---- {} ----", trace.thread_name(e.tid));
        for n in first..=last {
            let mark = if n == e.line { "->" } else { "  " };
            let text = trace.source.get(n as usize - 1).map(String::as_str).unwrap_or("");
            let _ = writeln!(s, "  {mark} {n:>4} | {text}");
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::event::TraceMeta;
    use crate::trace::fixture::{ev, threads};

    fn sample() -> Trace {
        Trace {
            meta: TraceMeta {
                program: "demo.py".into(),
                mode: "deterministic".into(),
                policy: "new".into(),
                seed: Some(3),
                ..Default::default()
            },
            threads: threads(&["MainThread", "Thread-1"]),
            events: vec![
                ev(0, 1, 0, EventKind::GilAcquire),
                ev(10, 2, 0, EventKind::GilWant),
                ev(20, 1, 2, EventKind::GilRelease(Release::Sleep)),
                ev(20, 2, 0, EventKind::GilAcquire),
                ev(30, 2, 3, EventKind::ThreadExit),
            ],
            source: vec!["import time".into(), "time.sleep(1)".into(), "x = 1".into()],
            stats: "stats here\n".into(),
            ..Default::default()
        }
    }

    fn drive(input: &str) -> String {
        let mut out = Vec::new();
        step_through(&sample(), &mut input.as_bytes(), &mut out, false).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn next_stops_only_at_handoffs() {
        let out = drive("n\nn\n");
        assert_eq!(out.matches("gil held by").count(), 2, "{out}");
        assert!(out.contains("gil held by: Thread-1"), "{out}");
        assert!(out.contains("end of the trace"), "{out}");
        assert!(out.contains("stats here"), "{out}");
    }

    #[test]
    fn step_stops_at_every_event_and_shows_states() {
        let out = drive("s\ns\ns\nq\n");
        assert_eq!(out.matches("gil held by").count(), 4, "{out}");
        // After the sleep release: MainThread sleeps, nobody holds the lock.
        assert!(out.contains("gil held by: nobody"), "{out}");
        assert!(out.contains("MainThread  sleeping"), "{out}");
        assert!(out.contains("->    2 | time.sleep(1)"), "{out}");
        assert!(!out.contains("end of the trace"), "{out}");
    }

    #[test]
    fn continue_prints_the_rest_and_unknown_commands_are_explained() {
        let out = drive("what\nc\n");
        assert!(out.contains("unknown command \"what\""), "{out}");
        assert!(out.contains("thread exit"), "{out}");
        assert!(out.contains("end of the trace"), "{out}");
    }

    #[test]
    fn end_of_input_stops_quietly() {
        let out = drive("");
        assert_eq!(out.matches("gil held by").count(), 1, "{out}");
    }
}
