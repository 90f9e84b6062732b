//! `gilsim bench FILE --workers …`: the threads-vs-processes sweep of a script's replicated
//! main(). Figures are asserted only in deterministic mode (virtual time, the same on every
//! machine); the real-time run is checked for its shape only.

mod common;

use std::path::PathBuf;

use common::{run, script, Run};
use serde_json::Value;

/// A CPU-bound main(): about 8 ms of virtual time, and nothing else in the module.
const CPU_MAIN: &str = "\
def work(n):
    total = 0
    for i in range(n):
        total += i * i
    return total


def main():
    work(50_000)
";

fn cpu_script() -> PathBuf {
    script("sweep_cpu.py", CPU_MAIN)
}

fn bench(args: &[&str]) -> Run {
    let mut all = vec!["bench"];
    all.extend_from_slice(args);
    run(&all)
}

fn json_of(r: &Run) -> Value {
    assert!(r.success(), "{}", r.dump());
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", r.dump()))
}

fn floats(v: &Value, key: &str) -> Vec<f64> {
    v[key]
        .as_array()
        .unwrap_or_else(|| panic!("{key} is not an array: {v}"))
        .iter()
        .map(|x| x.as_f64().unwrap_or_else(|| panic!("{key} has a non-number: {v}")))
        .collect()
}

#[test]
fn a_deterministic_sweep_shows_the_gil_in_its_json() {
    let file = cpu_script();
    let f = file.to_str().unwrap();
    let v = json_of(&bench(&[
        f,
        "--workers",
        "1,2,4",
        "--deterministic",
        "--cores",
        "4",
        "--format",
        "json",
    ]));
    assert_eq!(v["file"], f);
    assert_eq!(v["workers"], serde_json::json!([1, 2, 4]));
    for key in [
        "threads_s",
        "processes_s",
        "threads_speedup",
        "processes_speedup",
        "ideal_speedup",
        "threads_wall_s",
        "processes_wall_s",
    ] {
        let xs = floats(&v, key);
        assert_eq!(xs.len(), 3, "{key}: {v}");
        assert!(xs.iter().all(|x| *x > 0.0 && x.is_finite()), "{key}: {v}");
    }
    assert_eq!(v["deterministic"], true);
    assert_eq!(v["cores"], 4);
    assert_eq!(v["repeat"], 1, "virtual time: one run is enough");
    let threads = floats(&v, "threads_speedup");
    let processes = floats(&v, "processes_speedup");
    assert_eq!(threads[0], 1.0);
    assert_eq!(processes[0], 1.0);
    // Four CPU-bound threads share one lock; four processes have a simulated core each.
    assert!(threads[2] < 1.2, "threads at 4 workers: {}\n{v}", threads[2]);
    assert!(processes[2] > 3.0, "processes at 4 workers: {}\n{v}", processes[2]);
    assert!(v["timing"].as_str().unwrap().contains("gilsim: wall"), "{v}");
}

#[test]
fn a_deterministic_sweep_is_the_same_every_time_and_plots() {
    let file = cpu_script();
    let dir = file.parent().unwrap().join("sweep-plots");
    std::fs::create_dir_all(&dir).unwrap();
    let plot = dir.join("scaling.svg");
    let args = [
        file.to_str().unwrap(),
        "--workers",
        "1,2",
        "--deterministic",
        "--seed",
        "3",
        "--plot",
        plot.to_str().unwrap(),
    ];
    let first = bench(&args);
    assert!(first.success(), "{}", first.dump());
    assert!(
        first.stderr.is_empty(),
        "no progress bar off a terminal: {}",
        first.dump()
    );
    let svg = std::fs::read_to_string(&plot).expect("the plot was written");
    let second = bench(&args);
    assert!(second.success(), "{}", second.dump());
    assert_eq!(first.stdout, second.stdout, "two deterministic tables differ");
    assert_eq!(std::fs::read_to_string(&plot).unwrap(), svg, "two plots differ");

    let text = &first.stdout;
    assert!(text.contains("virtual time, seed 3, 4 simulated cores"), "{text}");
    assert!(text.contains("`gilsim: wall`"), "the table says how it timed: {text}");
    let rows: Vec<&str> = text
        .lines()
        .filter(|l| l.trim_start().starts_with(|c: char| c.is_ascii_digit()))
        .collect();
    assert_eq!(rows.len(), 2, "{text}");
    assert!(
        rows[0].trim_start().starts_with("1 ") && rows[0].contains("1.00×"),
        "{text}"
    );
    assert!(text.contains(&format!("plot: {}", plot.display())), "{text}");

    assert!(svg.starts_with("<svg"), "{svg}");
    assert!(svg.trim_end().ends_with("</svg>"));
    for label in ["threads", "processes", "ideal"] {
        assert!(svg.contains(&format!(">{label}</text>")), "the legend lacks {label}");
    }
    assert!(svg.contains("sweep_cpu.py"), "the title names the script");
    // No temporary file left beside it.
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["scaling.svg".to_string()]);
}

#[test]
fn a_real_time_sweep_has_the_right_shape() {
    let file = cpu_script();
    let v = json_of(&bench(&[
        file.to_str().unwrap(),
        "--workers",
        "2",
        "--repeat",
        "1",
        "--format",
        "json",
    ]));
    // 1 is added: speedups are relative to it.
    assert_eq!(v["workers"], serde_json::json!([1, 2]));
    assert_eq!(v["added_one_worker"], true);
    assert_eq!(v["deterministic"], false);
    for key in ["threads_wall_s", "processes_wall_s"] {
        let xs = floats(&v, key);
        assert_eq!(xs.len(), 2);
        assert!(xs.iter().all(|x| *x > 0.0), "{key}: {v}");
    }
    for key in ["threads_speedup", "processes_speedup"] {
        assert_eq!(v[key].as_array().map(|a| a.len()), Some(2), "{key}: {v}");
    }
}

#[test]
fn a_missing_file_is_a_clear_error() {
    let r = bench(&["/nonexistent/sweep.py", "--workers", "1,2"]);
    assert_eq!(r.code, Some(2), "{}", r.dump());
    assert!(
        r.stderr
            .starts_with("gilsim bench: can't open file '/nonexistent/sweep.py'"),
        "{}",
        r.dump()
    );
    assert!(r.stdout.is_empty());
}

#[test]
fn a_script_without_main_is_a_clear_error() {
    let file = script("sweep_no_main.py", "x = 1\n");
    let r = bench(&[file.to_str().unwrap(), "--workers", "1,2", "--deterministic"]);
    assert_eq!(r.code, Some(2), "{}", r.dump());
    assert!(r.stderr.contains("defines no main()"), "{}", r.dump());
    assert!(r.stderr.contains("sweep_no_main.py"), "{}", r.dump());
}

#[test]
fn bad_worker_lists_are_named() {
    let file = cpu_script();
    let f = file.to_str().unwrap();
    for (list, said) in [
        ("0", "'0'"),
        ("1,0,4", "'0'"),
        ("two", "'two' is not a worker count"),
        ("", "e.g. 1,2,4,8"),
        ("1,,2", "empty"),
        ("1,999", "'999'"),
    ] {
        let r = bench(&[f, "--workers", list]);
        assert_eq!(r.code, Some(2), "--workers {list:?}: {}", r.dump());
        assert!(
            r.stderr
                .contains(&format!("invalid value '{list}' for '--workers <LIST>'")),
            "--workers {list:?}: {}",
            r.dump()
        );
        assert!(r.stderr.contains(said), "--workers {list:?}: {}", r.dump());
    }
}

#[test]
fn a_failing_run_names_its_worker_count_and_shows_its_stderr() {
    // main(i) gets the worker index: the third worker fails, so 1 and 2 workers pass.
    let file = script(
        "sweep_fails.py",
        "def main(i):\n    if i == 2:\n        raise ValueError('worker two is broken')\n",
    );
    let r = bench(&[file.to_str().unwrap(), "--workers", "1,2,4", "--deterministic"]);
    assert_eq!(r.code, Some(1), "{}", r.dump());
    assert!(
        r.stderr.starts_with("gilsim bench: the run with 4 threads failed"),
        "{}",
        r.dump()
    );
    assert!(r.stderr.contains("ValueError: worker two is broken"), "{}", r.dump());
    assert!(r.stdout.is_empty(), "{}", r.dump());
}

#[test]
fn flags_that_do_not_fit_a_sweep_are_refused() {
    let file = cpu_script();
    let f = file.to_str().unwrap();
    for flag in ["--interp", "--phenomena", "--compare-python"] {
        let r = bench(&[f, flag]);
        assert_eq!(r.code, Some(2), "{flag}: {}", r.dump());
        assert!(r.stderr.contains("cannot be used with"), "{flag}: {}", r.dump());
    }
    let r = bench(&["--workers", "1,2"]);
    assert_eq!(r.code, Some(2), "{}", r.dump());
    assert!(r.stderr.contains("FILE"), "--workers needs FILE: {}", r.dump());
    let r = bench(&[f, "--plot", "/nonexistent/dir/out.svg"]);
    assert_eq!(r.code, Some(2), "{}", r.dump());
    assert!(
        r.stderr.contains("there is no directory /nonexistent/dir"),
        "{}",
        r.dump()
    );
}
