//! What the integration tests that drive the `gilsim` binary share: running it with a
//! hard kill timeout (a hang fails the test instead of hanging the suite) and writing
//! scripts to a temporary directory.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A run still going after this long is killed and fails: it hung.
pub const HANG: Duration = Duration::from_secs(120);

pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn success(&self) -> bool {
        self.code == Some(0)
    }

    /// Everything about the run, for assertion messages.
    pub fn dump(&self) -> String {
        format!(
            "exit code {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

pub fn gilsim() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gilsim"))
}

/// Writes `src` to a fresh file named `name` in this test binary's temporary directory.
pub fn script(name: &str, src: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gilsim-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let p = dir.join(name);
    // Tests run in parallel and may write the same script: write a private copy and
    // rename it into place, so that a run never reads a half-written file.
    let tmp = dir.join(format!(".{name}.{:?}.tmp", std::thread::current().id()));
    std::fs::write(&tmp, src).expect("write script");
    std::fs::rename(&tmp, &p).expect("rename script into place");
    p
}

/// Runs `gilsim ARGS…` with `stdin` as its input, killing it after [`HANG`].
pub fn run_with_input(args: &[&str], stdin: &str) -> Run {
    let mut child = gilsim()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start gilsim");
    let mut input = child.stdin.take().expect("stdin");
    let data = stdin.as_bytes().to_vec();
    let feeder = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let reader_out = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out.read_to_end(&mut s);
        s
    });
    let reader_err = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err.read_to_end(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > HANG {
            let _ = child.kill();
            let _ = child.wait();
            panic!("gilsim {args:?} hung: killed after {HANG:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let _ = feeder.join();
    Run {
        code: status.code(),
        stdout: String::from_utf8_lossy(&reader_out.join().unwrap_or_default()).into_owned(),
        stderr: String::from_utf8_lossy(&reader_err.join().unwrap_or_default()).into_owned(),
    }
}

pub fn run(args: &[&str]) -> Run {
    run_with_input(args, "")
}

/// SIGKILL to `pid`.
pub fn sigkill(pid: i32) {
    // SAFETY: kill(2) has no memory-safety preconditions.
    unsafe {
        libc::kill(pid, libc::SIGKILL);
    }
}

/// A process that exists and has not died (a zombie has died: only its entry remains).
pub fn running(pid: i32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => {
            let state = stat.rsplit(')').next().and_then(|r| r.split_whitespace().next());
            !matches!(state, Some("Z") | Some("X") | None)
        }
        Err(_) => false,
    }
}
