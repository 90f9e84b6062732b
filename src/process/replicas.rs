//! `gilsim run FILE --processes N`: after the module has run, call its `main()` in N worker
//! processes at once (passing the worker index if main takes an argument), then print how
//! each process spent its time.

use std::fmt::Write as _;
use std::path::Path;

use std::time::{Duration, Instant};

use super::codec::{encode, Wire};
use super::handle::Handle;
use super::protocol::{Reply, Request, WorkerStats};
use super::spawn::{Received, Spec};
use crate::gil::Policy;
use crate::vm::errors::PyErr;
use crate::vm::types::exc;
use crate::vm::value::Value;
use crate::vm::vm::Vm;
use crate::vm::PyResult;

/// One replica's figures.
struct Row {
    name: String,
    /// From spawn to the worker's `Ready`, as the parent saw it.
    start: Option<Duration>,
    stats: Option<WorkerStats>,
}

/// Runs `main` in `n` processes; returns the summary text (or the error that ends the
/// run: `SystemExit(1)` when a replica failed, as for an uncaught exception).
pub fn run(vm: &mut Vm, script: &Path, args: &[String], n: usize, started: Instant) -> (PyResult<()>, Option<String>) {
    let main = vm.interp.modules.lock().get("__main__").and_then(|m| m.get("main"));
    let Some(main) = main else {
        vm.interp.flush_stdout();
        eprintln!(
            "gilsim: --processes {n} calls main() in {n} processes, but {} defines no main()",
            script.display()
        );
        return (Err(PyErr::with_args(&exc().system_exit, vec![Value::Int(2)])), None);
    };
    let takes_index = matches!(&main, Value::Function(f) if f.code.arg_count > 0);
    let func = match encode(vm, &main) {
        Ok(w) => w,
        Err(e) => return (Err(e), None),
    };
    let script = std::path::absolute(script).unwrap_or_else(|_| script.to_path_buf());
    let mut workers: Vec<(Handle, Row, Duration)> = Vec::new();
    for i in 0..n {
        let spec = Spec {
            name: format!("main-{i}"),
            role: "replica".into(),
            script: script.clone(),
            args: args.to_vec(),
            settings: vm.interp.settings.clone(),
            inherit: Vec::new(),
            fork_like: false,
        };
        vm.sync_clock();
        let asked = crate::clock::now();
        match Handle::start(vm, &spec) {
            Ok(w) => workers.push((
                w,
                Row {
                    name: spec.name,
                    start: None,
                    stats: None,
                },
                asked,
            )),
            Err(e) => return (Err(e), None),
        }
    }
    let mut failures = 0;
    // Wait for every worker to be ready, then start them all: main() runs at once in all.
    for (i, (w, row, asked)) in workers.iter_mut().enumerate() {
        match w.recv(vm, None) {
            Ok(Received::Reply(Reply::Ready { .. })) => {
                vm.sync_clock();
                row.start = Some(crate::clock::now().saturating_sub(*asked));
                let call = Request::Call {
                    id: i as u64,
                    func: func.clone(),
                    args: if takes_index {
                        vec![Wire::Int(i as i64)]
                    } else {
                        Vec::new()
                    },
                    kwargs: Vec::new(),
                };
                if !matches!(w.send(vm, call), Ok(true)) {
                    failures += 1;
                }
            }
            // The worker printed why it could not import the script.
            _ => failures += 1,
        }
    }
    for (w, row, _) in workers.iter_mut() {
        if row.start.is_none() {
            continue;
        }
        match w.recv(vm, None) {
            Ok(Received::Reply(Reply::Ok { .. })) => {}
            Ok(Received::Reply(Reply::Err { traceback, .. })) => {
                vm.interp.flush_stdout();
                eprint!("Process {}:\n{traceback}", row.name);
                failures += 1;
                continue;
            }
            _ => {
                eprintln!(
                    "gilsim: worker process {} (pid {}) ended while running main()",
                    row.name,
                    w.pid()
                );
                failures += 1;
                continue;
            }
        }
        if matches!(w.send(vm, Request::Stats), Ok(true)) {
            if let Ok(Received::Reply(Reply::Stats(s))) = w.recv(vm, None) {
                row.stats = Some(s);
            }
        }
    }
    for (w, _, _) in &workers {
        let _ = w.send(vm, Request::Shutdown);
        w.close(vm);
    }
    for (w, _, _) in &workers {
        let _ = w.wait(vm, Some(Duration::from_secs(5)));
        w.kill(vm);
    }
    let rows: Vec<Row> = workers.into_iter().map(|(_, r, _)| r).collect();
    // A deterministic run's figures are all virtual, and the same on every run.
    let wall = if crate::clock::is_virtual() {
        vm.sync_clock();
        crate::clock::now()
    } else {
        started.elapsed()
    };
    let summary = render(vm, &rows, wall);
    let result = if failures == 0 {
        Ok(())
    } else {
        Err(PyErr::with_args(&exc().system_exit, vec![Value::Int(1)]))
    };
    (result, Some(summary))
}

/// The summary: one row for the parent and one per worker process.
fn render(vm: &Vm, rows: &[Row], wall: Duration) -> String {
    let settings = &vm.interp.settings;
    let lock = match settings.policy {
        Policy::New => format!("gil new, switch interval {}", ms(settings.switch_interval_us)),
        Policy::Old => format!("gil old, check interval {} instructions", settings.check_interval),
        Policy::Off => "gil off (free-threaded)".to_string(),
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "gilsim: wall {:.3} s, {} process{} and the parent, each with its own lock ({lock})",
        wall.as_secs_f64(),
        rows.len(),
        if rows.len() == 1 { "" } else { "es" }
    );
    let width = rows.iter().map(|r| r.name.len()).max().unwrap_or(0).max(11);
    let _ = writeln!(
        out,
        "  {:<width$} {:>8} {:>9} {:>9} {:>9} {:>9} {:>9} {:>8}",
        "process", "pid", "start ms", "cpu s", "holding s", "waiting s", "threads", "switches"
    );
    let (main_pid, main_cpu) = if crate::clock::is_virtual() {
        let held: Duration = vm.interp.threads.all().iter().map(|t| t.stats.lock().held).sum();
        ("-".to_string(), held)
    } else {
        (std::process::id().to_string(), super::process_cpu_time())
    };
    let _ = writeln!(
        out,
        "  {:<width$} {:>8} {:>9} {:>9.3} {:>9} {:>9} {:>9} {:>8}",
        "MainProcess",
        main_pid,
        "-",
        main_cpu.as_secs_f64(),
        "-",
        "-",
        "-",
        "-"
    );
    for r in rows {
        let start = r
            .start
            .map(|d| format!("{:.1}", d.as_secs_f64() * 1e3))
            .unwrap_or_else(|| "-".into());
        match &r.stats {
            Some(s) => {
                let _ = writeln!(
                    out,
                    "  {:<width$} {:>8} {:>9} {:>9.3} {:>9.3} {:>9.3} {:>9} {:>8}",
                    r.name,
                    s.pid,
                    start,
                    s.cpu_us as f64 / 1e6,
                    s.held_us as f64 / 1e6,
                    s.waiting_us as f64 / 1e6,
                    s.threads,
                    s.switches
                );
            }
            None => {
                let _ = writeln!(out, "  {:<width$} {:>8} {:>9} (failed)", r.name, "-", start);
            }
        }
    }
    out
}

fn ms(us: u64) -> String {
    if us >= 1000 {
        format!("{:.1} ms", us as f64 / 1e3)
    } else {
        format!("{us} µs")
    }
}
