//! Conformance suite: every program under `tests/programs` is run by gilsim and its stdout,
//! normalized stderr and exit code are compared with expectations recorded from CPython 3.11
//! by `tests/record_expectations.py`.
//!
//! * `conformance_programs` runs gilsim (set `GILSIM_CONFORMANCE_FILTER=substring` to run a
//!   subset, `GILSIM_CONFORMANCE_JOBS=n` to change the number of parallel runs).
//! * `expectations_match_cpython` re-runs CPython (when `python3` 3.11 is on PATH) so the
//!   committed expectations cannot drift from the real thing.
//! * `suite_is_big_enough` guards the size and integrity of the suite.
//!
//! `normalize_stderr` must stay identical to the function of the same name in
//! `tests/record_expectations.py`.

use std::collections::VecDeque;
use std::ffi::OsStr;
use std::fmt::Write as _;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// Per-program wall-clock limit; a program still running after this is killed and fails.
const TIMEOUT: Duration = Duration::from_secs(20);
const TRACEBACK_HEADER: &str = "Traceback (most recent call last):";
const FILTER_VAR: &str = "GILSIM_CONFORMANCE_FILTER";
const JOBS_VAR: &str = "GILSIM_CONFORMANCE_JOBS";
const MIN_PROGRAMS: usize = 80;
const MIN_ERROR_PROGRAMS: usize = 15;
/// Lines of context shown before the first difference, and lines shown after it.
const DIFF_CONTEXT: usize = 2;
const DIFF_WINDOW: usize = 6;

// ---------------------------------------------------------------------------------------
// Normalization (mirror of record_expectations.normalize_stderr)
// ---------------------------------------------------------------------------------------

/// Reduce a stderr dump to the parts gilsim must reproduce exactly.
///
/// Lines are split on `\n` (a trailing `\r` is dropped from each line).
///
/// * Runtime traceback (some line is exactly `Traceback (most recent call last):`):
///   a line `  File "<path>", line N, in NAME` becomes `line N, in NAME` (frames of the
///   standard library, a path under `<gilsim>/`, `<frozen …>` or containing `/lib/python3.`,
///   are dropped); every other line
///   that is empty or starts with a space or tab is dropped (source text, `^^^^` carets,
///   `[Previous line repeated N more times]`); all remaining lines are kept (the
///   `Traceback` headers, the final exception line(s), chaining messages).
/// * Anything else (syntax errors, `raise SystemExit("msg")`): only the last non-blank line.
///
/// The result is the kept lines, each followed by `\n`.
fn normalize_stderr(stderr: &str) -> String {
    let lines: Vec<&str> = stderr
        .split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
        .collect();
    let mut kept: Vec<String> = Vec::new();
    if lines.iter().any(|line| *line == TRACEBACK_HEADER) {
        for line in &lines {
            if let Some(location) = parse_file_line(line) {
                if !location.is_empty() {
                    kept.push(location);
                }
            } else if line.is_empty() || line.starts_with(' ') || line.starts_with('\t') {
                continue;
            } else {
                kept.push((*line).to_string());
            }
        }
    } else if let Some(last) = lines.iter().rev().find(|line| !line.trim().is_empty()) {
        kept.push((*last).to_string());
    }
    kept.into_iter().map(|line| line + "\n").collect()
}

/// Matches `^  File "(.*?)", line (\d+), in (.*)$` and returns `line N, in NAME`, or an
/// empty string for a frame of the standard library.
fn parse_file_line(line: &str) -> Option<String> {
    let rest = line.strip_prefix("  File \"")?;
    if let Some(at) = rest.find("\", line ") {
        let path = &rest[..at];
        if path.starts_with("<gilsim>/") || path.starts_with("<frozen ") || path.contains("/lib/python3.") {
            return Some(String::new());
        }
    }
    const MARK: &str = "\", line ";
    for (at, _) in rest.match_indices(MARK) {
        let after = &rest[at + MARK.len()..];
        let digits_len = after.bytes().take_while(u8::is_ascii_digit).count();
        if digits_len == 0 {
            continue;
        }
        if let Some(name) = after[digits_len..].strip_prefix(", in ") {
            return Some(format!("line {}, in {}", &after[..digits_len], name));
        }
    }
    None
}

// ---------------------------------------------------------------------------------------
// Programs and expectations
// ---------------------------------------------------------------------------------------

fn programs_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("programs")
}

/// Every `.py` under `tests/programs`, sorted by path.
fn all_programs() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let entries = fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension() == Some(OsStr::new("py")) {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&programs_root(), &mut out);
    out.sort();
    out
}

fn relative_name(program: &Path) -> String {
    program
        .strip_prefix(programs_root())
        .unwrap_or(program)
        .to_string_lossy()
        .replace('\\', "/")
}

fn selected_programs() -> Vec<PathBuf> {
    let filter = std::env::var(FILTER_VAR).unwrap_or_default();
    all_programs()
        .into_iter()
        .filter(|p| filter.is_empty() || relative_name(p).contains(&filter))
        .collect()
}

#[derive(Debug, Clone, PartialEq)]
struct Observed {
    stdout: String,
    /// Already normalized.
    stderr: String,
    code: i32,
}

/// The committed expectation files of a program (`.out` must exist; `.err`/`.code` optional).
fn expected_for(program: &Path) -> Result<Observed, String> {
    let out_path = program.with_extension("out");
    let stdout = fs::read_to_string(&out_path).map_err(|e| {
        format!(
            "cannot read {}: {e} (record it with `python3 tests/record_expectations.py`)",
            out_path.display()
        )
    })?;
    let stderr = fs::read_to_string(program.with_extension("err")).unwrap_or_default();
    let code = match fs::read_to_string(program.with_extension("code")) {
        Ok(text) => text
            .trim()
            .parse::<i32>()
            .map_err(|e| format!("bad exit code file for {}: {e}", program.display()))?,
        Err(_) => 0,
    };
    Ok(Observed { stdout, stderr, code })
}

// ---------------------------------------------------------------------------------------
// Running a process with a timeout
// ---------------------------------------------------------------------------------------

/// Runs `command` to completion (or kills it after `TIMEOUT`); stdout and stderr are drained
/// on their own threads so a chatty program cannot block on a full pipe.
fn run_with_timeout(mut command: Command, timeout: Duration) -> Result<Observed, String> {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().map_err(|e| format!("cannot start {command:?}: {e}"))?;
    let drain = |mut pipe: Box<dyn Read + Send>| {
        thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            bytes
        })
    };
    let stdout_reader = drain(Box::new(child.stdout.take().expect("piped stdout")));
    let stderr_reader = drain(Box::new(child.stderr.take().expect("piped stderr")));
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() >= timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("timed out after {:.1} s (killed)", timeout.as_secs_f64()));
            }
            Ok(None) => thread::sleep(Duration::from_millis(5)),
            Err(e) => {
                let _ = child.kill();
                return Err(format!("waiting for the process failed: {e}"));
            }
        }
    };
    let stdout = stdout_reader.join().expect("stdout reader");
    let stderr = stderr_reader.join().expect("stderr reader");
    let code = status.code().unwrap_or_else(|| {
        // Killed by a signal (a crash): report it as an impossible exit code.
        -1
    });
    Ok(Observed {
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: normalize_stderr(&String::from_utf8_lossy(&stderr)),
        code,
    })
}

fn program_dir_and_name(program: &Path) -> (&Path, &OsStr) {
    (
        program.parent().expect("program has a folder"),
        program.file_name().expect("program has a file name"),
    )
}

fn run_gilsim(program: &Path) -> Result<Observed, String> {
    let (dir, name) = program_dir_and_name(program);
    let mut command = Command::new(env!("CARGO_BIN_EXE_gilsim"));
    command.arg("run").arg(name).current_dir(dir).env("NO_COLOR", "1");
    run_with_timeout(command, TIMEOUT)
}

/// Environment variables that change what CPython prints or where it imports from; the
/// recording script removes the same ones.
const SCRUBBED_PYTHON_VARS: &[&str] = &[
    "PYTHONPATH",
    "PYTHONSTARTUP",
    "PYTHONWARNINGS",
    "PYTHONINSPECT",
    "PYTHONOPTIMIZE",
    "PYTHONIOENCODING",
    "PYTHONUTF8",
    "PYTHONSAFEPATH",
];

fn run_cpython(program: &Path) -> Result<Observed, String> {
    let (dir, name) = program_dir_and_name(program);
    let mut command = Command::new("python3");
    command.arg("-X").arg("utf8").arg(name).current_dir(dir);
    for var in SCRUBBED_PYTHON_VARS {
        command.env_remove(var);
    }
    command.env("PYTHONHASHSEED", "0").env("PYTHONDONTWRITEBYTECODE", "1");
    run_with_timeout(command, TIMEOUT)
}

// ---------------------------------------------------------------------------------------
// Comparison and reporting
// ---------------------------------------------------------------------------------------

fn shorten(line: &str) -> String {
    const MAX: usize = 200;
    if line.chars().count() > MAX {
        let cut: String = line.chars().take(MAX).collect();
        format!("{cut}…")
    } else {
        line.to_string()
    }
}

/// A unified-diff-like excerpt around the first line where `expected` and `actual` differ.
fn diff_excerpt(what: &str, expected: &str, actual: &str) -> String {
    // Lines keep their '\n' so that a missing final newline is a visible difference too.
    let exp: Vec<&str> = expected.split_inclusive('\n').collect();
    let act: Vec<&str> = actual.split_inclusive('\n').collect();
    let first = (0..exp.len().max(act.len()))
        .find(|&i| exp.get(i) != act.get(i))
        .unwrap_or(0);
    // When the differing lines look the same, show them escaped (whitespace, \r, ...).
    let invisible = match (exp.get(first), act.get(first)) {
        (Some(e), Some(a)) => e.trim_end() == a.trim_end(),
        _ => false,
    };
    let show = |line: &str| match line.strip_suffix('\n') {
        Some(body) if invisible => format!("{body:?}"),
        Some(body) => shorten(body),
        None => format!(
            "{} (no newline at end)",
            if invisible { format!("{line:?}") } else { shorten(line) }
        ),
    };
    let mut text = String::new();
    let _ = writeln!(text, "    --- expected {what}");
    let _ = writeln!(text, "    +++ actual {what}");
    let _ = writeln!(text, "    @@ first difference at line {} @@", first + 1);
    for line in &exp[first.saturating_sub(DIFF_CONTEXT)..first.min(exp.len())] {
        let _ = writeln!(text, "     {}", show(line));
    }
    let side = |text: &mut String, sign: char, lines: &[&str]| {
        let shown = lines.iter().skip(first).take(DIFF_WINDOW);
        for line in shown {
            let _ = writeln!(text, "    {sign}{}", show(line));
        }
        if lines.len() <= first {
            let _ = writeln!(text, "    {sign}<end of output>");
        } else if lines.len() > first + DIFF_WINDOW {
            let _ = writeln!(text, "    {sign}… ({} more lines)", lines.len() - first - DIFF_WINDOW);
        }
    };
    side(&mut text, '-', &exp);
    side(&mut text, '+', &act);
    text
}

/// Empty if `actual` matches `expected`, else a readable explanation.
fn compare(expected: &Observed, actual: &Observed) -> String {
    let mut report = String::new();
    if expected.stdout != actual.stdout {
        report += &diff_excerpt("stdout", &expected.stdout, &actual.stdout);
    }
    if expected.stderr != actual.stderr {
        report += &diff_excerpt("stderr (normalized)", &expected.stderr, &actual.stderr);
    }
    if expected.code != actual.code {
        let _ = writeln!(report, "    exit code: expected {}, got {}", expected.code, actual.code);
    }
    report
}

/// Checks every program with `run` on a few worker threads; returns (passed, failure reports)
/// in program order.
fn check_all(programs: &[PathBuf], run: fn(&Path) -> Result<Observed, String>) -> (usize, Vec<String>) {
    let jobs = std::env::var(JOBS_VAR)
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or_else(|| thread::available_parallelism().map_or(2, |n| n.get()).min(4))
        .max(1);
    let queue: Arc<Mutex<VecDeque<(usize, PathBuf)>>> =
        Arc::new(Mutex::new(programs.iter().cloned().enumerate().collect()));
    let results: Arc<Mutex<Vec<(usize, String)>>> = Arc::new(Mutex::new(Vec::new()));
    let workers: Vec<_> = (0..jobs)
        .map(|_| {
            let queue = Arc::clone(&queue);
            let results = Arc::clone(&results);
            thread::spawn(move || loop {
                let Some((index, program)) = queue.lock().unwrap().pop_front() else {
                    break;
                };
                let report = match (expected_for(&program), run(&program)) {
                    (Err(e), _) | (_, Err(e)) => format!("    {e}\n"),
                    (Ok(expected), Ok(actual)) => compare(&expected, &actual),
                };
                results.lock().unwrap().push((index, report));
            })
        })
        .collect();
    for worker in workers {
        worker.join().expect("worker thread panicked");
    }
    let mut results = Arc::try_unwrap(results).unwrap().into_inner().unwrap();
    results.sort_by_key(|(index, _)| *index);
    let mut passed = 0;
    let mut failures = Vec::new();
    for (index, report) in results {
        if report.is_empty() {
            passed += 1;
        } else {
            failures.push(format!("FAIL {}\n{report}", relative_name(&programs[index])));
        }
    }
    (passed, failures)
}

fn finish(title: &str, passed: usize, failures: Vec<String>) {
    let summary = format!("{title}: {passed} passed, {} failed", failures.len());
    if failures.is_empty() {
        println!("{summary}");
        return;
    }
    panic!("\n{}\n{summary}\n", failures.join("\n"));
}

// ---------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------

#[test]
fn conformance_programs() {
    let programs = selected_programs();
    assert!(
        !programs.is_empty(),
        "no programs selected (check {FILTER_VAR}={:?})",
        std::env::var(FILTER_VAR).unwrap_or_default()
    );
    let (passed, failures) = check_all(&programs, run_gilsim);
    finish("gilsim conformance", passed, failures);
}

/// `Some("3.11.7")` if `python3 --version` runs successfully.
fn python3_version() -> Option<String> {
    let output = Command::new("python3").arg("--version").output().ok()?;
    if !output.status.success() {
        return None;
    }
    // Old Pythons print the version on stderr.
    let text = String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
    Some(text.trim().trim_start_matches("Python ").to_string())
}

#[test]
fn expectations_match_cpython() {
    let Some(version) = python3_version() else {
        println!("skipped: python3 is not on PATH");
        return;
    };
    if !version.starts_with("3.11.") {
        // Error messages and tracebacks change between minor versions.
        println!("skipped: expectations were recorded with CPython 3.11, python3 is {version}");
        return;
    }
    let programs = selected_programs();
    let (passed, failures) = check_all(&programs, run_cpython);
    finish(
        "CPython vs committed expectations (re-record with `python3 tests/record_expectations.py`)",
        passed,
        failures,
    );
}

#[test]
fn suite_is_big_enough() {
    let programs = all_programs();
    let errors = programs.iter().filter(|p| p.with_extension("code").is_file()).count();
    let missing: Vec<String> = programs
        .iter()
        .filter(|p| !p.with_extension("out").is_file())
        .map(|p| relative_name(p))
        .collect();
    assert!(missing.is_empty(), "programs without a recorded .out: {missing:?}");
    assert!(
        programs.len() >= MIN_PROGRAMS,
        "only {} programs, want at least {MIN_PROGRAMS}",
        programs.len()
    );
    assert!(
        errors >= MIN_ERROR_PROGRAMS,
        "only {errors} error-case programs (with a .code file), want at least {MIN_ERROR_PROGRAMS}"
    );
    println!("{} programs, {errors} error cases", programs.len());
}

#[test]
fn normalize_stderr_examples() {
    let traceback = "Traceback (most recent call last):\n\
        \x20 File \"/tmp/x/deep.py\", line 24, in <module>\n\
        \x20   main()\n\
        \x20 File \"/tmp/x/deep.py\", line 8, in load\n\
        \x20   raise ConfigError(f\"cannot load {name!r}\")\n\
        \x20   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n\
        \x20 [Previous line repeated 996 more times]\n\
        ConfigError: cannot load 'bad'\n";
    assert_eq!(
        normalize_stderr(traceback),
        "Traceback (most recent call last):\nline 24, in <module>\nline 8, in load\n\
         ConfigError: cannot load 'bad'\n"
    );
    let chained = "Traceback (most recent call last):\r\n  File \"a.py\", line 4, in parse\r\n\
        ValueError: bad\r\n\r\nThe above exception was the direct cause of the following exception:\r\n\
        \r\nTraceback (most recent call last):\r\n  File \"a.py\", line 6, in parse\r\nRuntimeError: x\r\n";
    assert_eq!(
        normalize_stderr(chained),
        "Traceback (most recent call last):\nline 4, in parse\nValueError: bad\n\
         The above exception was the direct cause of the following exception:\n\
         Traceback (most recent call last):\nline 6, in parse\nRuntimeError: x\n"
    );
    // Standard-library frames differ between the two interpreters and are left out.
    let thread_exc = "Exception in thread Thread-1 (boom):\nTraceback (most recent call last):\n\
        \x20 File \"/usr/lib/python3.11/threading.py\", line 1045, in _bootstrap_inner\n\
        \x20 File \"<gilsim>/threading.py\", line 480, in run\n\
        \x20 File \"<frozen codecs>\", line 322, in decode\n\
        \x20 File \"/tmp/t.py\", line 3, in boom\n\
        ValueError: bad\n";
    assert_eq!(
        normalize_stderr(thread_exc),
        "Exception in thread Thread-1 (boom):\nTraceback (most recent call last):\n\
         line 3, in boom\nValueError: bad\n"
    );
    let syntax = "  File \"/p/s.py\", line 2\n    if x\n        ^\nSyntaxError: expected ':'\n";
    assert_eq!(normalize_stderr(syntax), "SyntaxError: expected ':'\n");
    assert_eq!(normalize_stderr("fatal: config\n\n"), "fatal: config\n");
    assert_eq!(normalize_stderr(""), "");
    assert_eq!(
        parse_file_line("  File \"x\", line 3, in f"),
        Some("line 3, in f".into())
    );
    assert_eq!(parse_file_line("  File \"x\", line 3"), None);
    assert_eq!(parse_file_line("File \"x\", line 3, in f"), None);
}

#[cfg(unix)]
#[test]
fn timeout_kills_a_hung_process() {
    let mut command = Command::new("sleep");
    command.arg("30");
    let started = Instant::now();
    let result = run_with_timeout(command, Duration::from_millis(200));
    assert!(result.unwrap_err().contains("timed out"));
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "the hung process was not killed"
    );
}

#[test]
fn diff_excerpt_shows_first_difference() {
    let report = diff_excerpt("stdout", "a\nb\nc\n", "a\nB\nc\n");
    assert!(report.contains("first difference at line 2"), "{report}");
    assert!(report.contains("    -b\n") && report.contains("    +B\n"), "{report}");
    let report = diff_excerpt("stdout", "x\n", "x");
    assert!(report.contains(r#"+"x" (no newline at end)"#), "{report}");
    let report = diff_excerpt("stdout", "x\n", "");
    assert!(report.contains("+<end of output>"), "{report}");
}
