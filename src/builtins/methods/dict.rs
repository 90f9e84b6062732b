//! `dict` methods (Objects/dictobject.c). Keys are hashed before the lock is taken, and
//! the lock is never held while Python code runs.

use std::sync::Arc;

use super::self_arg;
use crate::builtins::args::{clinic_args, method_args};
use crate::builtins::constructors::dict_update;
use crate::vm::dict::{new_dict_storage, Key};
use crate::vm::errors::{key_error, type_error};
use crate::vm::objects::{Args, BuiltinFunction, DictIterKind, DictObj, DictView};
use crate::vm::value::Value;
use crate::vm::vm::Vm;
use crate::vm::PyResult;

macro_rules! methods {
    ($($stat:ident = $name:literal => $func:ident;)*) => {
        $(pub static $stat: BuiltinFunction = BuiltinFunction { name: $name, func: $func };)*
        pub static METHODS: &[&BuiltinFunction] = &[$(&$stat),*];
    };
}

methods! {
    GET = "get" => get;
    SETDEFAULT = "setdefault" => setdefault;
    POP = "pop" => pop;
    POPITEM = "popitem" => popitem;
    KEYS = "keys" => keys;
    VALUES = "values" => values;
    ITEMS = "items" => items;
    UPDATE = "update" => update;
    COPY = "copy" => copy;
    CLEAR = "clear" => clear;
    DUNDER_GETITEM = "__getitem__" => dunder_getitem;
    DUNDER_SETITEM = "__setitem__" => dunder_setitem;
    DUNDER_DELITEM = "__delitem__" => dunder_delitem;
    DUNDER_CONTAINS = "__contains__" => dunder_contains;
    DUNDER_LEN = "__len__" => dunder_len;
    DUNDER_ITER = "__iter__" => dunder_iter;
}

pub static DICT_FROMKEYS: BuiltinFunction = BuiltinFunction {
    name: "fromkeys",
    func: fromkeys,
};

fn this<'a>(args: &Args<'a>, method: &str) -> PyResult<&'a Arc<DictObj>> {
    Ok(self_arg!(args, Dict, method, "dict"))
}

fn get(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let d = this(&args, "get")?;
    let rest = clinic_args("get", &args, 1, 2)?;
    let k = Key::new(rest[0].clone())?;
    let found = d.map.lock().get(&k).cloned();
    Ok(found.unwrap_or_else(|| rest.get(1).cloned().unwrap_or(Value::None)))
}

fn setdefault(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let d = this(&args, "setdefault")?;
    let rest = clinic_args("setdefault", &args, 1, 2)?;
    let k = Key::new(rest[0].clone())?;
    let default = rest.get(1).cloned().unwrap_or(Value::None);
    let mut map = d.map.lock();
    Ok(map.entry(k).or_insert(default).clone())
}

fn pop(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let d = this(&args, "pop")?;
    let rest = clinic_args("pop", &args, 1, 2)?;
    let k = Key::new(rest[0].clone())?;
    let removed = d.map.lock().shift_remove(&k);
    match (removed, rest.get(1)) {
        (Some(v), _) => Ok(v),
        (None, Some(default)) => Ok(default.clone()),
        (None, None) => Err(key_error(rest[0].clone())),
    }
}

fn popitem(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let d = this(&args, "popitem")?;
    method_args("dict.popitem", &args, 0, 0)?;
    let last = d.map.lock().pop();
    match last {
        Some((k, v)) => Ok(Value::tuple(vec![k.value, v])),
        None => Err(key_error(Value::str("popitem(): dictionary is empty"))),
    }
}

fn view(args: &Args<'_>, name: &str, kind: DictIterKind) -> PyResult<Value> {
    let d = this(args, name)?;
    method_args(&format!("dict.{}", name), args, 0, 0)?;
    Ok(Value::DictView(Arc::new(DictView { dict: d.clone(), kind })))
}

fn keys(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    view(&args, "keys", DictIterKind::Keys)
}
fn values(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    view(&args, "values", DictIterKind::Values)
}
fn items(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    view(&args, "items", DictIterKind::Items)
}

fn update(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let d = this(&args, "update")?;
    let rest = args.pos.get(1..).unwrap_or(&[]);
    if rest.len() > 1 {
        return Err(type_error(format!(
            "update expected at most 1 argument, got {}",
            rest.len()
        )));
    }
    // Build the new entries first: the source may be this dict or run Python code.
    let mut incoming = new_dict_storage();
    if let Some(src) = rest.first() {
        dict_update(vm, &mut incoming, src)?;
    }
    for (k, v) in args.kw {
        incoming.insert(Key::new(Value::str(k))?, v.clone());
    }
    let mut map = d.map.lock();
    for (k, v) in incoming {
        map.insert(k, v);
    }
    Ok(Value::None)
}

fn copy(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let d = this(&args, "copy")?;
    method_args("dict.copy", &args, 0, 0)?;
    let map = d.map.lock().clone();
    Ok(Value::Dict(Arc::new(DictObj::new(map))))
}

fn clear(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let d = this(&args, "clear")?;
    method_args("dict.clear", &args, 0, 0)?;
    let old = std::mem::take(&mut *d.map.lock());
    drop(old);
    Ok(Value::None)
}

/// `dict.fromkeys(iterable, value=None)`, installed as a class method.
fn fromkeys(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let rest = clinic_args("fromkeys", &args, 1, 2)?;
    let value = rest.get(1).cloned().unwrap_or(Value::None);
    let mut map = new_dict_storage();
    for k in vm.collect(&rest[0])? {
        map.insert(Key::new(k)?, value.clone());
    }
    Ok(Value::Dict(Arc::new(DictObj::new(map))))
}

fn dunder_getitem(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    this(&args, "__getitem__")?;
    let rest = method_args("dict.__getitem__", &args, 1, 1)?;
    vm.getitem(&args.pos[0], &rest[0])
}

fn dunder_setitem(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    this(&args, "__setitem__")?;
    let rest = clinic_args("__setitem__", &args, 2, 2)?;
    vm.setitem(&args.pos[0], &rest[0], rest[1].clone())?;
    Ok(Value::None)
}

fn dunder_delitem(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    this(&args, "__delitem__")?;
    let rest = method_args("dict.__delitem__", &args, 1, 1)?;
    vm.delitem(&args.pos[0], &rest[0])?;
    Ok(Value::None)
}

fn dunder_contains(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let d = this(&args, "__contains__")?;
    let rest = method_args("dict.__contains__", &args, 1, 1)?;
    let k = Key::new(rest[0].clone())?;
    let found = d.map.lock().contains_key(&k);
    Ok(Value::Bool(found))
}

fn dunder_len(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let d = this(&args, "__len__")?;
    method_args("dict.__len__", &args, 0, 0)?;
    let n = d.map.lock().len();
    Ok(Value::from(n))
}

fn dunder_iter(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    this(&args, "__iter__")?;
    method_args("dict.__iter__", &args, 0, 0)?;
    vm.get_iter(&args.pos[0])
}
