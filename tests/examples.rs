//! Every program in examples/ runs under gilsim, and its lines that carry no timing equal
//! CPython's (when python3 is present).

use std::path::PathBuf;
use std::process::Command;

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
        let ours = Command::new(env!("CARGO_BIN_EXE_gilsim"))
            .arg("run")
            .arg(&p)
            .output()
            .expect("gilsim runs");
        assert!(
            ours.status.success(),
            "{}: {}",
            p.display(),
            String::from_utf8_lossy(&ours.stderr)
        );
        if py {
            let theirs = Command::new("python3").arg(&p).output().expect("python3 runs");
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

#[test]
fn timing_lines_are_recognised() {
    assert_eq!(
        deterministic_lines("took 0.41s\n21097455.887\n4 tasks: 0.40s (about 0.4s)\nsets\n"),
        vec!["21097455.887", "sets"]
    );
}
