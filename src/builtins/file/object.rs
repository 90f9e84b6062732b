//! The file object: its state behind its own lock, the five classes `open()` returns
//! (TextIOWrapper, BufferedReader, BufferedWriter, BufferedRandom, FileIO), and which
//! error each class gives for a closed file or an operation it does not support.
//!
//! The file's own lock plays the part of CPython's per-buffer lock (Modules/_io/
//! bufferedio.c `ENTER_BUFFERED`): it is held across an operation, including while the
//! interpreter lock is released for the system call. A thread that finds it taken waits
//! for it without the interpreter lock (`_enter_buffered_busy`), so a reader blocked on a
//! pipe never stops the thread that would write to it. No Python code runs while it is
//! held.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, LazyLock};

use parking_lot::{Mutex, MutexGuard};

use crate::gil::Release;
use crate::vm::errors::{type_error, PyErr};
use crate::vm::objects::{new_attr_map, Args, BuiltinFunction, BuiltinType, Class, Property};
use crate::vm::types::{make_class, type_name, types};
use crate::vm::value::Value;
use crate::vm::vm::Vm;
use crate::vm::PyResult;

use super::buffered::FileCore;
use super::errors::{unsupported, value_error};
use super::methods;
use super::text::TextLayer;

/// Everything the file's lock guards.
pub(crate) struct FileState {
    pub core: FileCore,
    /// Present for text files.
    pub text: Option<TextLayer>,
}

impl FileState {
    /// Writes out everything buffered, text not yet encoded into the buffer included,
    /// without an interpreter (finalizers and process exit).
    pub(crate) fn flush_quietly(&mut self) {
        let pending = self.text.as_mut().map(TextLayer::take_pending).unwrap_or_default();
        self.core.flush_quietly(&pending);
    }

    /// `flush()`: collected text to the buffered layer, and the buffer to the OS.
    pub(crate) fn flush(&mut self, vm: &mut Vm) -> PyResult<()> {
        if let Some(t) = self.text.as_mut() {
            t.write_flush(&mut self.core, vm)?;
        }
        self.core.flush(vm).map_err(|e| super::errors::os_error(vm, e, None))
    }
}

impl Drop for FileState {
    /// A file dropped without `close()` is flushed (then `FileCore` closes it), as
    /// CPython's `iobase_finalize` does, so no written data is lost.
    fn drop(&mut self) {
        self.flush_quietly();
    }
}

/// Which class a file object is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Kind {
    Text,
    Reader,
    Writer,
    Random,
    /// FileIO (`buffering=0`).
    Raw,
}

impl Kind {
    pub(crate) fn class_name(self) -> &'static str {
        match self {
            Kind::Text => "TextIOWrapper",
            Kind::Reader => "BufferedReader",
            Kind::Writer => "BufferedWriter",
            Kind::Random => "BufferedRandom",
            Kind::Raw => "FileIO",
        }
    }

    fn class(self) -> &'static Arc<Class> {
        match self {
            Kind::Text => &TEXT_CLASS,
            Kind::Reader => &READER_CLASS,
            Kind::Writer => &WRITER_CLASS,
            Kind::Random => &RANDOM_CLASS,
            Kind::Raw => &RAW_CLASS,
        }
    }

    /// BufferedReader, BufferedWriter or BufferedRandom.
    pub(crate) fn is_buffered_class(self) -> bool {
        matches!(self, Kind::Reader | Kind::Writer | Kind::Random)
    }
}

/// The data of a file object (`Value::Native`). What never changes after `open()` sits
/// outside the lock, so attributes like `closed` and `fileno()` never wait for a thread
/// blocked in a read.
pub(crate) struct FileObj {
    pub kind: Kind,
    /// The `name` attribute: the path or descriptor as given to `open()`.
    pub name: Value,
    /// The `mode` attribute.
    pub mode: String,
    pub fd: i32,
    pub readable: bool,
    pub writable: bool,
    pub seekable: bool,
    pub closefd: bool,
    /// Text files: the encoding and error handler as the program named them.
    pub encoding: String,
    pub errors: String,
    pub line_buffering: bool,
    /// Set (under the lock) when the file is closed.
    pub closed: AtomicBool,
    pub state: Arc<Mutex<FileState>>,
}

impl FileObj {
    pub(crate) fn into_value(self) -> Value {
        Value::Native(Arc::new(crate::vm::objects::NativeObj {
            class: self.kind.class().clone(),
            data: Box::new(self),
        }))
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.closed.load(Ordering::Acquire)
    }

    /// Takes the file's lock, waiting without the interpreter lock if another thread holds
    /// it (that thread may be blocked in a read that only a third thread can satisfy).
    pub(crate) fn lock(&self, vm: &mut Vm) -> MutexGuard<'_, FileState> {
        if let Some(g) = self.state.try_lock() {
            return g;
        }
        vm.allow_threads(Release::Io, || self.state.lock())
    }

    /// Fails as this class does when the file is closed or cannot do `op`. The buffered
    /// classes lack the methods they cannot run, so that error comes first; TextIOWrapper
    /// and FileIO check for a closed file first.
    pub(crate) fn check(&self, op: Op) -> PyResult<()> {
        let unsupported_msg = unsupported_message(self.kind, op, self.readable, self.writable);
        // (Buffered truncate checks for a closed file first.)
        if let (true, Some(msg)) = (self.kind.is_buffered_class() && op != Op::Truncate, unsupported_msg) {
            return Err(unsupported(msg));
        }
        if self.is_closed() {
            return Err(value_error(closed_message(self.kind, op, self.writable)));
        }
        match unsupported_msg {
            Some(msg) => Err(unsupported(msg)),
            None => Ok(()),
        }
    }

    /// The buffered classes lack the methods they cannot run entirely, so that error even
    /// comes before the arguments are looked at.
    pub(crate) fn check_method_exists(&self, op: Op) -> PyResult<()> {
        match unsupported_message(self.kind, op, self.readable, self.writable) {
            Some(msg) if self.kind.is_buffered_class() => Err(unsupported(msg)),
            _ => Ok(()),
        }
    }

    /// Takes the lock for `op`, after [`check`](Self::check).
    pub(crate) fn enter(&self, vm: &mut Vm, op: Op) -> PyResult<MutexGuard<'_, FileState>> {
        let st = self.lock(vm);
        self.check(op)?;
        Ok(st)
    }

    /// `readable()`/`writable()`: on a closed file, a class without the capability answers
    /// False without looking (IOBase's default); the others ask the closed FileIO.
    pub(crate) fn capability(&self, writing: bool) -> PyResult<bool> {
        let has = if writing { self.writable } else { self.readable };
        if self.is_closed() && (has || self.kind == Kind::Raw) {
            return Err(value_error(FILEIO_CLOSED));
        }
        Ok(has)
    }
}

/// What a method is about to do, for the error messages.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Op {
    Read,
    /// FileIO.readall, which just calls read(2) (EBADF on a write-only descriptor).
    ReadAll,
    Read1,
    Peek,
    Readline,
    Readlines,
    Next,
    Iter,
    Enter,
    Write,
    Writelines,
    Flush,
    Seek,
    Tell,
    Truncate,
    Fileno,
    Isatty,
    Seekable,
}

impl Op {
    fn reads(self) -> bool {
        matches!(
            self,
            Op::Read | Op::Read1 | Op::Peek | Op::Readline | Op::Readlines | Op::Next
        )
    }
}

/// io.UnsupportedOperation's message when this class cannot do `op` on this file.
fn unsupported_message(kind: Kind, op: Op, readable: bool, writable: bool) -> Option<&'static str> {
    match kind {
        Kind::Text if op.reads() && !readable => Some("not readable"),
        Kind::Text if op == Op::Write && !writable => Some("not writable"),
        Kind::Text if op == Op::Truncate && !writable => Some("truncate"),
        Kind::Raw if op.reads() && !readable => Some("File not open for reading"),
        Kind::Raw if matches!(op, Op::Write | Op::Truncate) && !writable => Some("File not open for writing"),
        Kind::Writer if op == Op::Read1 => Some("read1"),
        Kind::Writer if op.reads() => Some("read"),
        Kind::Reader if op == Op::Write => Some("write"),
        Kind::Reader if op == Op::Truncate => Some("truncate"),
        _ => None,
    }
}

const IOBASE_CLOSED: &str = "I/O operation on closed file.";
const FILEIO_CLOSED: &str = "I/O operation on closed file";

/// The ValueError a closed file gives for `op`: each class (and each layer CPython
/// delegates to) words it differently.
fn closed_message(kind: Kind, op: Op, writable: bool) -> &'static str {
    let delegated = matches!(op, Op::Tell | Op::Fileno | Op::Isatty | Op::Seekable);
    match kind {
        Kind::Text if delegated && op != Op::Tell => FILEIO_CLOSED,
        Kind::Text => IOBASE_CLOSED,
        Kind::Raw => match op {
            Op::Flush | Op::Readlines | Op::Iter | Op::Enter | Op::Writelines => IOBASE_CLOSED,
            _ => FILEIO_CLOSED,
        },
        Kind::Reader | Kind::Writer | Kind::Random => match op {
            Op::Read | Op::Read1 => "read of closed file",
            Op::Readline | Op::Next => "readline of closed file",
            Op::Peek => "peek of closed file",
            Op::Seek => "seek of closed file",
            Op::Write => "write to closed file",
            Op::Truncate => "truncate of closed file",
            Op::Flush if writable => "flush of closed file",
            _ if delegated => FILEIO_CLOSED,
            _ => IOBASE_CLOSED,
        },
    }
}

/// The file object `args.pos[0]`.
pub(crate) fn this<'a>(args: &Args<'a>, method: &str) -> PyResult<&'a FileObj> {
    match args.pos.first() {
        Some(Value::Native(n)) => match n.data.downcast_ref::<FileObj>() {
            Some(f) => Ok(f),
            None => Err(wrong_self(method, &n.class.name)),
        },
        Some(other) => Err(wrong_self(method, type_name(other))),
        None => Err(type_error(format!("descriptor '{method}' needs an argument"))),
    }
}

#[cold]
fn wrong_self(method: &str, got: &str) -> PyErr {
    type_error(format!(
        "descriptor '{method}' requires a '_io._IOBase' object but received a '{got}'"
    ))
}

// ---- the classes ----

static TEXT_CLASS: LazyLock<Arc<Class>> = LazyLock::new(|| file_class(Kind::Text));
static READER_CLASS: LazyLock<Arc<Class>> = LazyLock::new(|| file_class(Kind::Reader));
static WRITER_CLASS: LazyLock<Arc<Class>> = LazyLock::new(|| file_class(Kind::Writer));
static RANDOM_CLASS: LazyLock<Arc<Class>> = LazyLock::new(|| file_class(Kind::Random));
static RAW_CLASS: LazyLock<Arc<Class>> = LazyLock::new(|| file_class(Kind::Raw));

/// A class with the methods and attributes of `kind`. Attributes (`closed`, `name`…) are
/// read-only properties whose getter is a built-in.
fn file_class(kind: Kind) -> Arc<Class> {
    let mut dict = new_attr_map();
    let extra: &[&'static BuiltinFunction] = match kind {
        Kind::Text => methods::TEXT_ONLY,
        Kind::Reader | Kind::Random => methods::READER_ONLY,
        Kind::Writer => methods::WRITER_ONLY,
        Kind::Raw => methods::RAW_ONLY,
    };
    for m in methods::COMMON.iter().chain(extra) {
        dict.insert(Arc::from(m.name), Value::Builtin(m));
    }
    let getters: &[&'static BuiltinFunction] = match kind {
        Kind::Text => methods::TEXT_ATTRS,
        Kind::Raw => methods::RAW_ATTRS,
        _ => &[],
    };
    for g in methods::COMMON_ATTRS.iter().chain(getters) {
        let prop = Property {
            fget: Value::Builtin(g),
            fset: Value::None,
            fdel: Value::None,
        };
        dict.insert(Arc::from(g.name), Value::Property(Arc::new(prop)));
    }
    make_class(
        kind.class_name(),
        "_io",
        Some(&types().object),
        dict,
        Some(BuiltinType::Native),
    )
}
