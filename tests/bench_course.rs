//! `gilsim bench` (the course's threads-vs-processes experiment), shrunk with the hidden
//! `--scale` so it is affordable in a debug build. Only the shape of the result is checked:
//! the keys, equal sums, positive times. No ratio is asserted: wall-clock ratios belong to
//! the release build on a quiet machine (`gilsim bench` itself), not to `cargo test`.

use std::process::Command;

use serde_json::Value;

fn bench(args: &[&str]) -> (Value, std::process::Output) {
    let out = Command::new(env!("CARGO_BIN_EXE_gilsim"))
        .args(["bench", "--scale", "0.01", "--repeat", "1", "--format", "json"])
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("gilsim runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {text}\nstderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (v, out)
}

fn check_pair(v: &Value, what: &str) {
    let p = &v[what];
    for key in ["threads_s", "processes_s", "ratio"] {
        let x = p[key].as_f64().unwrap_or_else(|| panic!("{what}.{key} missing: {v}"));
        assert!(x > 0.0 && x.is_finite(), "{what}.{key} = {x}");
    }
    let (t, q) = (p["sum_threads"].as_f64(), p["sum_processes"].as_f64());
    assert!(t.is_some(), "{what}.sum_threads missing: {v}");
    assert_eq!(t, q, "{what}: threads and processes computed different sums");
}

#[test]
fn the_course_experiment_reports_times_and_equal_sums_as_json() {
    let (v, out) = bench(&[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // No progress bar when stderr is not a terminal.
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    let workers = v["workers"].as_u64().expect("workers");
    assert!(
        (2..=8).contains(&workers),
        "workers = clamp(cpu_count, 2, 8): {workers}"
    );
    assert_eq!(v["tasks"].as_u64(), Some(2 * workers));
    assert_eq!(v["cpu_task"], "burn_cpu(10000)");
    check_pair(&v, "cpu");
    check_pair(&v, "io");
    // burn_cpu(10_000) = sum of sqrt(1..=1000) ten times; 2 × workers tasks of it.
    let one: f64 = 10.0 * (1..=1000).map(|i| (i as f64).sqrt()).sum::<f64>();
    let total = v["cpu"]["sum_threads"].as_f64().unwrap();
    assert!((total - one * (2 * workers) as f64).abs() < 1e-6 * total, "{total}");
    assert_eq!(v["sums_equal"], true);
    assert!(v["verdict"].as_str().unwrap().starts_with("CPU-bound work: "));
    assert_eq!(v["runs"].as_array().map(|r| r.len()), Some(1));
    assert!(v.get("python").is_none(), "no CPython row unless asked for");
}

#[test]
fn compare_python_adds_cpythons_row_when_there_is_one() {
    let (v, out) = bench(&["--compare-python"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    check_pair(&v, "cpu");
    if v["python"].is_null() {
        return; // no python3 on this machine
    }
    check_pair(&v["python"], "cpu");
    check_pair(&v["python"], "io");
    assert_eq!(v["sums_match_python"], true, "{v}");
    for cell in ["cpu_threads", "cpu_processes", "io_threads", "io_processes"] {
        assert!(
            v["gilsim_vs_python"][cell].as_f64().is_some_and(|x| x > 0.0),
            "{cell}: {v}"
        );
    }
}

#[test]
fn the_text_report_has_the_table_and_the_verdict() {
    let out = Command::new(env!("CARGO_BIN_EXE_gilsim"))
        .args(["bench", "--scale", "0.01", "--repeat", "1"])
        .output()
        .expect("gilsim runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("threads/processes"), "{text}");
    assert!(text.lines().any(|l| l.starts_with("CPU-bound  gilsim")), "{text}");
    assert!(text.lines().any(|l| l.starts_with("I/O-bound  gilsim")), "{text}");
    assert!(text.contains("sums: equal"), "{text}");
    assert!(text.lines().any(|l| l.starts_with("CPU-bound work: ")), "{text}");
}

/// `gilsim bench --deterministic` at a twentieth of the course's task size: the whole
/// table, pinned. Virtual time makes it the same on every machine, so its ratios can be
/// asserted too.
#[test]
fn the_deterministic_table_is_pinned() {
    let run = || {
        let out = Command::new(env!("CARGO_BIN_EXE_gilsim"))
            .args(["bench", "--deterministic", "--scale", "0.05"])
            .env("NO_COLOR", "1")
            .output()
            .expect("gilsim runs");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let first = run();
    assert_eq!(first, run(), "two deterministic tables differ");
    assert!(first.contains("4 simulated cores"), "{first}");
    insta::assert_snapshot!("bench_deterministic", first);

    let json = Command::new(env!("CARGO_BIN_EXE_gilsim"))
        .args([
            "bench",
            "--deterministic",
            "--scale",
            "0.05",
            "--cores",
            "8",
            "--format",
            "json",
        ])
        .output()
        .expect("gilsim runs");
    let v: Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(v["workers"], 8, "{v}");
    let cpu = v["cpu"]["ratio"].as_f64().expect("cpu ratio");
    // Eight CPU-bound threads share one lock; eight processes have a core each (less the
    // processes' start-up, which weighs at this small size).
    assert!(cpu > 4.0, "8 cores: threads/processes = {cpu}\n{v}");
}
