//! `gilsim bench` with no arguments: the course's experiment (shared/seeds/001).
//!
//! The same CPU-bound tasks (`burn_cpu(1_000_000)`) and I/O-bound tasks (`fake_io(0.3, 10)`),
//! twice as many of each as workers, run with a `ThreadPoolExecutor` and then with a
//! `ProcessPoolExecutor`. The program (`course_workloads/course.py`) is the course's own,
//! runs unchanged under CPython, and prints `key value` lines; gilsim runs it as a child
//! (`gilsim run`, the worker processes being gilsim again) and reads them. Times are the best
//! of `repeat` runs (with `--compare-python`, interleaved with CPython's so drifts in machine
//! speed hit both alike); every run's sums must agree, threads with processes.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use indicatif::ProgressBar;

use super::progress_bar;
use serde_json::{json, Value};

const PROGRAM: &str = include_str!("course_workloads/course.py");

/// How long one run of the program may take (the course's size takes a few seconds).
const LIMIT: Duration = Duration::from_secs(120);

pub struct Options {
    /// Runs of the program under each interpreter; the best time of each cell counts.
    pub repeat: usize,
    /// Also run the program under CPython.
    pub compare_python: bool,
    /// The CPython to compare with (default: python3 on PATH, if any).
    pub python: Option<String>,
    pub json: bool,
    /// Task size relative to the course's (1.0); smaller for tests.
    pub scale: f64,
    /// Extra flags for `gilsim run` (before the script), e.g. a scheduler's.
    pub run_flags: Vec<String>,
    /// Deterministic mode's simulated cores: what the table reports instead of the
    /// machine's, and what the program's `os.cpu_count()` sees.
    pub simulated_cores: Option<usize>,
}

/// The phases of one run, in the program's order: the key that ends each, and its name.
const PHASES: &[(&str, &str)] = &[
    ("cpu_threads_s", "CPU-bound with threads"),
    ("cpu_processes_s", "CPU-bound with processes"),
    ("io_threads_s", "I/O-bound with threads"),
    ("io_processes_s", "I/O-bound with processes"),
];

/// One workload's figures in one run (or the best of several).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Pair {
    threads_s: f64,
    processes_s: f64,
    sum_threads: f64,
    sum_processes: f64,
}

impl Pair {
    fn ratio(&self) -> f64 {
        self.threads_s / self.processes_s
    }
}

/// What one run of the program printed.
#[derive(Clone, Debug)]
struct Run {
    workers: u64,
    tasks: u64,
    cpu_n: u64,
    io_total_s: f64,
    cpu: Pair,
    io: Pair,
    wall_s: f64,
}

/// Every run under one interpreter, summed up.
struct Summary {
    runs: Vec<Run>,
    /// Best threads time and best processes time of each workload; the first run's sums.
    cpu: Pair,
    io: Pair,
    /// Threads and processes gave the same sums, in every run, and every run the same.
    sums_equal: bool,
}

impl Summary {
    fn of(runs: Vec<Run>) -> Option<Summary> {
        let first = runs.first()?.clone();
        let best = |get: fn(&Run) -> Pair| {
            let mut p = get(&first);
            for r in &runs {
                p.threads_s = p.threads_s.min(get(r).threads_s);
                p.processes_s = p.processes_s.min(get(r).processes_s);
            }
            p
        };
        let sums_equal = runs.iter().all(|r| {
            [(r.cpu, first.cpu), (r.io, first.io)].iter().all(|(p, f)| {
                p.sum_threads == p.sum_processes && p.sum_threads == f.sum_threads && p.sum_processes == f.sum_processes
            })
        });
        Some(Summary {
            cpu: best(|r| r.cpu),
            io: best(|r| r.io),
            sums_equal,
            runs,
        })
    }

    fn first(&self) -> &Run {
        &self.runs[0]
    }
}

/// Who runs the program.
#[derive(Clone, Copy, PartialEq)]
enum Who {
    Gilsim,
    Python,
}

impl Who {
    fn name(self) -> &'static str {
        match self {
            Who::Gilsim => "gilsim",
            Who::Python => "CPython",
        }
    }
}

struct Runner<'a> {
    exe: PathBuf,
    script: PathBuf,
    python: Option<&'a str>,
    opts: &'a Options,
    bar: ProgressBar,
    total_runs: usize,
}

impl Runner<'_> {
    fn command(&self, who: Who) -> Command {
        let mut cmd = match who {
            Who::Gilsim => {
                let mut c = Command::new(&self.exe);
                c.arg("run").args(&self.opts.run_flags);
                c
            }
            Who::Python => Command::new(self.python.unwrap_or("python3")),
        };
        cmd.arg(&self.script).arg(format!("{}", self.opts.scale));
        cmd
    }

    fn run_once(&self, who: Who, index: usize) -> Result<Run, String> {
        let label = format!("{} run {}/{}", who.name(), index + 1, self.total_runs);
        self.bar.set_message(format!("{label}: {}", PHASES[0].1));
        let start = Instant::now();
        let child = self
            .command(who)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", who.name()))?;
        let out = super::child::wait_within_lines(child, LIMIT, |line| {
            let key = line.split(' ').next().unwrap_or("");
            if let Some(i) = PHASES.iter().position(|(k, _)| *k == key) {
                self.bar.inc(1);
                if let Some((_, next)) = PHASES.get(i + 1) {
                    self.bar.set_message(format!("{label}: {next}"));
                }
            }
        })
        .map_err(|e| format!("{}: {e}", who.name()))?;
        let wall_s = start.elapsed().as_secs_f64();
        if !out.status.success() {
            let err = String::from_utf8_lossy(&out.stderr);
            let tail: Vec<&str> = err.lines().rev().take(3).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            return Err(format!(
                "the experiment failed under {} ({}): {}",
                who.name(),
                out.status,
                tail.join(" / ")
            ));
        }
        parse_run(&String::from_utf8_lossy(&out.stdout), wall_s).map_err(|e| format!("{}: {e}", who.name()))
    }
}

/// Reads the program's `key value` lines.
fn parse_run(stdout: &str, wall_s: f64) -> Result<Run, String> {
    let values: HashMap<&str, &str> = stdout
        .lines()
        .filter_map(|l| l.split_once(' '))
        .map(|(k, v)| (k, v.trim()))
        .collect();
    let num = |key: &str| -> Result<f64, String> {
        let v = values
            .get(key)
            .ok_or_else(|| format!("the program printed no `{key}` line"))?;
        v.parse::<f64>()
            .map_err(|_| format!("the program's `{key}` is not a number: {v:?}"))
    };
    let pair = |w: &str| -> Result<Pair, String> {
        Ok(Pair {
            threads_s: num(&format!("{w}_threads_s"))?,
            processes_s: num(&format!("{w}_processes_s"))?,
            sum_threads: num(&format!("{w}_sum_threads"))?,
            sum_processes: num(&format!("{w}_sum_processes"))?,
        })
    };
    Ok(Run {
        workers: num("workers")? as u64,
        tasks: num("tasks")? as u64,
        cpu_n: num("cpu_n")? as u64,
        io_total_s: num("io_total_s")?,
        cpu: pair("cpu")?,
        io: pair("io")?,
        wall_s,
    })
}

fn python_version(python: &str) -> Option<String> {
    let out = Command::new(python)
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    // Python 2 printed its version on stderr.
    let text = [out.stdout, out.stderr].concat();
    Some(String::from_utf8_lossy(&text).trim().to_string())
}

/// Runs the experiment and returns the report and whether the sums agreed.
pub fn run(opts: &Options) -> Result<(String, bool), String> {
    if !(opts.scale > 0.0 && opts.scale <= 100.0) {
        return Err(format!("the scale must be above 0 and at most 100, not {}", opts.scale));
    }
    let exe = std::env::current_exe().map_err(|e| format!("cannot find the gilsim executable: {e}"))?;
    let dir = std::env::temp_dir().join(format!("gilsim-bench-course-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let script = dir.join("course.py");
    let result = std::fs::write(&script, PROGRAM)
        .map_err(|e| format!("cannot write {}: {e}", script.display()))
        .and_then(|()| run_in(opts, exe, &script));
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn run_in(opts: &Options, exe: PathBuf, script: &Path) -> Result<(String, bool), String> {
    let python = if opts.compare_python || opts.python.is_some() {
        let p = opts.python.clone().or_else(super::interp::find_python);
        p.and_then(|p| python_version(&p).map(|v| (p, v)))
    } else {
        None
    };
    let wanted_python = opts.compare_python || opts.python.is_some();
    let repeat = opts.repeat.max(1);
    let interpreters = if python.is_some() { 2 } else { 1 };
    let runner = Runner {
        exe,
        script: script.to_path_buf(),
        python: python.as_ref().map(|(p, _)| p.as_str()),
        opts,
        bar: progress_bar((repeat * interpreters * PHASES.len()) as u64),
        total_runs: repeat,
    };
    let mut gilsim_runs = Vec::new();
    let mut python_runs: Result<Vec<Run>, String> = Ok(Vec::new());
    for i in 0..repeat {
        match runner.run_once(Who::Gilsim, i) {
            Ok(r) => gilsim_runs.push(r),
            Err(e) => {
                runner.bar.finish_and_clear();
                return Err(e);
            }
        }
        if python.is_some() {
            if let Ok(runs) = &mut python_runs {
                match runner.run_once(Who::Python, i) {
                    Ok(r) => runs.push(r),
                    Err(e) => python_runs = Err(e),
                }
            }
        }
    }
    runner.bar.finish_and_clear();
    let gilsim = Summary::of(gilsim_runs).ok_or("no run finished")?;
    let python = python.map(|(cmd, version)| PythonRow {
        cmd,
        version,
        summary: python_runs.and_then(|r| Summary::of(r).ok_or_else(|| "no run finished".into())),
    });
    let report = Report {
        gilsim,
        python,
        wanted_python,
        repeat,
        cores: opts
            .simulated_cores
            .unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)),
        simulated: opts.simulated_cores.is_some(),
    };
    let ok = report.gilsim.sums_equal;
    let text = if opts.json { report.json() } else { report.text() };
    Ok((text, ok))
}

struct PythonRow {
    cmd: String,
    version: String,
    summary: Result<Summary, String>,
}

struct Report {
    gilsim: Summary,
    python: Option<PythonRow>,
    /// `--compare-python` was asked for (whether or not a CPython was found).
    wanted_python: bool,
    repeat: usize,
    cores: usize,
    /// The cores are simulated and the times virtual (`--deterministic`).
    simulated: bool,
}

/// "1.9×" for a ratio, in plain words.
fn times(r: f64) -> String {
    format!("{r:.1}×")
}

/// The one-line verdict on one interpreter's figures.
fn verdict(s: &Summary, cores: usize) -> String {
    let c = s.cpu.ratio();
    let cpu = if c >= 1.1 {
        format!(
            "processes were {} faster than threads — the GIL let one thread run at a time.",
            times(c)
        )
    } else if c <= 1.0 / 1.1 {
        format!(
            "threads were {} faster than processes — starting processes cost more than running in parallel gained.",
            times(1.0 / c)
        )
    } else if cores < 2 {
        "threads and processes took about the same time — with one core, processes cannot run at once either."
            .to_string()
    } else {
        "threads and processes took about the same time — the processes did not run in parallel (a busy machine?)."
            .to_string()
    };
    let i = s.io.ratio();
    let io = if (0.9..=1.1).contains(&i) {
        "threads and processes took the same time — sleeping releases the GIL.".to_string()
    } else if i < 0.9 {
        format!(
            "threads were {} faster than processes — sleeping releases the GIL, and threads are cheaper to start.",
            times(1.0 / i)
        )
    } else {
        format!(
            "processes were {} faster than threads — sleeping threads should have overlapped.",
            times(i)
        )
    };
    let mut v = format!("CPU-bound work: {cpu} I/O-bound work: {io}");
    if !s.sums_equal {
        v.push_str(" But the sums differ: the results are wrong.");
    }
    v
}

fn pair_json(p: &Pair) -> Value {
    json!({
        "threads_s": p.threads_s,
        "processes_s": p.processes_s,
        "ratio": p.ratio(),
        "sum_threads": p.sum_threads,
        "sum_processes": p.sum_processes,
    })
}

fn summary_json(s: &Summary, cores: usize) -> Value {
    let runs: Vec<Value> = s
        .runs
        .iter()
        .map(|r| json!({ "cpu": pair_json(&r.cpu), "io": pair_json(&r.io), "wall_s": r.wall_s }))
        .collect();
    json!({
        "workers": s.first().workers,
        "cpu": pair_json(&s.cpu),
        "io": pair_json(&s.io),
        "sums_equal": s.sums_equal,
        "verdict": verdict(s, cores),
        "runs": runs,
    })
}

impl Report {
    fn python_summary(&self) -> Option<&Summary> {
        self.python.as_ref().and_then(|p| p.summary.as_ref().ok())
    }

    /// gilsim's time over CPython's, for each of the four cells.
    fn against_python(&self) -> Option<[(&'static str, f64); 4]> {
        let p = self.python_summary()?;
        let g = &self.gilsim;
        Some([
            ("cpu_threads", g.cpu.threads_s / p.cpu.threads_s),
            ("cpu_processes", g.cpu.processes_s / p.cpu.processes_s),
            ("io_threads", g.io.threads_s / p.io.threads_s),
            ("io_processes", g.io.processes_s / p.io.processes_s),
        ])
    }

    /// CPython computed the same sums as gilsim.
    fn sums_match_python(&self) -> Option<bool> {
        let p = self.python_summary()?;
        let g = &self.gilsim;
        Some(
            g.cpu.sum_threads == p.cpu.sum_threads
                && g.cpu.sum_processes == p.cpu.sum_processes
                && g.io.sum_threads == p.io.sum_threads
                && g.io.sum_processes == p.io.sum_processes,
        )
    }

    fn json(&self) -> String {
        let g = &self.gilsim;
        let first = g.first();
        let python = self.python.as_ref().map(|p| {
            let mut v = match &p.summary {
                Ok(s) => summary_json(s, self.cores),
                Err(e) => json!({ "error": e }),
            };
            v["command"] = json!(p.cmd);
            v["version"] = json!(p.version);
            v
        });
        let against = self
            .against_python()
            .map(|cells| Value::Object(cells.iter().map(|(k, v)| (k.to_string(), json!(v))).collect()));
        let mut v = json!({
            "experiment": "the course's threads vs processes (shared/seeds/001)",
            "workers": first.workers,
            "tasks": first.tasks,
            "cpu_task": format!("burn_cpu({})", first.cpu_n),
            "io_task": format!("fake_io({}, 10)", first.io_total_s),
            "cores": self.cores,
            "repeat": self.repeat,
            "cpu": pair_json(&g.cpu),
            "io": pair_json(&g.io),
            "sums_equal": g.sums_equal,
            "verdict": verdict(g, self.cores),
            "runs": summary_json(g, self.cores)["runs"].clone(),
        });
        if self.wanted_python {
            v["python"] = python.unwrap_or(Value::Null);
            v["gilsim_vs_python"] = against.unwrap_or(Value::Null);
            v["sums_match_python"] = json!(self.sums_match_python());
        }
        serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
    }

    fn text(&self) -> String {
        let g = &self.gilsim;
        let first = g.first();
        let mut s = String::new();
        let _ = writeln!(
            s,
            "The course's experiment (shared/seeds/001): {n} × burn_cpu({cpu}) and {n} × fake_io({io}, 10),",
            n = first.tasks,
            cpu = first.cpu_n,
            io = first.io_total_s,
        );
        let _ = writeln!(
            s,
            "each with a ThreadPoolExecutor and a ProcessPoolExecutor of {} workers; {} cores; best of {} run{}",
            first.workers,
            self.cores,
            self.repeat,
            if self.repeat == 1 { "" } else { "s" }
        );
        if self.simulated {
            let _ = writeln!(
                s,
                "deterministic: virtual time, {} simulated cores (the same table on every machine)",
                self.cores
            );
        }
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "{:<10} {:<8} {:>9} {:>10} {:>18}   {:<20} sum, processes",
            "workload", "run by", "threads", "processes", "threads/processes", "sum, threads"
        );
        let mut rows: Vec<(&str, Result<&Summary, &str>)> = vec![(Who::Gilsim.name(), Ok(g))];
        if let Some(p) = &self.python {
            rows.push((Who::Python.name(), p.summary.as_ref().map_err(|e| e.as_str())));
        }
        for (workload, pick) in [
            ("CPU-bound", (|s: &Summary| s.cpu) as fn(&Summary) -> Pair),
            ("I/O-bound", |s| s.io),
        ] {
            for (who, summary) in &rows {
                match summary {
                    Ok(sum) => {
                        let p = pick(sum);
                        let _ = writeln!(
                            s,
                            "{:<10} {:<8} {:>9} {:>10} {:>18}   {:<20} {}",
                            workload,
                            who,
                            format!("{:.3} s", p.threads_s),
                            format!("{:.3} s", p.processes_s),
                            format!("{:.2}x", p.ratio()),
                            p.sum_threads,
                            p.sum_processes
                        );
                    }
                    Err(e) => {
                        let _ = writeln!(s, "{workload:<10} {who:<8} failed: {e}");
                    }
                }
            }
        }
        let _ = writeln!(s);
        if g.sums_equal {
            let _ = writeln!(
                s,
                "sums: equal, threads and processes, in every run{}",
                match self.sums_match_python() {
                    Some(true) => ", and the same as CPython's",
                    Some(false) => " — but NOT the same as CPython's",
                    None => "",
                }
            );
        } else {
            let _ = writeln!(s, "sums: DIFFER between threads and processes (or between runs):");
            for (i, r) in g.runs.iter().enumerate() {
                let _ = writeln!(
                    s,
                    "  run {}: CPU {} / {}, I/O {} / {} (threads / processes)",
                    i + 1,
                    r.cpu.sum_threads,
                    r.cpu.sum_processes,
                    r.io.sum_threads,
                    r.io.sum_processes
                );
            }
        }
        if let Some(cells) = self.against_python() {
            let f = |i: usize| format!("{:.2}x", cells[i].1);
            let _ = writeln!(
                s,
                "gilsim's time / CPython's ({}): CPU-bound threads {}, processes {}; I/O-bound threads {}, processes {}",
                self.python.as_ref().map(|p| p.version.as_str()).unwrap_or(""),
                f(0),
                f(1),
                f(2),
                f(3)
            );
        } else if self.wanted_python && self.python.is_none() {
            let _ = writeln!(s, "CPython: not found (python3 on PATH, or --python PATH)");
        }
        let _ = writeln!(s);
        let _ = writeln!(s, "{}", verdict(g, self.cores));
        if let Some(p) = self.python_summary() {
            let _ = writeln!(s, "CPython: {}", verdict(p, self.cores));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUTPUT: &str = "workers 2\ntasks 4\ncpu_n 1000000\nio_total_s 0.3\n\
        cpu_threads_s 0.8\ncpu_sum_threads 84389823.54990415\n\
        cpu_processes_s 0.4\ncpu_sum_processes 84389823.54990415\n\
        io_threads_s 0.6\nio_sum_threads 1.2\nio_processes_s 0.61\nio_sum_processes 1.2\ndone 1\n";

    #[test]
    fn the_programs_lines_are_read() {
        let r = parse_run(OUTPUT, 2.5).unwrap();
        assert_eq!(r.workers, 2);
        assert_eq!(r.cpu.sum_threads, 84389823.54990415);
        assert_eq!(r.io.processes_s, 0.61);
        assert!(parse_run("workers 2\n", 1.0).unwrap_err().contains("tasks"));
    }

    #[test]
    fn the_verdict_is_in_plain_words() {
        let s = Summary::of(vec![parse_run(OUTPUT, 2.5).unwrap()]).unwrap();
        assert!(s.sums_equal);
        assert_eq!(
            verdict(&s, 2),
            "CPU-bound work: processes were 2.0× faster than threads — the GIL let one thread run at a time. \
             I/O-bound work: threads and processes took the same time — sleeping releases the GIL."
        );
    }

    #[test]
    fn differing_sums_are_caught_across_runs() {
        let a = parse_run(OUTPUT, 2.5).unwrap();
        let mut b = a.clone();
        b.cpu.sum_processes += 1.0;
        assert!(!Summary::of(vec![a.clone(), b]).unwrap().sums_equal);
        let mut c = a.clone();
        c.io.sum_threads = 1.3;
        c.io.sum_processes = 1.3;
        assert!(!Summary::of(vec![a, c]).unwrap().sums_equal);
    }
}
