//! The plain-text trace: a `# ` header recording how the run was made, one aligned line per
//! event, then the run's statistics. Meant to be read, grepped and diffed, so it is
//! byte-for-byte the same for the same trace.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::event::Trace;
use super::timeline;

/// A duration given in microseconds, in the largest unit that keeps it short:
/// "100 µs", "1.5 ms", "5 ms", "2 s".
pub fn format_interval_us(us: u64) -> String {
    if us < 1_000 {
        format!("{us} µs")
    } else if us < 1_000_000 {
        format!("{} ms", decimal(us, 1_000))
    } else {
        format!("{} s", decimal(us, 1_000_000))
    }
}

/// `n / unit` written exactly, without trailing zeros ("1.5", "5").
fn decimal(n: u64, unit: u64) -> String {
    let whole = n / unit;
    let frac = n % unit;
    if frac == 0 {
        return whole.to_string();
    }
    let digits = unit.to_string().len() - 1;
    let s = format!("{whole}.{frac:0digits$}");
    s.trim_end_matches('0').to_string()
}

/// Nanoseconds as seconds with six decimals ("0.005012"), truncated, not rounded, so a
/// time never shows as later than it was.
pub fn format_seconds(ns: u64) -> String {
    format!("{}.{:06}", ns / 1_000_000_000, (ns % 1_000_000_000) / 1_000)
}

/// The header lines (each starting with "# ") recording how the run was made.
fn header(trace: &Trace) -> String {
    let m = &trace.meta;
    let mut h = String::from("# gilsim trace\n");
    let mut field = |key: &str, value: &str| {
        if !value.is_empty() {
            let _ = writeln!(h, "# {key}: {value}");
        }
    };
    field("program", &m.program);
    field("mode", &m.mode);
    field("gil", &m.policy);
    field("switch interval", &format_interval_us(m.switch_interval_us));
    field("check interval", &format!("{} instructions", m.check_interval));
    if let Some(seed) = m.seed {
        field("seed", &seed.to_string());
    }
    if let Some(cores) = m.cores {
        field("cores", &cores.to_string());
    }
    let mut flags = Vec::new();
    if let Some(n) = m.threads {
        flags.push(format!("--threads {n}"));
    }
    if let Some(n) = m.processes {
        flags.push(format!("--processes {n}"));
    }
    field("flags", &flags.join(" "));
    h
}

/// The whole text trace.
pub fn render_text(trace: &Trace) -> String {
    let mut out = header(trace);
    let multi_process = timeline::pids(trace).len() > 1;

    // Thread names once, not a search per event.
    let names: BTreeMap<(u32, u32), String> = trace
        .events
        .iter()
        .map(|e| ((e.pid, e.tid), ()))
        .collect::<BTreeMap<_, _>>()
        .into_keys()
        .map(|(pid, tid)| ((pid, tid), timeline::thread_label(trace, pid, tid)))
        .collect();

    // Columns, formatted first so they can be aligned.
    let rows: Vec<[String; 5]> = trace
        .events
        .iter()
        .map(|e| {
            let pid = if multi_process {
                format!("pid {}", e.pid)
            } else {
                String::new()
            };
            let name = names.get(&(e.pid, e.tid)).cloned().unwrap_or_default();
            let line = if e.line == 0 {
                String::new()
            } else {
                format!("line {}", e.line)
            };
            [format_seconds(e.t_ns), pid, name, e.kind.name(), line]
        })
        .collect();
    let mut widths = [0usize; 5];
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }

    for (row, e) in rows.iter().zip(&trace.events) {
        let mut line = String::new();
        // Times right-aligned so the decimal points line up.
        let _ = write!(line, "{:>w$}", row[0], w = widths[0]);
        for (i, cell) in row.iter().enumerate().skip(1) {
            if widths[i] > 0 {
                let _ = write!(line, "  {:<w$}", cell, w = widths[i]);
            }
        }
        let snippet = if e.line == 0 { "" } else { trace.snippet(e.line) };
        if !snippet.is_empty() {
            let _ = write!(line, "  {snippet}");
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }

    if trace.dropped > 0 {
        let _ = writeln!(out, "# {} events dropped past the recording cap", trace.dropped);
    }
    if !trace.stats.is_empty() {
        out.push('\n');
        out.push_str(&trace.stats);
        if !trace.stats.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gil::Release;
    use crate::trace::event::{EventKind, ProcessInfo, TraceMeta};
    use crate::trace::fixture::{ev, threads};

    fn tiny() -> Trace {
        Trace {
            meta: TraceMeta {
                program: "tiny.py".into(),
                mode: "deterministic".into(),
                policy: "new".into(),
                switch_interval_us: 5_000,
                check_interval: 100,
                seed: Some(42),
                cores: Some(2),
                threads: Some(1),
                processes: None,
            },
            processes: vec![ProcessInfo {
                pid: 1,
                name: "MainProcess".into(),
            }],
            threads: threads(&["MainThread", "w"]),
            events: vec![
                ev(0, 1, 0, EventKind::ThreadStart),
                ev(1_500, 1, 1, EventKind::GilAcquire),
                ev(5_012_345, 2, 0, EventKind::GilWant),
                ev(5_100_000, 2, 0, EventKind::GilDropRequest),
                ev(5_200_000, 1, 2, EventKind::GilRelease(Release::Forced)),
                ev(5_300_000, 2, 12, EventKind::GilAcquire),
                ev(12_000_000_000, 2, 2, EventKind::GilRelease(Release::Exit)),
            ],
            source: vec!["x = 0".into(), "   x += 1   ".into()],
            dropped: 3,
            end_ns: 12_000_000_000,
            stats: "gilsim: wall 12.000 s".into(),
        }
    }

    #[test]
    fn tiny_trace_renders_exactly() {
        let expected = "\
# gilsim trace
# program: tiny.py
# mode: deterministic
# gil: new
# switch interval: 5 ms
# check interval: 100 instructions
# seed: 42
# cores: 2
# flags: --threads 1
 0.000000  MainThread  thread start
 0.000001  MainThread  acquired gil           line 1   x = 0
 0.005012  w           wants gil
 0.005100  w           drop request
 0.005200  MainThread  released gil (forced)  line 2   x += 1
 0.005300  w           acquired gil           line 12
12.000000  w           released gil (exit)    line 2   x += 1
# 3 events dropped past the recording cap

gilsim: wall 12.000 s
";
        let got = render_text(&tiny());
        assert_eq!(got, expected, "\n{got}");
        assert_eq!(render_text(&tiny()), got, "deterministic");
    }

    #[test]
    fn pids_appear_only_with_several_processes() {
        let mut t = tiny();
        assert!(!render_text(&t).contains("pid "));
        t.events[2].pid = 2;
        t.threads[1].pid = 2;
        let text = render_text(&t);
        assert!(text.contains(" 0.005012  pid 2  w           wants gil\n"), "{text}");
        assert!(text.contains(" 0.000000  pid 1  MainThread  thread start\n"), "{text}");
    }

    #[test]
    fn empty_trace_is_just_a_header() {
        assert_eq!(
            render_text(&Trace::default()),
            "# gilsim trace\n# switch interval: 0 µs\n# check interval: 0 instructions\n"
        );
    }

    #[test]
    fn intervals_and_seconds_format_exactly() {
        assert_eq!(format_interval_us(100), "100 µs");
        assert_eq!(format_interval_us(1_500), "1.5 ms");
        assert_eq!(format_interval_us(5_000), "5 ms");
        assert_eq!(format_interval_us(2_000_000), "2 s");
        assert_eq!(format_interval_us(1_250_000), "1.25 s");
        assert_eq!(format_seconds(5_012_999), "0.005012");
        assert_eq!(format_seconds(u64::MAX), "18446744073.709551");
    }
}
