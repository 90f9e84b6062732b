//! The end-of-run summary of `--stats` and `--threads N`: wall time, where each thread's
//! time went, and how the lock changed hands (the figures gil_load, py-spy and gil_tracer
//! report).

use std::fmt::Write as _;
use std::time::Duration;

use crate::gil::stats::quantile;
use crate::gil::Policy;
use crate::vm::interp::Interpreter;

/// The summary as text, one table row per thread that ran.
pub fn render(interp: &Interpreter, wall: Duration) -> String {
    let mut out = String::new();
    let settings = &interp.settings;
    let lock = match settings.policy {
        Policy::New => format!(
            "gil new, switch interval {}",
            micros(interp.switch_interval_us.load(std::sync::atomic::Ordering::Relaxed))
        ),
        Policy::Old => format!("gil old, check interval {} instructions", settings.check_interval),
        Policy::Off => "gil off (free-threaded)".to_string(),
    };
    let threads = interp.threads.all();
    let _ = writeln!(
        out,
        "gilsim: wall {:.3} s, {} threads, {}",
        wall.as_secs_f64(),
        threads.len(),
        lock
    );
    let name_width = threads
        .iter()
        .map(|t| t.name().chars().count())
        .max()
        .unwrap_or(6)
        .max(6);
    let _ = writeln!(
        out,
        "  {:<name_width$} {:>9} {:>9} {:>9} {:>9}",
        "thread", "cpu s", "holding s", "waiting s", "blocked s"
    );
    for t in &threads {
        let s = t.stats.lock().clone();
        let _ = writeln!(
            out,
            "  {:<name_width$} {:>9.3} {:>9.3} {:>9.3} {:>9.3}",
            t.name(),
            s.cpu.as_secs_f64(),
            s.held.as_secs_f64(),
            s.waiting.as_secs_f64(),
            s.blocked.as_secs_f64()
        );
    }
    if settings.policy == Policy::Off {
        return out;
    }
    let c = interp.gil.stats().snapshot();
    let mut handoffs = c.handoff_ns.clone();
    handoffs.sort_unstable();
    let _ = write!(out, "  lock: {} switches", c.switches);
    if settings.policy == Policy::New {
        let _ = write!(
            out,
            ", {} forced drops ({} drop requests)",
            c.forced_drops, c.drop_requests
        );
    }
    if let (Some(median), Some(p99)) = (quantile(&handoffs, 0.5), quantile(&handoffs, 0.99)) {
        let _ = write!(
            out,
            "; handoff median {}, p99 {} ({} handoffs)",
            micros(median / 1000),
            micros(p99 / 1000),
            handoffs.len()
        );
    }
    let holder = threads
        .iter()
        .find(|t| t.id == c.longest_hold_thread)
        .map(|t| t.name().to_string())
        .unwrap_or_else(|| "-".to_string());
    let _ = writeln!(
        out,
        "; longest hold {} ({holder})",
        micros(c.longest_hold.as_micros().min(u64::MAX as u128) as u64)
    );
    out
}

/// A duration in microseconds, in the unit that reads best.
fn micros(us: u64) -> String {
    if us >= 1_000_000 {
        format!("{:.2} s", us as f64 / 1e6)
    } else if us >= 1000 {
        format!("{:.1} ms", us as f64 / 1e3)
    } else {
        format!("{us} µs")
    }
}
