//! The `builtins` namespace: built-in functions, type constructors and exception classes.
//! Each group of functions lives in its own file.

pub mod args;
pub mod constructors;
pub mod file;
pub mod format_spec;
pub mod functions;
pub mod limits;
pub mod methods;
pub mod parse_num;

use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

use crate::vm::dict::{new_dict_storage, Key};
use crate::vm::objects::{Args, BuiltinType, Class, DictObj};
use crate::vm::types::{exc, types};
use crate::vm::value::Value;
use crate::vm::vm::Vm;
use crate::vm::PyResult;

static BUILTINS: LazyLock<HashMap<&'static str, Value>> = LazyLock::new(|| {
    let mut m: HashMap<&'static str, Value> = HashMap::new();
    for f in functions::FUNCTIONS {
        m.insert(f.name, Value::Builtin(f));
    }
    m.insert(file::OPEN.name, Value::Builtin(&file::OPEN));
    let t = types();
    for (name, class) in [
        ("object", &t.object),
        ("type", &t.type_),
        ("bool", &t.bool_),
        ("int", &t.int),
        ("float", &t.float),
        ("str", &t.str_),
        ("bytes", &t.bytes),
        ("tuple", &t.tuple),
        ("list", &t.list),
        ("dict", &t.dict),
        ("set", &t.set),
        ("frozenset", &t.frozenset),
        ("range", &t.range),
        ("slice", &t.slice),
        ("property", &t.property),
        ("staticmethod", &t.staticmethod),
        ("classmethod", &t.classmethod),
        ("super", &t.super_),
    ] {
        m.insert(name, Value::Class(class.clone()));
    }
    for c in &exc().all {
        // Leaked once per process: the class names live as long as the builtins table.
        let name: &'static str = Box::leak(c.name.to_string().into_boxed_str());
        m.insert(name, Value::Class(c.clone()));
    }
    // Old names of OSError, kept as aliases by Python 3.3+ (PEP 3151).
    m.insert("IOError", Value::Class(exc().os_error.clone()));
    m.insert("EnvironmentError", Value::Class(exc().os_error.clone()));
    m.insert("Ellipsis", Value::Ellipsis);
    m.insert("NotImplemented", Value::NotImplemented);
    m.insert("__name__", Value::str("builtins"));
    m
});

/// Every built-in name, sorted (for "Did you mean" suggestions).
pub fn builtin_names() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = BUILTINS.keys().copied().collect();
    v.sort_unstable();
    v
}

/// The built-in named `name`, if any.
pub fn lookup_builtin(name: &str) -> Option<Value> {
    BUILTINS.get(name).cloned()
}

/// Calling a built-in type: `int(x)`, `list(it)`, `dict(a=1)`…
pub fn construct(vm: &mut Vm, class: &Arc<Class>, kind: BuiltinType, args: Args<'_>) -> PyResult<Value> {
    constructors::construct(vm, class, kind, args)
}

/// A dict from key/value pairs.
pub fn dict_from_pairs(pairs: Vec<(Value, Value)>) -> PyResult<Value> {
    let mut map = new_dict_storage();
    for (k, v) in pairs {
        map.insert(Key::new(k)?, v);
    }
    Ok(Value::Dict(Arc::new(DictObj::new(map))))
}
