//! The `sys` module: argv, exit, interpreter settings (recursion limit, switch interval),
//! version information and the standard streams.

use std::io::Write;
use std::sync::atomic::Ordering;
use std::sync::{Arc, LazyLock};

use super::{arg_f64, arity, native_class, native_module};
use crate::builtins::dict_from_pairs;
use crate::vm::errors::{recursion_error, type_error, value_error, PyErr};
use crate::vm::objects::{Args, BuiltinFunction, Class, Module, NativeObj};
use crate::vm::types::{exc, type_name};
use crate::vm::value::Value;
use crate::vm::vm::Vm;
use crate::vm::PyResult;

pub(super) fn create(vm: &mut Vm) -> PyResult<Arc<Module>> {
    let interp = vm.interp.clone();
    let argv = Value::list(interp.argv.iter().map(|a| Value::str(a)).collect());
    let modules: Vec<(Value, Value)> = interp
        .modules
        .lock()
        .iter()
        .map(|(k, m)| (Value::str(k), Value::Module(m.clone())))
        .collect();
    let path = Value::list(vec![Value::string(interp.script_dir.to_string_lossy().into_owned())]);
    let executable = std::env::current_exe()
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default();
    let version_info = Value::tuple(vec![
        Value::Int(3),
        Value::Int(11),
        Value::Int(0),
        Value::str("final"),
        Value::Int(0),
    ]);
    Ok(native_module(
        "sys",
        FUNCTIONS,
        vec![
            ("argv", argv),
            ("modules", dict_from_pairs(modules)?),
            ("path", path),
            ("executable", Value::string(executable)),
            ("maxsize", Value::Int(i64::MAX)),
            ("version", Value::str("3.11.0 (gilsim)")),
            ("version_info", version_info),
            ("hexversion", Value::Int(0x030b00f0)),
            ("platform", Value::str("linux")),
            ("byteorder", Value::str("little")),
            ("stdout", stream(Stream::Stdout)),
            ("stderr", stream(Stream::Stderr)),
        ],
    ))
}

static FUNCTIONS: &[&BuiltinFunction] = &[
    &EXIT,
    &GETRECURSIONLIMIT,
    &SETRECURSIONLIMIT,
    &GETSWITCHINTERVAL,
    &SETSWITCHINTERVAL,
];

builtin!(EXIT, "exit", exit);
builtin!(GETRECURSIONLIMIT, "getrecursionlimit", getrecursionlimit);
builtin!(SETRECURSIONLIMIT, "setrecursionlimit", setrecursionlimit);
builtin!(GETSWITCHINTERVAL, "getswitchinterval", getswitchinterval);
builtin!(SETSWITCHINTERVAL, "setswitchinterval", setswitchinterval);
builtin!(WRITE, "write", write);
builtin!(FLUSH, "flush", flush);

/// `sys.exit([code])`: raises SystemExit carrying the code.
fn exit(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "exit", 0, 1)?;
    Err(PyErr::with_args(&exc().system_exit, args.pos.to_vec()))
}

fn getrecursionlimit(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "getrecursionlimit", 0, 0)?;
    Ok(Value::from(vm.interp.recursion_limit()))
}

fn setrecursionlimit(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "setrecursionlimit", 1, 1)?;
    let n = match &args.pos[0] {
        Value::Int(i) => *i,
        Value::Bool(b) => *b as i64,
        Value::BigInt(_) => {
            return Err(crate::vm::errors::overflow_error(
                "Python int too large to convert to C int",
            ))
        }
        other => {
            return Err(type_error(format!(
                "'{}' object cannot be interpreted as an integer",
                type_name(other)
            )))
        }
    };
    if n < 1 {
        return Err(value_error("recursion limit must be greater or equal than 1"));
    }
    if n > i32::MAX as i64 {
        return Err(crate::vm::errors::overflow_error(
            "Python int too large to convert to C int",
        ));
    }
    let depth = vm.frames.len();
    if n as usize <= depth {
        return Err(recursion_error(format!(
            "cannot set the recursion limit to {} at the recursion depth {}: the limit is too low",
            n, depth
        )));
    }
    vm.interp.recursion_limit.store(n as usize, Ordering::Relaxed);
    Ok(Value::None)
}

fn getswitchinterval(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "getswitchinterval", 0, 0)?;
    Ok(Value::Float(
        vm.interp.switch_interval_us.load(Ordering::Relaxed) as f64 / 1e6,
    ))
}

fn setswitchinterval(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "setswitchinterval", 1, 1)?;
    let secs = arg_f64(&args.pos[0])?;
    if secs.is_nan() || secs <= 0.0 {
        return Err(value_error("switch interval must be strictly positive"));
    }
    // Python/ceval_gil.c stores microseconds, at least one.
    let us = (secs * 1e6).min(u64::MAX as f64) as u64;
    vm.interp.switch_interval_us.store(us.max(1), Ordering::Relaxed);
    Ok(Value::None)
}

// ---- sys.stdout / sys.stderr ----

#[derive(Clone, Copy)]
enum Stream {
    Stdout,
    Stderr,
}

static STREAM_CLASS: LazyLock<Arc<Class>> =
    LazyLock::new(|| native_class("TextIOWrapper", "_io", &[&WRITE, &FLUSH, &STREAM_REPR]));

static STREAM_REPR: BuiltinFunction = BuiltinFunction {
    name: "__repr__",
    func: stream_repr,
};

fn stream_repr(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let name = match stream_of(args.pos.first().unwrap_or(&Value::None))? {
        Stream::Stdout => "<stdout>",
        Stream::Stderr => "<stderr>",
    };
    Ok(Value::string(format!(
        "<_io.TextIOWrapper name='{name}' mode='w' encoding='utf-8'>"
    )))
}

fn stream(which: Stream) -> Value {
    Value::Native(Arc::new(NativeObj {
        class: STREAM_CLASS.clone(),
        data: Box::new(which),
    }))
}

fn stream_of(v: &Value) -> PyResult<Stream> {
    match v {
        Value::Native(n) => n
            .data
            .downcast_ref::<Stream>()
            .copied()
            .ok_or_else(|| type_error("expected a stream")),
        _ => Err(type_error("expected a stream")),
    }
}

fn write(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    if args.pos.len() != 2 {
        return Err(type_error(format!(
            "TextIOWrapper.write() takes exactly one argument ({} given)",
            args.pos.len().saturating_sub(1)
        )));
    }
    let which = stream_of(&args.pos[0])?;
    let s = match &args.pos[1] {
        Value::Str(s) => s.clone(),
        other => {
            return Err(type_error(format!(
                "write() argument must be str, not {}",
                type_name(other)
            )))
        }
    };
    match which {
        Stream::Stdout => vm.write_stdout(s.as_str())?,
        Stream::Stderr => {
            // Keep program output ordered with diagnostics, as a terminal shows them.
            vm.interp.flush_stdout();
            let _ = std::io::stderr().write_all(s.as_str().as_bytes());
        }
    }
    Ok(Value::from(s.char_len()))
}

fn flush(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    match stream_of(args.pos.first().unwrap_or(&Value::None))? {
        Stream::Stdout => vm.flush_stdout()?,
        Stream::Stderr => {
            let _ = std::io::stderr().flush();
        }
    }
    Ok(Value::None)
}
