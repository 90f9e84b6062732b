//! Chrome Trace Event JSON, the format ui.perfetto.dev and chrome://tracing open: one "X"
//! slice per thread state, flow arrows from the thread releasing the lock to the one
//! acquiring it, instants for the rarer events, and the run's settings as metadata.

use serde_json::{json, Map, Value};

use super::event::{Event, EventKind, Trace};
use super::text::format_interval_us;
use super::timeline::{self, State};

/// Trace Event timestamps are microseconds; fractions keep nanosecond precision.
fn us(ns: u64) -> f64 {
    ns as f64 / 1_000.0
}

/// The colour chrome://tracing gives each state (Perfetto picks its own).
fn cname(state: State) -> &'static str {
    match state {
        State::Running => "thread_state_running",
        State::WaitingForGil => "thread_state_runnable",
        State::Sleeping => "thread_state_sleeping",
        State::Io => "thread_state_iowait",
        State::Blocked => "thread_state_uninterruptible",
    }
}

/// The category of an event shown as an instant, or None for events drawn otherwise.
fn instant_category(kind: &EventKind) -> Option<&'static str> {
    match kind {
        EventKind::GilDropRequest => Some("gil"),
        EventKind::TaskSubmit(_) | EventKind::TaskStart(_) | EventKind::TaskDone(_) => Some("task"),
        EventKind::ProcessSpawn(_) | EventKind::ProcessExit(_) => Some("process"),
        EventKind::LockWait(_) => Some("lock"),
        _ => None,
    }
}

/// A process's track name: which run it belongs to, at a glance.
fn process_title(trace: &Trace, pid: u32) -> String {
    let m = &trace.meta;
    let mut settings = Vec::new();
    if !m.mode.is_empty() {
        settings.push(m.mode.clone());
    }
    if !m.policy.is_empty() {
        settings.push(format!("gil {}", m.policy));
    }
    settings.push(format!("switch {}", format_interval_us(m.switch_interval_us)));
    format!("gilsim pid {pid} — {}", settings.join(", "))
}

fn metadata(trace: &Trace) -> Value {
    let m = &trace.meta;
    let mut meta = Map::new();
    meta.insert("generator".into(), json!("gilsim"));
    meta.insert("program".into(), json!(m.program));
    meta.insert("mode".into(), json!(m.mode));
    meta.insert("policy".into(), json!(m.policy));
    meta.insert("switch_interval_us".into(), json!(m.switch_interval_us));
    meta.insert("check_interval".into(), json!(m.check_interval));
    let optional = [
        ("seed", m.seed),
        ("cores", m.cores.map(u64::from)),
        ("threads", m.threads.map(u64::from)),
        ("processes", m.processes.map(u64::from)),
    ];
    for (key, value) in optional {
        if let Some(v) = value {
            meta.insert(key.into(), json!(v));
        }
    }
    meta.insert("events".into(), json!(trace.events.len()));
    meta.insert("dropped_events".into(), json!(trace.dropped));
    meta.insert("end_ns".into(), json!(timeline::end_ns(trace)));
    Value::Object(meta)
}

/// The source position of an event, as instant arguments.
fn source_args(trace: &Trace, e: &Event) -> Value {
    if e.line == 0 {
        return json!({});
    }
    json!({ "line": e.line, "source": trace.snippet(e.line) })
}

/// The whole Chrome Trace Event JSON document, one event per line.
pub fn render_chrome(trace: &Trace) -> String {
    let mut events: Vec<Value> = Vec::new();

    for pid in timeline::pids(trace) {
        events.push(json!({"ph": "M", "pid": pid, "tid": 0, "name": "process_name",
            "args": {"name": process_title(trace, pid)}}));
        events.push(json!({"ph": "M", "pid": pid, "tid": 0, "name": "process_sort_index",
            "args": {"sort_index": pid}}));
        if let Some(p) = trace.processes.iter().find(|p| p.pid == pid) {
            events.push(json!({"ph": "M", "pid": pid, "tid": 0, "name": "process_labels",
                "args": {"labels": p.name}}));
        }
    }
    for (i, t) in timeline::threads(trace).iter().enumerate() {
        events.push(json!({"ph": "M", "pid": t.pid, "tid": t.tid, "name": "thread_name",
            "args": {"name": t.name}}));
        events.push(
            json!({"ph": "M", "pid": t.pid, "tid": t.tid, "name": "thread_sort_index",
            "args": {"sort_index": i}}),
        );
    }

    for s in timeline::slices(trace) {
        events.push(
            json!({"ph": "X", "name": s.state.name(), "cat": "state", "cname": cname(s.state),
            "pid": s.pid, "tid": s.tid, "ts": us(s.start_ns), "dur": us(s.dur_ns())}),
        );
    }

    // Flow ends sit 1 ns inside the slices around the handoff (the releaser's last running
    // slice, the acquirer's first), so viewers bind them to those rather than a neighbour
    // that starts or ends at the same instant.
    for (i, h) in timeline::handoffs(trace).iter().enumerate() {
        let id = i + 1;
        let from = timeline::thread_label(trace, h.pid, h.from_tid);
        let to = timeline::thread_label(trace, h.pid, h.to_tid);
        let latency_us = us(h.acquire_ns.saturating_sub(h.release_ns));
        events.push(json!({"ph": "s", "id": id, "name": "gil handoff", "cat": "gil",
            "pid": h.pid, "tid": h.from_tid, "ts": us(h.release_ns.saturating_sub(1))}));
        events.push(
            json!({"ph": "f", "bp": "e", "id": id, "name": "gil handoff", "cat": "gil",
            "pid": h.pid, "tid": h.to_tid, "ts": us(h.acquire_ns.saturating_add(1)),
            "args": {"from": from, "to": to, "latency_us": latency_us}}),
        );
    }

    for e in &trace.events {
        if let Some(cat) = instant_category(&e.kind) {
            events.push(json!({"ph": "i", "s": "t", "name": e.kind.name(), "cat": cat,
                "pid": e.pid, "tid": e.tid, "ts": us(e.t_ns), "args": source_args(trace, e)}));
        }
    }

    let mut out = String::from("{\"traceEvents\": [\n");
    for (i, e) in events.iter().enumerate() {
        out.push_str(&e.to_string());
        out.push_str(if i + 1 < events.len() { ",\n" } else { "\n" });
    }
    out.push_str("],\n\"displayTimeUnit\": \"ms\",\n\"metadata\": ");
    out.push_str(&metadata(trace).to_string());
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::timeline::tests::sample;

    fn parse(trace: &Trace) -> Value {
        let text = render_chrome(trace);
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
    }

    fn with_ph<'a>(doc: &'a Value, ph: &str) -> Vec<&'a Value> {
        doc["traceEvents"]
            .as_array()
            .expect("traceEvents is an array")
            .iter()
            .filter(|e| e["ph"] == ph)
            .collect()
    }

    #[test]
    fn slices_are_complete_events_that_never_overlap() {
        let doc = parse(&sample());
        let xs = with_ph(&doc, "X");
        assert_eq!(xs.len(), 12);
        let mut last_end: std::collections::BTreeMap<u64, f64> = Default::default();
        for x in &xs {
            let (ts, dur) = (x["ts"].as_f64().unwrap(), x["dur"].as_f64().unwrap());
            assert!(dur > 0.0, "{x}");
            assert_eq!(x["cat"], "state");
            let tid = x["tid"].as_u64().unwrap();
            let prev = last_end.insert(tid, ts + dur).unwrap_or(0.0);
            assert!(ts >= prev, "overlap at {x}");
        }
        // The first slice of tid 2: waiting 2 µs → 8 µs.
        let first2 = xs.iter().find(|x| x["tid"] == 2).unwrap();
        assert_eq!(first2["name"], "waiting_for_gil");
        assert_eq!(first2["ts"].as_f64(), Some(2.0));
        assert_eq!(first2["dur"].as_f64(), Some(6.0));
        let names: std::collections::BTreeSet<&str> = xs.iter().map(|x| x["name"].as_str().unwrap()).collect();
        assert_eq!(
            names.into_iter().collect::<Vec<_>>(),
            ["blocked", "running", "sleeping", "waiting_for_gil"]
        );
    }

    #[test]
    fn one_flow_arrow_per_handoff() {
        let trace = sample();
        let doc = parse(&trace);
        let n = timeline::handoffs(&trace).len();
        assert_eq!(n, 4);
        let (starts, ends) = (with_ph(&doc, "s"), with_ph(&doc, "f"));
        assert_eq!((starts.len(), ends.len()), (n, n));
        for (s, f) in starts.iter().zip(&ends) {
            assert_eq!(s["id"], f["id"]);
            assert_eq!(f["bp"], "e");
            assert_ne!(s["tid"], f["tid"]);
        }
        assert_eq!(starts[0]["tid"], 1);
        assert_eq!(ends[0]["tid"], 2);
        assert_eq!(ends[0]["args"]["latency_us"].as_f64(), Some(0.5));
    }

    #[test]
    fn names_metadata_and_instants() {
        let doc = parse(&sample());
        let ms = with_ph(&doc, "M");
        let process = ms.iter().find(|m| m["name"] == "process_name").unwrap();
        assert_eq!(
            process["args"]["name"],
            "gilsim pid 1 — deterministic, gil new, switch 5 ms"
        );
        let threads: Vec<&str> = ms
            .iter()
            .filter(|m| m["name"] == "thread_name")
            .map(|m| m["args"]["name"].as_str().unwrap())
            .collect();
        assert_eq!(threads, ["MainThread", "main-0"]);
        assert_eq!(ms.iter().filter(|m| m["name"] == "thread_sort_index").count(), 2);
        let instants: Vec<&str> = with_ph(&doc, "i").iter().map(|i| i["name"].as_str().unwrap()).collect();
        assert_eq!(instants, ["drop request", "lock 1 wait"]);
        assert_eq!(with_ph(&doc, "i")[1]["args"]["source"], "y = 2");
        assert_eq!(doc["displayTimeUnit"], "ms");
        assert_eq!(doc["metadata"]["seed"], 7);
        assert_eq!(doc["metadata"]["program"], "two.py");
    }

    #[test]
    fn output_is_deterministic_and_empty_traces_still_parse() {
        assert_eq!(render_chrome(&sample()), render_chrome(&sample()));
        let doc = parse(&Trace::default());
        assert_eq!(doc["traceEvents"].as_array().map(Vec::len), Some(0));
    }
}
