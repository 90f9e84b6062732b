//! Hostile inputs through the whole pipeline: nothing panics, nothing hangs, and every
//! error names its location. (tests/syntax_fuzz.rs covers the parser alone.)

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use gilsim::driver::{compile_source, containable, run_contained};
use gilsim::syntax::source::SourceFile;
use proptest::prelude::*;

fn programs() -> Vec<String> {
    let mut out = Vec::new();
    let mut dirs = vec![PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/programs")];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).expect("tests/programs exists").flatten() {
            let p = e.path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().map(|x| x == "py").unwrap_or(false) {
                out.push(std::fs::read_to_string(&p).expect("readable"));
            }
        }
    }
    out.sort();
    out
}

/// Applies one byte-level mutation chosen by `choice` at position `at`.
fn mutate(src: &str, choice: u8, at: usize, len: usize) -> String {
    let b = src.as_bytes();
    if b.is_empty() {
        return String::new();
    }
    let i = at % b.len();
    let j = (i + len % 40).min(b.len());
    let mut v = b.to_vec();
    match choice % 5 {
        0 => {
            v.drain(i..j);
        }
        1 => {
            let chunk = b[i..j].to_vec();
            v.splice(i..i, chunk);
        }
        2 => v.insert(i, b"()[]{}:,.=+-*\\'\"\n\t #"[len % 20]),
        3 => {
            let line_start = b[..i].iter().rposition(|&c| c == b'\n').map(|p| p + 1).unwrap_or(0);
            v.splice(line_start..line_start, b"    ".iter().copied());
        }
        _ => v.truncate(i),
    }
    String::from_utf8_lossy(&v).into_owned()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Parsing and compiling a mutated program never panics, and errors point into the text.
    /// What compiles then runs in this process (the fuzz target `run`'s way, with an
    /// instruction budget): it never panics, exits with 0 or 1 (or what sys.exit asked for),
    /// and an uncaught exception's traceback names a line of the program.
    #[test]
    fn mutated_programs_compile_or_fail_cleanly(pick in 0usize..1000, choice in any::<u8>(), at in any::<usize>(), len in any::<usize>()) {
        let progs = programs();
        let text = mutate(&progs[pick % progs.len()], choice, at, len);
        let src = SourceFile::new("mutated.py", text.clone());
        match compile_source(&src, false) {
            Err(d) => {
                prop_assert!(d.first.span.start as usize <= text.len() + 1);
                prop_assert!(d.first.span.start <= d.first.span.end);
                prop_assert!(d.rendered.contains("mutated.py:"), "{}", d.rendered);
                prop_assert!(d.rendered.lines().last().map(|l| l.contains("Error")).unwrap_or(false), "{}", d.rendered);
            }
            Ok(compiled) if containable(&compiled) && !text.contains("open(") => {
                let run = run_contained(&compiled, &no_modules(), 100_000);
                if !run.system_exit {
                    prop_assert!(run.code == 0 || run.code == 1, "{run:?}");
                }
                if run.code == 1 && !run.system_exit {
                    prop_assert!(run.report.contains("File \"mutated.py\", line "), "{}\n---\n{text}", run.report);
                }
            }
            Ok(_) => {}
        }
    }
}

/// A directory with no modules in it: contained runs import nothing from disk.
fn no_modules() -> PathBuf {
    std::env::temp_dir().join("gilsim-no-modules-here")
}

fn contained(text: &str, budget: u64) -> gilsim::driver::ContainedRun {
    let src = SourceFile::new("budget.py", text);
    let compiled = compile_source(&src, false).expect("compiles");
    assert!(containable(&compiled));
    run_contained(&compiled, &no_modules(), budget)
}

const BUDGET_ERROR: &str = "RuntimeError: instruction budget exhausted (10000 instructions)\n";

#[test]
fn instruction_budget_ends_infinite_loops() {
    let loops = [
        "while True:\n    pass\n",
        // Catching it does not help: no handler sees it.
        "while True:\n    try:\n        while True:\n            pass\n    except BaseException:\n        pass\n",
        "try:\n    while True:\n        pass\nfinally:\n    while True:\n        pass\n",
        "class C:\n    def __enter__(self):\n        return self\n    def __exit__(self, *a):\n        return True\nwhile True:\n    with C():\n        while True:\n            pass\n",
        // Recursion that catches its RecursionError and recurses again.
        "def f():\n    try:\n        f()\n    except RecursionError:\n        f()\nf()\n",
        // A generator whose cleanup loops, run at teardown.
        "def g():\n    try:\n        yield 1\n    finally:\n        while True:\n            pass\nx = g()\nnext(x)\nwhile True:\n    pass\n",
        "x = [1]\nfor i in x:\n    x.append(i)\n",
    ];
    for text in loops {
        let run = contained(text, 10_000);
        assert!(run.budget_spent, "{text}");
        assert_eq!(run.code, 1, "{text}");
        assert!(!run.system_exit);
        assert!(run.report.ends_with(BUDGET_ERROR), "{text}\n---\n{}", run.report);
        assert!(run.report.contains("File \"budget.py\", line "), "{}", run.report);
    }
}

#[test]
fn instruction_budget_leaves_short_programs_alone() {
    let run = contained(
        "total = 0\nfor i in range(1000):\n    total += i\nassert total == 499500\n",
        100_000,
    );
    assert_eq!((run.code, run.budget_spent, run.report.as_str()), (0, false, ""));
    let run = contained("import sys\nsys.exit(3)\n", 100);
    assert_eq!((run.code, run.system_exit), (3, true));
    let run = contained("1 / 0\n", 100);
    assert_eq!(run.code, 1);
    assert!(
        run.report.ends_with("ZeroDivisionError: division by zero\n"),
        "{}",
        run.report
    );
    // A budget that is not reached changes nothing.
    let run = contained(
        "def f(n):\n    return n if n < 2 else f(n - 1) + f(n - 2)\nassert f(15) == 610\n",
        1 << 40,
    );
    assert_eq!((run.code, run.budget_spent), (0, false), "{}", run.report);
}

#[test]
fn instruction_budget_counts_under_the_old_gil() {
    // The old lock already counts instructions (its check interval); the budget rides on
    // the same tick.
    use gilsim::vm::interp::{InterpSettings, Interpreter};
    let src = SourceFile::new("old.py", "while True:\n    pass\n");
    let compiled = compile_source(&src, false).expect("compiles");
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(move || {
            let settings = InterpSettings {
                policy: gilsim::gil::Policy::Old,
                instruction_budget: Some(5_000),
                ..Default::default()
            };
            let interp = Interpreter::with_settings(
                vec!["old.py".into()],
                no_modules(),
                gilsim::vm::stdout::Stdout::new(Box::new(std::io::sink()), false),
                settings,
            );
            let mut vm = gilsim::vm::vm::Vm::new(interp.clone());
            vm.gil_take();
            let Err(err) = gilsim::driver::run_module_code(&mut vm, "__main__", &compiled) else {
                panic!("an infinite loop ended");
            };
            assert!(interp.budget_spent());
            let report = vm.format_exception(&err);
            assert!(
                report.ends_with("RuntimeError: instruction budget exhausted (5000 instructions)\n"),
                "{report}"
            );
            vm.end_thread();
        })
        .expect("thread")
        .join()
        .expect("no panic");
}

struct Outcome {
    code: Option<i32>,
    stderr: String,
    timed_out: bool,
}

fn run_file(path: &Path, timeout: Duration) -> Outcome {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gilsim"))
        .arg("run")
        .arg(path)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("gilsim starts");
    // Drain stderr while waiting, so a long report cannot fill the pipe and stall the child.
    let mut err_pipe = child.stderr.take().expect("piped stderr");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err_pipe.read_to_string(&mut s);
        s
    });
    let start = Instant::now();
    let mut timed_out = false;
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break Some(s);
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            timed_out = true;
            break None;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let stderr = reader.join().unwrap_or_default();
    Outcome {
        code: status.and_then(|s| s.code()),
        stderr,
        timed_out,
    }
}

fn write_temp(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gilsim-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write");
    p
}

/// A rejected input: exit code 1, no panic, and a location in the message.
fn assert_located_error(name: &str, bytes: &[u8]) {
    let p = write_temp(name, bytes);
    let o = run_file(&p, Duration::from_secs(60));
    assert!(!o.timed_out, "{name}: timed out");
    assert_eq!(o.code, Some(1), "{name}: exit code; stderr:\n{}", o.stderr);
    assert!(
        !o.stderr.contains("panicked") && !o.stderr.contains("internal error"),
        "{name}: {}",
        o.stderr
    );
    assert!(
        o.stderr.contains("line") || o.stderr.contains(".py:"),
        "{name}: no location in:\n{}",
        o.stderr
    );
}

#[test]
fn binary_garbage_is_a_located_error() {
    let bytes: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
    assert_located_error("garbage.py", &bytes);
}

#[test]
fn nul_bytes_are_a_located_error() {
    assert_located_error("nul.py", b"x = 1\ny = '\0'\n");
}

#[test]
fn deep_brackets_are_a_located_error() {
    let src = format!("x = {}1{}\n", "(".repeat(5000), ")".repeat(5000));
    assert_located_error("brackets.py", src.as_bytes());
}

#[test]
fn deep_unary_chain_is_a_located_error() {
    let src = format!("x = {}1\n", "-".repeat(200_000));
    assert_located_error("unary.py", src.as_bytes());
}

#[test]
fn unterminated_string_is_a_located_error() {
    assert_located_error("unterminated.py", b"print('hello)\n");
}

#[test]
fn ten_megabyte_file_runs() {
    let mut src = String::with_capacity(10 << 20);
    let mut i = 0;
    while src.len() < 10 << 20 {
        src.push_str(&format!("x{} = {} + {}\n", i % 1000, i, i * 2));
        i += 1;
    }
    src.push_str("print(x1)\n");
    let p = write_temp("big.py", src.as_bytes());
    let o = run_file(&p, Duration::from_secs(120));
    assert!(!o.timed_out, "a 10 MB file must not hang");
    assert_eq!(o.code, Some(0), "stderr:\n{}", o.stderr);
}

#[test]
fn deep_recursion_is_a_recursion_error_not_a_crash() {
    let p = write_temp(
        "recurse.py",
        b"import sys\nsys.setrecursionlimit(100000)\ndef f(n):\n    return f(n + 1)\nf(0)\n",
    );
    let o = run_file(&p, Duration::from_secs(60));
    assert_eq!(o.code, Some(1), "stderr:\n{}", o.stderr);
    assert!(
        o.stderr
            .trim_end()
            .ends_with("RecursionError: maximum recursion depth exceeded"),
        "{}",
        o.stderr
    );
}

#[test]
fn mutated_programs_run_without_panicking() {
    let progs = programs();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed as usize
    };
    for k in 0..40 {
        let text = mutate(&progs[next() % progs.len()], next() as u8, next(), next());
        let p = write_temp(&format!("mutated{k}.py"), text.as_bytes());
        let o = run_file(&p, Duration::from_secs(5));
        if o.timed_out {
            continue; // a mutation may loop forever; a hang detector belongs to --timeout
        }
        // Any exit status a program can ask for (sys.exit(n)) is fine; death by a signal
        // (a stack overflow or abort) is not.
        assert!(
            o.code.is_some(),
            "mutation {k} was killed by a signal:\n{text}\n---\n{}",
            o.stderr
        );
        assert!(
            !o.stderr.contains("panicked") && !o.stderr.contains("internal error"),
            "mutation {k}:\n{text}\n---\n{}",
            o.stderr
        );
    }
}
