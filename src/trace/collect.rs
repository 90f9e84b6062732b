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
        cores: det.map(|d| d.cores),
        threads: run.threads,
        processes: run.processes,
    };
    // Every interpreter of the run: the program's, then each simulated process's.
    let mut interps: Vec<(u32, String, &Interpreter)> = vec![(1, "MainProcess".to_string(), interp)];
    let simulated = crate::deterministic::process::PROCESSES.lock().clone();
    for (pid, name, i) in &simulated {
        interps.push((*pid, name.clone(), i));
    }
    // Thread ids are per interpreter; the trace numbers them from 1 across processes.
    let mut renumber = std::collections::HashMap::new();
    let mut threads = Vec::new();
    for (pid, _, i) in &interps {
        for t in i.threads.all() {
            let tid = threads.len() as u32 + 1;
            renumber.insert((*pid, t.id as u32), tid);
            threads.push(ThreadInfo {
                pid: *pid,
                tid,
                name: t.name().to_string(),
            });
        }
    }
    let mut events = events;
    for e in &mut events {
        if let Some(&tid) = renumber.get(&(e.pid, e.tid)) {
            e.tid = tid;
        }
    }
    let processes = interps
        .iter()
        .map(|(pid, name, _)| ProcessInfo {
            pid: *pid,
            name: name.clone(),
        })
        .collect();
    let end_ns = events
        .iter()
        .map(|e| e.t_ns)
        .max()
        .unwrap_or(0)
        .max(crate::clock::now_ns())
        .max(crate::deterministic::active().map(|s| s.end_ns()).unwrap_or(0));
    Trace {
        meta,
        processes,
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
