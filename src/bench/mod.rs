//! `gilsim bench`: measurements run side by side with CPython in one go.
//!
//! With no flags, the course's experiment (shared/seeds/001): CPU-bound and I/O-bound tasks
//! with a thread pool and with a process pool, and a verdict in plain words.
//! `--interp` times the interpreter itself on classic workloads against `python3`.
//! `--phenomena` measures what the lock does (CPU-bound threads, I/O overlap, switch slices,
//! lost updates, the convoy effect) beside CPython.
//! `gilsim bench FILE --workers 1,2,4,8` sweeps a script's replicated `main()` with threads
//! and with processes and prints (and plots) how it scales.

mod child;
pub mod course;
pub mod gil;
pub mod interp;
pub mod sweep;

/// A progress bar on stderr for `len` steps; hidden when stderr is not a terminal.
fn progress_bar(len: u64) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} {msg}")
    {
        bar.set_style(style);
    }
    bar.enable_steady_tick(std::time::Duration::from_millis(100));
    bar
}
