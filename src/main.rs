//! The `gilsim` command line: parses flags, calls the library, maps results to exit codes.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use gilsim::driver::{self, RunOptions};

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
        /// Arguments passed to the program as sys.argv[1:].
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Compile a program without running it; report syntax errors.
    Check { file: PathBuf },
    /// Print every function's bytecode next to its source lines.
    Dis { file: PathBuf },
    /// Measure gilsim against CPython on this machine.
    Bench {
        /// Time the interpreter on classic single-threaded workloads (fib, loops, dicts, sorting…);
        /// currently also the default.
        #[arg(long)]
        interp: bool,
        /// Runs of each program; the best time counts.
        #[arg(long, default_value_t = 3)]
        repeat: usize,
        /// The CPython to compare with (default: python3 on PATH, if any).
        #[arg(long)]
        python: Option<String>,
        /// Only these workloads (comma-separated names).
        #[arg(long)]
        only: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let opts = RunOptions { color };
    let worker = std::thread::Builder::new()
        .name("gilsim-main".into())
        .stack_size(INTERPRETER_STACK)
        .spawn(move || match cli.command {
            Command::Run { file, args } => driver::run_file(&file, &args, &opts),
            Command::Check { file } => driver::check_file(&file, &opts),
            Command::Bench {
                interp,
                repeat,
                python,
                only,
                format,
            } => {
                // Until the threads-vs-processes experiment exists, the interpreter benchmark
                // is what `gilsim bench` runs.
                let _ = interp;
                let o = gilsim::bench::interp::Options {
                    repeat,
                    python,
                    only,
                    json: format == Format::Json,
                };
                match gilsim::bench::interp::run(&o) {
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
    ExitCode::from(code.clamp(0, 255) as u8)
}
