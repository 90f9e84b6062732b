//! `property` methods: `getter`, `setter`, `deleter` return a copy with one accessor
//! replaced, so `@x.setter` works.

use std::sync::Arc;

use super::self_arg;
use crate::builtins::args::method_args;
use crate::vm::objects::{Args, BuiltinFunction, Property};
use crate::vm::value::Value;
use crate::vm::vm::Vm;
use crate::vm::PyResult;

pub static GETTER: BuiltinFunction = BuiltinFunction {
    name: "getter",
    func: getter,
};
pub static SETTER: BuiltinFunction = BuiltinFunction {
    name: "setter",
    func: setter,
};
pub static DELETER: BuiltinFunction = BuiltinFunction {
    name: "deleter",
    func: deleter,
};
pub static GET: BuiltinFunction = BuiltinFunction {
    name: "__get__",
    func: dunder_get,
};
pub static METHODS: &[&BuiltinFunction] = &[&GETTER, &SETTER, &DELETER, &GET];

fn replace(args: &Args<'_>, name: &str, which: usize) -> PyResult<Value> {
    let p = self_arg!(args, Property, name, "property");
    let rest = method_args(&format!("property.{}", name), args, 1, 1)?;
    let f = rest[0].clone();
    let mut parts = [p.fget.clone(), p.fset.clone(), p.fdel.clone()];
    parts[which] = f;
    let [fget, fset, fdel] = parts;
    Ok(Value::Property(Arc::new(Property { fget, fset, fdel })))
}

fn getter(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    replace(&args, "getter", 0)
}
fn setter(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    replace(&args, "setter", 1)
}
fn deleter(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    replace(&args, "deleter", 2)
}

/// `prop.__get__(obj, type=None)`: the property itself when `obj` is None.
fn dunder_get(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let p = self_arg!(args, Property, "__get__", "property");
    let rest = crate::builtins::args::clinic_args("__get__", &args, 1, 2)?;
    if rest[0].is_none() {
        return Ok(args.pos[0].clone());
    }
    if p.fget.is_none() {
        return Err(crate::vm::errors::attribute_error("property has no getter"));
    }
    let fget = p.fget.clone();
    vm.call(&fget, &[rest[0].clone()])
}
