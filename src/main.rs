//! The `gilsim` command line: parses flags, calls the library, maps results to exit codes.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use gilsim::driver::{self, RunOptions};
use gilsim::gil::Policy;

/// Stack for the interpreter thread: deep (but bounded) recursion in the compiler and in
/// Rust-level protocol calls must never overflow. Pages are only committed when touched.
const INTERPRETER_STACK: usize = 1 << 30;

#[derive(Parser)]
#[command(
    name = "gilsim",
    version,
    about = "Run Python programs on real OS threads behind a modelled GIL"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a program: `gilsim run FILE [-- ARGS…]`.
    Run {
        file: PathBuf,
        #[command(flatten)]
        flags: RunFlags,
        /// Arguments passed to the program as sys.argv[1:].
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Run a program and record every lock handoff: `gilsim trace FILE [run flags] --format text|chrome|svg [-o OUT]`.
    Trace {
        file: PathBuf,
        #[command(flatten)]
        flags: RunFlags,
        /// text: one line per event; chrome: JSON for ui.perfetto.dev; svg: a timeline picture.
        #[arg(long, value_enum, default_value_t = gilsim::trace::Format::Text)]
        format: gilsim::trace::Format,
        /// Where to write the trace (default, or `-`: standard output). Written to a
        /// temporary name and renamed, so an interrupted run leaves no truncated file.
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
        /// Arguments passed to the program as sys.argv[1:].
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Run a program, then step through its lock handoffs (Enter/n: next handoff, s: next event, c: continue, q: quit).
    Step {
        file: PathBuf,
        #[command(flatten)]
        flags: RunFlags,
        /// Arguments passed to the program as sys.argv[1:].
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Compile a program without running it; report syntax errors.
    Check { file: PathBuf },
    /// Print every function's bytecode next to its source lines.
    Dis { file: PathBuf },
    /// A worker process of multiprocessing or `--processes` (started by gilsim itself).
    #[command(name = "__worker", hide = true)]
    Worker(WorkerCli),
    /// Measure the GIL on this machine: by default the course's experiment (CPU-bound and
    /// I/O-bound tasks with a thread pool, then a process pool) and a verdict in plain words.
    /// `gilsim bench FILE --workers 1,2,4,8 [--plot OUT.svg]`: how FILE's replicated main()
    /// scales with threads and with processes.
    Bench {
        /// Sweep this script's main() over --workers counts with threads (gilsim run --threads
        /// N) and with processes (--processes N), and print the scaling table.
        #[arg(value_name = "FILE", conflicts_with_all = ["interp", "phenomena", "compare_python", "python", "only", "scale"])]
        file: Option<PathBuf>,
        /// With FILE: the worker counts, comma-separated (1 is added if missing).
        #[arg(long, value_name = "LIST", requires = "file", value_parser = gilsim::bench::sweep::parse_workers)]
        workers: Option<gilsim::bench::sweep::Workers>,
        /// With FILE: draw speedup against workers (threads, processes, ideal) into this SVG.
        #[arg(long, value_name = "OUT.svg", requires = "file")]
        plot: Option<PathBuf>,
        /// With FILE: the lock model of every run.
        #[arg(long, value_enum, requires = "file")]
        gil: Option<Policy>,
        /// With FILE: the new GIL's switch interval in seconds.
        #[arg(long, value_name = "SECONDS", requires = "file", value_parser = parse_interval)]
        switch_interval: Option<f64>,
        /// With FILE: the old GIL's check interval (instructions between releases).
        #[arg(long, value_name = "N", requires = "file", value_parser = clap::value_parser!(u32).range(1..))]
        check_interval: Option<u32>,
        /// Time the interpreter on classic single-threaded workloads (fib, loops, dicts, sorting…).
        #[arg(long, conflicts_with = "phenomena")]
        interp: bool,
        /// Measure the lock's phenomena (CPU-bound threads, I/O overlap, --gil off/old, switch
        /// slices, lost updates, the convoy effect, handoff latency) beside CPython.
        #[arg(long)]
        phenomena: bool,
        /// The course's experiment: also run it under CPython (python3, or --python) and show
        /// its row beside gilsim's.
        #[arg(long, conflicts_with_all = ["interp", "phenomena"])]
        compare_python: bool,
        /// Runs of each program; the best time counts.
        #[arg(long, default_value_t = 3)]
        repeat: usize,
        /// The CPython to compare with (default: python3 on PATH, if any).
        #[arg(long)]
        python: Option<String>,
        /// Only these workloads of --interp (comma-separated names).
        #[arg(long)]
        only: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// The course's experiment: task size relative to the course's (for tests).
        #[arg(long, hide = true, default_value_t = 1.0, conflicts_with_all = ["interp", "phenomena"])]
        scale: f64,
        /// The course's experiment, or FILE's sweep, in virtual time (gilsim run
        /// --deterministic): the same table on every run and every machine, processes on
        /// --cores simulated cores.
        #[arg(long, conflicts_with_all = ["interp", "phenomena", "compare_python"])]
        deterministic: bool,
        /// With --deterministic: the scheduler's seed.
        #[arg(long, value_name = "S", requires = "deterministic")]
        seed: Option<u64>,
        /// With --deterministic: simulated cores (the course's workers are clamp(cores, 2, 8)).
        #[arg(long, value_name = "N", requires = "deterministic", value_parser = clap::value_parser!(u32).range(1..=256))]
        cores: Option<u32>,
    },
}

/// How a program runs: the lock model and the threads.
#[derive(clap::Args, Clone, Debug)]
struct RunFlags {
    /// The lock model: CPython 3.2+'s (new), Python 2's (old), or none (off, PEP 703).
    #[arg(long, value_enum, default_value_t = Policy::New)]
    gil: Policy,
    /// The new GIL's switch interval in seconds (sys.setswitchinterval; CPython's default 0.005).
    #[arg(long, value_name = "SECONDS", default_value_t = 0.005, value_parser = parse_interval)]
    switch_interval: f64,
    /// The old GIL's check interval: instructions between releases (Python 2's default 100).
    #[arg(long, value_name = "N", default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..))]
    check_interval: u32,
    /// After running the module, call its main() in N threads at once and print a summary.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    threads: Option<u32>,
    /// Print the time and lock summary to stderr at the end.
    #[arg(long)]
    stats: bool,
    /// After running the module, call its main() in N worker processes at once and print a summary.
    #[arg(long, value_name = "N", conflicts_with = "threads", value_parser = clap::value_parser!(u32).range(1..=256))]
    processes: Option<u32>,
    /// Virtual time and one scheduler for every handoff: output, traces and statistics are
    /// the same on every run and every machine.
    #[arg(long)]
    deterministic: bool,
    /// With --deterministic: chooses among the legal schedules (which waiter gets the lock).
    #[arg(long, value_name = "S", requires = "deterministic")]
    seed: Option<u64>,
    /// With --deterministic: the simulated cores that simulated worker processes run on.
    #[arg(long, value_name = "N", default_value_t = gilsim::deterministic::DEFAULT_CORES, value_parser = clap::value_parser!(u32).range(1..=256))]
    cores: u32,
    /// Stop the whole run after this many seconds (exit status 124, as timeout(1)).
    #[arg(long, value_name = "SECONDS", value_parser = parse_timeout)]
    timeout: Option<f64>,
    /// The most threads that may be alive at once; starting one more raises RuntimeError.
    #[arg(long, value_name = "N", default_value_t = gilsim::threads::DEFAULT_MAX_THREADS, value_parser = parse_max_threads)]
    max_threads: usize,
}

fn parse_interval(s: &str) -> Result<f64, String> {
    let v: f64 = s.parse().map_err(|_| format!("'{s}' is not a number of seconds"))?;
    if !(v > 0.0) || !v.is_finite() {
        return Err("the switch interval must be a positive number of seconds".into());
    }
    if v * 1e6 < 1.0 || v > 3600.0 {
        return Err("the switch interval must be between 1 µs and 3600 s".into());
    }
    Ok(v)
}

fn parse_timeout(s: &str) -> Result<f64, String> {
    let v: f64 = s.parse().map_err(|_| format!("'{s}' is not a number of seconds"))?;
    if v.is_nan() || v <= 0.0 || !v.is_finite() || v > 1e9 {
        return Err("the timeout must be a positive number of seconds".into());
    }
    Ok(v)
}

fn parse_max_threads(s: &str) -> Result<usize, String> {
    let v: usize = s.parse().map_err(|_| format!("'{s}' is not a thread count"))?;
    if v == 0 || v > 100_000 {
        return Err("--max-threads must be between 1 and 100000".into());
    }
    Ok(v)
}

impl RunFlags {
    fn options(&self, color: bool) -> RunOptions {
        RunOptions {
            color,
            interp: gilsim::vm::interp::InterpSettings {
                policy: self.gil,
                switch_interval_us: (self.switch_interval * 1e6).round() as u64,
                check_interval: self.check_interval,
                max_threads: self.max_threads,
                deterministic: self.deterministic.then(|| gilsim::deterministic::Settings {
                    seed: self.seed.unwrap_or(0),
                    cores: self.cores,
                    ..Default::default()
                }),
                domain: 0,
                instruction_budget: None,
            },
            threads: self.threads.map(|n| n as usize),
            stats: self.stats,
            processes: self.processes.map(|n| n as usize),
            timeout: self.timeout.map(std::time::Duration::from_secs_f64),
            trace: None,
        }
    }
}

/// The hidden `__worker` subcommand: how a parent starts a worker (src/process/spawn.rs).
#[derive(clap::Args, Clone, Debug)]
struct WorkerCli {
    #[arg(long)]
    name: String,
    #[arg(long)]
    role: String,
    #[arg(long)]
    reply_fd: i32,
    #[arg(long, value_enum)]
    gil: Policy,
    #[arg(long)]
    switch_interval_us: u64,
    #[arg(long)]
    check_interval: u32,
    #[arg(long)]
    max_threads: usize,
    #[arg(long)]
    fork_like: bool,
    script: PathBuf,
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    args: Vec<String>,
}

impl WorkerCli {
    fn into_args(self) -> gilsim::process::worker::WorkerArgs {
        gilsim::process::worker::WorkerArgs {
            script: self.script,
            name: self.name,
            role: self.role,
            reply_fd: self.reply_fd,
            fork_like: self.fork_like,
            settings: gilsim::vm::interp::InterpSettings {
                policy: self.gil,
                switch_interval_us: self.switch_interval_us.max(1),
                check_interval: self.check_interval.max(1),
                max_threads: self.max_threads.max(1),
                deterministic: None,
                domain: 0,
                instruction_budget: None,
            },
            args: self.args,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let opts = RunOptions {
        color,
        ..Default::default()
    };
    let worker = std::thread::Builder::new()
        .name("gilsim-main".into())
        .stack_size(INTERPRETER_STACK)
        .spawn(move || match cli.command {
            Command::Run { file, flags, args } => driver::run_file(&file, &args, &flags.options(color)),
            Command::Trace {
                file,
                flags,
                format,
                output,
                args,
            } => {
                let mut opts = flags.options(color);
                opts.trace = Some(gilsim::trace::Request::Render { format, output });
                driver::run_file(&file, &args, &opts)
            }
            Command::Step { file, flags, args } => {
                let mut opts = flags.options(color);
                opts.trace = Some(gilsim::trace::Request::Step);
                driver::run_file(&file, &args, &opts)
            }
            Command::Check { file } => driver::check_file(&file, &opts),
            Command::Worker(w) => gilsim::process::worker::run(w.into_args()),
            Command::Bench {
                file,
                workers,
                plot,
                gil,
                switch_interval,
                check_interval,
                interp,
                phenomena,
                compare_python,
                repeat,
                python,
                only,
                format,
                scale,
                deterministic,
                seed,
                cores,
            } => {
                let json = format == Format::Json;
                if let Some(file) = file {
                    let opts = gilsim::bench::sweep::Options {
                        file,
                        workers: workers.unwrap_or_default(),
                        repeat,
                        json,
                        plot,
                        settings: gilsim::bench::sweep::RunSettings {
                            gil: gil.unwrap_or_default(),
                            switch_interval,
                            check_interval,
                            deterministic,
                            seed,
                            cores,
                        },
                    };
                    return match gilsim::bench::sweep::run(&opts) {
                        Ok(text) => {
                            print!("{text}");
                            0
                        }
                        Err(f) => {
                            eprint!("{}", f.message);
                            f.code
                        }
                    };
                }
                let mut run_flags = Vec::new();
                if deterministic {
                    run_flags.push("--deterministic".to_string());
                    if let Some(s) = seed {
                        run_flags.extend(["--seed".to_string(), s.to_string()]);
                    }
                    if let Some(c) = cores {
                        run_flags.extend(["--cores".to_string(), c.to_string()]);
                    }
                }
                let result = if interp {
                    gilsim::bench::interp::run(&gilsim::bench::interp::Options {
                        repeat,
                        python,
                        only,
                        json,
                    })
                } else if phenomena {
                    gilsim::bench::gil::run(&gilsim::bench::gil::Options { repeat, python, json })
                } else {
                    gilsim::bench::course::run(&gilsim::bench::course::Options {
                        // Virtual time gives the same figures every run: one is enough.
                        repeat: if deterministic { 1 } else { repeat },
                        compare_python,
                        python,
                        json,
                        scale,
                        run_flags,
                        simulated_cores: deterministic
                            .then(|| cores.unwrap_or(gilsim::deterministic::DEFAULT_CORES) as usize),
                    })
                };
                match result {
                    Ok((text, ok)) => {
                        print!("{text}");
                        if ok {
                            0
                        } else {
                            1
                        }
                    }
                    Err(e) => {
                        eprintln!("gilsim bench: {e}");
                        1
                    }
                }
            }
            Command::Dis { file } => match driver::dis_file(&file, &opts) {
                Ok(text) => {
                    print!("{text}");
                    0
                }
                Err((msg, code)) => {
                    eprint!("{msg}");
                    if !msg.ends_with('\n') {
                        eprintln!();
                    }
                    code
                }
            },
        });
    let code = match worker.map(|h| h.join()) {
        Ok(Ok(code)) => code,
        Ok(Err(_)) => {
            eprintln!("gilsim: internal error (a bug in gilsim, please report it)");
            70
        }
        Err(e) => {
            eprintln!("gilsim: cannot start the interpreter thread: {e}");
            70
        }
    };
    if gilsim::signals::unhandled_keyboard_interrupt() {
        // Modules/main.c exit_sigint: the shell sees the program die of SIGINT ($? = 130).
        gilsim::signals::exit_sigint();
    }
    ExitCode::from(code.clamp(0, 255) as u8)
}
