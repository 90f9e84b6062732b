//! Standard output: a buffer in front of the OS stream, as CPython's sys.stdout
//! (a TextIOWrapper over an 8 KiB BufferedWriter, line-buffered on a terminal).
//!
//! Only the write to the OS ("the write behind print") gives up the interpreter lock, as
//! Modules/_io/bufferedio.c `_bufferedwriter_raw_write` does; appending to the buffer
//! does not. Two locks keep output ordered without ever blocking a lock holder on I/O:
//! `buf` is held only for short copies, `writer` only without the interpreter lock, and
//! `writer` is always taken while holding `buf` so flushes reach the OS in order.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

use parking_lot::Mutex;

use super::errors::os_error;
use super::types::exc;
use super::vm::Vm;
use super::{PyErr, PyResult};
use crate::gil::Release;

/// io.DEFAULT_BUFFER_SIZE
const BUFFER_SIZE: usize = 8192;

pub struct Stdout {
    buf: Mutex<Vec<u8>>,
    writer: Mutex<Box<dyn Write + Send>>,
    line_buffered: bool,
    /// Set once a write failed with a broken pipe: later output is dropped quietly.
    closed: AtomicBool,
    /// While set, output is kept in the buffer and not written (see `hold`).
    held: AtomicBool,
}

impl Stdout {
    pub fn new(writer: Box<dyn Write + Send>, line_buffered: bool) -> Stdout {
        Stdout {
            buf: Mutex::new(Vec::with_capacity(BUFFER_SIZE)),
            writer: Mutex::new(writer),
            line_buffered,
            closed: AtomicBool::new(false),
            held: AtomicBool::new(false),
        }
    }

    /// The process's standard output: line-buffered on a terminal, block-buffered otherwise.
    pub fn process() -> Stdout {
        use std::io::IsTerminal;
        let out = std::io::stdout();
        let tty = out.is_terminal();
        Stdout::new(Box::new(out), tty)
    }

    pub fn closed(&self) -> bool {
        self.closed.load(Ordering::Relaxed)
    }

    /// Appends `s`; true if the buffer must now go to the OS.
    fn append(&self, s: &str) -> bool {
        let mut buf = self.buf.lock();
        buf.extend_from_slice(s.as_bytes());
        !self.held.load(Ordering::Relaxed) && (buf.len() >= BUFFER_SIZE || (self.line_buffered && s.contains('\n')))
    }

    /// Keeps all output back until `release` (a worker importing the main script, which may
    /// turn out to be a fork-like start whose output a forked child would never produce).
    pub fn hold(&self) {
        self.held.store(true, Ordering::Relaxed);
    }

    /// Ends `hold`: what was kept back stays to be written, or is dropped with `keep` false.
    pub fn release(&self, keep: bool) {
        let mut buf = self.buf.lock();
        if !keep {
            buf.clear();
        }
        self.held.store(false, Ordering::Relaxed);
    }

    /// Writes the buffer to the OS. Never call with the interpreter lock held by a thread
    /// that other threads may need, except at start-up and shutdown.
    pub fn flush_to_os(&self) -> PyResult<()> {
        let mut buf = self.buf.lock();
        if self.held.load(Ordering::Relaxed) {
            return Ok(());
        }
        let mut w = self.writer.lock();
        let data = std::mem::take(&mut *buf);
        drop(buf);
        if self.closed() {
            return Err(broken_pipe());
        }
        let r = w.write_all(&data).and_then(|()| w.flush());
        match r {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                self.closed.store(true, Ordering::Relaxed);
                Err(broken_pipe())
            }
            Err(e) => Err(os_error(e.to_string())),
        }
    }

    /// The process is about to end from outside the program (`--timeout`, a second Ctrl-C):
    /// writes out what is buffered, if the stream can be had within `wait` (a thread may be
    /// stuck writing to a reader that has stopped reading), and keeps it, so that no thread
    /// writes after this.
    pub fn flush_for_exit(&self, wait: std::time::Duration) {
        let Some(mut buf) = self.buf.try_lock_for(wait) else {
            return;
        };
        let Some(mut w) = self.writer.try_lock_for(wait) else {
            return;
        };
        if !self.closed() {
            let data = std::mem::take(&mut *buf);
            let _ = w.write_all(&data).and_then(|()| w.flush());
        }
        // Held until the process exits: later output would land after gilsim's last words.
        std::mem::forget(w);
        std::mem::forget(buf);
    }

    /// Writes without giving up the interpreter lock (prompts, start-up and shutdown).
    pub fn write_holding_lock(&self, s: &str) -> PyResult<()> {
        if self.closed() {
            return Err(broken_pipe());
        }
        if self.append(s) {
            self.flush_to_os()?;
        }
        Ok(())
    }
}

impl Vm {
    /// Program output (print, sys.stdout.write). Raises BrokenPipeError once the reader has
    /// gone (`gilsim run x.py | head -1`), as CPython does; the driver then ends quietly.
    pub fn write_stdout(&mut self, s: &str) -> PyResult<()> {
        let interp = self.interp.clone();
        if interp.stdout.closed() {
            return Err(broken_pipe());
        }
        if interp.stdout.append(s) {
            self.flush_stdout()?;
        }
        Ok(())
    }

    /// Sends buffered output to the OS, without the interpreter lock.
    pub fn flush_stdout(&mut self) -> PyResult<()> {
        let interp = self.interp.clone();
        self.allow_threads(Release::Io, || interp.stdout.flush_to_os())
    }
}

#[cold]
fn broken_pipe() -> PyErr {
    PyErr::new(&exc().broken_pipe_error, "[Errno 32] Broken pipe")
}
