//! A `multiprocessing.Queue`'s item count, shared by every process holding the queue:
//! what Lib/multiprocessing/queues.py keeps in `Queue._sem` (a BoundedSemaphore of
//! `maxsize`), taken by `put()`, given back by `get()`, and read by `qsize()` and `full()`.
//!
//! The count lives in the queue's lock file (see `process_channel.rs`), eight bytes at
//! [`COUNT_AT`], read and written under the record lock on byte [`COUNT_LOCK`]. Record locks
//! belong to a process, so the threads of one process take [`IN_PROCESS`] first. A `put()`
//! that finds the queue full polls, with a growing pause, where CPython's sem_timedwait
//! sleeps until woken: full queues are rare, and the pause is at most 5 ms.

use std::fs::File;
use std::io;
use std::mem::ManuallyDrop;
use std::os::fd::{FromRawFd, RawFd};
use std::os::unix::fs::FileExt;
use std::time::{Duration, Instant};

use parking_lot::Mutex;

use super::arity;
use super::process_channel::{handle, os_error, record_lock, timeout_arg};
use crate::vm::errors::type_error;
use crate::vm::objects::{Args, BuiltinFunction};
use crate::vm::value::Value;
use crate::vm::vm::Vm;
use crate::vm::PyResult;

/// The record-lock byte that guards the count (bytes 0 and 1 are the reader and writer
/// locks).
const COUNT_LOCK: i64 = 2;
/// Where the count is stored.
const COUNT_AT: u64 = 16;
/// Excludes this process's other threads: record locks do not.
static IN_PROCESS: Mutex<()> = Mutex::new(());

pub(super) static COUNT: BuiltinFunction = BuiltinFunction {
    name: "channel_count",
    func: channel_count,
};
pub(super) static TAKE_SLOT: BuiltinFunction = BuiltinFunction {
    name: "channel_take_slot",
    func: channel_take_slot,
};

/// Adds `delta` to the count in `fd` unless that would pass `limit`; returns the count
/// after, and whether it changed.
fn add(fd: RawFd, delta: i64, limit: i64) -> io::Result<(i64, bool)> {
    let _thread = IN_PROCESS.lock();
    record_lock(fd, COUNT_LOCK, libc::F_WRLCK as libc::c_short, true)?;
    // SAFETY: `fd` was checked open by `handle`; ManuallyDrop never closes it.
    let file = ManuallyDrop::new(unsafe { File::from_raw_fd(fd) });
    let result = (|| {
        let mut bytes = [0u8; 8];
        // A fresh file is empty: a short read leaves zeros, the count of a new queue.
        let n = file.read_at(&mut bytes, COUNT_AT)?;
        let count = if n == 8 { i64::from_le_bytes(bytes) } else { 0 };
        let new = count.saturating_add(delta).max(0);
        if delta > 0 && new > limit {
            return Ok((count, false));
        }
        if new != count {
            file.write_all_at(&new.to_le_bytes(), COUNT_AT)?;
        }
        Ok((new, true))
    })();
    record_lock(fd, COUNT_LOCK, libc::F_UNLCK as libc::c_short, false)?;
    result
}

fn int_arg(args: &Args<'_>, at: usize, what: &str) -> PyResult<i64> {
    match args.pos.get(at) {
        Some(Value::Int(i)) => Ok(*i),
        _ => Err(type_error(format!("{what} must be an int"))),
    }
}

/// `channel_count(fd, ino, delta)`: adds `delta` (0 to read) and returns the count.
fn channel_count(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "channel_count", 3, 3)?;
    let fd = handle(&args, 0)?;
    let delta = int_arg(&args, 2, "delta")?;
    let (count, _) = add(fd, delta, i64::MAX).map_err(os_error)?;
    Ok(Value::from(count))
}

/// `channel_take_slot(fd, ino, maxsize, block, timeout)`: counts one more item if the
/// queue holds fewer than `maxsize`, waiting for room if `block`, at most `timeout`
/// seconds (None: for ever). False if there was no room in time (queues.py raises Full).
fn channel_take_slot(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "channel_take_slot", 5, 5)?;
    let fd = handle(&args, 0)?;
    let maxsize = int_arg(&args, 2, "maxsize")?;
    let block = vm.truthy(&args.pos[3])?;
    let deadline = timeout_arg(Some(&args.pos[4]))?.map(|t| Instant::now() + t);
    let mut pause = Duration::from_micros(200);
    loop {
        if add(fd, 1, maxsize).map_err(os_error)?.1 {
            return Ok(Value::Bool(true));
        }
        let left = deadline.map(|d| d.saturating_duration_since(Instant::now()));
        if !block || left == Some(Duration::ZERO) {
            return Ok(Value::Bool(false));
        }
        let wait = left.map_or(pause, |l| l.min(pause));
        super::time::block_for(vm, wait)?;
        pause = (pause * 2).min(Duration::from_millis(5));
    }
}
