//! `gilsim bench FILE --workers 1,2,4,8`: how the replicated `main()` of a script scales
//! with threads and with processes.
//!
//! For every worker count N, gilsim runs `gilsim run --threads N FILE` and
//! `gilsim run --processes N FILE` as children and reads the wall time each prints in its
//! summary line (`gilsim: wall 0.368 s, …`) — virtual time under `--deterministic`. The
//! module's own code runs in every one of those runs (and often calls `main()` once under
//! `if __name__ == "__main__":`), so a run of the module alone (`gilsim run --stats FILE`)
//! is timed too and subtracted: what is left is main()'s share. Each figure is the best of
//! `repeat` runs, interleaved so drifts in machine speed hit every cell alike.
//!
//! main() is replicated, not divided: N workers do N times the work, so the speedup of N
//! workers is their throughput relative to one, `N × t(1) / t(N)`, and the ideal is N.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::progress_bar;
use serde_json::{json, Value};

use crate::gil::Policy;
use crate::trace::svg::{esc, num, svg_open, text_width, MUTED};

/// The most workers of one run (`gilsim run --processes` takes at most 256).
pub const MAX_WORKERS: u32 = 256;

/// The worker counts of `--workers`: sorted, without repeats.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Workers(pub Vec<u32>);

impl Default for Workers {
    fn default() -> Workers {
        Workers(vec![1, 2, 4, 8])
    }
}

/// Parses `--workers 1,2,4,8`.
pub fn parse_workers(s: &str) -> Result<Workers, String> {
    if s.trim().is_empty() {
        return Err("expected worker counts separated by commas, e.g. 1,2,4,8".into());
    }
    let mut out = Vec::new();
    for part in s.split(',') {
        let p = part.trim();
        if p.is_empty() {
            return Err(format!(
                "an empty worker count in '{s}' (expected counts separated by commas, e.g. 1,2,4,8)"
            ));
        }
        let n: u64 = p
            .parse()
            .map_err(|_| format!("'{p}' is not a worker count (a whole number from 1 to {MAX_WORKERS})"))?;
        if n == 0 || n > MAX_WORKERS as u64 {
            return Err(format!("'{p}' workers: a worker count is from 1 to {MAX_WORKERS}"));
        }
        out.push(n as u32);
    }
    out.sort_unstable();
    out.dedup();
    Ok(Workers(out))
}

/// How every run is made: the flags of `gilsim run` that bench passes through.
#[derive(Clone, Debug, Default)]
pub struct RunSettings {
    pub gil: Policy,
    /// `--switch-interval` in seconds, when given.
    pub switch_interval: Option<f64>,
    /// `--check-interval`, when given.
    pub check_interval: Option<u32>,
    /// `--deterministic`: virtual time.
    pub deterministic: bool,
    pub seed: Option<u64>,
    /// With `--deterministic`: simulated cores (default: the scheduler's).
    pub cores: Option<u32>,
}

impl RunSettings {
    /// The simulated cores of a deterministic run.
    fn simulated_cores(&self) -> Option<u32> {
        self.deterministic
            .then(|| self.cores.unwrap_or(crate::deterministic::DEFAULT_CORES))
    }

    /// The flags for `gilsim run`, before the script.
    pub fn flags(&self) -> Vec<String> {
        let mut f = vec!["--gil".to_string(), self.gil.name().to_string()];
        if let Some(s) = self.switch_interval {
            f.extend(["--switch-interval".to_string(), s.to_string()]);
        }
        if let Some(c) = self.check_interval {
            f.extend(["--check-interval".to_string(), c.to_string()]);
        }
        if let Some(cores) = self.simulated_cores() {
            f.push("--deterministic".to_string());
            if let Some(s) = self.seed {
                f.extend(["--seed".to_string(), s.to_string()]);
            }
            f.extend(["--cores".to_string(), cores.to_string()]);
        }
        f
    }

    /// The lock in words: "GIL new, switch interval 5 ms".
    fn lock(&self) -> String {
        match self.gil {
            Policy::New => format!(
                "GIL new, switch interval {}",
                seconds_in_words(self.switch_interval.unwrap_or(0.005))
            ),
            Policy::Old => format!("GIL old, check interval {}", self.check_interval.unwrap_or(100)),
            Policy::Off => "GIL off".to_string(),
        }
    }
}

/// "5 ms", "100 µs", "0.5 s".
fn seconds_in_words(s: f64) -> String {
    if s >= 1.0 {
        format!("{s} s")
    } else if s >= 1e-3 {
        format!("{} ms", round_to(s * 1e3, 3))
    } else {
        format!("{} µs", round_to(s * 1e6, 3))
    }
}

fn round_to(x: f64, decimals: i32) -> f64 {
    let p = 10f64.powi(decimals);
    (x * p).round() / p
}

pub struct Options {
    pub file: PathBuf,
    pub workers: Workers,
    /// Runs of every cell; the best counts (one under `--deterministic`).
    pub repeat: usize,
    pub json: bool,
    /// `--plot OUT.svg`.
    pub plot: Option<PathBuf>,
    pub settings: RunSettings,
}

/// Why the sweep stopped: the message for stderr (complete, with its `gilsim bench:`
/// prefix where it is bench's own) and the exit status.
#[derive(Debug)]
pub struct Failure {
    pub message: String,
    pub code: i32,
}

impl Failure {
    fn new(code: i32, message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            code,
        }
    }
}

/// One kind of run.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    /// `gilsim run --stats FILE`: the module alone.
    Module,
    Threads(u32),
    Processes(u32),
}

impl Kind {
    fn args(self) -> Vec<String> {
        match self {
            Kind::Module => vec!["--stats".into()],
            Kind::Threads(n) => vec!["--threads".into(), n.to_string()],
            Kind::Processes(n) => vec!["--processes".into(), n.to_string()],
        }
    }

    fn describe(self) -> String {
        match self {
            Kind::Module => "the module alone".into(),
            Kind::Threads(n) => format!("{n} thread{}", if n == 1 { "" } else { "s" }),
            Kind::Processes(n) => format!("{n} process{}", if n == 1 { "" } else { "es" }),
        }
    }
}

/// The number after `gilsim: wall ` in the last summary line of a run's stderr.
fn parse_wall(stderr: &str) -> Option<f64> {
    let line = stderr.lines().rev().find(|l| l.starts_with("gilsim: wall "))?;
    let rest = line.strip_prefix("gilsim: wall ")?;
    let n = rest.split(' ').next()?;
    n.parse::<f64>().ok().filter(|x| x.is_finite() && *x >= 0.0)
}

/// The last lines of a failed run's stderr, without the end-of-run summary table.
fn stderr_tail(stderr: &str, lines: usize) -> String {
    let all: Vec<&str> = stderr.lines().collect();
    let end = all
        .iter()
        .rposition(|l| l.starts_with("gilsim: wall "))
        .unwrap_or(all.len());
    let body: Vec<&str> = all[..end].iter().copied().filter(|l| !l.trim().is_empty()).collect();
    let start = body.len().saturating_sub(lines);
    let mut out = String::new();
    if start > 0 {
        out.push_str("    …\n");
    }
    for l in &body[start..] {
        let _ = writeln!(out, "    {l}");
    }
    if body.is_empty() {
        out.push_str("    (nothing on stderr)\n");
    }
    out
}

struct Runner<'a> {
    exe: PathBuf,
    opts: &'a Options,
    flags: Vec<String>,
}

impl Runner<'_> {
    fn command_line(&self, kind: Kind) -> String {
        let mut parts = vec!["gilsim".to_string(), "run".to_string()];
        parts.extend(self.flags.iter().cloned());
        parts.extend(kind.args());
        parts.push(self.opts.file.display().to_string());
        parts.join(" ")
    }

    /// One run: its wall time in seconds.
    fn run(&self, kind: Kind) -> Result<f64, Failure> {
        let mut cmd = Command::new(&self.exe);
        cmd.arg("run")
            .args(&self.flags)
            .args(kind.args())
            .arg(&self.opts.file)
            .env("NO_COLOR", "1");
        let what = match kind {
            Kind::Module => format!("the run of {} alone", self.opts.file.display()),
            k => format!("the run with {}", k.describe()),
        };
        let out = super::child::output_within(&mut cmd, super::child::LIMIT)
            .map_err(|e| Failure::new(1, format!("gilsim bench: {what} ({}): {e}\n", self.command_line(kind))))?;
        let stderr = String::from_utf8_lossy(&out.stderr);
        if !out.status.success() {
            // gilsim run's own usage errors (no main(), an unsupported combination of
            // flags): its message says it all.
            if out.status.code() == Some(2) && !stderr.trim().is_empty() && !stderr.contains("Traceback") {
                let mut message = stderr.into_owned();
                if !message.ends_with('\n') {
                    message.push('\n');
                }
                return Err(Failure::new(2, message));
            }
            return Err(Failure::new(
                1,
                format!(
                    "gilsim bench: {what} failed ({}, {}); its stderr ends with:\n{}",
                    self.command_line(kind),
                    out.status,
                    stderr_tail(&stderr, 12)
                ),
            ));
        }
        parse_wall(&stderr).ok_or_else(|| {
            Failure::new(
                1,
                format!(
                    "gilsim bench: {what} ({}) printed no `gilsim: wall` summary line; its stderr ends with:\n{}",
                    self.command_line(kind),
                    stderr_tail(&stderr, 12)
                ),
            )
        })
    }
}

/// The walls of one repetition: the module alone, then threads and processes per count.
#[derive(Clone, Debug, PartialEq)]
struct Round {
    module_s: f64,
    threads_wall_s: Vec<f64>,
    processes_wall_s: Vec<f64>,
}

/// The sweep's figures.
#[derive(Clone, Debug)]
struct Sweep {
    workers: Vec<u32>,
    rounds: Vec<Round>,
    /// `1` was not asked for and was added: speedups need it.
    added_one: bool,
}

fn min_of(xs: impl Iterator<Item = f64>) -> f64 {
    xs.fold(f64::INFINITY, f64::min)
}

/// main()'s share of a run: its wall minus the module's, to the microsecond (the summary
/// line has milliseconds; rounding keeps virtual figures exact in JSON).
fn share(wall: f64, module: f64) -> f64 {
    round_to((wall - module).max(0.0), 6)
}

impl Sweep {
    fn module_s(&self) -> f64 {
        min_of(self.rounds.iter().map(|r| r.module_s))
    }

    fn best_walls(&self, pick: fn(&Round) -> &Vec<f64>) -> Vec<f64> {
        (0..self.workers.len())
            .map(|i| min_of(self.rounds.iter().map(|r| pick(r)[i])))
            .collect()
    }

    fn threads_wall_s(&self) -> Vec<f64> {
        self.best_walls(|r| &r.threads_wall_s)
    }

    fn processes_wall_s(&self) -> Vec<f64> {
        self.best_walls(|r| &r.processes_wall_s)
    }

    fn threads_s(&self) -> Vec<f64> {
        let m = self.module_s();
        self.threads_wall_s().iter().map(|&w| share(w, m)).collect()
    }

    fn processes_s(&self) -> Vec<f64> {
        let m = self.module_s();
        self.processes_wall_s().iter().map(|&w| share(w, m)).collect()
    }
}

/// `N × t(1) / t(N)` for each count (None where a time is zero: too small to measure).
fn speedups(workers: &[u32], times: &[f64]) -> Vec<Option<f64>> {
    let t1 = workers.iter().position(|&n| n == 1).map(|i| times[i]);
    workers
        .iter()
        .zip(times)
        .map(|(&n, &t)| match t1 {
            Some(t1) if t1 > 0.0 && t > 0.0 => Some(n as f64 * t1 / t),
            _ => None,
        })
        .collect()
}

/// Runs the sweep and returns the report (and writes the plot).
pub fn run(opts: &Options) -> Result<String, Failure> {
    if let Err(e) = std::fs::read(&opts.file) {
        return Err(Failure::new(
            2,
            format!("gilsim bench: can't open file '{}': {e}\n", opts.file.display()),
        ));
    }
    if let Some(plot) = &opts.plot {
        check_plot_path(plot)?;
    }
    let exe = std::env::current_exe()
        .map_err(|e| Failure::new(1, format!("gilsim bench: cannot find the gilsim executable: {e}\n")))?;
    let mut workers = opts.workers.0.clone();
    let added_one = !workers.contains(&1);
    if added_one {
        workers.insert(0, 1);
    }
    // Virtual time gives the same figures every run: one is enough.
    let repeat = if opts.settings.deterministic {
        1
    } else {
        opts.repeat.max(1)
    };
    let runner = Runner {
        exe,
        opts,
        flags: opts.settings.flags(),
    };
    let bar = progress_bar((repeat * (1 + 2 * workers.len())) as u64);
    let mut rounds = Vec::new();
    let result = (|| {
        for r in 0..repeat {
            let label = |k: Kind| format!("run {}/{repeat}: {}", r + 1, k.describe());
            bar.set_message(label(Kind::Module));
            let module_s = runner.run(Kind::Module)?;
            bar.inc(1);
            let mut round = Round {
                module_s,
                threads_wall_s: Vec::new(),
                processes_wall_s: Vec::new(),
            };
            for &n in &workers {
                for kind in [Kind::Threads(n), Kind::Processes(n)] {
                    bar.set_message(label(kind));
                    let wall = runner.run(kind)?;
                    match kind {
                        Kind::Threads(_) => round.threads_wall_s.push(wall),
                        _ => round.processes_wall_s.push(wall),
                    }
                    bar.inc(1);
                }
            }
            rounds.push(round);
        }
        Ok(())
    })();
    bar.finish_and_clear();
    result?;
    let report = Report {
        file: opts.file.display().to_string(),
        sweep: Sweep {
            workers,
            rounds,
            added_one,
        },
        settings: opts.settings.clone(),
        repeat,
        cores: opts
            .settings
            .simulated_cores()
            .map(|c| c as usize)
            .unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)),
        plot: opts.plot.clone(),
    };
    if let Some(path) = &opts.plot {
        let svg = report.svg();
        crate::trace::output::write_atomically(path, svg.as_bytes()).map_err(|e| {
            Failure::new(
                1,
                format!("gilsim bench: cannot write the plot to {}: {e}\n", path.display()),
            )
        })?;
    }
    Ok(if opts.json { report.json() } else { report.text() })
}

/// Refuses a plot path that cannot be written before the sweep spends minutes.
fn check_plot_path(path: &Path) -> Result<(), Failure> {
    let bad = |why: String| {
        Failure::new(
            2,
            format!("gilsim bench: cannot write the plot to {}: {why}\n", path.display()),
        )
    };
    if path.file_name().is_none() || path.is_dir() {
        return Err(bad("it is a directory, not a file".into()));
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !dir.is_dir() {
        return Err(bad(format!("there is no directory {}", dir.display())));
    }
    Ok(())
}

struct Report {
    file: String,
    sweep: Sweep,
    settings: RunSettings,
    repeat: usize,
    /// The simulated cores under `--deterministic`, else the machine's.
    cores: usize,
    plot: Option<PathBuf>,
}

/// "1.05×", or "-" for a figure too small to measure.
fn times(x: Option<f64>) -> String {
    x.map(|x| format!("{x:.2}×")).unwrap_or_else(|| "-".into())
}

/// A speedup for the plot's labels: "1.0×", "7.9×".
fn times_short(x: f64) -> String {
    format!("{x:.1}×")
}

impl Report {
    fn file_name(&self) -> String {
        Path::new(&self.file)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.file.clone())
    }

    fn threads_speedup(&self) -> Vec<Option<f64>> {
        speedups(&self.sweep.workers, &self.sweep.threads_s())
    }

    fn processes_speedup(&self) -> Vec<Option<f64>> {
        speedups(&self.sweep.workers, &self.sweep.processes_s())
    }

    /// "deterministic: virtual time, 8 simulated cores" or "real time, 2 cores".
    fn mode(&self) -> String {
        if self.settings.deterministic {
            let seed = self.settings.seed.map(|s| format!(", seed {s}")).unwrap_or_default();
            format!("deterministic: virtual time{seed}, {} simulated cores", self.cores)
        } else {
            format!("real time, {} cores", self.cores)
        }
    }

    fn timing(&self) -> String {
        "main()'s share of each run's wall time: the wall time of its `gilsim: wall` summary line, \
         minus that of the module alone (`gilsim run --stats FILE`, module_s)"
            .to_string()
    }

    /// One plain sentence on the largest worker count.
    fn verdict(&self) -> String {
        let w = &self.sweep.workers;
        let last = w.len() - 1;
        let n = w[last];
        if n == 1 {
            return "One worker only: add counts to --workers to see scaling.".into();
        }
        let (Some(t), Some(p)) = (self.threads_speedup()[last], self.processes_speedup()[last]) else {
            return format!("At {n} workers: main() is too short to time; give it more work.");
        };
        let ideal = n as f64;
        let threads = if t < 1.25 {
            "threads gained nothing — one thread at a time runs Python code under the GIL".to_string()
        } else if t >= 0.8 * ideal {
            "threads scaled almost ideally — main() spends its time outside the GIL (waiting, or --gil off)".to_string()
        } else {
            "threads gained something — main() spends part of its time outside the GIL".to_string()
        };
        let reach = ideal.min(self.cores as f64);
        let processes = if p >= 0.8 * reach && (n as usize) > self.cores {
            format!("processes scaled up to the {} cores", self.cores)
        } else if p >= 0.8 * reach {
            "processes scaled almost ideally — each has its own GIL".to_string()
        } else if p < 1.25 {
            "processes gained nothing (starting them costs more than main() takes?)".to_string()
        } else {
            "processes scaled partly".to_string()
        };
        format!(
            "At {n} workers: threads {} and processes {} of the ideal {}: {threads}; {processes}.",
            times(Some(t)),
            times(Some(p)),
            times_short(ideal)
        )
    }

    fn text(&self) -> String {
        let s_ = &self.sweep;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "Scaling of main() in {} with threads (--threads N) and processes (--processes N): N = {}",
            self.file,
            s_.workers.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(", "),
        );
        let _ = writeln!(
            s,
            "{}; {}; best of {} run{}",
            self.mode(),
            self.settings.lock(),
            self.repeat,
            if self.repeat == 1 { "" } else { "s" }
        );
        let _ = writeln!(
            s,
            "time: main()'s share of each run's wall time (its `gilsim: wall` summary line), minus that of"
        );
        let _ = writeln!(
            s,
            "the module alone (`gilsim run --stats FILE`: {:.3} s)",
            s_.module_s()
        );
        if s_.added_one {
            let _ = writeln!(s, "(1 worker was added to --workers: speedups are relative to it)");
        }
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "{:>7} {:>10} {:>10} {:>9} {:>9} {:>6}",
            "workers", "threads", "processes", "threads", "processes", "ideal"
        );
        let _ = writeln!(
            s,
            "{:>7} {:>10} {:>10} {:>9} {:>9} {:>6}",
            "", "time", "time", "speedup", "speedup", ""
        );
        let (ts, ps) = (s_.threads_s(), s_.processes_s());
        let (tx, px) = (self.threads_speedup(), self.processes_speedup());
        for i in 0..s_.workers.len() {
            let _ = writeln!(
                s,
                "{:>7} {:>10} {:>10} {:>9} {:>9} {:>6}",
                s_.workers[i],
                format!("{:.3} s", ts[i]),
                format!("{:.3} s", ps[i]),
                times(tx[i]),
                times(px[i]),
                format!("{}×", s_.workers[i])
            );
        }
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "speedup = N × t(1) / t(N): main() is replicated, so this is the throughput of N workers relative to one."
        );
        let _ = writeln!(
            s,
            "Processes' times include starting each worker, which imports {} (spawn).",
            self.file_name()
        );
        let _ = writeln!(s, "{}", self.verdict());
        if let Some(p) = &self.plot {
            let _ = writeln!(s, "plot: {}", p.display());
        }
        s
    }

    fn json(&self) -> String {
        let s = &self.sweep;
        let rounds: Vec<Value> = s
            .rounds
            .iter()
            .map(|r| {
                json!({
                    "module_s": r.module_s,
                    "threads_wall_s": r.threads_wall_s,
                    "processes_wall_s": r.processes_wall_s,
                })
            })
            .collect();
        let v = json!({
            "file": self.file,
            "workers": s.workers,
            "threads_s": s.threads_s(),
            "processes_s": s.processes_s(),
            "threads_speedup": self.threads_speedup(),
            "processes_speedup": self.processes_speedup(),
            "ideal_speedup": s.workers.iter().map(|&n| n as f64).collect::<Vec<_>>(),
            "module_s": s.module_s(),
            "threads_wall_s": s.threads_wall_s(),
            "processes_wall_s": s.processes_wall_s(),
            "timing": self.timing(),
            "speedup": "N * t(1) / t(N): the throughput of N workers relative to one (main() is replicated)",
            "added_one_worker": s.added_one,
            "deterministic": self.settings.deterministic,
            "seed": if self.settings.deterministic { json!(self.settings.seed.unwrap_or(0)) } else { Value::Null },
            "cores": self.cores,
            "gil": self.settings.gil.name(),
            "lock": self.settings.lock(),
            "repeat": self.repeat,
            "runs": rounds,
            "verdict": self.verdict(),
            "plot": self.plot.as_ref().map(|p| p.display().to_string()),
        });
        serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
    }

    fn svg(&self) -> String {
        let s = &self.sweep;
        let subtitle = format!(
            "{} · {} · best of {}",
            self.mode().replacen(": ", ", ", 1),
            self.settings.lock(),
            self.repeat
        );
        plot_svg(&Plot {
            title: format!("Scaling of main() in {}: threads vs processes", self.file_name()),
            subtitle,
            workers: s.workers.clone(),
            threads: self.threads_speedup(),
            processes: self.processes_speedup(),
            threads_s: s.threads_s(),
            processes_s: s.processes_s(),
        })
    }
}

/// What the plot shows.
struct Plot {
    title: String,
    subtitle: String,
    workers: Vec<u32>,
    threads: Vec<Option<f64>>,
    processes: Vec<Option<f64>>,
    threads_s: Vec<f64>,
    processes_s: Vec<f64>,
}

const PLOT_W: f64 = 760.0;
const PLOT_H: f64 = 520.0;
const X0: f64 = 76.0;
const X1: f64 = 676.0;
const Y_TOP: f64 = 84.0;
const Y_BOTTOM: f64 = 440.0;
/// Okabe–Ito hues, as the trace timeline uses: distinguishable with every common colour
/// vision deficiency (and the markers differ too).
const THREADS_COLOUR: &str = "#d55e00";
const PROCESSES_COLOUR: &str = "#0072b2";
/// Dark enough to show where it runs over a line that scales ideally.
const IDEAL_COLOUR: &str = "#374151";

/// A 1/2/5 × 10^k step giving about `target` ticks over `0..=max`, and the axis end (a
/// multiple of the step at or above `max`).
fn nice_axis(max: f64, target: usize, whole: bool) -> (f64, f64) {
    let max = if max.is_finite() && max > 0.0 { max } else { 1.0 };
    let raw = max / target.max(1) as f64;
    let pow = 10f64.powf(raw.log10().floor());
    let mut step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * pow)
        .find(|&s| s >= raw * (1.0 - 1e-9))
        .unwrap_or(10.0 * pow);
    if whole {
        step = step.max(1.0).round();
    }
    let end = (max / step - 1e-9).ceil().max(1.0) * step;
    (step, end)
}

/// A tick label with just the decimals the step needs.
fn tick_label(v: f64, step: f64) -> String {
    let decimals = if step >= 1.0 {
        0
    } else {
        (-step.log10().floor()) as usize
    };
    format!("{v:.decimals$}")
}

fn plot_svg(p: &Plot) -> String {
    let max_w = p.workers.iter().copied().max().unwrap_or(1) as f64;
    let max_speedup = p
        .threads
        .iter()
        .chain(&p.processes)
        .flatten()
        .fold(max_w, |a, &b| a.max(b));
    let (x_step, x_end) = nice_axis(max_w, 8, true);
    let (y_step, y_end) = nice_axis(max_speedup, 6, false);
    let x = |v: f64| X0 + v / x_end * (X1 - X0);
    let y = |v: f64| Y_BOTTOM - v / y_end * (Y_BOTTOM - Y_TOP);

    let mut out = svg_open(PLOT_W, PLOT_H);
    let _ = writeln!(out, "<title>{}</title>", esc(&p.title));
    let _ = writeln!(
        out,
        "<rect width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>",
        num(PLOT_W),
        num(PLOT_H)
    );
    let _ = writeln!(
        out,
        "<text x=\"16\" y=\"30\" font-size=\"18\" font-weight=\"600\">{}</text>",
        esc(&p.title)
    );
    let _ = writeln!(
        out,
        "<text x=\"16\" y=\"50\" fill=\"{MUTED}\">{}</text>",
        esc(&p.subtitle)
    );

    // Grid and ticks.
    let ticks = |end: f64, step: f64| -> Vec<f64> {
        let n = (end / step).round() as usize;
        (0..=n.min(100)).map(|i| i as f64 * step).collect()
    };
    let (xt, yt) = (ticks(x_end, x_step), ticks(y_end, y_step));
    out.push_str("<g stroke=\"#e5e7eb\" stroke-width=\"1\">\n");
    for &v in &xt {
        let _ = writeln!(
            out,
            "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\"/>",
            num(Y_TOP),
            num(Y_BOTTOM),
            x = num(x(v))
        );
    }
    for &v in &yt {
        let _ = writeln!(
            out,
            "<line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\"/>",
            num(X0),
            num(X1),
            y = num(y(v))
        );
    }
    out.push_str("</g>\n");
    let _ = writeln!(
        out,
        "<path d=\"M{} {}V{}H{}\" fill=\"none\" stroke=\"{MUTED}\"/>",
        num(X0),
        num(Y_TOP),
        num(Y_BOTTOM),
        num(X1)
    );
    let _ = writeln!(out, "<g fill=\"{MUTED}\" font-size=\"11\">");
    for &v in &xt {
        let _ = writeln!(
            out,
            "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"{MUTED}\"/>\
             <text x=\"{x}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            num(Y_BOTTOM),
            num(Y_BOTTOM + 5.0),
            num(Y_BOTTOM + 18.0),
            tick_label(v, x_step),
            x = num(x(v))
        );
    }
    for &v in &yt {
        let _ = writeln!(
            out,
            "<line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"{MUTED}\"/>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            num(X0 - 5.0),
            num(X0),
            num(X0 - 8.0),
            num(y(v) + 4.0),
            tick_label(v, y_step),
            y = num(y(v))
        );
    }
    out.push_str("</g>\n");
    let _ = writeln!(
        out,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{MUTED}\">workers (threads or processes, each running main())</text>",
        num((X0 + X1) / 2.0),
        num(Y_BOTTOM + 40.0)
    );
    let _ = writeln!(
        out,
        "<text transform=\"translate(24 {}) rotate(-90)\" text-anchor=\"middle\" fill=\"{MUTED}\">speedup: N × t(1) / t(N)</text>",
        num((Y_TOP + Y_BOTTOM) / 2.0)
    );

    // The measured lines, with a marker and a tooltip at every point.
    let series = [
        ("threads", THREADS_COLOUR, &p.threads, &p.threads_s, false),
        ("processes", PROCESSES_COLOUR, &p.processes, &p.processes_s, true),
    ];
    let mut end_labels: Vec<(f64, f64, String, &str)> = Vec::new();
    // Lines first, then the ideal over them (a line that scales ideally would hide it),
    // then the markers over both.
    let mut markers = String::new();
    for (name, colour, values, secs, square) in series {
        let points: Vec<(f64, f64, usize)> = p
            .workers
            .iter()
            .zip(values.iter())
            .enumerate()
            .filter_map(|(i, (&n, v))| v.map(|v| (x(n as f64), y(v), i)))
            .collect();
        if points.len() > 1 {
            let d: Vec<String> = points
                .iter()
                .map(|(px, py, _)| format!("{},{}", num(*px), num(*py)))
                .collect();
            let _ = writeln!(
                out,
                "<polyline class=\"series {name}\" points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2.5\" stroke-linejoin=\"round\"/>",
                d.join(" ")
            );
        }
        let _ = writeln!(markers, "<g class=\"markers {name}\">");
        for &(px, py, i) in &points {
            let tip = format!(
                "{name}, {} worker{}: {:.3} s, speedup {}",
                p.workers[i],
                if p.workers[i] == 1 { "" } else { "s" },
                secs[i],
                times(values[i])
            );
            if square {
                let _ = writeln!(
                    markers,
                    "<rect x=\"{}\" y=\"{}\" width=\"8\" height=\"8\" fill=\"{colour}\" stroke=\"#ffffff\"><title>{}</title></rect>",
                    num(px - 4.0),
                    num(py - 4.0),
                    esc(&tip)
                );
            } else {
                let _ = writeln!(
                    markers,
                    "<circle cx=\"{}\" cy=\"{}\" r=\"4.5\" fill=\"{colour}\" stroke=\"#ffffff\"><title>{}</title></circle>",
                    num(px),
                    num(py),
                    esc(&tip)
                );
            }
        }
        markers.push_str("</g>\n");
        if let Some(&(px, py, i)) = points.last() {
            end_labels.push((px, py, times_short(values[i].unwrap_or(0.0)), colour));
        }
    }
    // Ideal: N workers, N times the throughput of one.
    let top = max_w.min(y_end);
    let _ = writeln!(
        out,
        "<line class=\"ideal\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{IDEAL_COLOUR}\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>",
        num(x(0.0)),
        num(y(0.0)),
        num(x(top)),
        num(y(top))
    );
    out.push_str(&markers);
    // The last value of each line beside its end, pushed apart if they would overlap.
    if let [a, b] = end_labels.as_mut_slice() {
        if (a.1 - b.1).abs() < 14.0 {
            let mid = (a.1 + b.1) / 2.0;
            let (hi, lo) = if a.1 <= b.1 { (a, b) } else { (b, a) };
            hi.1 = mid - 7.0;
            lo.1 = mid + 7.0;
        }
    }
    for (px, py, label, colour) in &end_labels {
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" fill=\"{colour}\" font-weight=\"600\">{}</text>",
            num(px + 9.0),
            num(py + 4.0),
            esc(label)
        );
    }

    // Legend, top left inside the plot: the lines start bottom left and the ideal runs
    // along the diagonal, so this corner is free unless a line beats the ideal.
    let entries = [
        ("threads", THREADS_COLOUR, "line"),
        ("processes", PROCESSES_COLOUR, "line"),
        ("ideal", IDEAL_COLOUR, "dash"),
    ];
    let lx = X0 + 14.0;
    let ly = Y_TOP + 12.0;
    let width = 44.0 + entries.iter().map(|e| text_width(e.0)).fold(0.0, f64::max) + 12.0;
    out.push_str("<g class=\"legend\">\n");
    let _ = writeln!(
        out,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"4\" fill=\"#ffffff\" fill-opacity=\"0.9\" stroke=\"#e5e7eb\"/>",
        num(lx - 8.0),
        num(ly - 8.0),
        num(width),
        num(entries.len() as f64 * 20.0 + 8.0)
    );
    for (i, (label, colour, style)) in entries.iter().enumerate() {
        let ey = ly + i as f64 * 20.0 + 6.0;
        let dash = if *style == "dash" {
            " stroke-dasharray=\"6 4\" stroke-width=\"1.5\""
        } else {
            " stroke-width=\"2.5\""
        };
        let _ = writeln!(
            out,
            "<line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"{colour}\"{dash}/>",
            num(lx),
            num(lx + 28.0),
            y = num(ey)
        );
        match *label {
            "threads" => {
                let _ = writeln!(
                    out,
                    "<circle cx=\"{}\" cy=\"{}\" r=\"4.5\" fill=\"{colour}\" stroke=\"#ffffff\"/>",
                    num(lx + 14.0),
                    num(ey)
                );
            }
            "processes" => {
                let _ = writeln!(
                    out,
                    "<rect x=\"{}\" y=\"{}\" width=\"8\" height=\"8\" fill=\"{colour}\" stroke=\"#ffffff\"/>",
                    num(lx + 10.0),
                    num(ey - 4.0)
                );
            }
            _ => {}
        }
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\">{}</text>",
            num(lx + 36.0),
            num(ey + 4.0),
            esc(label)
        );
    }
    out.push_str("</g>\n");
    let _ = writeln!(
        out,
        "<text x=\"{}\" y=\"{}\" font-size=\"10\" fill=\"#9ca3af\">time: each run&apos;s wall time minus the module alone&apos;s · main() is replicated: speedup = N × t(1) / t(N) · gilsim</text>",
        num(X0),
        num(PLOT_H - 16.0)
    );
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worker_lists_are_parsed_and_checked() {
        assert_eq!(parse_workers("1,2,4,8").unwrap().0, vec![1, 2, 4, 8]);
        assert_eq!(parse_workers(" 4, 1,2,2 ").unwrap().0, vec![1, 2, 4]);
        assert!(parse_workers("").unwrap_err().contains("e.g. 1,2,4,8"));
        assert!(parse_workers("1,,2").unwrap_err().contains("empty"));
        assert!(parse_workers("1,0").unwrap_err().contains("'0'"));
        assert!(parse_workers("two")
            .unwrap_err()
            .contains("'two' is not a worker count"));
        assert!(parse_workers("257").unwrap_err().contains("'257'"));
        assert!(parse_workers("-1").unwrap_err().contains("'-1'"));
    }

    #[test]
    fn the_wall_is_read_from_the_last_summary_line() {
        let err = "some output\ngilsim: wall 0.100 s, 1 threads, gil new\ngilsim: wall 0.139 s, 5 threads, gil new, \
                   switch interval 5.0 ms\n  thread cpu s\n";
        assert_eq!(parse_wall(err), Some(0.139));
        assert_eq!(
            parse_wall("gilsim: wall 1.250 s, 4 processes and the parent, each with its own lock (gil new)\n"),
            Some(1.25)
        );
        assert_eq!(parse_wall("Traceback\n"), None);
        let tail = stderr_tail(
            "Traceback (most recent call last):\nZeroDivisionError: x\ngilsim: wall 0.1 s\n  t 1\n",
            5,
        );
        assert_eq!(
            tail,
            "    Traceback (most recent call last):\n    ZeroDivisionError: x\n"
        );
    }

    #[test]
    fn speedup_is_throughput_relative_to_one_worker() {
        let s = speedups(&[1, 2, 4], &[0.1, 0.2, 0.1]);
        assert_eq!(s, vec![Some(1.0), Some(1.0), Some(4.0)]);
        assert_eq!(speedups(&[1, 2], &[0.0, 0.1]), vec![None, None]);
        assert_eq!(share(0.139, 0.029), 0.11);
        assert_eq!(share(0.01, 0.029), 0.0);
    }

    #[test]
    fn axes_have_nice_steps() {
        assert_eq!(nice_axis(8.0, 8, true), (1.0, 8.0));
        assert_eq!(nice_axis(7.9, 6, false), (2.0, 8.0));
        assert_eq!(nice_axis(16.0, 8, true), (2.0, 16.0));
        assert_eq!(nice_axis(3.0, 6, false), (0.5, 3.0));
        assert_eq!(nice_axis(1.0, 8, true), (1.0, 1.0));
        assert_eq!(nice_axis(100.0, 8, true), (20.0, 100.0));
        assert_eq!(tick_label(2.5, 0.5), "2.5");
        assert_eq!(tick_label(4.0, 2.0), "4");
    }

    fn sample_plot() -> Plot {
        Plot {
            title: "Scaling of main() in a<b>.py".into(),
            subtitle: "deterministic".into(),
            workers: vec![1, 2, 4, 8],
            threads: vec![Some(1.0), Some(1.0), Some(0.99), None],
            processes: vec![Some(1.0), Some(2.0), Some(3.9), Some(7.5)],
            threads_s: vec![0.1, 0.2, 0.4, 0.0],
            processes_s: vec![0.1, 0.1, 0.1, 0.11],
        }
    }

    #[test]
    fn the_plot_has_lines_legend_axes_and_title() {
        let svg = plot_svg(&sample_plot());
        assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>\n"));
        for tag in ["svg", "g", "text", "title"] {
            let opened = svg.matches(&format!("<{tag}>")).count() + svg.matches(&format!("<{tag} ")).count();
            assert_eq!(opened, svg.matches(&format!("</{tag}>")).count(), "<{tag}> unbalanced");
        }
        for label in ["threads", "processes", "ideal"] {
            assert!(svg.contains(&format!(">{label}</text>")), "legend lacks {label}");
        }
        assert!(svg.contains("a&lt;b&gt;.py"));
        assert_eq!(svg.matches("<polyline").count(), 2);
        assert_eq!(
            svg.matches("stroke-dasharray").count(),
            2,
            "the ideal line and its legend entry"
        );
        // A missing point is left out: three circles for threads (and one in the legend).
        assert_eq!(svg.matches("<circle").count(), 4);
        for tick in ["0", "1", "4", "8"] {
            assert!(svg.contains(&format!(">{tick}</text>")), "no tick {tick}");
        }
        assert!(svg.contains(">7.5×</text>"));
        assert_eq!(plot_svg(&sample_plot()), svg, "deterministic");
    }
}
