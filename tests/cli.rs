//! The command line from the outside: arguments, exit codes, and output streams.

use std::io::Read;
use std::process::{Command, Stdio};

fn gilsim() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gilsim"));
    c.env("NO_COLOR", "1");
    c
}

fn temp_script(name: &str, src: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("gilsim-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let p = dir.join(name);
    std::fs::write(&p, src).expect("write script");
    p
}

#[test]
fn program_arguments_reach_sys_argv() {
    let p = temp_script("argv.py", "import sys\nprint(sys.argv[1:])\n");
    let out = gilsim()
        .arg("run")
        .arg(&p)
        .args(["--", "a", "-b", "--c"])
        .output()
        .expect("runs");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "['a', '-b', '--c']\n");
    assert!(out.status.success());
}

#[test]
fn missing_file_is_exit_code_2_with_a_message() {
    let out = gilsim().args(["run", "/nonexistent/nope.py"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("can't open file") && err.contains("nope.py"), "{err}");
}

#[test]
fn uncaught_exception_goes_to_stderr_with_exit_code_1() {
    let p = temp_script("boom.py", "print('before')\ndef f():\n    return 1 // 0\nf()\n");
    let out = gilsim().arg("run").arg(&p).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "before\n");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("Traceback (most recent call last):\n"), "{err}");
    assert!(
        err.contains("line 4, in <module>") && err.contains("line 3, in f"),
        "{err}"
    );
    assert!(
        err.trim_end()
            .ends_with("ZeroDivisionError: integer division or modulo by zero"),
        "{err}"
    );
}

#[test]
fn sys_exit_code_is_the_process_exit_code() {
    let p = temp_script("exit.py", "import sys\nsys.exit(7)\n");
    let out = gilsim().arg("run").arg(&p).output().expect("runs");
    assert_eq!(out.status.code(), Some(7));
}

#[test]
fn check_reports_syntax_errors_without_running() {
    let good = temp_script("good.py", "print('never printed by check')\n");
    let out = gilsim().arg("check").arg(&good).output().expect("runs");
    assert!(out.status.success());
    assert!(out.stdout.is_empty(), "check must not run the program");
    let bad = temp_script("bad.py", "def f(:\n    pass\n");
    let out = gilsim().arg("check").arg(&bad).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.py:1:"), "location missing: {err}");
    assert!(
        err.trim_end().lines().last().unwrap_or("").starts_with("SyntaxError: "),
        "{err}"
    );
}

#[test]
fn dis_prints_instructions_with_source_lines() {
    let p = temp_script(
        "inc.py",
        "counter = 0\ndef inc():\n    global counter\n    counter += 1\n",
    );
    let out = gilsim().arg("dis").arg(&p).output().expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Disassembly of inc"), "{text}");
    assert!(text.contains("counter += 1"), "{text}");
    for op in ["LOAD_GLOBAL", "INPLACE_ADD", "STORE_GLOBAL"] {
        assert!(text.contains(op), "{op} missing:\n{text}");
    }
}

#[test]
fn closed_stdout_ends_the_run_quietly() {
    let p = temp_script("many.py", "i = 0\nwhile True:\n    print(i)\n    i += 1\n");
    let mut child = gilsim()
        .arg("run")
        .arg(&p)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    let mut first = [0u8; 4];
    child
        .stdout
        .as_mut()
        .expect("piped")
        .read_exact(&mut first)
        .expect("some output");
    drop(child.stdout.take());
    let status = child.wait().expect("exits once its reader is gone");
    let mut err = String::new();
    child
        .stderr
        .take()
        .expect("piped")
        .read_to_string(&mut err)
        .expect("stderr");
    assert_eq!(status.code(), Some(1), "a BrokenPipeError ends the run with status 1");
    assert!(!err.contains("panicked") && !err.contains("Traceback"), "{err}");
}
