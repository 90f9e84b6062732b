//! From a file to a result: read, parse, compile and run a program, and turn every failure
//! into a rendered diagnostic and an exit code.

use std::path::Path;
use std::sync::Arc;

use crate::compile::{compile_module, CompileError, CompiledModule};
use crate::syntax::source::SourceFile;
use crate::syntax::{parse_module, render_syntax_errors, SyntaxError, SyntaxErrorKind};
use crate::vm::errors::PyErr;
use crate::vm::frame::Frame;
use crate::vm::objects::Module;
use crate::vm::types::exc;
use crate::vm::value::Value;
use crate::vm::vm::Vm;
use crate::vm::PyResult;

/// A program that could not be compiled: the rendered diagnostics.
#[derive(Debug)]
pub struct Diagnostics {
    pub rendered: String,
    pub first: SyntaxError,
}

/// Reads a source file, rejecting what is not UTF-8 with a located error.
pub fn read_source(path: &Path) -> Result<Arc<SourceFile>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("gilsim: can't open file '{}': {}", path.display(), e))?;
    // Tracebacks name the script by its absolute path, as CPython 3.9+ does for __main__.
    let name = std::path::absolute(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string();
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(name, text)),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let line = bytes[..valid].iter().filter(|&&b| b == b'\n').count() + 1;
            Err(format!(
                "  File \"{}\", line {}\nSyntaxError: (unicode error) 'utf-8' codec can't decode byte 0x{:02x} in position {}: invalid start byte",
                name, line, bytes[valid], valid
            ))
        }
    }
}

/// Parses and compiles a source file.
pub fn compile_source(src: &Arc<SourceFile>, color: bool) -> Result<CompiledModule, Diagnostics> {
    let module = parse_module(src).map_err(|errors| Diagnostics {
        rendered: render_syntax_errors(src, &errors, color),
        first: errors[0].clone(),
    })?;
    let compiled = compile_module(&module, src);
    // A deep AST is dismantled iteratively by the parser's limits; dropping it here is bounded.
    drop(module);
    compiled.map_err(|e: CompileError| {
        let err = SyntaxError {
            kind: SyntaxErrorKind::SyntaxError,
            message: e.message,
            span: e.span,
            label: None,
        };
        Diagnostics {
            rendered: render_syntax_errors(src, std::slice::from_ref(&err), color),
            first: err,
        }
    })
}

/// The interpreter's teardown once the main thread is done, as at CPython's shutdown.
fn tear_down(vm: &mut Vm) {
    let interp = vm.interp.clone();
    // Daemon threads still alive never run Python code again: they would find the globals
    // cleared below (NameErrors at exit).
    interp.threads.begin_finalizing();
    // Module globals die with the interpreter: generators they held get to run their
    // cleanup.
    if let Some(main) = interp.modules.lock().get("__main__").cloned() {
        main.clear();
    }
    vm.finalize_dead_generators();
    interp.flush_stdout();
    vm.end_thread();
}

/// Runs compiled module code as module `name`, returning the module.
pub fn run_module_code(vm: &mut Vm, name: &str, compiled: &CompiledModule) -> PyResult<Arc<Module>> {
    let module = Module::new(name, &compiled.global_names);
    module.set("__name__", Value::str(name));
    module.set("__file__", Value::str(compiled.code.filename()));
    module.set(
        "__doc__",
        compiled
            .code
            .docstring
            .as_ref()
            .map(|d| Value::str(d))
            .unwrap_or(Value::None),
    );
    vm.interp.modules.lock().insert(name.to_string(), module.clone());
    let func = Arc::new(crate::vm::objects::Function::for_module(
        compiled.code.clone(),
        module.clone(),
    ));
    let frame = Frame::new(func, vm.stack.len());
    vm.run_frame(frame)?;
    Ok(module)
}

/// `import name` of a `.py` file beside the main script.
pub fn import_file(vm: &mut Vm, name: &str, path: &Path) -> PyResult<Arc<Module>> {
    let src = read_source(path).map_err(|msg| PyErr::new(&exc().syntax_error, msg))?;
    let compiled = compile_source(&src, false).map_err(|d| {
        let kind = match d.first.kind {
            SyntaxErrorKind::SyntaxError => &exc().syntax_error,
            SyntaxErrorKind::IndentationError => &exc().indentation_error,
            SyntaxErrorKind::TabError => &exc().tab_error,
        };
        PyErr::new(
            kind,
            format!(
                "{} ({}, line {})",
                d.first.message,
                path.display(),
                src.line_of(d.first.span.start)
            ),
        )
    })?;
    match run_module_code(vm, name, &compiled) {
        Ok(m) => Ok(m),
        Err(e) => {
            vm.interp.modules.lock().remove(name);
            Err(e)
        }
    }
}

/// Settings of one `gilsim run`.
#[derive(Clone, Debug, Default)]
pub struct RunOptions {
    /// Use colour in diagnostics.
    pub color: bool,
    /// The lock model and its parameters.
    pub interp: crate::vm::interp::InterpSettings,
    /// `--threads N`: after the module has run, call its `main()` in N threads at once.
    pub threads: Option<usize>,
    /// `--stats`: print the lock and thread summary to stderr at the end.
    pub stats: bool,
    /// `--timeout SECONDS`: stop the whole run after this long (exit status 124).
    pub timeout: Option<std::time::Duration>,
    /// `--processes N`: after the module has run, call its `main()` in N worker processes.
    pub processes: Option<usize>,
    /// `gilsim trace` / `gilsim step`: record the run's events and render them at the end.
    pub trace: Option<crate::trace::Request>,
}

/// Combinations of flags that cannot run, as a message for the command line.
fn unsupported(opts: &RunOptions) -> Option<String> {
    let det = opts.interp.deterministic.is_some();
    if det && opts.interp.policy == crate::gil::Policy::Off {
        return Some(
            "--deterministic models a lock: use it with --gil new or --gil old (free threading is not simulated yet)"
                .into(),
        );
    }
    None
}

/// Runs a program file the way `python3 FILE ARGS…` does; returns the process exit code.
pub fn run_file(path: &Path, args: &[String], opts: &RunOptions) -> i32 {
    if let Some(msg) = unsupported(opts) {
        eprintln!("gilsim: {msg}");
        return 2;
    }
    let src = match read_source(path) {
        Ok(s) => s,
        Err(msg) => {
            eprintln!("{msg}");
            return if msg.starts_with("gilsim: can't open") { 2 } else { 1 };
        }
    };
    let compiled = match compile_source(&src, opts.color) {
        Ok(c) => c,
        Err(d) => {
            eprint!("{}", d.rendered);
            return 1;
        }
    };
    let script_dir = path.parent().map(|p| p.to_path_buf()).unwrap_or_default();
    let mut argv = vec![path.display().to_string()];
    argv.extend(args.iter().cloned());
    let interp = crate::vm::interp::Interpreter::with_settings(
        argv,
        script_dir,
        crate::vm::stdout::Stdout::process(),
        opts.interp.clone(),
    );
    crate::clock::init();
    let started = std::time::Instant::now();
    if opts.trace.is_some() {
        crate::trace::recorder::start(crate::trace::recorder::DEFAULT_CAP, 1, &src.name);
    }
    let mut vm = Vm::new(interp.clone());
    vm.gil_take();
    vm.trace(crate::trace::EventKind::ThreadStart);
    // Ctrl-C raises KeyboardInterrupt in this thread; --timeout stops the run.
    crate::signals::install(&interp, &vm.breaker, opts.timeout);
    let mut result = run_module_code(&mut vm, "__main__", &compiled).map(|_| ());
    if let (Ok(()), Some(n)) = (&result, opts.threads) {
        let main = vm.interp.modules.lock().get("__main__").and_then(|m| m.get("main"));
        match main {
            Some(main) => result = run_replicas(&mut vm, main, n),
            None => {
                interp.flush_stdout();
                eprintln!(
                    "gilsim: --threads {n} calls main() in {n} threads, but {} defines no main()",
                    path.display()
                );
                return 2;
            }
        }
    }
    let mut process_summary = None;
    if let (Ok(()), Some(n)) = (&result, opts.processes) {
        let (r, summary) = crate::process::replicas::run(&mut vm, path, args, n, started);
        result = r;
        process_summary = summary;
    }
    let mut code = match result {
        Ok(()) => 0,
        Err(e) => exit_code_for(&mut vm, &e),
    };
    // Wait for the threads that are not daemons, as Py_FinalizeEx does (wait_for_thread_shutdown),
    // unless a deadlock was reported: those threads can never finish.
    let shutdown = if interp.threads.deadlocked() {
        Ok(())
    } else {
        shutdown_threads(&mut vm)
    };
    if let Err(e) = shutdown {
        if e.is_instance_of(&exc().keyboard_interrupt) {
            // Ctrl-C while waiting for the threads: Python/pylifecycle.c
            // wait_for_thread_shutdown reports it with PyErr_WriteUnraisable and goes on
            // exiting, with the status the program had.
            report_unraisable(&mut vm, "<module 'threading'>", &e);
        } else {
            let c = exit_code_for(&mut vm, &e);
            if code == 0 {
                code = c;
            }
        }
    }
    tear_down(&mut vm);
    // No worker process outlives the program.
    crate::process::spawn::kill_all();
    // A deterministic run's wall time is virtual too.
    let wall = if crate::clock::is_virtual() {
        crate::clock::now()
    } else {
        started.elapsed()
    };
    let summary = crate::threads::summary::render(&interp, wall);
    if let Some(summary) = process_summary {
        eprint!("{summary}");
    } else if opts.stats || opts.threads.is_some() {
        eprint!("{summary}");
    }
    if let Some(request) = &opts.trace {
        let run = crate::trace::collect::RunDescription {
            program: path.display().to_string(),
            threads: opts.threads.map(|n| n as u32),
            processes: opts.processes.map(|n| n as u32),
        };
        let trace = crate::trace::collect::collect(&interp, &src, &run, summary);
        if let Err(msg) = crate::trace::deliver(&trace, request) {
            eprintln!("gilsim: {msg}");
            if code == 0 {
                code = 1;
            }
        }
    }
    code
}

/// `threading._shutdown()`, if the program imported threading.
fn shutdown_threads(vm: &mut Vm) -> PyResult<()> {
    let threading = vm.interp.modules.lock().get("threading").cloned();
    if let Some(m) = threading {
        if let Some(f) = m.get("_shutdown") {
            vm.call_with(&f, crate::vm::objects::Args { pos: &[], kw: &[] })?;
        }
    }
    Ok(())
}

/// `--threads N`: calls the script's `main()` in N threads of this interpreter at once
/// (passing the worker index if main takes an argument) and waits for all of them.
fn run_replicas(vm: &mut Vm, main: Value, n: usize) -> PyResult<()> {
    let takes_index = match &main {
        Value::Function(f) => f.code.arg_count > 0,
        _ => false,
    };
    let threading = vm.import_module("threading")?;
    let replicate = threading
        .get("_run_replicas")
        .ok_or_else(|| PyErr::new(&exc().runtime_error, "threading._run_replicas is missing"))?;
    let failed = vm.call_with(
        &replicate,
        crate::vm::objects::Args {
            pos: &[main, Value::from(n as i64), Value::Bool(takes_index)],
            kw: &[],
        },
    )?;
    match failed {
        Value::Int(0) => Ok(()),
        // The tracebacks were printed by threading.excepthook; exit 1 as for an uncaught error.
        _ => Err(PyErr::with_args(&exc().system_exit, vec![Value::Int(1)])),
    }
}

/// The exit code for an uncaught exception, printing its traceback (or SystemExit's message).
pub fn exit_code_for(vm: &mut Vm, e: &PyErr) -> i32 {
    vm.interp.flush_stdout();
    if e.is_instance_of(&exc().system_exit) {
        let (code, msg) = system_exit_status(vm, e);
        if let Some(msg) = msg {
            eprintln!("{msg}");
        }
        return code;
    }
    if e.is_instance_of(&exc().keyboard_interrupt) {
        // Modules/main.c: the process then ends by SIGINT (exit_sigint), see main.rs.
        crate::signals::set_unhandled_keyboard_interrupt();
        let report = vm.format_exception(e);
        eprint!("{report}");
        return 130;
    }
    if e.is_instance_of(&exc().broken_pipe_error) && vm.interp.stdout_closed() {
        // The reader of our output has gone: end quietly, as `python3 x.py | head` would
        // with SIGPIPE at its default.
        return 1;
    }
    let report = vm.format_exception(e);
    eprint!("{report}");
    1
}

/// The exit status `raise SystemExit(arg)` asks for, and the message to print (a non-int arg).
fn system_exit_status(vm: &mut Vm, e: &PyErr) -> (i32, Option<String>) {
    match e.args().first() {
        None | Some(Value::None) => (0, None),
        // The OS keeps the low byte; CPython reports -1 for ints beyond a C long.
        Some(Value::Int(i)) => ((*i & 0xff) as i32, None),
        Some(Value::Bool(b)) => (*b as i32, None),
        Some(Value::BigInt(_)) => (255, None),
        Some(other) => (1, Some(vm.str(other).unwrap_or_default())),
    }
}

/// Modules and names a program run by [`run_contained`] must not use: threads and
/// processes (they would outlive the run), the OS (file descriptors, `os.remove`), waits
/// on the real clock, and the process's own stdin and stderr.
const NOT_CONTAINABLE: &[&str] = &[
    "threading",
    "_thread",
    "queue",
    "multiprocessing",
    "concurrent",
    "_gilsim_process",
    "os",
    "sleep",
    "input",
    "stdin",
    "stderr",
    "__stderr__",
    "__import__",
];

/// Whether [`run_contained`] may run this program: none of its code objects names a module
/// or function of [`NOT_CONTAINABLE`]. (A name computed at run time, `getattr(m, "sl" + "eep")`,
/// is not seen: this guards fuzzing and tests, not hostile users.)
pub fn containable(compiled: &CompiledModule) -> bool {
    fn denied(name: &str) -> bool {
        name.split('.').any(|part| NOT_CONTAINABLE.contains(&part))
    }
    fn code_ok(code: &crate::compile::bytecode::Code) -> bool {
        !code.names.iter().any(|n| denied(n)) && code.functions.iter().all(|f| code_ok(f))
    }
    !compiled.global_names.iter().any(|n| denied(n)) && code_ok(&compiled.code)
}

/// How a [`run_contained`] run ended.
#[derive(Debug)]
pub struct ContainedRun {
    /// The exit status `gilsim run` would have had: 0, 1 for an uncaught exception, or
    /// what `sys.exit(n)` asked for.
    pub code: i32,
    /// The uncaught exception's traceback, as `gilsim run` prints it (SystemExit's message).
    pub report: String,
    /// Whether the program ended with `sys.exit()` (or `raise SystemExit`).
    pub system_exit: bool,
    /// Whether the run ended because its instruction budget was spent.
    pub budget_spent: bool,
}

/// Runs a [`containable`] program as `__main__` in this process, on a thread of its own
/// with the interpreter's large stack, for the fuzz targets and the generated-input tests:
/// its output is discarded, no signal handler or `--timeout` watch is installed, no more
/// than one thread may run, and at most `budget` bytecode instructions execute, so that an
/// infinite loop ends with a RuntimeError. `import name` looks for `name.py` in
/// `script_dir`. A panic in the interpreter is passed on to the caller.
pub fn run_contained(compiled: &CompiledModule, script_dir: &Path, budget: u64) -> ContainedRun {
    std::thread::scope(|scope| {
        let run = std::thread::Builder::new()
            .name("contained".into())
            .stack_size(CONTAINED_STACK)
            .spawn_scoped(scope, || run_contained_here(compiled, script_dir, budget))
            .expect("a thread for the contained run");
        match run.join() {
            Ok(r) => r,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

/// Stack of a contained run's thread: the `gilsim` binary's interpreter thread's (src/main.rs).
const CONTAINED_STACK: usize = 1 << 30;

fn run_contained_here(compiled: &CompiledModule, script_dir: &Path, budget: u64) -> ContainedRun {
    let settings = crate::vm::interp::InterpSettings {
        max_threads: 1,
        instruction_budget: Some(budget),
        ..Default::default()
    };
    let interp = crate::vm::interp::Interpreter::with_settings(
        vec![compiled.code.filename().to_string()],
        script_dir.to_path_buf(),
        crate::vm::stdout::Stdout::new(Box::new(std::io::sink()), false),
        settings,
    );
    crate::clock::init();
    let mut vm = Vm::new(interp.clone());
    vm.gil_take();
    let result = run_module_code(&mut vm, "__main__", compiled);
    let system_exit = matches!(&result, Err(e) if e.is_instance_of(&exc().system_exit));
    let (code, report) = match result {
        Ok(_) => (0, String::new()),
        Err(e) if system_exit => {
            let (code, msg) = system_exit_status(&mut vm, &e);
            (code, msg.unwrap_or_default())
        }
        Err(e) => (1, vm.format_exception(&e)),
    };
    // The end of `run_file`: no threads to wait for, then the interpreter's teardown.
    tear_down(&mut vm);
    ContainedRun {
        code,
        report,
        system_exit,
        budget_spent: interp.budget_spent(),
    }
}

/// `PyErr_WriteUnraisable`: an exception nobody can catch, reported and dropped.
fn report_unraisable(vm: &mut Vm, what: &str, e: &PyErr) {
    vm.interp.flush_stdout();
    let report = vm.format_exception(e);
    eprint!("Exception ignored in: {what}\n{report}");
}

/// `gilsim check FILE`: compile only.
pub fn check_file(path: &Path, opts: &RunOptions) -> i32 {
    match read_source(path) {
        Ok(src) => match compile_source(&src, opts.color) {
            Ok(_) => 0,
            Err(d) => {
                eprint!("{}", d.rendered);
                1
            }
        },
        Err(msg) => {
            eprintln!("{msg}");
            1
        }
    }
}

/// `gilsim dis FILE`: the disassembly of every code object.
pub fn dis_file(path: &Path, opts: &RunOptions) -> Result<String, (String, i32)> {
    let src = read_source(path).map_err(|m| (m, 1))?;
    let compiled = compile_source(&src, opts.color).map_err(|d| (d.rendered, 1))?;
    Ok(crate::compile::dis::disassemble(&compiled.code, &compiled.global_names))
}
