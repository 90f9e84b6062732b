//! The descriptors under `multiprocessing.Pipe` and `multiprocessing.Queue` (part of
//! `_gilsim_process`): framed values over a socket pair or a pipe, and a lock file for a
//! queue's readers and writers.
//!
//! A descriptor reaches a child by inheritance: `Process.start()` names the descriptors
//! its arguments hold, the child keeps them under the same numbers, and the `Connection` /
//! `Queue` objects travel as plain instances carrying those numbers. Each also carries the
//! descriptor's inode, checked before every use, so a number that means something else in
//! this process (an end passed to a pool worker, which inherited nothing) is an error
//! rather than a write to an unrelated file.
//!
//! Queue locks are POSIX record locks (`fcntl(F_SETLKW)`), which belong to a process, so
//! they exclude other processes even though all of them share one open file; threads of
//! one process exclude each other with a `threading.Lock` in Python.

use std::fs::File;
use std::io;
use std::mem::ManuallyDrop;
use std::os::fd::{FromRawFd, RawFd};
use std::time::Duration;

use super::arity;
use crate::builtins::args::param;
use crate::gil::Release;
use crate::process::codec::{decode, encode, Wire};
use crate::process::protocol::{read_frame, write_frame};
use crate::process::spin::wait_readable;
use crate::vm::errors::{type_error, PyErr};
use crate::vm::objects::{Args, BuiltinFunction};
use crate::vm::ops::as_f64;
use crate::vm::types::{exc, type_name};
use crate::vm::value::Value;
use crate::vm::vm::Vm;
use crate::vm::PyResult;

macro_rules! builtin {
    ($static:ident, $name:literal, $f:ident) => {
        pub(super) static $static: BuiltinFunction = BuiltinFunction {
            name: $name,
            func: $f,
        };
    };
}

builtin!(PIPE, "channel_pipe", channel_pipe);
builtin!(LOCK_FILE, "channel_lock_file", channel_lock_file);
builtin!(SEND, "channel_send", channel_send);
builtin!(RECV, "channel_recv", channel_recv);
builtin!(POLL, "channel_poll", channel_poll);
builtin!(CLOSE, "channel_close", channel_close);
builtin!(LOCK, "channel_lock", channel_lock);
builtin!(UNLOCK, "channel_unlock", channel_unlock);

pub(super) fn os_error(e: io::Error) -> PyErr {
    PyErr::new(&exc().os_error, e.to_string())
}

/// The inode of an open descriptor.
fn inode(fd: RawFd) -> io::Result<u64> {
    // SAFETY: a zeroed stat is a valid out-parameter; fstat on a closed number is EBADF.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    if unsafe { libc::fstat(fd, &mut st) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(st.st_ino)
}

/// Descriptor and inode arguments at `at` and `at + 1`, checked to still match.
pub(super) fn handle(args: &Args<'_>, at: usize) -> PyResult<RawFd> {
    let (Some(Value::Int(fd)), Some(Value::Int(ino))) = (args.pos.get(at), args.pos.get(at + 1)) else {
        return Err(type_error("expected a descriptor and its inode"));
    };
    let fd = RawFd::try_from(*fd).map_err(|_| type_error("bad descriptor"))?;
    match inode(fd) {
        Ok(i) if i as i64 == *ino || i == *ino as u64 => Ok(fd),
        _ => Err(PyErr::new(
            &exc().os_error,
            "this pipe or queue was not passed to this process when it started \
             (gilsim passes them only as arguments of Process)",
        )),
    }
}

/// A file view of a descriptor we do not own.
fn borrowed(fd: RawFd) -> ManuallyDrop<File> {
    // SAFETY: the descriptor was checked open by `handle`; ManuallyDrop never closes it.
    ManuallyDrop::new(unsafe { File::from_raw_fd(fd) })
}

fn pair_value(a: RawFd, b: RawFd) -> PyResult<Value> {
    let (ia, ib) = (inode(a).map_err(os_error)?, inode(b).map_err(os_error)?);
    Ok(Value::tuple(vec![
        Value::from(a as i64),
        Value::from(ia as i64),
        Value::from(b as i64),
        Value::from(ib as i64),
    ]))
}

/// `channel_pipe(duplex)`: `(fd1, ino1, fd2, ino2)`, a socket pair or a pipe (read end first).
fn channel_pipe(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "channel_pipe", 1, 1)?;
    let duplex = vm.truthy(&args.pos[0])?;
    let mut fds: [RawFd; 2] = [0; 2];
    // SAFETY: `fds` is a valid array of two descriptors for either call to fill.
    let r = unsafe {
        if duplex {
            libc::socketpair(
                libc::AF_UNIX,
                libc::SOCK_STREAM | libc::SOCK_CLOEXEC,
                0,
                fds.as_mut_ptr(),
            )
        } else {
            libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC)
        }
    };
    if r != 0 {
        return Err(os_error(io::Error::last_os_error()));
    }
    pair_value(fds[0], fds[1])
}

/// `channel_lock_file()`: `(fd, ino)` of an anonymous file whose bytes 0 and 1 are a
/// queue's reader and writer locks.
fn channel_lock_file(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "channel_lock_file", 0, 0)?;
    let dir = std::env::temp_dir();
    let mut template = dir.join("gilsim-queue-XXXXXX").into_os_string().into_encoded_bytes();
    template.push(0);
    // SAFETY: a NUL-terminated, writable template, as mkostemp requires.
    let fd = unsafe { libc::mkostemp(template.as_mut_ptr().cast(), libc::O_CLOEXEC) };
    if fd < 0 {
        return Err(os_error(io::Error::last_os_error()));
    }
    // SAFETY: the template now holds the NUL-terminated name mkostemp created.
    unsafe { libc::unlink(template.as_ptr().cast()) };
    let ino = inode(fd).map_err(os_error)?;
    Ok(Value::tuple(vec![Value::from(fd as i64), Value::from(ino as i64)]))
}

/// `channel_send(fd, ino, obj)`: one framed value.
fn channel_send(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "channel_send", 3, 3)?;
    let fd = handle(&args, 0)?;
    let wire = encode(vm, &args.pos[2])?;
    let mut f = borrowed(fd);
    vm.allow_threads(Release::Io, || write_frame(&mut *f, &wire))
        .map_err(os_error)?;
    Ok(Value::None)
}

/// A `timeout=` argument in seconds (None: wait for ever), as multiprocessing takes it.
pub(super) fn timeout_arg(v: Option<&Value>) -> PyResult<Option<Duration>> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(v) => match as_f64(v) {
            Some(t) => Ok(Some(Duration::from_secs_f64(t?.clamp(0.0, 1e9)))),
            None => Err(type_error(format!(
                "timeout must be a number or None, not {}",
                type_name(v)
            ))),
        },
    }
}

/// `channel_recv(fd, ino, timeout=None)`: `(True, value)`, or `(False, None)` at the
/// timeout; EOFError when the other end is closed.
fn channel_recv(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let fd = handle(&args, 0)?;
    let timeout = timeout_arg(param(&args, 2, "timeout"))?;
    let got = vm.allow_threads(Release::Io, || -> io::Result<Option<Option<Wire>>> {
        if !wait_readable(fd, timeout)? {
            return Ok(None);
        }
        Ok(Some(read_frame::<Wire>(&mut *borrowed(fd))?))
    });
    match got.map_err(os_error)? {
        None => Ok(Value::tuple(vec![Value::Bool(false), Value::None])),
        Some(None) => Err(PyErr::with_args(&exc().eof_error, Vec::new())),
        Some(Some(w)) => {
            let v = decode(vm, w)?;
            Ok(Value::tuple(vec![Value::Bool(true), v]))
        }
    }
}

/// `channel_poll(fd, ino, timeout=0)`: whether there is something to read.
fn channel_poll(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let fd = handle(&args, 0)?;
    let timeout = timeout_arg(param(&args, 2, "timeout"))?.or(Some(Duration::ZERO));
    let r = vm.allow_threads(Release::Io, || wait_readable(fd, timeout));
    Ok(Value::Bool(r.map_err(os_error)?))
}

fn channel_close(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "channel_close", 2, 2)?;
    let fd = handle(&args, 0)?;
    // SAFETY: the descriptor belongs to the Connection being closed, which marks itself
    // closed and never uses the number again.
    unsafe { libc::close(fd) };
    Ok(Value::None)
}

pub(super) fn record_lock(fd: RawFd, byte: i64, kind: libc::c_short, wait: bool) -> io::Result<bool> {
    // SAFETY: a zeroed flock is valid; the fields set describe one byte.
    let mut fl: libc::flock = unsafe { std::mem::zeroed() };
    fl.l_type = kind;
    fl.l_whence = libc::SEEK_SET as libc::c_short;
    fl.l_start = byte as libc::off_t;
    fl.l_len = 1;
    let cmd = if wait { libc::F_SETLKW } else { libc::F_SETLK };
    loop {
        // SAFETY: fcntl with a valid flock for the duration of the call.
        if unsafe { libc::fcntl(fd, cmd, &fl) } == 0 {
            return Ok(true);
        }
        let e = io::Error::last_os_error();
        match e.raw_os_error() {
            Some(libc::EINTR) => continue,
            Some(libc::EAGAIN) | Some(libc::EACCES) if !wait => return Ok(false),
            _ => return Err(e),
        }
    }
}

/// `channel_lock(fd, ino, byte)`: takes a queue lock (between processes).
fn channel_lock(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "channel_lock", 3, 3)?;
    let fd = handle(&args, 0)?;
    let Value::Int(byte) = args.pos[2] else {
        return Err(type_error("lock byte must be an int"));
    };
    vm.allow_threads(Release::LockWait, || {
        record_lock(fd, byte, libc::F_WRLCK as libc::c_short, true)
    })
    .map_err(os_error)?;
    Ok(Value::None)
}

fn channel_unlock(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "channel_unlock", 3, 3)?;
    let fd = handle(&args, 0)?;
    let Value::Int(byte) = args.pos[2] else {
        return Err(type_error("lock byte must be an int"));
    };
    record_lock(fd, byte, libc::F_UNLCK as libc::c_short, false).map_err(os_error)?;
    Ok(Value::None)
}

/// The descriptors a child should inherit, from a list or tuple of ints.
pub(super) fn fd_list(_vm: &mut Vm, v: &Value) -> PyResult<Vec<RawFd>> {
    let items: Vec<Value> = match v {
        Value::Tuple(t) => t.to_vec(),
        Value::List(l) => l.items.lock().clone(),
        other => {
            return Err(type_error(format!(
                "descriptors must be a list or tuple, not {}",
                type_name(other)
            )))
        }
    };
    let mut fds = Vec::with_capacity(items.len());
    for item in items {
        let Value::Int(fd) = item else {
            return Err(type_error("descriptors must be ints"));
        };
        let fd = RawFd::try_from(fd).map_err(|_| type_error("bad descriptor"))?;
        inode(fd).map_err(os_error)?;
        fds.push(fd);
    }
    Ok(fds)
}
