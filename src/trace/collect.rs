//! Turning a finished run into a [`Trace`]: the recorded events, the threads that ran, the
//! program's source for snippets, and the settings for the header.

use super::event::{ProcessInfo, ThreadInfo, Trace, TraceMeta};
use super::recorder;
use crate::syntax::source::SourceFile;
use crate::vm::interp::Interpreter;

/// What the trace header says about the run, beyond the interpreter's own settings.
#[derive(Clone, Debug, Default)]
pub struct RunDescription {
    pub program: String,
    pub threads: Option<u32>,
    pub processes: Option<u32>,
}

/// Stops recording and assembles the trace of the run of `interp`.
pub fn collect(interp: &Interpreter, source: &SourceFile, run: &RunDescription, stats: String) -> Trace {
    let (events, dropped) = recorder::finish();
    let settings = &interp.settings;
    let det = settings.deterministic;
    let meta = TraceMeta {
        program: run.program.clone(),
        mode: if det.is_some() { "deterministic" } else { "real time" }.to_string(),
        policy: settings.policy.name().to_string(),
        switch_interval_us: interp.switch_interval_us.load(std::sync::atomic::Ordering::Relaxed),
        check_interval: settings.check_interval,
        seed: det.map(|d| d.seed),
        cores: None,
        threads: run.threads,
        processes: run.processes,
    };
    let threads = interp
        .threads
        .all()
        .iter()
        .map(|t| ThreadInfo {
            pid: 1,
            tid: t.id as u32,
            name: t.name().to_string(),
        })
        .collect();
    let end_ns = events
        .iter()
        .map(|e| e.t_ns)
        .max()
        .unwrap_or(0)
        .max(crate::clock::now_ns());
    Trace {
        meta,
        processes: vec![ProcessInfo {
            pid: 1,
            name: "MainProcess".to_string(),
        }],
        threads,
        events,
        source: (1..=source.line_count())
            .map(|n| source.line_text(n).to_string())
            .collect(),
        dropped,
        end_ns,
        stats,
    }
}
