//! Running a benchmark program as a child process with a time limit, so that a workload
//! that hangs ends the benchmark with an error instead of hanging it.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long one benchmark program may run.
pub const LIMIT: Duration = Duration::from_secs(300);

/// Starts `cmd` with piped output and waits for it, killing it after `limit`.
pub fn output_within(cmd: &mut Command, limit: Duration) -> Result<Output, String> {
    let child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start: {e}"))?;
    wait_within(child, limit)
}

/// Reads a pipe to its end on its own thread, so a chatty child cannot block on a full pipe.
fn drain(pipe: Option<Box<dyn Read + Send>>) -> JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(mut p) = pipe {
            let _ = p.read_to_end(&mut buf);
        }
        buf
    })
}

/// Waits for a started child (its stdout and stderr piped), killing it after `limit`.
pub fn wait_within(child: Child, limit: Duration) -> Result<Output, String> {
    wait_within_lines(child, limit, |_| {})
}

/// Waits for a started child (its stdout and stderr piped), killing it after `limit`, and
/// hands each line of its stdout (without the newline) to `on_line` as soon as it arrives,
/// on the calling thread — for a progress display.
pub fn wait_within_lines(mut child: Child, limit: Duration, mut on_line: impl FnMut(&str)) -> Result<Output, String> {
    let (tx, rx) = mpsc::channel::<Vec<u8>>();
    let out_pipe = child.stdout.take();
    let reader = std::thread::spawn(move || {
        if let Some(p) = out_pipe {
            let mut r = BufReader::new(p);
            loop {
                let mut line = Vec::new();
                match r.read_until(b'\n', &mut line) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {
                        if tx.send(line).is_err() {
                            break;
                        }
                    }
                }
            }
        }
    });
    let err = drain(child.stderr.take().map(|p| Box::new(p) as Box<dyn Read + Send>));
    let mut stdout = Vec::new();
    let mut take = |line: Vec<u8>, stdout: &mut Vec<u8>| {
        let text = String::from_utf8_lossy(&line);
        on_line(text.trim_end_matches(['\n', '\r']));
        stdout.extend_from_slice(&line);
    };
    let deadline = Instant::now() + limit;
    let status = loop {
        match rx.recv_timeout(Duration::from_millis(5)) {
            Ok(line) => {
                take(line, &mut stdout);
                continue;
            }
            Err(RecvTimeoutError::Timeout) => {}
            // Stdout closed before the child ended: poll its status at the same pace.
            Err(RecvTimeoutError::Disconnected) => std::thread::sleep(Duration::from_millis(5)),
        }
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => {}
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("still running after {} s: killed", limit.as_secs()));
            }
            Err(e) => return Err(format!("cannot wait for the program: {e}")),
        }
    };
    // What the child wrote just before it ended.
    for line in rx.iter() {
        take(line, &mut stdout);
    }
    let _ = reader.join();
    Ok(Output {
        status,
        stdout,
        stderr: err.join().unwrap_or_default(),
    })
}
