//! `set` and `frozenset` methods (Objects/setobject.c).

use std::sync::Arc;

use crate::builtins::args::method_args;
use crate::vm::dict::{new_set_storage, Key, SetStorage};
use crate::vm::errors::{key_error, type_error};
use crate::vm::objects::{Args, BuiltinFunction, SetObj};
use crate::vm::types::type_name;
use crate::vm::value::Value;
use crate::vm::vm::Vm;
use crate::vm::PyResult;

macro_rules! statics {
    ($($stat:ident = $name:literal => $func:ident;)*) => {
        $(pub static $stat: BuiltinFunction = BuiltinFunction { name: $name, func: $func };)*
    };
}

statics! {
    ADD = "add" => add;
    DISCARD = "discard" => discard;
    REMOVE = "remove" => remove;
    POP = "pop" => pop;
    CLEAR = "clear" => clear;
    COPY = "copy" => copy;
    UPDATE = "update" => update;
    UNION = "union" => union;
    INTERSECTION = "intersection" => intersection;
    DIFFERENCE = "difference" => difference;
    SYMMETRIC_DIFFERENCE = "symmetric_difference" => symmetric_difference;
    INTERSECTION_UPDATE = "intersection_update" => intersection_update;
    DIFFERENCE_UPDATE = "difference_update" => difference_update;
    SYMMETRIC_DIFFERENCE_UPDATE = "symmetric_difference_update" => symmetric_difference_update;
    ISSUBSET = "issubset" => issubset;
    ISSUPERSET = "issuperset" => issuperset;
    ISDISJOINT = "isdisjoint" => isdisjoint;
    DUNDER_LEN = "__len__" => dunder_len;
    DUNDER_CONTAINS = "__contains__" => dunder_contains;
    DUNDER_ITER = "__iter__" => dunder_iter;
}

pub static METHODS: &[&BuiltinFunction] = &[
    &ADD,
    &DISCARD,
    &REMOVE,
    &POP,
    &CLEAR,
    &COPY,
    &UPDATE,
    &UNION,
    &INTERSECTION,
    &DIFFERENCE,
    &SYMMETRIC_DIFFERENCE,
    &INTERSECTION_UPDATE,
    &DIFFERENCE_UPDATE,
    &SYMMETRIC_DIFFERENCE_UPDATE,
    &ISSUBSET,
    &ISSUPERSET,
    &ISDISJOINT,
    &DUNDER_LEN,
    &DUNDER_CONTAINS,
    &DUNDER_ITER,
];

pub static FROZEN_METHODS: &[&BuiltinFunction] = &[
    &COPY,
    &UNION,
    &INTERSECTION,
    &DIFFERENCE,
    &SYMMETRIC_DIFFERENCE,
    &ISSUBSET,
    &ISSUPERSET,
    &ISDISJOINT,
    &DUNDER_LEN,
    &DUNDER_CONTAINS,
    &DUNDER_ITER,
];

/// `self`, accepting both set and frozenset (mutators check `frozen` themselves).
fn this<'a>(args: &Args<'a>, method: &str) -> PyResult<&'a Arc<SetObj>> {
    match args.pos.first() {
        Some(Value::Set(s)) => Ok(s),
        Some(other) => Err(type_error(format!(
            "descriptor '{}' for 'set' objects doesn't apply to a '{}' object",
            method,
            type_name(other)
        ))),
        None => Err(type_error(format!("unbound method set.{}() needs an argument", method))),
    }
}

fn mutable<'a>(args: &Args<'a>, method: &str) -> PyResult<&'a Arc<SetObj>> {
    let s = this(args, method)?;
    if s.frozen {
        return Err(type_error(format!(
            "descriptor '{}' for 'set' objects doesn't apply to a 'frozenset' object",
            method
        )));
    }
    Ok(s)
}

/// The elements of any iterable as set storage.
fn storage_of(vm: &mut Vm, v: &Value) -> PyResult<SetStorage> {
    if let Value::Set(s) = v {
        return Ok(s.set.lock().clone());
    }
    let mut out = new_set_storage();
    for item in vm.collect(v)? {
        out.insert(Key::new(item)?);
    }
    Ok(out)
}

fn result(s: &SetObj, set: SetStorage) -> Value {
    Value::Set(Arc::new(SetObj::new(set, s.frozen)))
}

fn add(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let s = mutable(&args, "add")?;
    let rest = method_args("set.add", &args, 1, 1)?;
    let k = Key::new(rest[0].clone())?;
    s.set.lock().insert(k);
    Ok(Value::None)
}

fn discard(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let s = mutable(&args, "discard")?;
    let rest = method_args("set.discard", &args, 1, 1)?;
    let k = Key::new(rest[0].clone())?;
    s.set.lock().shift_remove(&k);
    Ok(Value::None)
}

fn remove(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let s = mutable(&args, "remove")?;
    let rest = method_args("set.remove", &args, 1, 1)?;
    let k = Key::new(rest[0].clone())?;
    let removed = s.set.lock().shift_remove(&k);
    if removed {
        Ok(Value::None)
    } else {
        Err(key_error(rest[0].clone()))
    }
}

fn pop(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let s = mutable(&args, "pop")?;
    method_args("set.pop", &args, 0, 0)?;
    let first = s.set.lock().shift_remove_index(0);
    match first {
        Some(k) => Ok(k.value),
        None => Err(key_error(Value::str("pop from an empty set"))),
    }
}

fn clear(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let s = mutable(&args, "clear")?;
    method_args("set.clear", &args, 0, 0)?;
    let old = std::mem::take(&mut *s.set.lock());
    drop(old);
    Ok(Value::None)
}

fn copy(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let s = this(&args, "copy")?;
    method_args("set.copy", &args, 0, 0)?;
    if s.frozen {
        return Ok(args.pos[0].clone());
    }
    let set = s.set.lock().clone();
    Ok(result(s, set))
}

fn update(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let s = mutable(&args, "update")?;
    for other in args.pos.get(1..).unwrap_or(&[]) {
        let add = storage_of(vm, other)?;
        s.set.lock().extend(add);
    }
    Ok(Value::None)
}

fn combine(
    vm: &mut Vm,
    args: &Args<'_>,
    name: &str,
    f: impl Fn(&SetStorage, &SetStorage) -> SetStorage,
) -> PyResult<Value> {
    let s = this(args, name)?;
    if !args.kw.is_empty() {
        return Err(type_error(format!("set.{}() takes no keyword arguments", name)));
    }
    let mut acc = s.set.lock().clone();
    for other in args.pos.get(1..).unwrap_or(&[]) {
        let o = storage_of(vm, other)?;
        acc = f(&acc, &o);
    }
    Ok(result(s, acc))
}

fn union(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    combine(vm, &args, "union", |a, b| a.iter().chain(b.iter()).cloned().collect())
}
fn intersection(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    combine(vm, &args, "intersection", |a, b| {
        a.iter().filter(|k| b.contains(*k)).cloned().collect()
    })
}
fn difference(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    combine(vm, &args, "difference", |a, b| {
        a.iter().filter(|k| !b.contains(*k)).cloned().collect()
    })
}
fn symmetric_difference(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    this(&args, "symmetric_difference")?;
    method_args("set.symmetric_difference", &args, 1, 1)?;
    combine(vm, &args, "symmetric_difference", sym_diff)
}

fn sym_diff(a: &SetStorage, b: &SetStorage) -> SetStorage {
    a.iter()
        .filter(|k| !b.contains(*k))
        .chain(b.iter().filter(|k| !a.contains(*k)))
        .cloned()
        .collect()
}

fn in_place(
    vm: &mut Vm,
    args: &Args<'_>,
    name: &str,
    f: impl Fn(&SetStorage, &SetStorage) -> SetStorage,
) -> PyResult<Value> {
    let s = mutable(args, name)?;
    let mut acc = s.set.lock().clone();
    for other in args.pos.get(1..).unwrap_or(&[]) {
        let o = storage_of(vm, other)?;
        acc = f(&acc, &o);
    }
    *s.set.lock() = acc;
    Ok(Value::None)
}

fn intersection_update(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    in_place(vm, &args, "intersection_update", |a, b| {
        a.iter().filter(|k| b.contains(*k)).cloned().collect()
    })
}
fn difference_update(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    in_place(vm, &args, "difference_update", |a, b| {
        a.iter().filter(|k| !b.contains(*k)).cloned().collect()
    })
}
fn symmetric_difference_update(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    method_args("set.symmetric_difference_update", &args, 1, 1)?;
    in_place(vm, &args, "symmetric_difference_update", sym_diff)
}

fn relation(vm: &mut Vm, args: &Args<'_>, name: &str, f: impl Fn(&SetStorage, &SetStorage) -> bool) -> PyResult<Value> {
    let s = this(args, name)?;
    let rest = method_args(&format!("set.{}", name), args, 1, 1)?;
    let other = storage_of(vm, &rest[0])?;
    let mine = s.set.lock().clone();
    Ok(Value::Bool(f(&mine, &other)))
}

fn issubset(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    relation(vm, &args, "issubset", |a, b| a.iter().all(|k| b.contains(k)))
}
fn issuperset(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    relation(vm, &args, "issuperset", |a, b| b.iter().all(|k| a.contains(k)))
}
fn isdisjoint(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    relation(vm, &args, "isdisjoint", |a, b| !a.iter().any(|k| b.contains(k)))
}

fn dunder_len(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let s = this(&args, "__len__")?;
    method_args("set.__len__", &args, 0, 0)?;
    let n = s.set.lock().len();
    Ok(Value::from(n))
}

fn dunder_contains(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let s = this(&args, "__contains__")?;
    let rest = method_args("set.__contains__", &args, 1, 1)?;
    let k = Key::new(rest[0].clone())?;
    let found = s.set.lock().contains(&k);
    Ok(Value::Bool(found))
}

fn dunder_iter(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    this(&args, "__iter__")?;
    method_args("set.__iter__", &args, 0, 0)?;
    vm.get_iter(&args.pos[0])
}
