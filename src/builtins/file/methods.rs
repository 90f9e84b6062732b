//! The methods and attributes of file objects, with CPython's argument handling
//! (Modules/_io/clinic/*.c.h) and the order in which CPython checks things.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use crate::builtins::args::{clinic_args, method_args, not_integer};
use crate::vm::errors::{overflow_error, stop_iteration, type_error, PyErr};
use crate::vm::objects::{Args, BuiltinFunction};
use crate::vm::ops::as_i64;
use crate::vm::types::type_name;
use crate::vm::value::Value;
use crate::vm::vm::Vm;
use crate::vm::PyResult;

use super::buffered::{Errno, FileCore};
use super::errors::{os_error, plain_os_error, unsupported, value_error};
use super::object::{this, FileObj, FileState, Kind, Op};
use super::text::TextLayer;

macro_rules! method {
    ($static:ident, $name:literal, $f:ident) => {
        static $static: BuiltinFunction = BuiltinFunction {
            name: $name,
            func: $f,
        };
    };
}

/// Methods of every file class.
pub(super) static COMMON: &[&BuiltinFunction] = &[
    &READ,
    &READLINE,
    &READLINES,
    &WRITE,
    &WRITELINES,
    &CLOSE,
    &FLUSH,
    &SEEK,
    &TELL,
    &TRUNCATE,
    &FILENO,
    &ISATTY,
    &READABLE,
    &WRITABLE,
    &SEEKABLE,
    &ENTER,
    &EXIT,
    &ITER,
    &NEXT,
    &REPR,
];
pub(super) static TEXT_ONLY: &[&BuiltinFunction] = &[];
pub(super) static READER_ONLY: &[&BuiltinFunction] = &[&READ1, &PEEK];
pub(super) static WRITER_ONLY: &[&BuiltinFunction] = &[&READ1];
pub(super) static RAW_ONLY: &[&BuiltinFunction] = &[&READALL];

/// Getters of read-only attributes.
pub(super) static COMMON_ATTRS: &[&BuiltinFunction] = &[&NAME, &MODE, &CLOSED];
pub(super) static TEXT_ATTRS: &[&BuiltinFunction] = &[&ENCODING, &ERRORS, &NEWLINES, &LINE_BUFFERING];
pub(super) static RAW_ATTRS: &[&BuiltinFunction] = &[&CLOSEFD];

method!(READ, "read", read);
method!(READ1, "read1", read1);
method!(READALL, "readall", readall);
method!(PEEK, "peek", peek);
method!(READLINE, "readline", readline);
method!(READLINES, "readlines", readlines);
method!(WRITE, "write", write);
method!(WRITELINES, "writelines", writelines);
method!(CLOSE, "close", close);
method!(FLUSH, "flush", flush);
method!(SEEK, "seek", seek);
method!(TELL, "tell", tell);
method!(TRUNCATE, "truncate", truncate);
method!(FILENO, "fileno", fileno);
method!(ISATTY, "isatty", isatty);
method!(READABLE, "readable", readable);
method!(WRITABLE, "writable", writable);
method!(SEEKABLE, "seekable", seekable);
method!(ENTER, "__enter__", enter);
method!(EXIT, "__exit__", exit);
method!(ITER, "__iter__", iter);
method!(NEXT, "__next__", next);
method!(REPR, "__repr__", repr);
method!(NAME, "name", name);
method!(MODE, "mode", mode);
method!(CLOSED, "closed", closed);
method!(CLOSEFD, "closefd", closefd);
method!(ENCODING, "encoding", encoding);
method!(ERRORS, "errors", errors);
method!(NEWLINES, "newlines", newlines);
method!(LINE_BUFFERING, "line_buffering", line_buffering);

// ---- argument conversions ----

#[cold]
fn io_error(vm: &mut Vm, errno: Errno) -> PyErr {
    os_error(vm, errno, None)
}

/// `_Py_convert_optional_to_ssize_t`: an int, or None for -1.
fn optional_size(v: Option<&Value>) -> PyResult<i64> {
    match v {
        None | Some(Value::None) => Ok(-1),
        Some(Value::BigInt(_)) => Err(overflow_error("cannot fit 'int' into an index-sized integer")),
        Some(v) => {
            as_i64(v).ok_or_else(|| type_error(format!("argument should be integer or None, not '{}'", type_name(v))))
        }
    }
}

/// A `Py_ssize_t` argument.
fn ssize(v: &Value) -> PyResult<i64> {
    match v {
        Value::BigInt(_) => Err(overflow_error("Python int too large to convert to C ssize_t")),
        v => as_i64(v).ok_or_else(|| not_integer(v)),
    }
}

/// A C `int` argument (`whence`).
fn c_int(v: &Value) -> PyResult<i32> {
    match v {
        Value::BigInt(_) => Err(overflow_error("Python int too large to convert to C int")),
        v => {
            let i = as_i64(v).ok_or_else(|| not_integer(v))?;
            i32::try_from(i).map_err(|_| overflow_error("Python int too large to convert to C int"))
        }
    }
}

/// An `off_t` argument (`PyNumber_AsOff_t` with ValueError on overflow).
fn offset(v: &Value) -> PyResult<i64> {
    match v {
        Value::BigInt(_) => Err(value_error("cannot fit 'int' into an offset-sized integer")),
        v => as_i64(v).ok_or_else(|| not_integer(v)),
    }
}

/// A count or size as `usize`; negative means "no limit".
fn limit(n: i64) -> Option<usize> {
    usize::try_from(n).ok()
}

// ---- reading ----

fn read(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let f = this(&args, "read")?;
    f.check_method_exists(Op::Read)?;
    let rest = clinic_args("read", &args, 0, 1)?;
    let size = optional_size(rest.first())?;
    if size < -1 && f.kind.is_buffered_class() {
        return Err(value_error("read length must be non-negative or -1"));
    }
    let mut st = f.enter(vm, Op::Read)?;
    let FileState { core, text } = &mut *st;
    match text {
        Some(t) => {
            let s = match limit(size) {
                None => t.read_all(core, vm)?,
                Some(n) => t.read_chars(core, vm, n)?,
            };
            Ok(Value::string(s))
        }
        None => match core.read(vm, limit(size)) {
            Ok(data) => Ok(Value::Bytes(Arc::new(data))),
            Err(e) => Err(io_error(vm, e)),
        },
    }
}

fn read1(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let f = this(&args, "read1")?;
    f.check_method_exists(Op::Read1)?;
    let rest = clinic_args("read1", &args, 0, 1)?;
    let size = optional_size(rest.first())?;
    let mut st = f.enter(vm, Op::Read1)?;
    match st.core.read1(vm, limit(size)) {
        Ok(data) => Ok(Value::Bytes(Arc::new(data))),
        Err(e) => Err(io_error(vm, e)),
    }
}

fn readall(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let f = this(&args, "readall")?;
    method_args("FileIO.readall", &args, 0, 0)?;
    let mut st = f.enter(vm, Op::ReadAll)?;
    match st.core.read(vm, None) {
        Ok(data) => Ok(Value::Bytes(Arc::new(data))),
        Err(e) => Err(io_error(vm, e)),
    }
}

fn peek(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let f = this(&args, "peek")?;
    let rest = clinic_args("peek", &args, 0, 1)?;
    if let Some(v) = rest.first() {
        ssize(v)?;
    }
    let mut st = f.enter(vm, Op::Peek)?;
    match st.core.peek(vm) {
        Ok(data) => Ok(Value::Bytes(Arc::new(data))),
        Err(e) => Err(io_error(vm, e)),
    }
}

/// One line, with the lock held: str for text files, bytes otherwise.
fn readline_locked(vm: &mut Vm, st: &mut FileState, max: Option<usize>) -> PyResult<Value> {
    let FileState { core, text } = st;
    match text {
        Some(t) => Ok(Value::string(t.readline(core, vm, max)?)),
        None => match core.readline(vm, max) {
            Ok(line) => Ok(Value::Bytes(Arc::new(line))),
            Err(e) => Err(io_error(vm, e)),
        },
    }
}

fn readline(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let f = this(&args, "readline")?;
    f.check_method_exists(Op::Readline)?;
    let rest = clinic_args("readline", &args, 0, 1)?;
    // TextIOWrapper takes a plain Py_ssize_t; the binary classes also accept None.
    let size = match (f.kind, rest.first()) {
        (Kind::Text, Some(v)) => ssize(v)?,
        (Kind::Text, None) => -1,
        (_, v) => optional_size(v)?,
    };
    let mut st = f.enter(vm, Op::Readline)?;
    readline_locked(vm, &mut st, limit(size))
}

fn line_len(line: &Value) -> usize {
    match line {
        Value::Str(s) => s.char_len(),
        Value::Bytes(b) => b.len(),
        _ => 0,
    }
}

/// Takes the lock for iterating. A text file stops telling before anything else is
/// checked, so a failed `next()` (on a file not open for reading) leaves `tell()` disabled,
/// as CPython's does.
fn enter_iteration<'a>(vm: &mut Vm, f: &'a FileObj, op: Op) -> PyResult<parking_lot::MutexGuard<'a, FileState>> {
    let mut st = f.lock(vm);
    if let Some(t) = st.text.as_mut() {
        t.telling = false;
    }
    f.check(op)?;
    Ok(st)
}

/// `next(f)`: a line, or StopIteration at end of file. Text files disable `tell()` until
/// the iteration ends (Modules/_io/textio.c textiowrapper_iternext).
fn next_line(vm: &mut Vm, st: &mut FileState) -> PyResult<Option<Value>> {
    if let Some(t) = st.text.as_mut() {
        t.telling = false;
    }
    let line = readline_locked(vm, st, None)?;
    if line_len(&line) == 0 {
        if let Some(t) = st.text.as_mut() {
            t.telling = t.seekable;
        }
        return Ok(None);
    }
    Ok(Some(line))
}

fn next(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let f = this(&args, "__next__")?;
    let mut st = enter_iteration(vm, f, Op::Next)?;
    match next_line(vm, &mut st)? {
        Some(line) => Ok(line),
        None => Err(stop_iteration(None)),
    }
}

/// `readlines(hint)`: IOBase.readlines iterates the file, stopping after the line that
/// takes the total past `hint` characters (or bytes).
fn readlines(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let f = this(&args, "readlines")?;
    f.check_method_exists(Op::Readlines)?;
    let rest = clinic_args("readlines", &args, 0, 1)?;
    let hint = limit(optional_size(rest.first())?).filter(|&h| h > 0);
    let mut st = enter_iteration(vm, f, Op::Readlines)?;
    let mut lines = Vec::new();
    let mut total = 0usize;
    while let Some(line) = next_line(vm, &mut st)? {
        total = total.saturating_add(line_len(&line));
        lines.push(line);
        if hint.is_some_and(|h| total > h) {
            break;
        }
    }
    Ok(Value::list(lines))
}

fn iter(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let f = this(&args, "__iter__")?;
    f.check(Op::Iter)?;
    Ok(args.pos[0].clone())
}

// ---- writing ----

/// Writes one str (text) or bytes object; returns what `write()` returns.
fn write_value(vm: &mut Vm, f: &FileObj, data: &Value) -> PyResult<Value> {
    if f.kind == Kind::Text {
        let Value::Str(s) = data else {
            return Err(type_error(format!(
                "write() argument must be str, not {}",
                type_name(data)
            )));
        };
        let mut st = f.enter(vm, Op::Write)?;
        let FileState { core, text } = &mut *st;
        let Some(t) = text else {
            return Err(type_error("text file without a text layer"));
        };
        return Ok(Value::from(t.write(core, vm, s.as_str())?));
    }
    let Value::Bytes(b) = data else {
        return Err(type_error(format!(
            "a bytes-like object is required, not '{}'",
            type_name(data)
        )));
    };
    let mut st = f.enter(vm, Op::Write)?;
    match st.core.write(vm, b) {
        Ok(n) => Ok(Value::from(n)),
        Err(e) => Err(io_error(vm, e)),
    }
}

fn write(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let f = this(&args, "write")?;
    f.check_method_exists(Op::Write)?;
    let rest = method_args(&format!("{}.write", f.kind.class_name()), &args, 1, 1)?;
    write_value(vm, f, &rest[0])
}

/// `writelines(lines)`: IOBase's loop of `write` calls. The iterable is Python code, so it
/// runs without the file's lock.
fn writelines(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let f = this(&args, "writelines")?;
    let rest = method_args("_IOBase.writelines", &args, 1, 1)?;
    f.check(Op::Writelines)?;
    let it = vm.get_iter(&rest[0])?;
    while let Some(item) = vm.next(&it)? {
        write_value(vm, f, &item)?;
    }
    Ok(Value::None)
}

fn flush(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let f = this(&args, "flush")?;
    method_args(&format!("{}.flush", f.kind.class_name()), &args, 0, 0)?;
    let mut st = f.enter(vm, Op::Flush)?;
    // TextIOWrapper.flush also ends a `next()` iteration's ban on tell().
    if let Some(t) = st.text.as_mut() {
        t.telling = t.seekable;
    }
    st.flush(vm)?;
    Ok(Value::None)
}

/// Closes `f` (a no-op when already closed): flushes, then closes the descriptor. The
/// file counts as closed even if that fails, as in CPython.
fn close_file(vm: &mut Vm, f: &FileObj) -> PyResult<Value> {
    let mut st = f.lock(vm);
    if f.is_closed() {
        return Ok(Value::None);
    }
    let flushed = st.flush(vm);
    if let Some(t) = st.text.as_mut() {
        t.reset_read();
    }
    let closed = st.core.close(vm);
    f.closed.store(true, Ordering::Release);
    drop(st);
    flushed?;
    match closed {
        Ok(()) => Ok(Value::None),
        Err(e) => Err(io_error(vm, e)),
    }
}

fn close(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let f = this(&args, "close")?;
    method_args(&format!("{}.close", f.kind.class_name()), &args, 0, 0)?;
    close_file(vm, f)
}

fn enter(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let f = this(&args, "__enter__")?;
    f.check(Op::Enter)?;
    Ok(args.pos[0].clone())
}

/// `__exit__(*exc_info)`: closes; never suppresses the exception.
fn exit(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let f = this(&args, "__exit__")?;
    close_file(vm, f)
}

// ---- positions ----

fn tell(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let f = this(&args, "tell")?;
    method_args(&format!("{}.tell", f.kind.class_name()), &args, 0, 0)?;
    let mut st = f.enter(vm, Op::Tell)?;
    let FileState { core, text } = &mut *st;
    match text {
        Some(t) => text_tell(vm, t, core).map(Value::Int),
        None => match core.tell(vm) {
            Ok(pos) => Ok(Value::Int(pos)),
            Err(e) => Err(io_error(vm, e)),
        },
    }
}

/// TextIOWrapper.tell: flushes, then the buffered position less what was pulled but not
/// read.
fn text_tell(vm: &mut Vm, t: &mut TextLayer, core: &mut FileCore) -> PyResult<i64> {
    if !t.seekable {
        return Err(unsupported("underlying stream is not seekable"));
    }
    if !t.telling {
        return Err(plain_os_error("telling position disabled by next() call"));
    }
    text_flush(vm, t, core)?;
    let pos = core.tell(vm).map_err(|e| io_error(vm, e))?;
    Ok(pos.saturating_sub(t.unconsumed() as i64).max(0))
}

/// TextIOWrapper.flush with the layers borrowed apart.
fn text_flush(vm: &mut Vm, t: &mut TextLayer, core: &mut FileCore) -> PyResult<()> {
    t.write_flush(core, vm)?;
    core.flush(vm).map_err(|e| io_error(vm, e))
}

fn seek(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let f = this(&args, "seek")?;
    let rest = clinic_args("seek", &args, 1, 2)?;
    let whence = match rest.get(1) {
        Some(v) => c_int(v)?,
        None => 0,
    };
    let target = &rest[0];
    if f.kind == Kind::Text {
        return text_seek(vm, f, target, whence);
    }
    if f.kind.is_buffered_class() && !(0..=4).contains(&whence) {
        // SEEK_SET, SEEK_CUR, SEEK_END, SEEK_DATA and SEEK_HOLE pass.
        return Err(value_error(format!("whence value {whence} unsupported")));
    }
    let mut st = f.enter(vm, Op::Seek)?;
    if f.kind.is_buffered_class() && !f.seekable {
        return Err(unsupported("File or stream is not seekable."));
    }
    let target = offset(target)?;
    match st.core.seek(vm, target, whence) {
        Ok(pos) => Ok(Value::Int(pos)),
        Err(e) => Err(io_error(vm, e)),
    }
}

/// TextIOWrapper.seek: positions are the cookies `tell()` gives (byte offsets here);
/// relative seeks only to the current position or the end.
fn text_seek(vm: &mut Vm, f: &FileObj, cookie: &Value, whence: i32) -> PyResult<Value> {
    let mut st = f.enter(vm, Op::Seek)?;
    let FileState { core, text } = &mut *st;
    let Some(t) = text else {
        return Err(type_error("text file without a text layer"));
    };
    if !t.seekable {
        return Err(unsupported("underlying stream is not seekable"));
    }
    let is_zero =
        matches!(cookie, Value::Int(0) | Value::Bool(false)) || matches!(cookie, Value::Float(x) if *x == 0.0);
    let target = match whence {
        libc::SEEK_SET => match cookie {
            Value::Int(_) | Value::Bool(_) | Value::BigInt(_) => {
                let negative = match cookie {
                    Value::BigInt(b) => num_traits::Signed::is_negative(&**b),
                    v => as_i64(v).is_some_and(|i| i < 0),
                };
                if negative {
                    let r = vm.repr(cookie)?;
                    return Err(value_error(format!("negative seek position {r}")));
                }
                offset(cookie)?
            }
            other => {
                return Err(type_error(format!(
                    "'<' not supported between instances of '{}' and 'int'",
                    type_name(other)
                )))
            }
        },
        libc::SEEK_CUR => {
            if !is_zero {
                return Err(unsupported("can't do nonzero cur-relative seeks"));
            }
            // Seeking to the current position is seeking to what tell() says.
            text_tell(vm, t, core)?
        }
        libc::SEEK_END => {
            if !is_zero {
                return Err(unsupported("can't do nonzero end-relative seeks"));
            }
            text_flush(vm, t, core)?;
            t.reset_read();
            t.reset_decoder();
            t.telling = t.seekable;
            return match core.seek(vm, 0, libc::SEEK_END) {
                Ok(pos) => Ok(Value::Int(pos)),
                Err(e) => Err(io_error(vm, e)),
            };
        }
        _ => return Err(value_error(format!("invalid whence ({whence}, should be 0, 1 or 2)"))),
    };
    text_flush(vm, t, core)?;
    t.reset_read();
    if target == 0 {
        t.reset_decoder();
    }
    t.telling = t.seekable;
    match core.seek(vm, target, libc::SEEK_SET) {
        Ok(_) => Ok(Value::Int(target)),
        Err(e) => Err(io_error(vm, e)),
    }
}

/// `truncate(size=None)`: resizes the file to `size` (default: the current position),
/// which does not move.
fn truncate(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let f = this(&args, "truncate")?;
    let rest = clinic_args("truncate", &args, 0, 1)?;
    let mut st = f.lock(vm);
    if let Some(t) = st.text.as_mut() {
        // TextIOWrapper.truncate flushes first (which re-enables tell()), even when the
        // buffer below then refuses to truncate.
        if !f.is_closed() {
            t.telling = t.seekable;
        }
    }
    f.check(Op::Truncate)?;
    let size = match rest.first() {
        None | Some(Value::None) => None,
        Some(v) => Some(offset(v)?),
    };
    let FileState { core, text } = &mut *st;
    let size = match text {
        Some(t) => {
            text_flush(vm, t, core)?;
            // The text position is behind the buffered layer's by what was pulled, unread.
            match size {
                Some(s) => Some(s),
                None => {
                    let pos = core.tell(vm).map_err(|e| io_error(vm, e))?;
                    Some(pos.saturating_sub(t.unconsumed() as i64))
                }
            }
        }
        None => size,
    };
    match core.truncate(vm, size) {
        Ok(n) => Ok(Value::Int(n)),
        Err(e) => Err(io_error(vm, e)),
    }
}

// ---- descriptor queries ----

fn fileno(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let f = this(&args, "fileno")?;
    f.check(Op::Fileno)?;
    Ok(Value::Int(f.fd as i64))
}

fn isatty(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let f = this(&args, "isatty")?;
    f.check(Op::Isatty)?;
    let fd = f.fd;
    // FileIO.isatty releases the lock around the ioctl, as every descriptor call does.
    let tty = vm.allow_threads(crate::gil::Release::Io, || super::raw::isatty(fd));
    Ok(Value::Bool(tty))
}

fn readable(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let f = this(&args, "readable")?;
    f.capability(false).map(Value::Bool)
}

fn writable(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let f = this(&args, "writable")?;
    f.capability(true).map(Value::Bool)
}

fn seekable(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let f = this(&args, "seekable")?;
    f.check(Op::Seekable)?;
    Ok(Value::Bool(f.seekable))
}

fn repr(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let f = this(&args, "__repr__")?;
    let name = vm.repr(&f.name)?;
    let mode = vm.repr(&Value::str(&f.mode))?;
    Ok(Value::string(match f.kind {
        Kind::Text => {
            let encoding = vm.repr(&Value::str(&f.encoding))?;
            format!("<_io.TextIOWrapper name={name} mode={mode} encoding={encoding}>")
        }
        Kind::Raw if f.is_closed() => "<_io.FileIO [closed]>".to_string(),
        Kind::Raw => {
            let closefd = if f.closefd { "True" } else { "False" };
            format!("<_io.FileIO name={name} mode={mode} closefd={closefd}>")
        }
        kind => format!("<_io.{} name={name}>", kind.class_name()),
    }))
}

// ---- attributes ----

fn name(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    Ok(this(&args, "name")?.name.clone())
}

fn mode(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    Ok(Value::str(&this(&args, "mode")?.mode))
}

fn closed(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    Ok(Value::Bool(this(&args, "closed")?.is_closed()))
}

fn closefd(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    Ok(Value::Bool(this(&args, "closefd")?.closefd))
}

fn encoding(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    Ok(Value::str(&this(&args, "encoding")?.encoding))
}

fn errors(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    Ok(Value::str(&this(&args, "errors")?.errors))
}

fn line_buffering(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    Ok(Value::Bool(this(&args, "line_buffering")?.line_buffering))
}

fn newlines(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let f = this(&args, "newlines")?;
    let st = f.lock(vm);
    Ok(st.text.as_ref().map_or(Value::None, |t| t.newlines()))
}
