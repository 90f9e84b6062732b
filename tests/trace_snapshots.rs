//! Deterministic traces of every example, pinned by insta snapshots, and the properties
//! every trace format must have: the same bytes on every run, Chrome JSON that Perfetto
//! can open (no negative durations, no overlapping slices on a thread), a stepper that
//! can be driven from a script.

mod common;

use common::{run, run_with_input};

const MANIFEST: &str = env!("CARGO_MANIFEST_DIR");

/// Traces longer than this many lines are pinned by their head and tail (the
/// byte-identical reruns below still compare them whole).
const SNAPSHOT_LINES: usize = 1500;

fn examples() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(format!("{MANIFEST}/examples"))
        .expect("examples/")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".py"))
        .collect();
    names.sort();
    names
}

/// `gilsim trace --deterministic EXTRA… examples/NAME`, run from the crate root so that
/// the program path in the header is the same everywhere.
fn trace(name: &str, extra: &[&str]) -> common::Run {
    let path = format!("examples/{name}");
    let mut args = vec!["trace", "--deterministic"];
    args.extend_from_slice(extra);
    args.push(&path);
    let mut cmd = common::gilsim();
    cmd.current_dir(MANIFEST).args(&args);
    let out = cmd.output().expect("run gilsim");
    common::Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn abridged(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() <= SNAPSHOT_LINES {
        return text.to_string();
    }
    let head = SNAPSHOT_LINES * 3 / 4;
    let tail = SNAPSHOT_LINES - head;
    format!(
        "{}\n… {} lines omitted …\n{}\n",
        lines[..head].join("\n"),
        lines.len() - head - tail,
        lines[lines.len() - tail..].join("\n")
    )
}

#[test]
fn every_example_has_a_pinned_deterministic_trace() {
    for name in examples() {
        let first = trace(&name, &[]);
        // The deadlock example ends in DeadlockError (exit 1) by design.
        let expected = if name == "deadlock.py" { Some(1) } else { Some(0) };
        assert_eq!(first.code, expected, "{name}\n{}", first.dump());
        let second = trace(&name, &[]);
        assert_eq!(first.stdout, second.stdout, "{name}: two deterministic traces differ");
        assert_eq!(first.stderr, second.stderr, "{name}: two deterministic runs differ");
        let stem = name.trim_end_matches(".py");
        insta::assert_snapshot!(format!("trace_{stem}"), abridged(&first.stdout));
    }
}

#[test]
fn the_race_under_two_seeds_interleaves_differently() {
    let a = trace("race.py", &["--seed", "1"]);
    let b = trace("race.py", &["--seed", "2"]);
    assert!(a.success(), "{}", a.dump());
    assert!(b.success(), "{}", b.dump());
    assert_ne!(a.stdout, b.stdout, "seeds 1 and 2 gave the same trace");
    insta::assert_snapshot!("trace_race_seed_1", abridged(&a.stdout));
    insta::assert_snapshot!("trace_race_seed_2", abridged(&b.stdout));
}

/// `gilsim trace --deterministic FLAG N tests/trace_programs/replicas.py`: its output.
fn trace_replicas(flag: &str, n: &str) -> String {
    let mut cmd = common::gilsim();
    cmd.current_dir(MANIFEST)
        .args(["trace", "--deterministic", flag, n, "tests/trace_programs/replicas.py"]);
    let out = cmd.output().expect("run gilsim");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

#[test]
fn replicated_main_under_threads_is_pinned() {
    let stdout = trace_replicas("--threads", "3");
    assert_eq!(stdout.matches("done 374993750025000").count(), 4, "{stdout}");
    insta::assert_snapshot!("trace_threads_3_replicas", abridged(&stdout));
}

#[test]
fn replicated_main_under_processes_is_pinned() {
    let stdout = trace_replicas("--processes", "2");
    // Two simulated processes beside the program's own.
    assert!(stdout.contains("pid 3"), "{stdout}");
    insta::assert_snapshot!("trace_processes_2_replicas", abridged(&stdout));
}

/// The slices of one thread in Chrome JSON: (tid, start µs, duration µs).
fn x_slices(json: &serde_json::Value) -> Vec<(u64, f64, f64)> {
    json["traceEvents"]
        .as_array()
        .expect("traceEvents is an array")
        .iter()
        .filter(|e| e["ph"] == "X")
        .map(|e| {
            (
                e["tid"].as_u64().expect("tid"),
                e["ts"].as_f64().expect("ts"),
                e["dur"].as_f64().expect("dur"),
            )
        })
        .collect()
}

#[test]
fn chrome_traces_open_in_perfetto() {
    for name in ["race.py", "convoy.py", "producer_consumer.py", "deadlock.py"] {
        let r = trace(name, &["--format", "chrome"]);
        let json: serde_json::Value =
            serde_json::from_str(&r.stdout[r.stdout.find("{\"").expect("JSON object in the output")..])
                .unwrap_or_else(|e| panic!("{name}: not JSON: {e}"));
        let mut slices = x_slices(&json);
        assert!(!slices.is_empty(), "{name}: no slices");
        assert!(slices.iter().all(|&(_, _, d)| d >= 0.0), "{name}: a negative duration");
        slices.sort_by(|a, b| (a.0, a.1).partial_cmp(&(b.0, b.1)).unwrap());
        for w in slices.windows(2) {
            if w[0].0 == w[1].0 {
                assert!(
                    w[0].1 + w[0].2 <= w[1].1 + 1e-6,
                    "{name}: slices overlap on thread {}: {:?} and {:?}",
                    w[0].0,
                    w[0],
                    w[1]
                );
            }
        }
        let names: Vec<&str> = json["traceEvents"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["ph"] == "X")
            .filter_map(|e| e["name"].as_str())
            .collect();
        for n in &names {
            assert!(
                ["running", "waiting_for_gil", "sleeping", "io", "blocked"].contains(n),
                "{name}: unexpected slice name {n}"
            );
        }
        assert!(names.contains(&"running"), "{name}");
    }
}

#[test]
fn trace_files_are_written_whole_and_svg_looks_like_svg() {
    let dir = std::env::temp_dir().join(format!("gilsim-trace-out-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let svg = dir.join("race.svg");
    let r = trace("race.py", &["--format", "svg", "-o", svg.to_str().unwrap()]);
    assert!(r.success(), "{}", r.dump());
    let text = std::fs::read_to_string(&svg).expect("the SVG was written");
    assert!(
        text.starts_with("<svg") || text.starts_with("<?xml"),
        "{}",
        &text[..text.len().min(200)]
    );
    assert!(text.trim_end().ends_with("</svg>"));
    for label in ["running", "waiting_for_gil", "MainThread"] {
        assert!(text.contains(label), "the SVG lacks {label}");
    }
    // No temporary file is left beside it.
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "race.svg")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // An unwritable destination is a clear error, not a panic.
    let r = trace("race.py", &["--format", "svg", "-o", "/nonexistent-dir/x.svg"]);
    assert_eq!(r.code, Some(1), "{}", r.dump());
    assert!(
        r.stderr.contains("cannot write the trace to /nonexistent-dir/x.svg"),
        "{}",
        r.dump()
    );
    assert!(!r.stderr.contains("panicked"), "{}", r.dump());
}

#[test]
fn the_stepper_reads_commands_from_a_pipe() {
    let path = format!("{MANIFEST}/examples/race.py");
    let r = run_with_input(&["step", "--deterministic", &path], "n\nn\ns\nq\n");
    assert!(r.success(), "{}", r.dump());
    // Three stops after the first: two handoffs, then one event, then quit.
    assert_eq!(r.stdout.matches("gil held by:").count(), 4, "{}", r.dump());
    assert!(r.stdout.contains("MainThread"), "{}", r.dump());
    let r = run_with_input(&["step", "--deterministic", &path], "c\n");
    assert!(r.stdout.contains("end of the trace"), "{}", r.dump());
    assert!(
        r.stdout.contains("switches"),
        "the statistics follow the trace\n{}",
        r.dump()
    );
    let r = run(&["step", "--deterministic", "/nonexistent.py"]);
    assert_eq!(r.code, Some(2), "{}", r.dump());
}
