//! The built-in `open()` and the file objects it returns, modelled on CPython's `_io`
//! (Modules/_io/): FileIO over a descriptor (`raw`), the buffered classes (`buffered`),
//! and TextIOWrapper (`text`, `codec`).
//!
//! Every system call (open, read, write, seek, close) runs without the interpreter lock,
//! as CPython's `Py_BEGIN_ALLOW_THREADS` blocks do, so other threads run while one waits
//! for a disk or a pipe. Small reads and writes go through user-space buffers first.
//! Files dropped without `close()` are flushed and closed; files that are never dropped
//! (leaked in a reference cycle, say) are flushed at exit (`exit_flush`).

mod buffered;
mod codec;
pub(crate) mod errors;
mod exit_flush;
mod methods;
mod mode;
mod object;
pub(crate) mod raw;
mod text;

use std::ffi::CString;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use parking_lot::Mutex;

use crate::gil::Release;
use crate::vm::errors::{overflow_error, type_error, PyErr};
use crate::vm::objects::{Args, BuiltinFunction};
use crate::vm::ops::as_i64;
use crate::vm::types::{exc, type_name};
use crate::vm::value::Value;
use crate::vm::vm::Vm;
use crate::vm::PyResult;

use buffered::FileCore;
use codec::Codec;
use errors::{os_error, value_error};
use mode::Mode;
use object::{FileObj, FileState, Kind};
use text::{Newline, TextLayer};

pub static OPEN: BuiltinFunction = BuiltinFunction {
    name: "open",
    func: open,
};

/// io.DEFAULT_BUFFER_SIZE, for descriptors that report no block size.
const DEFAULT_BUFFER_SIZE: usize = 8192;

/// The parameters of `open()`, in order.
const PARAMS: [&str; 8] = [
    "file",
    "mode",
    "buffering",
    "encoding",
    "errors",
    "newline",
    "closefd",
    "opener",
];

/// `open(file, mode='r', buffering=-1, encoding=None, errors=None, newline=None,
/// closefd=True, opener=None)`.
struct OpenArgs {
    file: Value,
    mode: String,
    buffering: i32,
    encoding: Option<String>,
    errors: Option<String>,
    newline: Option<String>,
    closefd: bool,
    opener: Option<Value>,
}

/// Matches arguments to parameters and converts them, with Argument Clinic's errors
/// (Modules/_io/clinic/_iomodule.c.h).
fn parse_args(args: &Args<'_>) -> PyResult<OpenArgs> {
    if args.pos.len() > PARAMS.len() {
        return Err(type_error(format!(
            "open() takes at most 8 arguments ({} given)",
            args.pos.len() + args.kw.len()
        )));
    }
    let mut slots: [Option<&Value>; 8] = [None; 8];
    for (i, v) in args.pos.iter().enumerate() {
        slots[i] = Some(v);
    }
    for (k, v) in args.kw {
        let Some(i) = PARAMS.iter().position(|p| *p == &**k) else {
            return Err(type_error(format!("'{k}' is an invalid keyword argument for open()")));
        };
        if slots[i].is_some() {
            return Err(type_error(format!(
                "argument for open() given by name ('{k}') and position ({})",
                i + 1
            )));
        }
        slots[i] = Some(v);
    }
    let Some(file) = slots[0] else {
        return Err(type_error("open() missing required argument 'file' (pos 1)"));
    };
    let mode = match slots[1] {
        None => "r".to_string(),
        Some(Value::Str(s)) => s.as_str().to_string(),
        Some(other) => {
            return Err(type_error(format!(
                "open() argument 'mode' must be str, not {}",
                type_name(other)
            )))
        }
    };
    let buffering = match slots[2] {
        None => -1,
        Some(v) => c_int(v)?,
    };
    let optional_str = |i: usize| -> PyResult<Option<String>> {
        match slots[i] {
            None | Some(Value::None) => Ok(None),
            Some(Value::Str(s)) => Ok(Some(s.as_str().to_string())),
            Some(other) => Err(type_error(format!(
                "open() argument '{}' must be str or None, not {}",
                PARAMS[i],
                type_name(other)
            ))),
        }
    };
    let (encoding, errors, newline) = (optional_str(3)?, optional_str(4)?, optional_str(5)?);
    let closefd = match slots[6] {
        None => true,
        Some(v) => c_int(v)? != 0,
    };
    let opener = slots[7].filter(|v| !v.is_none()).cloned();
    Ok(OpenArgs {
        file: file.clone(),
        mode,
        buffering,
        encoding,
        errors,
        newline,
        closefd,
        opener,
    })
}

/// A C `int` argument.
fn c_int(v: &Value) -> PyResult<i32> {
    let too_large = || overflow_error("Python int too large to convert to C int");
    match v {
        Value::BigInt(_) => Err(too_large()),
        v => {
            let i = as_i64(v).ok_or_else(|| crate::builtins::args::not_integer(v))?;
            i32::try_from(i).map_err(|_| too_large())
        }
    }
}

/// What `file` names: a descriptor or a path.
enum Target {
    Fd(i32),
    Path(CString),
}

/// `file` resolved as `_io_open_impl` starts: an int stays a descriptor, a path-like
/// object becomes its `__fspath__()`, anything else is a TypeError.
enum FileArg {
    Fd(Value),
    Path(Vec<u8>),
}

fn file_arg(vm: &mut Vm, file: &Value) -> PyResult<FileArg> {
    let not_path = |v: &Value| {
        type_error(format!(
            "expected str, bytes or os.PathLike object, not {}",
            type_name(v)
        ))
    };
    Ok(match file {
        Value::Int(_) | Value::Bool(_) | Value::BigInt(_) => FileArg::Fd(file.clone()),
        Value::Str(s) => FileArg::Path(s.as_str().as_bytes().to_vec()),
        Value::Bytes(b) => FileArg::Path(b.to_vec()),
        other => {
            let Some(fspath) = vm.lookup_special(other, "__fspath__")? else {
                return Err(not_path(other));
            };
            match vm.call(&fspath, &[])? {
                Value::Str(s) => FileArg::Path(s.as_str().as_bytes().to_vec()),
                Value::Bytes(b) => FileArg::Path(b.to_vec()),
                r => {
                    return Err(type_error(format!(
                        "expected {}.__fspath__() to return str or bytes, not {}",
                        type_name(other),
                        type_name(&r)
                    )))
                }
            }
        }
    })
}

/// FileIO's checks of its `file` argument (Modules/_io/fileio.c), made after the mode's.
fn target(file: FileArg, closefd: bool) -> PyResult<Target> {
    match file {
        FileArg::Fd(v) => match c_int(&v)? {
            fd if fd < 0 => Err(value_error("negative file descriptor")),
            fd => Ok(Target::Fd(fd)),
        },
        FileArg::Path(_) if !closefd => Err(value_error("Cannot use closefd=False with file name")),
        FileArg::Path(p) => CString::new(p)
            .map(Target::Path)
            .map_err(|_| value_error("embedded null byte")),
    }
}

fn open(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let a = parse_args(&args)?;
    let file = file_arg(vm, &a.file)?;
    let mode = Mode::parse(&a.mode, a.encoding.is_some(), a.errors.is_some(), a.newline.is_some())?;
    let target = target(file, a.closefd)?;
    let own = matches!(target, Target::Path(_));
    let fd = open_descriptor(vm, &a, &mode, target)?;
    // From here on, an error must not leak the descriptor: `guard` closes it if dropped.
    // FileIO's constructor closes only a descriptor it opened itself; later failures
    // (an unknown encoding, say) close the file, hence the descriptor, as `open()` does.
    let mut guard = FdGuard { fd, close: own };
    let probe = probe(vm, fd, mode.appending, a.buffering);
    let probe = match probe {
        Ok(p) => p,
        Err(errno) if errno == libc::EISDIR => return Err(os_error(vm, errno, Some(&a.file))),
        Err(errno) => return Err(os_error(vm, errno, None)),
    };
    guard.close = a.closefd;
    build(&a, mode, guard, probe)
}

/// Closes a descriptor `open()` made unless it was handed over to a file object.
struct FdGuard {
    fd: i32,
    close: bool,
}

impl FdGuard {
    fn release(mut self) -> i32 {
        self.close = false;
        self.fd
    }
}

impl Drop for FdGuard {
    fn drop(&mut self) {
        if self.close {
            let _ = raw::close(self.fd);
        }
    }
}

/// Opens the path (or calls the opener), without the interpreter lock.
fn open_descriptor(vm: &mut Vm, a: &OpenArgs, mode: &Mode, target: Target) -> PyResult<i32> {
    let path = match target {
        Target::Fd(fd) => return Ok(fd),
        Target::Path(p) => p,
    };
    let flags = mode.flags();
    if let Some(opener) = &a.opener {
        let r = vm.call(opener, &[a.file.clone(), Value::Int(flags as i64)])?;
        let fd = match r {
            Value::Int(i) => i,
            Value::Bool(b) => b as i64,
            _ => return Err(type_error("expected integer from opener")),
        };
        return match i32::try_from(fd) {
            Ok(fd) if fd >= 0 => Ok(fd),
            _ => Err(value_error(format!("opener returned {fd}"))),
        };
    }
    let r = vm.allow_threads(Release::Io, || raw::open(&path, flags));
    r.map_err(|errno| os_error(vm, errno, Some(&a.file)))
}

/// What `open()` learns about a fresh descriptor.
struct Probe {
    blksize: usize,
    /// The offset, if the descriptor can seek.
    position: Option<i64>,
    tty: bool,
}

/// fstat (directories are refused), the seek to the end for append mode, whether the
/// descriptor seeks, and whether it is a terminal: one trip without the interpreter lock
/// for what FileIO's constructor and `open()` ask one at a time.
fn probe(vm: &mut Vm, fd: i32, appending: bool, buffering: i32) -> Result<Probe, i32> {
    vm.allow_threads(Release::Io, || {
        let st = raw::fstat(fd)?;
        if st.is_dir {
            return Err(libc::EISDIR);
        }
        if appending {
            // fileio.c seeks to the end at once, so tell() is right before any write;
            // pipes cannot seek and need not.
            match raw::lseek(fd, 0, libc::SEEK_END) {
                Ok(_) | Err(libc::ESPIPE) => {}
                Err(e) => return Err(e),
            }
        }
        let position = raw::lseek(fd, 0, libc::SEEK_CUR).ok();
        let tty = (buffering == 1 || buffering < 0) && raw::isatty(fd);
        Ok(Probe {
            blksize: st.blksize,
            position,
            tty,
        })
    })
}

/// Wraps the descriptor in the class the mode and buffering call for.
fn build(a: &OpenArgs, mode: Mode, guard: FdGuard, probe: Probe) -> PyResult<Value> {
    let line_buffering = !mode.binary && (a.buffering == 1 || (a.buffering < 0 && probe.tty));
    // buffering=1 means line buffering, which binary files do without (CPython warns).
    let buffer_size = match a.buffering {
        0 => None,
        n if n < 0 || n == 1 => Some(if probe.blksize > 1 {
            probe.blksize
        } else {
            DEFAULT_BUFFER_SIZE
        }),
        n => Some(n as usize),
    };
    if buffer_size.is_none() && !mode.binary {
        return Err(value_error("can't have unbuffered text I/O"));
    }
    let kind = match (mode.binary, buffer_size) {
        (false, _) => Kind::Text,
        (true, None) => Kind::Raw,
        (true, Some(_)) if mode.updating => Kind::Random,
        (true, Some(_)) if mode.reading => Kind::Reader,
        (true, Some(_)) => Kind::Writer,
    };
    let text = if kind == Kind::Text {
        Some(text_layer(a, line_buffering, probe.position.is_some())?)
    } else {
        None
    };
    let fd = guard.release();
    let mut core = FileCore::new(fd, a.closefd, mode.appending, buffer_size);
    core.set_raw_pos(probe.position);
    let (encoding, errors) = match &text {
        Some(t) => (t.encoding.clone(), t.errors.clone()),
        None => (String::new(), String::new()),
    };
    let state = Arc::new(Mutex::new(FileState { core, text }));
    if mode.writable() {
        exit_flush::register(&state);
    }
    Ok(FileObj {
        kind,
        name: a.file.clone(),
        mode: if kind == Kind::Text {
            a.mode.clone()
        } else {
            mode.raw_mode().to_string()
        },
        fd,
        readable: mode.readable(),
        writable: mode.writable(),
        seekable: probe.position.is_some(),
        closefd: a.closefd,
        encoding,
        errors,
        line_buffering,
        closed: AtomicBool::new(false),
        state,
    }
    .into_value())
}

/// TextIOWrapper's checks (Modules/_io/textio.c `_io_TextIOWrapper___init___impl`): the
/// newline first, then the encoding.
fn text_layer(a: &OpenArgs, line_buffering: bool, seekable: bool) -> PyResult<TextLayer> {
    let newline = match Newline::parse(a.newline.as_deref()) {
        Some(n) => n,
        None => {
            let given = a.newline.as_deref().unwrap_or_default();
            return Err(value_error(format!("illegal newline value: {given}")));
        }
    };
    // gilsim runs as CPython does in UTF-8 mode (`-X utf8`), where the default and
    // "locale" encodings are UTF-8.
    let encoding = match a.encoding.as_deref() {
        None | Some("locale") => "utf-8".to_string(),
        Some(e) => e.to_string(),
    };
    let Some(codec) = Codec::lookup(&encoding) else {
        return Err(PyErr::new(&exc().lookup_error, format!("unknown encoding: {encoding}")));
    };
    let errors = a.errors.clone().unwrap_or_else(|| "strict".to_string());
    let mut t = TextLayer::new(codec, encoding, errors, newline);
    t.line_buffering = line_buffering;
    t.seekable = seekable;
    t.telling = seekable;
    Ok(t)
}
