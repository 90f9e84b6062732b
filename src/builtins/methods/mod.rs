//! Methods of the built-in types, installed in their class dicts; one file per type. Each
//! method takes `self` as `args.pos[0]`, so `str.upper("x")` works unbound too.

pub mod bytes;
pub mod dict;
pub mod exception;
pub mod list;
pub mod numbers;
pub mod object;
pub mod property;
pub mod set;
pub mod str;
pub mod str_format;
pub mod tuple;

use std::sync::Arc;

use crate::vm::objects::{BuiltinFunction, BuiltinType};
use crate::vm::value::Value;

pub use object::OBJECT_INIT;

/// The methods installed on the class of built-in type `kind`. Called while the type
/// objects are being built, so it must not touch `types()` or `exc()`.
pub fn type_methods(kind: BuiltinType) -> Vec<(&'static str, Value)> {
    let table: &[&'static BuiltinFunction] = match kind {
        BuiltinType::Object => object::METHODS,
        BuiltinType::Exception => exception::METHODS,
        BuiltinType::Str => str::METHODS,
        BuiltinType::Bytes => bytes::METHODS,
        BuiltinType::List => list::METHODS,
        BuiltinType::Tuple => tuple::METHODS,
        BuiltinType::Range => tuple::RANGE_METHODS,
        BuiltinType::Dict => dict::METHODS,
        BuiltinType::Set => set::METHODS,
        BuiltinType::FrozenSet => set::FROZEN_METHODS,
        BuiltinType::Int | BuiltinType::Bool => numbers::INT_METHODS,
        BuiltinType::Float => numbers::FLOAT_METHODS,
        BuiltinType::Property => property::METHODS,
        BuiltinType::Generator => crate::vm::generator::METHODS,
        _ => &[],
    };
    let mut out: Vec<(&'static str, Value)> = table.iter().map(|f| (f.name, Value::Builtin(f))).collect();
    // Alternate constructors are class methods: `dict.fromkeys(...)`, `int.from_bytes(...)`.
    let class_methods: &[&'static BuiltinFunction] = match kind {
        BuiltinType::Dict => &[&dict::DICT_FROMKEYS],
        BuiltinType::Int => &[&numbers::INT_FROM_BYTES],
        BuiltinType::Str => &[&str::STR_MAKETRANS],
        BuiltinType::Bytes => &[&bytes::BYTES_FROMHEX],
        _ => &[],
    };
    for f in class_methods {
        let v = if kind == BuiltinType::Str {
            Value::StaticMethod(Arc::new(Value::Builtin(f)))
        } else {
            Value::ClassMethod(Arc::new(Value::Builtin(f)))
        };
        out.push((f.name, v));
    }
    out
}

/// `self` of a method call, or a TypeError worded like CPython's descriptor check.
macro_rules! self_arg {
    ($args:expr, $variant:ident, $method:expr, $tyname:expr) => {
        match $args.pos.first() {
            Some(crate::vm::value::Value::$variant(x)) => x,
            Some(other) => {
                return Err(crate::vm::errors::type_error(format!(
                    "descriptor '{}' for '{}' objects doesn't apply to a '{}' object",
                    $method,
                    $tyname,
                    crate::vm::types::type_name(other)
                )))
            }
            None => {
                return Err(crate::vm::errors::type_error(format!(
                    "unbound method {}.{}() needs an argument",
                    $tyname, $method
                )))
            }
        }
    };
}
pub(crate) use self_arg;
