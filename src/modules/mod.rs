//! Built-in modules, one file each, and the registry `import` consults first.

/// `builtin!(STATIC, "name", function)`: a module function as a `BuiltinFunction` static.
/// Defined before the `mod` lines so that every module file can use it.
macro_rules! builtin {
    ($static:ident, $name:literal, $f:ident) => {
        static $static: BuiltinFunction = BuiltinFunction {
            name: $name,
            func: $f,
        };
    };
}

mod math;
mod os;
mod process;
mod process_channel;
mod process_count;
mod random;
mod sys;
mod thread;
mod time;

use std::sync::Arc;

use crate::vm::errors::type_error;
use crate::vm::objects::{new_attr_map, Args, BuiltinFunction, BuiltinType, Class, Module};
use crate::vm::ops::as_f64;
use crate::vm::types::{make_class, type_name, types};
use crate::vm::value::Value;
use crate::vm::vm::Vm;
use crate::vm::PyResult;

/// A module constructor: builds the module for one interpreter.
type Create = fn(&mut Vm) -> PyResult<Arc<Module>>;

/// The modules implemented in Rust, by import name.
const REGISTRY: &[(&str, Create)] = &[
    ("math", math::create),
    ("time", time::create),
    ("os", os::create),
    ("os.path", os::create_path),
    ("sys", sys::create),
    ("random", random::create),
    ("_thread", thread::create),
    ("_gilsim_process", process::create),
];

/// Names of the modules implemented in Rust.
pub const BUILTIN_MODULES: &[&str] = &[
    "math",
    "time",
    "os",
    "os.path",
    "sys",
    "random",
    "_thread",
    "_gilsim_process",
];

pub fn is_builtin_module(name: &str) -> bool {
    BUILTIN_MODULES.contains(&name)
}

/// Creates built-in module `name` for this interpreter; `None` if there is no such module.
pub fn create(vm: &mut Vm, name: &str) -> Option<PyResult<Arc<Module>>> {
    REGISTRY.iter().find(|(n, _)| *n == name).map(|(_, create)| create(vm))
}

// ---- helpers shared by the modules ----

/// A module from its name and functions plus other attributes.
fn native_module(name: &str, funcs: &[&'static BuiltinFunction], attrs: Vec<(&str, Value)>) -> Arc<Module> {
    let mut entries: Vec<(&str, Value)> = funcs.iter().map(|f| (f.name, Value::Builtin(f))).collect();
    entries.extend(attrs);
    entries.push(("__name__", Value::str(name)));
    Module::new_native(name, entries)
}

/// A class whose instances are `Value::Native` objects with the given methods.
fn native_class(name: &str, module: &str, methods: &[&'static BuiltinFunction]) -> Arc<Class> {
    let mut dict = new_attr_map();
    for m in methods {
        dict.insert(Arc::from(m.name), Value::Builtin(m));
    }
    make_class(name, module, Some(&types().object), dict, Some(BuiltinType::Native))
}

/// Checks the positional argument count, CPython's "f() takes ... arguments" errors.
fn arity(args: &Args<'_>, name: &str, min: usize, max: usize) -> PyResult<()> {
    let n = args.pos.len();
    if n >= min && n <= max {
        return Ok(());
    }
    Err(type_error(if min == max {
        match min {
            0 => format!("{}() takes no arguments ({} given)", name, n),
            1 => format!("{}() takes exactly one argument ({} given)", name, n),
            _ => format!("{} expected {} arguments, got {}", name, min, n),
        }
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
    }))
}

/// A float argument: ints and bools convert, anything else is CPython's TypeError.
fn arg_f64(v: &Value) -> PyResult<f64> {
    match as_f64(v) {
        Some(r) => r,
        None => Err(type_error(format!("must be real number, not {}", type_name(v)))),
    }
}
