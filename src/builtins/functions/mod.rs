//! Built-in functions (`print`, `len`, `isinstance`…), grouped by concern in submodules.

pub mod introspection;
mod iteration;
mod numeric;
pub mod sorting;

use crate::vm::errors::{os_error, type_error, PyErr};
use crate::vm::objects::{Args, BuiltinFunction};
use crate::vm::types::{exc, type_name};
use crate::vm::value::Value;
use crate::vm::vm::Vm;
use crate::vm::PyResult;

pub use super::args::check_args;
pub use introspection::*;
pub use iteration::*;
pub use numeric::*;

/// Every built-in function, registered in the builtins namespace.
pub static FUNCTIONS: &[&BuiltinFunction] = &[
    &PRINT,
    &LEN,
    &REPR,
    &ASCII,
    &FORMAT,
    &INPUT,
    &EXIT,
    &QUIT,
    // iteration
    &ENUMERATE,
    &ZIP,
    &MAP,
    &FILTER,
    &SUM,
    &MIN,
    &MAX,
    &SORTED,
    &REVERSED,
    &ITER,
    &NEXT,
    &ANY,
    &ALL,
    // numbers and characters
    &ABS,
    &ROUND,
    &DIVMOD,
    &POW,
    &ORD,
    &CHR,
    &HASH,
    &ID,
    &BIN,
    &HEX,
    &OCT,
    // introspection
    &ISINSTANCE,
    &ISSUBCLASS,
    &CALLABLE,
    &HASATTR,
    &GETATTR,
    &SETATTR,
    &DELATTR,
    &VARS,
    &DIR,
    &GLOBALS,
    &LOCALS,
];

pub static PRINT: BuiltinFunction = BuiltinFunction {
    name: "print",
    func: print,
};
fn print(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let mut sep = " ".to_string();
    let mut end = "\n".to_string();
    let mut file = Value::None;
    let mut flush = false;
    for (k, v) in args.kw {
        match (&**k, v) {
            ("sep", Value::Str(s)) => sep = s.as_str().to_string(),
            ("end", Value::Str(s)) => end = s.as_str().to_string(),
            ("sep" | "end", Value::None) => {}
            ("sep" | "end", other) => {
                return Err(type_error(format!(
                    "{} must be None or a string, not {}",
                    k,
                    type_name(other)
                )))
            }
            ("file", v) => file = v.clone(),
            ("flush", v) => flush = vm.truthy(v)?,
            _ => {
                return Err(type_error(format!(
                    "'{}' is an invalid keyword argument for print()",
                    k
                )))
            }
        }
    }
    let mut out = String::new();
    for (i, a) in args.pos.iter().enumerate() {
        if i > 0 {
            out.push_str(&sep);
        }
        out.push_str(&vm.str(a)?);
    }
    out.push_str(&end);
    // A file object with a Python-visible `write` (sys.stderr, a user's writer) gets the
    // text; anything else, like sys.stdout or None, means standard output.
    if !file.is_none() {
        // Python/bltinmodule.c builtin_print_impl: a file without `write` is an
        // AttributeError, not a silent fallback to stdout.
        let write = vm.getattr(&file, "write")?;
        if !matches!(write, Value::Builtin(_)) || !is_stdout(vm, &file) {
            vm.call(&write, &[Value::string(out)])?;
            if flush {
                if let Some(f) = vm.getattr_opt(&file, "flush")? {
                    vm.call(&f, &[])?;
                }
            }
            return Ok(Value::None);
        }
    }
    vm.write_stdout(&out)?;
    if flush {
        vm.flush_stdout()?;
    }
    Ok(Value::None)
}

/// True if `file` is the `sys.stdout` object of this interpreter.
fn is_stdout(vm: &mut Vm, file: &Value) -> bool {
    let sys = vm.interp.modules.lock().get("sys").cloned();
    match sys.and_then(|m| m.get("stdout")) {
        Some(out) => out.is(file),
        None => false,
    }
}

pub static LEN: BuiltinFunction = BuiltinFunction { name: "len", func: len };
fn len(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    check_args("len", &args, 1, 1)?;
    vm.len(&args.pos[0]).map(Value::from)
}

pub static REPR: BuiltinFunction = BuiltinFunction {
    name: "repr",
    func: repr,
};
fn repr(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    check_args("repr", &args, 1, 1)?;
    vm.repr(&args.pos[0]).map(Value::string)
}

pub static ASCII: BuiltinFunction = BuiltinFunction {
    name: "ascii",
    func: ascii,
};
fn ascii(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    check_args("ascii", &args, 1, 1)?;
    let r = vm.repr(&args.pos[0])?;
    Ok(Value::string(crate::vm::format::ascii_escape(&r)))
}

pub static FORMAT: BuiltinFunction = BuiltinFunction {
    name: "format",
    func: format,
};
fn format(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    check_args("format", &args, 1, 2)?;
    let spec = match args.pos.get(1) {
        None => "",
        Some(Value::Str(s)) => s.as_str(),
        Some(other) => {
            return Err(type_error(format!(
                "format() argument 2 must be str, not {}",
                type_name(other)
            )))
        }
    };
    vm.format(&args.pos[0], spec).map(Value::string)
}

pub static INPUT: BuiltinFunction = BuiltinFunction {
    name: "input",
    func: input,
};
/// `input([prompt])` (Python/bltinmodule.c builtin_input_impl, the non-terminal path):
/// writes the prompt, flushes standard output (ignoring a failure, as CPython does), and
/// waits for a line without the interpreter lock, so other threads run meanwhile.
fn input(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    check_args("input", &args, 0, 1)?;
    if let Some(p) = args.pos.first() {
        let prompt = vm.str(p)?;
        vm.write_stdout(&prompt)?;
    }
    let _ = vm.flush_stdout();
    let read = vm.allow_threads(crate::gil::Release::Io, || {
        use std::io::BufRead;
        let mut line = Vec::new();
        std::io::stdin().lock().read_until(b'\n', &mut line).map(|n| (n, line))
    });
    match read {
        Ok((0, _)) => Err(PyErr::new(&exc().eof_error, "EOF when reading a line")),
        Ok((_, mut line)) => {
            if line.last() == Some(&b'\n') {
                line.pop();
            }
            // CPython decodes with surrogateescape; gilsim's strings cannot hold the lone
            // surrogates that produces, so undecodable bytes become U+FFFD.
            Ok(Value::string(String::from_utf8_lossy(&line).into_owned()))
        }
        Err(e) => Err(os_error(e.to_string())),
    }
}

pub static EXIT: BuiltinFunction = BuiltinFunction {
    name: "exit",
    func: exit,
};
pub static QUIT: BuiltinFunction = BuiltinFunction {
    name: "quit",
    func: exit,
};
fn exit(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    check_args("exit", &args, 0, 1)?;
    Err(PyErr::with_args(&exc().system_exit, args.pos.to_vec()))
}
