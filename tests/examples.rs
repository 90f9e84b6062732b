//! Every program in examples/ runs under gilsim, and its lines that carry no timing equal
//! CPython's (when python3 is present).
//!
//! An example that must not run under CPython says so in a marker line:
//! `# gilsim-example: deadlock` — CPython would hang forever; under gilsim it must end
//! with a DeadlockError report (exit status 1).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Far beyond any example's run time: only a hang gets here.
const HANG: Duration = Duration::from_secs(120);

/// The example's `# gilsim-example: …` marker, if any.
fn marker(p: &Path) -> Option<String> {
    let text = std::fs::read_to_string(p).expect("example is readable");
    text.lines()
        .find_map(|l| l.strip_prefix("# gilsim-example:"))
        .map(|m| m.trim().to_string())
}

/// Runs `cmd` to completion, killing it if it is still running after `limit`.
fn output_within(mut cmd: Command, limit: Duration) -> Output {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the program starts");
    let mut out = child.stdout.take().expect("piped stdout");
    let mut err = child.stderr.take().expect("piped stderr");
    let out_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out.read_to_end(&mut v);
        v
    });
    let err_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        v
    });
    let start = Instant::now();
    let status = loop {
        if let Some(st) = child.try_wait().expect("wait for the program") {
            break st;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{:?} still running after {:?}: a hang", cmd, limit);
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: out_reader.join().unwrap_or_default(),
        stderr: err_reader.join().unwrap_or_default(),
    }
}

fn examples() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("examples/ exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().map(|x| x == "py").unwrap_or(false))
        .collect();
    v.sort();
    v
}

/// Lines that do not report a measured time (`0.41s`, `took 1.2s`): those differ per run.
fn deterministic_lines(out: &str) -> Vec<String> {
    out.lines()
        .filter(|l| {
            let b = l.as_bytes();
            !b.windows(2).enumerate().any(|(i, w)| {
                w[0].is_ascii_digit() && w[1] == b's' && (i + 2 >= b.len() || !b[i + 2].is_ascii_alphabetic())
            })
        })
        .map(|l| l.to_string())
        .collect()
}

fn python3_available() -> bool {
    Command::new("python3")
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

#[test]
fn examples_run_and_match_cpython() {
    let list = examples();
    assert!(list.len() >= 3, "examples/ should hold the course programs");
    let py = python3_available();
    for p in list {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_gilsim"));
        cmd.arg("run").arg(&p);
        let ours = output_within(cmd, HANG);
        let mark = marker(&p);
        assert!(
            matches!(mark.as_deref(), None | Some("deadlock")),
            "{}: unknown marker {:?}",
            p.display(),
            mark
        );
        if mark.as_deref() == Some("deadlock") {
            let stderr = String::from_utf8_lossy(&ours.stderr);
            assert_eq!(ours.status.code(), Some(1), "{}: {}", p.display(), stderr);
            assert!(
                stderr.lines().any(|l| l.starts_with("DeadlockError: ")),
                "{}: {}",
                p.display(),
                stderr
            );
            continue;
        }
        assert!(
            ours.status.success(),
            "{}: {}",
            p.display(),
            String::from_utf8_lossy(&ours.stderr)
        );
        if py {
            let mut cmd = Command::new("python3");
            cmd.arg(&p);
            let theirs = output_within(cmd, HANG);
            assert!(theirs.status.success(), "python3 {}", p.display());
            assert_eq!(
                deterministic_lines(&String::from_utf8_lossy(&ours.stdout)),
                deterministic_lines(&String::from_utf8_lossy(&theirs.stdout)),
                "{}",
                p.display()
            );
        }
    }
}

/// Each example opens with a comment saying what it shows and how to run it.
#[test]
fn examples_say_what_they_show_and_what_to_try() {
    for p in examples() {
        let text = std::fs::read_to_string(&p).expect("example is readable");
        let head: Vec<&str> = text.lines().take_while(|l| l.starts_with('#')).collect();
        assert!(head.len() >= 2, "{}: no opening comment", p.display());
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        assert!(
            head.iter().any(|l| l.contains("gilsim ") && l.contains(name)),
            "{}: the opening comment shows no gilsim command line for it",
            p.display()
        );
    }
}

#[test]
fn timing_lines_are_recognised() {
    assert_eq!(
        deterministic_lines("took 0.41s\n21097455.887\n4 tasks: 0.40s (about 0.4s)\nsets\n"),
        vec!["21097455.887", "sets"]
    );
}
