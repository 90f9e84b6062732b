//! The buffered layer (Modules/_io/bufferedio.c): a read-ahead buffer and a write buffer in
//! front of a descriptor, so a loop of small reads or writes does not make a system call
//! each. Every system call runs inside `Vm::allow_threads`; copying to and from the
//! buffers keeps the interpreter lock, as in CPython.
//!
//! One type serves BufferedReader, BufferedWriter and BufferedRandom (which switches
//! between reading and writing by flushing, or by rewinding the descriptor over read-ahead
//! it has not handed out), and, with `buffered` off, FileIO, where each call is one system
//! call. Errors are errnos; the caller turns them into exceptions.

use crate::gil::Release;
use crate::vm::vm::Vm;

use super::raw::{self, Fd};

/// A failed system call's errno.
pub(crate) type Errno = i32;

/// The most one read system call is asked for when a program asks for more (a
/// `read(2**62)` reads what there is, in pieces, instead of allocating 4 EiB up front).
const MAX_CHUNK: usize = 1 << 24;

pub(crate) struct FileCore {
    /// The descriptor; -1 once closed.
    pub fd: Fd,
    /// Close the descriptor with the object (`open(fd, closefd=False)` leaves it open).
    pub closefd: bool,
    /// O_APPEND: every write lands at the end, wherever the offset was.
    pub appending: bool,
    /// False for FileIO (`buffering=0`): no buffers at all.
    pub buffered: bool,
    pub buffer_size: usize,
    rbuf: Vec<u8>,
    /// How much of `rbuf` has been handed out.
    rpos: usize,
    wbuf: Vec<u8>,
    /// The descriptor's offset as last known; `None` means ask the OS
    /// (bufferedio.c's `abs_pos`).
    raw_pos: Option<i64>,
}

/// Runs one blocking system call without the interpreter lock.
fn sys<R>(vm: &mut Vm, call: impl FnOnce() -> R) -> R {
    vm.allow_threads(Release::Io, call)
}

impl FileCore {
    pub(crate) fn new(fd: Fd, closefd: bool, appending: bool, buffer_size: Option<usize>) -> FileCore {
        FileCore {
            fd,
            closefd,
            appending,
            buffered: buffer_size.is_some(),
            buffer_size: buffer_size.unwrap_or(0).max(1),
            rbuf: Vec::new(),
            rpos: 0,
            wbuf: Vec::new(),
            raw_pos: None,
        }
    }

    pub(crate) fn set_raw_pos(&mut self, pos: Option<i64>) {
        self.raw_pos = pos;
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.fd < 0
    }

    /// Read-ahead bytes not yet handed out.
    fn unconsumed(&self) -> usize {
        self.rbuf.len() - self.rpos
    }

    fn advance_raw_pos(&mut self, n: usize) {
        self.raw_pos = match self.raw_pos {
            Some(p) if !self.appending => p.checked_add(n as i64),
            _ => None,
        };
    }

    /// One read system call of up to `max` bytes.
    fn raw_read(&mut self, vm: &mut Vm, max: usize) -> Result<Vec<u8>, Errno> {
        let fd = self.fd;
        let mut buf = vec![0u8; max.min(MAX_CHUNK)];
        let n = sys(vm, || raw::read(fd, &mut buf))?;
        buf.truncate(n);
        self.advance_raw_pos(n);
        Ok(buf)
    }

    /// Reads to end of file, in growing pieces (FileIO.readall).
    fn raw_read_all(&mut self, vm: &mut Vm, out: &mut Vec<u8>) -> Result<(), Errno> {
        let mut chunk = self.buffer_size.max(8192);
        loop {
            let got = self.raw_read(vm, chunk)?;
            if got.is_empty() {
                return Ok(());
            }
            out.extend_from_slice(&got);
            chunk = (chunk * 2).min(MAX_CHUNK);
        }
    }

    /// Refills the read-ahead buffer with one system call; 0 at end of file.
    fn fill(&mut self, vm: &mut Vm) -> Result<usize, Errno> {
        self.rbuf.drain(..self.rpos);
        self.rpos = 0;
        let got = self.raw_read(vm, self.buffer_size)?;
        self.rbuf.extend_from_slice(&got);
        Ok(got.len())
    }

    /// Hands out up to `n` read-ahead bytes into `out`.
    fn take(&mut self, n: usize, out: &mut Vec<u8>) {
        let n = n.min(self.unconsumed());
        out.extend_from_slice(&self.rbuf[self.rpos..self.rpos + n]);
        self.rpos += n;
        if self.rpos == self.rbuf.len() {
            self.rbuf.clear();
            self.rpos = 0;
        }
    }

    /// Before reading: written data goes out first (BufferedRandom).
    fn prepare_read(&mut self, vm: &mut Vm) -> Result<(), Errno> {
        self.flush(vm)
    }

    /// Before writing: the descriptor moves back over read-ahead not handed out, so the
    /// write lands at the position the program sees (BufferedRandom).
    fn prepare_write(&mut self, vm: &mut Vm) -> Result<(), Errno> {
        let back = self.unconsumed();
        if back > 0 {
            let fd = self.fd;
            let pos = sys(vm, || raw::lseek(fd, -(back as i64), libc::SEEK_CUR))?;
            self.raw_pos = Some(pos);
        }
        self.rbuf.clear();
        self.rpos = 0;
        Ok(())
    }

    /// `read(n)`: up to `n` bytes, all of them unless end of file comes first (`None`: to
    /// the end). FileIO makes one system call instead.
    pub(crate) fn read(&mut self, vm: &mut Vm, n: Option<usize>) -> Result<Vec<u8>, Errno> {
        let mut out = Vec::new();
        if !self.buffered {
            return match n {
                None => self.raw_read_all(vm, &mut out).map(|()| out),
                Some(n) => self.raw_read(vm, n),
            };
        }
        self.prepare_read(vm)?;
        let Some(n) = n else {
            self.take(usize::MAX, &mut out);
            self.raw_read_all(vm, &mut out)?;
            return Ok(out);
        };
        self.take(n, &mut out);
        while out.len() < n {
            let want = n - out.len();
            if want >= self.buffer_size {
                // Large requests bypass the buffer (_bufferedreader_read_generic).
                let got = self.raw_read(vm, want)?;
                if got.is_empty() {
                    break;
                }
                out.extend_from_slice(&got);
            } else {
                if self.fill(vm)? == 0 {
                    break;
                }
                self.take(want, &mut out);
            }
        }
        Ok(out)
    }

    /// `read1(n)`: what is buffered, or else at most one system call (`None`: a buffer's
    /// worth). The text layer reads its chunks this way.
    pub(crate) fn read1(&mut self, vm: &mut Vm, n: Option<usize>) -> Result<Vec<u8>, Errno> {
        let n = n.unwrap_or(self.buffer_size);
        if !self.buffered {
            return self.raw_read(vm, n);
        }
        self.prepare_read(vm)?;
        let mut out = Vec::new();
        if n == 0 {
            return Ok(out);
        }
        if self.unconsumed() == 0 {
            if n > self.buffer_size {
                return self.raw_read(vm, n);
            }
            self.fill(vm)?;
        }
        self.take(n, &mut out);
        Ok(out)
    }

    /// `peek()`: buffered bytes without consuming them, filling the buffer if empty.
    pub(crate) fn peek(&mut self, vm: &mut Vm) -> Result<Vec<u8>, Errno> {
        self.prepare_read(vm)?;
        if self.unconsumed() == 0 {
            self.fill(vm)?;
        }
        Ok(self.rbuf[self.rpos..].to_vec())
    }

    /// `readline(limit)`: through the next b'\n', at most `limit` bytes.
    pub(crate) fn readline(&mut self, vm: &mut Vm, limit: Option<usize>) -> Result<Vec<u8>, Errno> {
        let mut out = Vec::new();
        let full = |out: &Vec<u8>| limit.is_some_and(|l| out.len() >= l);
        if !self.buffered {
            // FileIO has no buffer to look ahead in: a byte at a time, as IOBase.readline.
            while !full(&out) {
                let b = self.raw_read(vm, 1)?;
                let Some(&byte) = b.first() else { break };
                out.push(byte);
                if byte == b'\n' {
                    break;
                }
            }
            return Ok(out);
        }
        self.prepare_read(vm)?;
        while !full(&out) {
            let room = limit.map_or(usize::MAX, |l| l - out.len());
            let span = &self.rbuf[self.rpos..];
            let span = &span[..span.len().min(room)];
            let (newline, n) = (span.iter().position(|&b| b == b'\n'), span.len());
            if let Some(i) = newline {
                self.take(i + 1, &mut out);
                break;
            }
            self.take(n, &mut out);
            if full(&out) || self.fill(vm)? == 0 {
                break;
            }
        }
        Ok(out)
    }

    /// `write(data)`: buffered; returns how much was accepted (all of it, except for
    /// FileIO, whose one system call may write less).
    pub(crate) fn write(&mut self, vm: &mut Vm, data: &[u8]) -> Result<usize, Errno> {
        if !self.buffered {
            let fd = self.fd;
            let n = sys(vm, || raw::write(fd, data))?;
            self.advance_raw_pos(n);
            return Ok(n);
        }
        self.prepare_write(vm)?;
        // The fast path of _io__Buffered_write_impl: it fits, so just copy.
        if data.len() <= self.buffer_size.saturating_sub(self.wbuf.len()) {
            self.wbuf.extend_from_slice(data);
            return Ok(data.len());
        }
        self.flush(vm)?;
        if data.len() > self.buffer_size {
            self.write_through(vm, data)?;
        } else {
            self.wbuf.extend_from_slice(data);
        }
        Ok(data.len())
    }

    fn write_through(&mut self, vm: &mut Vm, data: &[u8]) -> Result<(), Errno> {
        let fd = self.fd;
        let r = sys(vm, || raw::write_all(fd, data));
        match r {
            Ok(()) => {
                self.advance_raw_pos(data.len());
                Ok(())
            }
            Err((done, e)) => {
                self.advance_raw_pos(done);
                Err(e)
            }
        }
    }

    /// Sends the write buffer to the OS. On failure the unwritten rest stays buffered.
    pub(crate) fn flush(&mut self, vm: &mut Vm) -> Result<(), Errno> {
        if self.wbuf.is_empty() {
            return Ok(());
        }
        let data = std::mem::take(&mut self.wbuf);
        let fd = self.fd;
        let r = sys(vm, || raw::write_all(fd, &data));
        match r {
            Ok(()) => {
                self.advance_raw_pos(data.len());
                Ok(())
            }
            Err((done, e)) => {
                self.advance_raw_pos(done);
                self.wbuf = data[done..].to_vec();
                Err(e)
            }
        }
    }

    fn raw_tell(&mut self, vm: &mut Vm) -> Result<i64, Errno> {
        if let (Some(p), true) = (self.raw_pos, self.buffered) {
            return Ok(p);
        }
        let fd = self.fd;
        let p = sys(vm, || raw::lseek(fd, 0, libc::SEEK_CUR))?;
        self.raw_pos = Some(p);
        Ok(p)
    }

    /// The position the program sees: the descriptor's, less read-ahead, plus what waits
    /// in the write buffer.
    pub(crate) fn tell(&mut self, vm: &mut Vm) -> Result<i64, Errno> {
        let raw = self.raw_tell(vm)?;
        let pos = raw
            .saturating_sub(self.unconsumed() as i64)
            .saturating_add(self.wbuf.len() as i64);
        Ok(pos.max(0))
    }

    /// `seek(offset, whence)`: the new position. Relative seeks count from the position
    /// the program sees, not the descriptor's.
    pub(crate) fn seek(&mut self, vm: &mut Vm, offset: i64, whence: libc::c_int) -> Result<i64, Errno> {
        self.flush(vm)?;
        let offset = if whence == libc::SEEK_CUR {
            offset.checked_sub(self.unconsumed() as i64).ok_or(libc::EINVAL)?
        } else {
            offset
        };
        let fd = self.fd;
        let pos = sys(vm, || raw::lseek(fd, offset, whence))?;
        self.rbuf.clear();
        self.rpos = 0;
        self.raw_pos = Some(pos);
        Ok(pos)
    }

    /// `truncate(size)`: the file's new size (the position does not move).
    pub(crate) fn truncate(&mut self, vm: &mut Vm, size: Option<i64>) -> Result<i64, Errno> {
        self.flush(vm)?;
        self.prepare_write(vm)?;
        let size = match size {
            Some(s) => s,
            None => self.tell(vm)?,
        };
        let fd = self.fd;
        sys(vm, || raw::ftruncate(fd, size))?;
        Ok(size)
    }

    /// Flushes and closes the descriptor (unless `closefd` is off). The object is closed
    /// afterwards even if that fails; the first error is returned.
    pub(crate) fn close(&mut self, vm: &mut Vm) -> Result<(), Errno> {
        if self.is_closed() {
            return Ok(());
        }
        let flushed = self.flush(vm);
        self.wbuf.clear();
        self.rbuf.clear();
        self.rpos = 0;
        let fd = std::mem::replace(&mut self.fd, -1);
        let closed = if self.closefd {
            sys(vm, || raw::close(fd))
        } else {
            Ok(())
        };
        flushed.and(closed)
    }

    /// Writes out the write buffer, then `more`, while holding whatever the caller holds:
    /// for finalizers and process exit, which have no interpreter to release. Errors are
    /// dropped, as in CPython's finalizers.
    pub(crate) fn flush_quietly(&mut self, more: &[u8]) {
        if self.fd < 0 || (self.wbuf.is_empty() && more.is_empty()) {
            return;
        }
        let back = self.unconsumed();
        if back > 0 && raw::lseek(self.fd, -(back as i64), libc::SEEK_CUR).is_ok() {
            self.rbuf.clear();
            self.rpos = 0;
        }
        let _ = raw::write_all(self.fd, &self.wbuf).and_then(|()| raw::write_all(self.fd, more));
        self.wbuf.clear();
    }
}

impl Drop for FileCore {
    /// A file dropped without `close()` is flushed and closed, as CPython's
    /// `iobase_finalize` does, so buffered output is not lost.
    fn drop(&mut self) {
        self.flush_quietly(&[]);
        if self.fd >= 0 && self.closefd {
            let _ = raw::close(self.fd);
        }
        self.fd = -1;
    }
}
