//! `gilsim bench --phenomena`: the lock's phenomena measured on this machine, gilsim beside
//! CPython in one run. Every experiment is a Python program (`gil_workloads/`) that both
//! interpreters run unchanged and that prints `key value` lines; gilsim also runs it under
//! `--gil off` and `--gil old` where that is the point. Times are the best of `repeat` runs
//! (runs interleaved so drifts in machine speed hit both alike); counts are medians.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub struct Options {
    pub repeat: usize,
    pub python: Option<String>,
    pub json: bool,
}

const SCRIPTS: &[(&str, &str)] = &[
    ("cpu_threads.py", include_str!("gil_workloads/cpu_threads.py")),
    ("io_threads.py", include_str!("gil_workloads/io_threads.py")),
    ("switch_slices.py", include_str!("gil_workloads/switch_slices.py")),
    ("lost_updates.py", include_str!("gil_workloads/lost_updates.py")),
    ("convoy.py", include_str!("gil_workloads/convoy.py")),
    ("many_threads.py", include_str!("gil_workloads/many_threads.py")),
    ("countdown.py", include_str!("workloads/countdown.py")),
    ("process_costs.py", include_str!("gil_workloads/process_costs.py")),
    ("cpu_main.py", include_str!("gil_workloads/cpu_main.py")),
];

/// Iterations of the CPU-bound loop per thread.
const CPU_WORK: &str = "2000000";

/// Who runs a program: gilsim with some flags, or python3.
#[derive(Clone)]
enum Runner {
    Gilsim(Vec<&'static str>),
    /// `gilsim trace FLAGS --format chrome` into a scratch file: what recording costs.
    Trace(Vec<&'static str>),
    Python,
}

/// What one run printed: its `key value` lines, the `--stats` handoff median if asked
/// for, and the process's wall time.
#[derive(Default, Clone)]
struct Output {
    values: HashMap<String, f64>,
    handoff_us: Option<f64>,
    wall: Duration,
}

struct Bench {
    exe: PathBuf,
    python: Option<String>,
    dir: PathBuf,
    repeat: usize,
}

impl Bench {
    fn run_once(&self, runner: &Runner, script: &str, args: &[&str]) -> Result<Output, String> {
        let path = self.dir.join(script);
        let mut cmd = match runner {
            Runner::Gilsim(flags) => {
                let mut c = Command::new(&self.exe);
                c.arg("run").args(flags).arg("--stats").arg(&path);
                c
            }
            Runner::Trace(flags) => {
                let mut c = Command::new(&self.exe);
                c.arg("trace")
                    .args(flags)
                    .args(["--stats", "--format", "chrome", "-o"])
                    .arg(self.dir.join("trace.json"))
                    .arg(&path);
                c
            }
            Runner::Python => {
                let py = self.python.as_ref().ok_or("no python3")?;
                let mut c = Command::new(py);
                c.arg(&path);
                c
            }
        };
        cmd.args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let start = Instant::now();
        let out = cmd.output().map_err(|e| format!("cannot start: {e}"))?;
        let wall = start.elapsed();
        let stderr = String::from_utf8_lossy(&out.stderr);
        if !out.status.success() {
            return Err(format!("{script} failed: {}", stderr.lines().last().unwrap_or("")));
        }
        let mut values = HashMap::new();
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            if let Some((k, v)) = line.split_once(' ') {
                if let Ok(v) = v.trim().parse::<f64>() {
                    values.insert(k.to_string(), v);
                }
            }
        }
        Ok(Output {
            values,
            handoff_us: parse_handoff_median(&stderr),
            wall,
        })
    }

    /// Two gilsim processes running the same program at the same time: the slower one's
    /// `key`, best of `repeat`. This is the machine's own floor for parallel speed-up.
    fn two_processes(&self, script: &str, args: &[&str], key: &str) -> Option<f64> {
        let mut best: Option<f64> = None;
        for _ in 0..self.repeat.max(1) {
            let spawn = || {
                Command::new(&self.exe)
                    .arg("run")
                    .arg(self.dir.join(script))
                    .args(args)
                    .stdin(Stdio::null())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .ok()
            };
            // Both are waited for (and killed if they hang), even if the other failed to start.
            let outputs: Vec<Option<std::process::Output>> = [spawn(), spawn()]
                .into_iter()
                .map(|c| c.and_then(|c| super::child::wait_within(c, super::child::LIMIT).ok()))
                .collect();
            let mut slower: Option<f64> = None;
            for out in outputs {
                let out = out?;
                let text = String::from_utf8_lossy(&out.stdout);
                let v = text
                    .lines()
                    .find_map(|l| l.strip_prefix(key).and_then(|v| v.trim().parse::<f64>().ok()))?;
                slower = Some(slower.map_or(v, |s: f64| s.max(v)));
            }
            best = match (best, slower) {
                (Some(b), Some(s)) => Some(b.min(s)),
                (b, s) => b.or(s),
            };
        }
        best
    }

    /// `repeat` runs of each runner, interleaved.
    fn runs(&self, runners: &[Runner], script: &str, args: &[&str]) -> Vec<Result<Vec<Output>, String>> {
        let mut results: Vec<Result<Vec<Output>, String>> = runners.iter().map(|_| Ok(Vec::new())).collect();
        for _ in 0..self.repeat.max(1) {
            for (i, r) in runners.iter().enumerate() {
                if matches!(r, Runner::Python) && self.python.is_none() {
                    results[i] = Err("no python3".into());
                    continue;
                }
                if let Ok(v) = &mut results[i] {
                    match self.run_once(r, script, args) {
                        Ok(o) => v.push(o),
                        Err(e) => results[i] = Err(e),
                    }
                }
            }
        }
        results
    }
}

/// The best (smallest) value of `key` across runs.
fn best(runs: &Result<Vec<Output>, String>, key: &str) -> Option<f64> {
    let v = runs.as_ref().ok()?;
    v.iter().filter_map(|o| o.values.get(key).copied()).reduce(f64::min)
}

/// The median value of `key` across runs.
fn median(runs: &Result<Vec<Output>, String>, key: &str) -> Option<f64> {
    let v = runs.as_ref().ok()?;
    median_of(v.iter().filter_map(|o| o.values.get(key).copied()).collect())
}

fn median_of(mut xs: Vec<f64>) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    xs.sort_by(f64::total_cmp);
    Some(xs[xs.len() / 2])
}

fn best_wall(runs: &Result<Vec<Output>, String>) -> Option<f64> {
    let v = runs.as_ref().ok()?;
    v.iter().map(|o| o.wall.as_secs_f64()).reduce(f64::min)
}

/// "handoff median 17 µs" (or "1.2 ms") in the `--stats` summary, in microseconds.
fn parse_handoff_median(stderr: &str) -> Option<f64> {
    let rest = stderr.split("handoff median ").nth(1)?;
    let mut words = rest.split([' ', ',']);
    let n: f64 = words.next()?.parse().ok()?;
    match words.next()? {
        "µs" => Some(n),
        "ms" => Some(n * 1e3),
        "s" => Some(n * 1e6),
        _ => None,
    }
}

/// One line of the report.
struct Row {
    name: &'static str,
    what: String,
    gilsim: Option<f64>,
    python: Option<f64>,
    unit: &'static str,
    /// The bar from the issue, in words, and whether gilsim's figure meets it.
    bar: &'static str,
    meets: Option<bool>,
}

fn ratio(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => Some(a / b),
        _ => None,
    }
}

/// Runs every experiment and returns the report and whether every bar was met.
pub fn run(opts: &Options) -> Result<(String, bool), String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find the gilsim executable: {e}"))?;
    let dir = std::env::temp_dir().join(format!("gilsim-bench-gil-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for (name, text) in SCRIPTS {
        let p = dir.join(name);
        std::fs::write(&p, text).map_err(|e| format!("cannot write {}: {e}", p.display()))?;
    }
    let bench = Bench {
        exe,
        python: opts.python.clone().or_else(super::interp::find_python),
        dir: dir.clone(),
        repeat: opts.repeat,
    };
    let rows = experiments(&bench);
    let _ = std::fs::remove_dir_all(&dir);
    let ok = rows.iter().all(|r| r.meets != Some(false));
    let text = if opts.json {
        render_json(&rows, bench.python.as_deref())
    } else {
        render_table(&rows, bench.python.as_deref())
    };
    Ok((text, ok))
}

fn progress(what: &str) {
    eprintln!("bench: {what} ...");
}

fn experiments(b: &Bench) -> Vec<Row> {
    let new = Runner::Gilsim(vec![]);
    let off = Runner::Gilsim(vec!["--gil", "off"]);
    let old = Runner::Gilsim(vec!["--gil", "old"]);
    let py = Runner::Python;
    let mut rows = Vec::new();

    progress("CPU-bound threads");
    let one = b.runs(
        &[new.clone(), off.clone(), old.clone(), py.clone()],
        "cpu_threads.py",
        &["1", CPU_WORK],
    );
    let two = b.runs(
        &[new.clone(), off.clone(), old.clone(), py.clone()],
        "cpu_threads.py",
        &["2", CPU_WORK],
    );
    let r = |i: usize| ratio(best(&two[i], "elapsed"), best(&one[i], "elapsed"));
    let new_ratio = r(0);
    rows.push(Row {
        name: "cpu_threads_new",
        what: "CPU-bound: 2 threads / 1 thread, same work each (new GIL)".into(),
        gilsim: new_ratio,
        python: r(3),
        unit: "x",
        bar: ">= 1.8",
        meets: new_ratio.map(|x| x >= 1.8),
    });
    let hardware = ratio(
        b.two_processes("cpu_threads.py", &["1", CPU_WORK], "elapsed"),
        best(&one[0], "elapsed"),
    );
    rows.push(Row {
        name: "cpu_two_processes",
        what: "the machine's floor: two single-thread gilsim processes at once / one alone".into(),
        gilsim: hardware,
        python: None,
        unit: "x",
        bar: "1.0 on idle cores",
        meets: None,
    });
    let off_ratio = r(1);
    rows.push(Row {
        name: "cpu_threads_off",
        what: "CPU-bound: 2 threads / 1 thread, --gil off".into(),
        gilsim: off_ratio,
        python: None,
        unit: "x",
        bar: "<= 1.2",
        meets: off_ratio.map(|x| x <= 1.2),
    });
    // Sequential = one thread doing both jobs: twice the one-thread time.
    let old_vs_seq = ratio(best(&two[2], "elapsed"), best(&one[2], "elapsed").map(|t| 2.0 * t));
    rows.push(Row {
        name: "cpu_threads_old",
        what: "CPU-bound: 2 threads / sequential, --gil old (the GIL battle)".into(),
        gilsim: old_vs_seq,
        python: None,
        unit: "x",
        bar: "> 1.0",
        meets: old_vs_seq.map(|x| x > 1.0),
    });

    progress("I/O-bound threads");
    let io1 = b.runs(&[new.clone(), py.clone()], "io_threads.py", &["1", "0.3"]);
    let io8 = b.runs(&[new.clone(), py.clone()], "io_threads.py", &["8", "0.3"]);
    let io_ratio = ratio(best(&io8[0], "elapsed"), best(&io1[0], "elapsed"));
    rows.push(Row {
        name: "io_threads",
        what: "I/O-bound (10 sleeps of 30 ms): 8 threads / 1 thread".into(),
        gilsim: io_ratio,
        python: ratio(best(&io8[1], "elapsed"), best(&io1[1], "elapsed")),
        unit: "x",
        bar: "<= 1.1",
        meets: io_ratio.map(|x| x <= 1.1),
    });

    progress("1,000 sleeping threads");
    let many = b.runs(&[new.clone(), py.clone()], "many_threads.py", &["1000"]);
    let many_g = best_wall(&many[0]);
    rows.push(Row {
        name: "many_threads",
        what: "1,000 threads each sleeping 0.5 s: whole process".into(),
        gilsim: many_g,
        python: best_wall(&many[1]),
        unit: "s",
        bar: "< 2 s",
        meets: many_g.map(|t| t < 2.0),
    });

    progress("single-thread cost of the lock machinery");
    let cd = b.runs(&[new.clone(), off.clone()], "countdown.py", &[]);
    let overhead = ratio(best_wall(&cd[0]), best_wall(&cd[1])).map(|r| (r - 1.0) * 100.0);
    rows.push(Row {
        name: "single_thread_overhead",
        what: "one thread, 10M-iteration loop: --gil new vs --gil off (no lock, no drop requests)".into(),
        gilsim: overhead,
        python: None,
        unit: "%",
        bar: "<= 3 %",
        meets: overhead.map(|p| p <= 3.0),
    });

    progress("worker processes");
    let costs = b.runs(&[new.clone(), py.clone()], "process_costs.py", &["2000"]);
    let startup = |i: usize| best(&costs[i], "startup").map(|s| s * 1e3);
    rows.push(Row {
        name: "process_startup",
        what: "spawning a worker process and importing a small script, to its first result (spawn context)".into(),
        gilsim: startup(0),
        python: startup(1),
        unit: "ms",
        bar: "<= 10 ms",
        meets: startup(0).map(|ms| ms <= 10.0),
    });
    let round_trip = |i: usize| median(&costs[i], "round_trip").map(|s| s * 1e6);
    rows.push(Row {
        name: "process_round_trip",
        what: "submit -> result of a trivial task on a ProcessPoolExecutor worker: median".into(),
        gilsim: round_trip(0),
        python: round_trip(1),
        unit: "µs",
        bar: "<= 100 µs",
        meets: round_trip(0).map(|us| us <= 100.0),
    });
    let procs = b.runs(
        &[
            Runner::Gilsim(vec!["--processes", "1"]),
            Runner::Gilsim(vec!["--processes", "2"]),
        ],
        "cpu_main.py",
        &[CPU_WORK],
    );
    let scaling = ratio(best_wall(&procs[1]), best_wall(&procs[0]));
    rows.push(Row {
        name: "processes_2_vs_1",
        what: "CPU-bound main() under --processes 2 / --processes 1 (whole run)".into(),
        gilsim: scaling,
        python: None,
        unit: "x",
        bar: "<= 1.15",
        meets: scaling.map(|x| x <= 1.15),
    });

    progress("cost of tracing");
    let traced = b.runs(
        &[Runner::Trace(vec![]), new.clone()],
        "cpu_threads.py",
        &["2", CPU_WORK],
    );
    let trace_cost = ratio(best(&traced[0], "elapsed"), best(&traced[1], "elapsed")).map(|r| (r - 1.0) * 100.0);
    rows.push(Row {
        name: "tracing_overhead",
        what: "CPU-bound, 2 threads: gilsim trace (every event, Chrome JSON) vs gilsim run".into(),
        gilsim: trace_cost,
        python: None,
        unit: "%",
        bar: "<= 10 %",
        meets: trace_cost.map(|p| p <= 10.0),
    });

    progress("handoff latency");
    let handoff = two[0]
        .as_ref()
        .ok()
        .and_then(|v| median_of(v.iter().filter_map(|o| o.handoff_us).collect()));
    let floor = futex_wake_latency_us();
    rows.push(Row {
        name: "handoff_latency",
        what: format!(
            "median handoff, release to the next holder running (OS condvar wake floor here: {:.0} µs)",
            floor
        ),
        gilsim: handoff,
        python: None,
        unit: "µs",
        bar: "<= 50 µs",
        meets: handoff.map(|h| h <= 50.0),
    });

    progress("switch slices");
    let slices = b.runs(&[new.clone(), py.clone()], "switch_slices.py", &[]);
    rows.push(Row {
        name: "switch_slice",
        what: "two CPU threads: median time between changes of the running thread".into(),
        gilsim: median(&slices[0], "median_slice_ms"),
        python: median(&slices[1], "median_slice_ms"),
        unit: "ms",
        bar: "about 5 ms, as CPython",
        meets: None,
    });

    progress("lost updates");
    let plain = b.runs(&[new.clone(), old.clone(), py.clone()], "lost_updates.py", &["plain"]);
    let call = b.runs(&[new.clone(), old.clone(), py.clone()], "lost_updates.py", &["call"]);
    let pct = |r: &Result<Vec<Output>, String>| median(r, "lost_fraction").map(|f| f * 100.0);
    let plain_new = pct(&plain[0]);
    rows.push(Row {
        name: "lost_updates_plain_new",
        what: "4 threads x 200k `counter += 1`: updates lost, new GIL".into(),
        gilsim: plain_new,
        python: pct(&plain[2]),
        unit: "%",
        bar: "0, as CPython",
        meets: plain_new.map(|p| p == 0.0),
    });
    let call_new = pct(&call[0]);
    rows.push(Row {
        name: "lost_updates_call_new",
        what: "the same with a call inside (`counter = counter + one(1)`), new GIL".into(),
        gilsim: call_new,
        python: pct(&call[2]),
        unit: "%",
        bar: "many lost, as CPython",
        meets: call_new.map(|p| p > 1.0),
    });
    let plain_old = pct(&plain[1]);
    rows.push(Row {
        name: "lost_updates_plain_old",
        what: "`counter += 1`, --gil old (a switch can fall inside it)".into(),
        gilsim: plain_old,
        python: None,
        unit: "%",
        bar: "> 0",
        meets: plain_old.map(|p| p > 0.0),
    });
    let call_old = pct(&call[1]);
    rows.push(Row {
        name: "lost_updates_call_old",
        what: "with a call inside, --gil old".into(),
        gilsim: call_old,
        python: None,
        unit: "%",
        bar: "> 0",
        meets: call_old.map(|p| p > 0.0),
    });

    progress("convoy effect");
    for (interval, name) in [("0.005", "convoy_5ms"), ("0.0001", "convoy_0.1ms")] {
        let c = b.runs(&[new.clone(), py.clone()], "convoy.py", &[interval]);
        rows.push(Row {
            name,
            what: format!(
                "I/O thread beside a CPU thread, switch interval {} ms: I/O rate alone / beside",
                interval.parse::<f64>().unwrap_or(0.0) * 1e3
            ),
            gilsim: median(&c[0], "slowdown"),
            python: median(&c[1], "slowdown"),
            unit: "x",
            bar: "large at 5 ms, much smaller at 0.1 ms",
            meets: None,
        });
    }
    rows
}

/// The OS's own wake-up latency between two threads (a parking_lot condvar, which is a
/// futex underneath): the floor under any lock handoff. Median of 2,000 wakes.
fn futex_wake_latency_us() -> f64 {
    use parking_lot::{Condvar, Mutex};
    struct Shared {
        sent: Mutex<Option<Instant>>,
        cond: Condvar,
    }
    let shared = Arc::new(Shared {
        sent: Mutex::new(None),
        cond: Condvar::new(),
    });
    const ROUNDS: usize = 2000;
    let s2 = shared.clone();
    let waker = std::thread::spawn(move || {
        let mut lat = Vec::with_capacity(ROUNDS);
        for _ in 0..ROUNDS {
            let mut g = s2.sent.lock();
            while g.is_none() {
                s2.cond.wait(&mut g);
            }
            if let Some(t) = g.take() {
                lat.push(t.elapsed().as_secs_f64() * 1e6);
            }
            s2.cond.notify_all();
        }
        lat
    });
    for _ in 0..ROUNDS {
        // Give the other thread time to go to sleep, so each wake is a real futex wake.
        std::thread::sleep(Duration::from_micros(200));
        let mut g = shared.sent.lock();
        // The previous wake must have been consumed, or it would be overwritten and the
        // other thread would wait for a round that never comes.
        while g.is_some() {
            shared.cond.wait_for(&mut g, Duration::from_millis(1));
        }
        *g = Some(Instant::now());
        drop(g);
        shared.cond.notify_all();
    }
    let lat = waker.join().unwrap_or_default();
    median_of(lat).unwrap_or(0.0)
}

fn fmt_value(v: Option<f64>, unit: &str) -> String {
    match v {
        None => "-".into(),
        Some(x) => match unit {
            "x" => format!("{x:.2}x"),
            "%" => format!("{x:.1} %"),
            "s" => format!("{x:.2} s"),
            "ms" => format!("{x:.1} ms"),
            "µs" => format!("{x:.0} µs"),
            _ => format!("{x:.3}"),
        },
    }
}

fn render_table(rows: &[Row], python: Option<&str>) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "The GIL's phenomena: gilsim beside {} on this machine",
        python.unwrap_or("(no python3 found)")
    );
    let _ = writeln!(
        s,
        "{:<24} {:>10} {:>10}  {:<8} {:<24} what",
        "experiment", "gilsim", "CPython", "meets", "bar"
    );
    for r in rows {
        let meets = match r.meets {
            Some(true) => "yes",
            Some(false) => "NO",
            None => "",
        };
        let _ = writeln!(
            s,
            "{:<24} {:>10} {:>10}  {:<8} {:<24} {}",
            r.name,
            fmt_value(r.gilsim, r.unit),
            fmt_value(r.python, r.unit),
            meets,
            r.bar,
            r.what
        );
    }
    s
}

fn render_json(rows: &[Row], python: Option<&str>) -> String {
    let items: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            serde_json::json!({
                "name": r.name,
                "what": r.what,
                "unit": r.unit,
                "gilsim": r.gilsim,
                "python": r.python,
                "bar": r.bar,
                "meets": r.meets,
            })
        })
        .collect();
    let v = serde_json::json!({ "python": python, "experiments": items });
    serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handoff_median_is_read_in_microseconds() {
        let line = "  lock: 7 switches; handoff median 17 µs, p99 62 µs (65 handoffs); longest";
        assert_eq!(parse_handoff_median(line), Some(17.0));
        assert_eq!(parse_handoff_median("handoff median 1.5 ms, p99"), Some(1500.0));
        assert_eq!(parse_handoff_median("no handoffs"), None);
    }
}
