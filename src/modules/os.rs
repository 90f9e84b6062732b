//! The `os` module (process and environment queries) and a small `os.path`.

use std::path::Path;
use std::sync::Arc;

use super::{arity, native_module};
use crate::builtins::dict_from_pairs;
use crate::vm::errors::type_error;
use crate::vm::objects::{Args, BuiltinFunction, Module};
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

static FUNCTIONS: &[&BuiltinFunction] = &[&CPU_COUNT, &GETPID, &GETPPID, &GETENV, &GETCWD];
static PATH_FUNCTIONS: &[&BuiltinFunction] = &[
    &JOIN, &EXISTS, &ISFILE, &ISDIR, &BASENAME, &DIRNAME, &SPLIT, &SPLITEXT, &ISABS, &ABSPATH,
];

macro_rules! builtin {
    ($static:ident, $name:literal, $f:ident) => {
        static $static: BuiltinFunction = BuiltinFunction {
            name: $name,
            func: $f,
        };
    };
}

builtin!(CPU_COUNT, "cpu_count", cpu_count);
builtin!(GETPID, "getpid", getpid);
builtin!(GETPPID, "getppid", getppid);
builtin!(GETENV, "getenv", getenv);
builtin!(GETCWD, "getcwd", getcwd);
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
    Ok(match std::thread::available_parallelism() {
        Ok(n) => Value::from(n.get()),
        Err(_) => Value::None,
    })
}

fn getpid(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "getpid", 0, 0)?;
    Ok(Value::Int(std::process::id() as i64))
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
