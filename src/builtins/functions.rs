//! Built-in functions (`print`, `len`, `isinstance`…).

use crate::vm::errors::type_error;
use crate::vm::objects::{Args, BuiltinFunction};
use crate::vm::types::type_name;
use crate::vm::value::Value;
use crate::vm::vm::Vm;
use crate::vm::PyResult;

/// Every built-in function, registered in the builtins namespace.
pub static FUNCTIONS: &[&BuiltinFunction] = &[&PRINT, &LEN, &REPR, &ISINSTANCE];

/// Fails unless `args` has between `min` and `max` positional arguments and no keywords.
pub fn check_args(name: &str, args: &Args<'_>, min: usize, max: usize) -> PyResult<()> {
    if let Some((k, _)) = args.kw.first() {
        return Err(type_error(format!(
            "{}() takes no keyword arguments (got '{}')",
            name, k
        )));
    }
    let n = args.pos.len();
    if n < min || n > max {
        return Err(type_error(if min == max {
            format!(
                "{}() takes exactly {} argument{} ({} given)",
                name,
                min,
                if min == 1 { "" } else { "s" },
                n
            )
        } else if n < min {
            format!(
                "{} expected at least {} argument{}, got {}",
                name,
                min,
                if min == 1 { "" } else { "s" },
                n
            )
        } else {
            format!(
                "{} expected at most {} argument{}, got {}",
                name,
                max,
                if max == 1 { "" } else { "s" },
                n
            )
        }));
    }
    Ok(())
}

pub static PRINT: BuiltinFunction = BuiltinFunction {
    name: "print",
    func: print,
};
fn print(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let mut sep = " ".to_string();
    let mut end = "\n".to_string();
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
            ("flush" | "file", _) => {}
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
    vm.interp
        .write_stdout(&out)
        .map_err(|e| crate::vm::errors::os_error(e.to_string()))?;
    Ok(Value::None)
}

pub static LEN: BuiltinFunction = BuiltinFunction {
    name: "len",
    func: len,
};
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

pub static ISINSTANCE: BuiltinFunction = BuiltinFunction {
    name: "isinstance",
    func: isinstance,
};
fn isinstance(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    check_args("isinstance", &args, 2, 2)?;
    Ok(Value::Bool(crate::vm::types::isinstance(
        &args.pos[0],
        &args.pos[1],
    )?))
}
