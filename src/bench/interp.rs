//! `gilsim bench --interp`: the interpreter's speed against CPython on the same machine, in
//! one run. Each workload is a small program run as a fresh process under both; the best
//! wall time of several runs is reported, and the two outputs must agree.

use std::fmt::Write as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A workload: a program run unchanged by gilsim and by python3.
pub struct Workload {
    pub name: &'static str,
    pub what: &'static str,
    pub source: &'static str,
}

pub const WORKLOADS: &[Workload] = &[
    Workload {
        name: "fib",
        what: "recursive fib(30)",
        source: include_str!("workloads/fib.py"),
    },
    Workload {
        name: "countdown",
        what: "while n > 0: n -= 1 (10M, in a function)",
        source: include_str!("workloads/countdown.py"),
    },
    Workload {
        name: "countdown_global",
        what: "while n > 0: n -= 1 (10M, module level)",
        source: include_str!("workloads/countdown_global.py"),
    },
    Workload {
        name: "burn_cpu",
        what: "course burn_cpu: acc += math.sqrt(...) (2M)",
        source: include_str!("workloads/burn_cpu.py"),
    },
    Workload {
        name: "genexpr_sum",
        what: "sum(i*i for i in range(5_000_000))",
        source: include_str!("workloads/genexpr_sum.py"),
    },
    Workload {
        name: "dict_str",
        what: "dict/str: 500k string keys",
        source: include_str!("workloads/dict_str.py"),
    },
    Workload {
        name: "sort_ints",
        what: "sorting 500k ints",
        source: include_str!("workloads/sort_ints.py"),
    },
    Workload {
        name: "method_calls",
        what: "method calls on small objects (1M)",
        source: include_str!("workloads/method_calls.py"),
    },
];

pub struct Options {
    pub repeat: usize,
    pub python: Option<String>,
    pub only: Option<String>,
    pub json: bool,
}

/// One workload's result.
pub struct Row {
    pub name: &'static str,
    pub what: &'static str,
    pub gilsim: Result<Duration, String>,
    pub python: Option<Result<Duration, String>>,
    /// False when the two interpreters printed different output.
    pub outputs_agree: Option<bool>,
}

impl Row {
    pub fn ratio(&self) -> Option<f64> {
        match (&self.gilsim, &self.python) {
            (Ok(g), Some(Ok(p))) if !p.is_zero() => Some(g.as_secs_f64() / p.as_secs_f64()),
            _ => None,
        }
    }
}

/// Runs the benchmark and returns the report text and whether every workload succeeded.
pub fn run(opts: &Options) -> Result<(String, bool), String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find the gilsim executable: {e}"))?;
    let dir = std::env::temp_dir().join(format!("gilsim-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let python = opts.python.clone().or_else(find_python);
    let mut rows = Vec::new();
    for w in WORKLOADS {
        if let Some(only) = &opts.only {
            if !only.split(',').any(|o| o == w.name) {
                continue;
            }
        }
        let path = dir.join(format!("{}.py", w.name));
        std::fs::write(&path, w.source).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        eprintln!("bench: {} ...", w.name);
        // Interleave the two interpreters so drifts in machine speed hit both alike.
        let mut g: Option<Result<(Duration, String), String>> = None;
        let mut p: Option<Result<(Duration, String), String>> = None;
        for _ in 0..opts.repeat.max(1) {
            keep_best(&mut g, time_process(Command::new(&exe).arg("run").arg(&path)));
            if let Some(py) = &python {
                keep_best(&mut p, time_process(Command::new(py).arg(&path)));
            }
        }
        let g = g.unwrap_or_else(|| Err("no run".into()));
        let outputs_agree = match (&g, &p) {
            (Ok((_, go)), Some(Ok((_, po)))) => Some(go == po),
            _ => None,
        };
        rows.push(Row {
            name: w.name,
            what: w.what,
            gilsim: g.map(|(d, _)| d),
            python: p.map(|r| r.map(|(d, _)| d)),
            outputs_agree,
        });
    }
    let _ = std::fs::remove_dir_all(&dir);
    let ok = rows.iter().all(|r| r.gilsim.is_ok() && r.outputs_agree != Some(false));
    let text = if opts.json {
        render_json(&rows, python.as_deref())
    } else {
        render_table(&rows, python.as_deref())
    };
    Ok((text, ok))
}

pub(crate) fn find_python() -> Option<String> {
    let ok = Command::new("python3")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    ok.then(|| "python3".to_string())
}

/// Keeps the faster successful run (an error is kept only if nothing succeeded).
fn keep_best(best: &mut Option<Result<(Duration, String), String>>, run: Result<(Duration, String), String>) {
    let replace = match (&*best, &run) {
        (None, _) => true,
        (Some(Err(_)), Ok(_)) => true,
        (Some(Ok((b, _))), Ok((d, _))) => d < b,
        _ => false,
    };
    if replace {
        *best = Some(run);
    }
}

fn time_process(cmd: &mut Command) -> Result<(Duration, String), String> {
    let start = Instant::now();
    let out = super::child::output_within(cmd, super::child::LIMIT)?;
    let elapsed = start.elapsed();
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let last = err.lines().last().unwrap_or("").to_string();
        return Err(format!("exit {}: {}", out.status.code().unwrap_or(-1), last));
    }
    Ok((elapsed, String::from_utf8_lossy(&out.stdout).into_owned()))
}

fn render_table(rows: &[Row], python: Option<&str>) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "gilsim vs {} — best wall time of each program, whole process",
        python.unwrap_or("(no python3 found)")
    );
    let _ = writeln!(
        s,
        "{:<18} {:>10} {:>10} {:>7}  what",
        "workload", "gilsim", "python3", "ratio"
    );
    for r in rows {
        let g = match &r.gilsim {
            Ok(d) => format!("{:.3}s", d.as_secs_f64()),
            Err(e) => format!("FAILED ({e})"),
        };
        let p = match &r.python {
            Some(Ok(d)) => format!("{:.3}s", d.as_secs_f64()),
            Some(Err(_)) => "failed".into(),
            None => "-".into(),
        };
        let ratio = r.ratio().map(|x| format!("{x:.2}x")).unwrap_or_else(|| "-".into());
        let mark = if r.outputs_agree == Some(false) {
            "  [OUTPUT DIFFERS]"
        } else {
            ""
        };
        let _ = writeln!(s, "{:<18} {:>10} {:>10} {:>7}  {}{}", r.name, g, p, ratio, r.what, mark);
    }
    let ratios: Vec<f64> = rows.iter().filter_map(|r| r.ratio()).collect();
    if !ratios.is_empty() {
        let geo = (ratios.iter().map(|r| r.ln()).sum::<f64>() / ratios.len() as f64).exp();
        let worst = ratios.iter().cloned().fold(0.0, f64::max);
        let _ = writeln!(
            s,
            "geometric mean ratio {geo:.2}x, worst {worst:.2}x (ratio = gilsim time / python3 time; < 1 is faster)"
        );
    }
    s
}

fn render_json(rows: &[Row], python: Option<&str>) -> String {
    let secs = |d: &Duration| d.as_secs_f64();
    let items: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            serde_json::json!({
                "name": r.name,
                "what": r.what,
                "gilsim_s": r.gilsim.as_ref().ok().map(secs),
                "gilsim_error": r.gilsim.as_ref().err(),
                "python_s": r.python.as_ref().and_then(|p| p.as_ref().ok()).map(secs),
                "ratio": r.ratio(),
                "outputs_agree": r.outputs_agree,
            })
        })
        .collect();
    let v = serde_json::json!({ "python": python, "workloads": items });
    serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
}
