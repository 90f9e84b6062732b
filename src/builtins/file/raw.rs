//! System calls on file descriptors (what Modules/_io/fileio.c and Modules/posixmodule.c
//! call). Each returns the errno on failure and retries on EINTR as CPython's `_Py_read`
//! and `_Py_write` do.
//!
//! None of these touch Python objects, so callers run them inside `Vm::allow_threads`:
//! every read, write, open, close and seek happens without the interpreter lock.
//!
//! Descriptors are plain integers chosen by the program (`os.read(fd, n)`). Passing any
//! integer to these calls is memory-safe: the kernel validates it and answers EBADF. What
//! the program does to descriptors it does not own (closing 1, say) is its business, as
//! in CPython.

use std::ffi::CStr;

use super::errors::last_errno;

pub(crate) type Fd = libc::c_int;

/// The largest count one read(2)/write(2) is asked for (Linux transfers at most
/// 0x7ffff000 bytes per call anyway; CPython caps at `_PY_READ_MAX`).
const MAX_IO: usize = 0x7fff_f000;

/// Calls `f` until it does not fail with EINTR.
fn retry<T>(mut f: impl FnMut() -> Result<T, i32>) -> Result<T, i32> {
    loop {
        match f() {
            Err(libc::EINTR) => continue,
            r => return r,
        }
    }
}

/// `open(2)` with mode 0o666 (less the umask), as FileIO does; O_CLOEXEC is added because
/// CPython's descriptors are non-inheritable (PEP 446).
pub(crate) fn open(path: &CStr, flags: libc::c_int) -> Result<Fd, i32> {
    retry(|| {
        // SAFETY: `path` is a valid NUL-terminated string borrowed for the whole call;
        // open(2) reads it and keeps no reference.
        let fd = unsafe { libc::open(path.as_ptr(), flags | libc::O_CLOEXEC, 0o666 as libc::c_uint) };
        if fd < 0 {
            Err(last_errno())
        } else {
            Ok(fd)
        }
    })
}

/// One `read(2)` into `buf`; 0 means end of file.
pub(crate) fn read(fd: Fd, buf: &mut [u8]) -> Result<usize, i32> {
    let len = buf.len().min(MAX_IO);
    retry(|| {
        // SAFETY: `buf` is exclusively borrowed and valid for `len <= buf.len()` bytes, so
        // the kernel writes only inside it.
        let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), len) };
        if n < 0 {
            Err(last_errno())
        } else {
            Ok(n as usize)
        }
    })
}

/// One `write(2)` of (a prefix of) `buf`; returns how much was written.
pub(crate) fn write(fd: Fd, buf: &[u8]) -> Result<usize, i32> {
    let len = buf.len().min(MAX_IO);
    retry(|| {
        // SAFETY: `buf` is borrowed and valid for `len <= buf.len()` bytes; write(2) only
        // reads from it.
        let n = unsafe { libc::write(fd, buf.as_ptr().cast(), len) };
        if n < 0 {
            Err(last_errno())
        } else {
            Ok(n as usize)
        }
    })
}

/// Writes all of `buf`. On failure, returns how much had been written and the errno.
pub(crate) fn write_all(fd: Fd, buf: &[u8]) -> Result<(), (usize, i32)> {
    let mut done = 0;
    while done < buf.len() {
        match write(fd, &buf[done..]) {
            Ok(0) => return Err((done, libc::EIO)),
            Ok(n) => done += n,
            Err(e) => return Err((done, e)),
        }
    }
    Ok(())
}

/// `lseek(2)`: the new offset.
pub(crate) fn lseek(fd: Fd, offset: i64, whence: libc::c_int) -> Result<i64, i32> {
    // SAFETY: lseek takes plain integers and touches no memory of ours.
    let r = unsafe { libc::lseek(fd, offset as libc::off_t, whence) };
    if r < 0 {
        Err(last_errno())
    } else {
        Ok(r as i64)
    }
}

/// `close(2)`. Not retried on EINTR: Linux releases the descriptor even then, and a retry
/// could close a descriptor another thread just opened.
pub(crate) fn close(fd: Fd) -> Result<(), i32> {
    // SAFETY: close takes a plain integer and touches no memory of ours.
    if unsafe { libc::close(fd) } < 0 {
        match last_errno() {
            libc::EINTR => Ok(()),
            e => Err(e),
        }
    } else {
        Ok(())
    }
}

/// What FileIO wants from `fstat(2)`.
pub(crate) struct Stat {
    pub is_dir: bool,
    /// The preferred I/O size (`st_blksize`), the default buffer size.
    pub blksize: usize,
}

pub(crate) fn fstat(fd: Fd) -> Result<Stat, i32> {
    // SAFETY: an all-zero `stat` is a valid value of this plain C struct.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: `st` is exclusively borrowed and fstat writes only into it.
    if unsafe { libc::fstat(fd, &mut st) } < 0 {
        return Err(last_errno());
    }
    Ok(Stat {
        is_dir: st.st_mode & libc::S_IFMT == libc::S_IFDIR,
        blksize: usize::try_from(st.st_blksize).unwrap_or(0),
    })
}

pub(crate) fn isatty(fd: Fd) -> bool {
    // SAFETY: isatty takes a plain integer and touches no memory of ours.
    unsafe { libc::isatty(fd) == 1 }
}

pub(crate) fn ftruncate(fd: Fd, len: i64) -> Result<(), i32> {
    retry(|| {
        // SAFETY: ftruncate takes plain integers and touches no memory of ours.
        if unsafe { libc::ftruncate(fd, len as libc::off_t) } < 0 {
            Err(last_errno())
        } else {
            Ok(())
        }
    })
}

/// `pipe2(O_CLOEXEC)`: (read end, write end), non-inheritable as in CPython.
pub(crate) fn pipe() -> Result<(Fd, Fd), i32> {
    let mut fds: [libc::c_int; 2] = [-1, -1];
    // SAFETY: `fds` is an exclusively borrowed array of the two ints pipe2 writes.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } < 0 {
        return Err(last_errno());
    }
    Ok((fds[0], fds[1]))
}

/// `unlink(2)`.
pub(crate) fn unlink(path: &CStr) -> Result<(), i32> {
    // SAFETY: `path` is a valid NUL-terminated string borrowed for the call.
    if unsafe { libc::unlink(path.as_ptr()) } < 0 {
        Err(last_errno())
    } else {
        Ok(())
    }
}
