//! The `os` module (process and environment queries, descriptors and pipes, removing
//! files) and a small `os.path`.
//!
//! The descriptor calls (`pipe`, `read`, `write`, `close`) release the interpreter lock
//! around the system call, as Modules/posixmodule.c does with Py_BEGIN_ALLOW_THREADS, so
//! a thread blocked reading a pipe lets the thread that will write to it run.

use std::ffi::CString;
use std::path::Path;
use std::sync::Arc;

use super::{arity, native_module};
use crate::builtins::args::{no_kwargs, not_integer};
use crate::builtins::dict_from_pairs;
use crate::builtins::file::errors::os_error as errno_error;
use crate::builtins::file::raw;
use crate::gil::Release;
use crate::vm::errors::{overflow_error, type_error, value_error};
use crate::vm::objects::{Args, BuiltinFunction, Module};
use crate::vm::ops::as_i64;
use crate::vm::types::type_name;
use crate::vm::value::Value;
use crate::vm::vm::Vm;
use crate::vm::PyResult;

pub(super) fn create(_vm: &mut Vm) -> PyResult<Arc<Module>> {
    let environ: Vec<(Value, Value)> = std::env::vars_os()
        .map(|(k, v)| {
            (
                Value::string(k.to_string_lossy().into_owned()),
                Value::string(v.to_string_lossy().into_owned()),
            )
        })
        .collect();
    let path = native_module(
        "posixpath",
        PATH_FUNCTIONS,
        vec![
            ("sep", Value::str("/")),
            ("curdir", Value::str(".")),
            ("pardir", Value::str("..")),
        ],
    );
    Ok(native_module(
        "os",
        FUNCTIONS,
        vec![
            ("environ", dict_from_pairs(environ)?),
            ("sep", Value::str("/")),
            ("linesep", Value::str("\n")),
            ("pathsep", Value::str(":")),
            ("curdir", Value::str(".")),
            ("pardir", Value::str("..")),
            ("name", Value::str("posix")),
            ("path", Value::Module(path)),
        ],
    ))
}

/// `import os.path`: the `path` attribute of `os`.
pub(super) fn create_path(vm: &mut Vm) -> PyResult<Arc<Module>> {
    let os = vm.import_module("os")?;
    match os.get("path") {
        Some(Value::Module(m)) => Ok(m),
        _ => Ok(native_module("posixpath", PATH_FUNCTIONS, vec![])),
    }
}

static FUNCTIONS: &[&BuiltinFunction] = &[
    &CPU_COUNT, &GETPID, &GETPPID, &GETENV, &GETCWD, &PIPE, &READ, &WRITE, &CLOSE, &REMOVE, &UNLINK, &FDOPEN,
];
static PATH_FUNCTIONS: &[&BuiltinFunction] = &[
    &JOIN, &EXISTS, &ISFILE, &ISDIR, &BASENAME, &DIRNAME, &SPLIT, &SPLITEXT, &ISABS, &ABSPATH,
];

builtin!(CPU_COUNT, "cpu_count", cpu_count);
builtin!(GETPID, "getpid", getpid);
builtin!(GETPPID, "getppid", getppid);
builtin!(GETENV, "getenv", getenv);
builtin!(GETCWD, "getcwd", getcwd);
builtin!(PIPE, "pipe", pipe);
builtin!(READ, "read", read);
builtin!(WRITE, "write", write);
builtin!(CLOSE, "close", close);
builtin!(REMOVE, "remove", remove);
builtin!(UNLINK, "unlink", unlink);
builtin!(FDOPEN, "fdopen", fdopen);
builtin!(JOIN, "join", join);
builtin!(EXISTS, "exists", exists);
builtin!(ISFILE, "isfile", isfile);
builtin!(ISDIR, "isdir", isdir);
builtin!(BASENAME, "basename", basename);
builtin!(DIRNAME, "dirname", dirname);
builtin!(SPLIT, "split", split);
builtin!(SPLITEXT, "splitext", splitext);
builtin!(ISABS, "isabs", isabs);
builtin!(ABSPATH, "abspath", abspath);

fn cpu_count(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "cpu_count", 0, 0)?;
    Ok(match crate::deterministic::cpu_count() {
        Some(n) => Value::from(n),
        None => Value::None,
    })
}

fn getpid(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "getpid", 0, 0)?;
    // A simulated process (deterministic runs) has its own pid, as a real one would.
    let simulated = crate::process::info(&vm.interp).and_then(|p| p.simulated_pid.get().copied());
    Ok(Value::Int(simulated.unwrap_or_else(std::process::id) as i64))
}

fn getppid(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "getppid", 0, 0)?;
    Ok(Value::Int(std::os::unix::process::parent_id() as i64))
}

fn getcwd(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "getcwd", 0, 0)?;
    let cwd = std::env::current_dir().map_err(|e| crate::vm::errors::os_error(e.to_string()))?;
    Ok(Value::string(cwd.to_string_lossy().into_owned()))
}

// ---- descriptors ----

/// The most one `os.read` asks the kernel for: a program asking for more gets a short
/// read (which read(2) allows) instead of a giant allocation.
const MAX_READ: usize = 1 << 24;

/// A descriptor argument (a C `int`).
fn fd_arg(v: &Value) -> PyResult<i32> {
    let too_large = || overflow_error("Python int too large to convert to C int");
    match v {
        Value::BigInt(_) => Err(too_large()),
        v => i32::try_from(as_i64(v).ok_or_else(|| not_integer(v))?).map_err(|_| too_large()),
    }
}

/// A CPython error for a positional-or-keyword parameter that is missing.
fn missing(func: &str, param: &str) -> crate::vm::PyErr {
    type_error(format!("{func}() missing required argument '{param}' (pos 1)"))
}

/// `os.pipe()`: (read end, write end), non-inheritable.
fn pipe(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    no_kwargs("pipe", &args)?;
    arity(&args, "pipe", 0, 0)?;
    match vm.allow_threads(Release::Io, raw::pipe) {
        Ok((r, w)) => Ok(Value::tuple(vec![Value::Int(r as i64), Value::Int(w as i64)])),
        Err(e) => Err(errno_error(vm, e, None)),
    }
}

/// `os.read(fd, n)`: at most `n` bytes, fewer at end of file or when less is available;
/// blocks (without the interpreter lock) until something is.
fn read(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    no_kwargs("read", &args)?;
    arity(&args, "read", 2, 2)?;
    let fd = fd_arg(&args.pos[0])?;
    let n = match &args.pos[1] {
        Value::BigInt(_) => return Err(overflow_error("Python int too large to convert to C ssize_t")),
        v => as_i64(v).ok_or_else(|| not_integer(v))?,
    };
    // posixmodule.c os_read_impl: a negative length is EINVAL.
    let Ok(n) = usize::try_from(n) else {
        return Err(errno_error(vm, libc::EINVAL, None));
    };
    let mut buf = vec![0u8; n.min(MAX_READ)];
    match vm.allow_threads(Release::Io, || raw::read(fd, &mut buf)) {
        Ok(got) => {
            buf.truncate(got);
            Ok(Value::Bytes(Arc::new(buf)))
        }
        Err(e) => Err(errno_error(vm, e, None)),
    }
}

/// `os.write(fd, data)`: one write(2); returns how many bytes it took.
fn write(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    no_kwargs("write", &args)?;
    arity(&args, "write", 2, 2)?;
    let fd = fd_arg(&args.pos[0])?;
    let data = match &args.pos[1] {
        Value::Bytes(b) => b.clone(),
        other => {
            return Err(type_error(format!(
                "a bytes-like object is required, not '{}'",
                type_name(other)
            )))
        }
    };
    match vm.allow_threads(Release::Io, || raw::write(fd, &data)) {
        Ok(n) => Ok(Value::from(n)),
        Err(e) => Err(errno_error(vm, e, None)),
    }
}

/// `os.close(fd)`.
fn close(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    crate::builtins::args::only_kwargs("close", &args, &["fd"])?;
    let fd = match (args.pos, args.kwarg("fd")) {
        ([fd], None) | ([], Some(fd)) => fd_arg(fd)?,
        ([], None) => return Err(missing("close", "fd")),
        _ => {
            return Err(type_error(format!(
                "close() takes at most 1 argument ({} given)",
                args.pos.len() + args.kw.len()
            )))
        }
    };
    match vm.allow_threads(Release::Io, || raw::close(fd)) {
        Ok(()) => Ok(Value::None),
        Err(e) => Err(errno_error(vm, e, None)),
    }
}

/// `os.remove(path)` and `os.unlink(path)`.
fn remove_path(vm: &mut Vm, args: Args<'_>, func: &str) -> PyResult<Value> {
    crate::builtins::args::only_kwargs(func, &args, &["path", "dir_fd"])?;
    if args.pos.len() > 1 {
        return Err(type_error(format!(
            "{func}() takes exactly 1 positional argument ({} given)",
            args.pos.len()
        )));
    }
    let Some(path) = args.pos.first().or(args.kwarg("path")) else {
        return Err(missing(func, "path"));
    };
    let bytes: Vec<u8> = match path {
        Value::Str(s) => s.as_str().as_bytes().to_vec(),
        Value::Bytes(b) => b.to_vec(),
        other => {
            return Err(type_error(format!(
                "{func}: path should be string, bytes or os.PathLike, not {}",
                type_name(other)
            )))
        }
    };
    let c = CString::new(bytes).map_err(|_| value_error(format!("{func}: embedded null character in path")))?;
    match vm.allow_threads(Release::Io, || raw::unlink(&c)) {
        Ok(()) => Ok(Value::None),
        Err(e) => Err(errno_error(vm, e, Some(path))),
    }
}

fn remove(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    remove_path(vm, args, "remove")
}

fn unlink(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    remove_path(vm, args, "unlink")
}

/// `os.fdopen(fd, *args, **kwargs)`: `open()` on a descriptor (Lib/os.py).
fn fdopen(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let (fd, rest) = match (args.pos.split_first(), args.kwarg("fd")) {
        (Some((fd, rest)), None) => (fd, rest),
        (None, Some(fd)) => (fd, &[][..]),
        (Some(_), Some(_)) => return Err(type_error("fdopen() got multiple values for argument 'fd'")),
        (None, None) => return Err(type_error("fdopen() missing 1 required positional argument: 'fd'")),
    };
    if !matches!(fd, Value::Int(_) | Value::Bool(_) | Value::BigInt(_)) {
        return Err(type_error(format!(
            "invalid fd type (<class '{}'>, expected integer)",
            type_name(fd)
        )));
    }
    let mut pos = vec![fd.clone()];
    pos.extend_from_slice(rest);
    let kw: Vec<(Arc<str>, Value)> = args.kw.iter().filter(|(k, _)| &**k != "fd").cloned().collect();
    (crate::builtins::file::OPEN.func)(vm, Args::new(&pos, &kw))
}

/// A str argument, with the TypeError CPython gives for other types.
fn str_arg<'a>(v: &'a Value, what: &str) -> PyResult<&'a str> {
    match v {
        Value::Str(s) => Ok(s.as_str()),
        other => Err(type_error(format!("{} must be str, not {}", what, type_name(other)))),
    }
}

fn path_arg(v: &Value) -> PyResult<&str> {
    match v {
        Value::Str(s) => Ok(s.as_str()),
        other => Err(type_error(format!(
            "expected str, bytes or os.PathLike object, not {}",
            type_name(other)
        ))),
    }
}

fn getenv(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "getenv", 1, 2)?;
    let key = str_arg(&args.pos[0], "str expected, not")
        .map_err(|_| type_error(format!("str expected, not {}", type_name(&args.pos[0]))))?;
    let default = args
        .pos
        .get(1)
        .or(args.kwarg("default"))
        .cloned()
        .unwrap_or(Value::None);
    Ok(match std::env::var_os(key) {
        Some(v) => Value::string(v.to_string_lossy().into_owned()),
        None => default,
    })
}

/// posixpath.join
fn join(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "join", 1, usize::MAX)?;
    let mut out = path_arg(&args.pos[0])?.to_string();
    for p in &args.pos[1..] {
        let p = path_arg(p)?;
        if p.starts_with('/') {
            out = p.to_string();
        } else if out.is_empty() || out.ends_with('/') {
            out.push_str(p);
        } else {
            out.push('/');
            out.push_str(p);
        }
    }
    Ok(Value::string(out))
}

fn exists(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "exists", 1, 1)?;
    Ok(Value::Bool(Path::new(path_arg(&args.pos[0])?).exists()))
}

fn isfile(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "isfile", 1, 1)?;
    Ok(Value::Bool(Path::new(path_arg(&args.pos[0])?).is_file()))
}

fn isdir(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "isdir", 1, 1)?;
    Ok(Value::Bool(Path::new(path_arg(&args.pos[0])?).is_dir()))
}

fn isabs(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "isabs", 1, 1)?;
    Ok(Value::Bool(path_arg(&args.pos[0])?.starts_with('/')))
}

/// posixpath.split: head (trailing slashes stripped unless all slashes) and tail.
fn split_path(p: &str) -> (String, String) {
    let i = p.rfind('/').map(|i| i + 1).unwrap_or(0);
    let (head, tail) = p.split_at(i);
    let trimmed = head.trim_end_matches('/');
    let head = if trimmed.is_empty() { head } else { trimmed };
    (head.to_string(), tail.to_string())
}

fn split(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "split", 1, 1)?;
    let (head, tail) = split_path(path_arg(&args.pos[0])?);
    Ok(Value::tuple(vec![Value::string(head), Value::string(tail)]))
}

fn basename(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "basename", 1, 1)?;
    Ok(Value::string(split_path(path_arg(&args.pos[0])?).1))
}

fn dirname(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "dirname", 1, 1)?;
    Ok(Value::string(split_path(path_arg(&args.pos[0])?).0))
}

/// genericpath._splitext: the extension starts at the last dot not leading the basename.
fn splitext(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "splitext", 1, 1)?;
    let p = path_arg(&args.pos[0])?;
    let base_start = p.rfind('/').map(|i| i + 1).unwrap_or(0);
    let (root, ext) = match p.rfind('.') {
        Some(dot) if dot > base_start && p[base_start..dot].chars().any(|c| c != '.') => p.split_at(dot),
        _ => (p, ""),
    };
    Ok(Value::tuple(vec![Value::str(root), Value::str(ext)]))
}

/// posixpath.abspath: joined with the working directory and normalised.
fn abspath(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "abspath", 1, 1)?;
    let p = path_arg(&args.pos[0])?;
    let full = if p.starts_with('/') {
        p.to_string()
    } else {
        let cwd = std::env::current_dir().map_err(|e| crate::vm::errors::os_error(e.to_string()))?;
        format!("{}/{}", cwd.to_string_lossy(), p)
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in full.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    Ok(Value::string(format!("/{}", parts.join("/"))))
}
