//! `list` methods (Objects/listobject.c). The list's lock is never held while Python code
//! runs (comparisons, key functions): items are copied out first.

use std::sync::Arc;

use super::self_arg;
use crate::builtins::args::{bounds, clinic_args, index_i64, method_args, opt_bound};
use crate::builtins::functions::{reverse_flag, sorting::sort_values};
use crate::syntax::ast::{BinOp, CmpOp};
use crate::vm::errors::{index_error, type_error, value_error};
use crate::vm::objects::{Args, BuiltinFunction, ListObj};
use crate::vm::subscript::normalize_index;
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
    APPEND = "append" => append;
    EXTEND = "extend" => extend;
    INSERT = "insert" => insert;
    POP = "pop" => pop;
    REMOVE = "remove" => remove;
    INDEX = "index" => index;
    COUNT = "count" => count;
    SORT = "sort" => sort;
    REVERSE = "reverse" => reverse;
    COPY = "copy" => copy;
    CLEAR = "clear" => clear;
    DUNDER_LEN = "__len__" => dunder_len;
    DUNDER_GETITEM = "__getitem__" => dunder_getitem;
    DUNDER_SETITEM = "__setitem__" => dunder_setitem;
    DUNDER_DELITEM = "__delitem__" => dunder_delitem;
    DUNDER_CONTAINS = "__contains__" => dunder_contains;
    DUNDER_ITER = "__iter__" => dunder_iter;
    DUNDER_ADD = "__add__" => dunder_add;
    DUNDER_IADD = "__iadd__" => dunder_iadd;
    DUNDER_MUL = "__mul__" => dunder_mul;
    DUNDER_EQ = "__eq__" => dunder_eq;
    DUNDER_NE = "__ne__" => dunder_ne;
    DUNDER_LT = "__lt__" => dunder_lt;
}

fn this<'a>(args: &Args<'a>, method: &str) -> PyResult<&'a Arc<ListObj>> {
    Ok(self_arg!(args, List, method, "list"))
}

fn append(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let l = this(&args, "append")?;
    let rest = method_args("list.append", &args, 1, 1)?;
    l.items.lock().push(rest[0].clone());
    Ok(Value::None)
}

fn extend(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let l = this(&args, "extend")?;
    let rest = method_args("list.extend", &args, 1, 1)?;
    let items = vm.collect(&rest[0])?;
    l.items.lock().extend(items);
    Ok(Value::None)
}

fn insert(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let l = this(&args, "insert")?;
    let rest = clinic_args("insert", &args, 2, 2)?;
    let i = match &rest[0] {
        Value::BigInt(b) => {
            if num_traits::Signed::is_negative(&**b) {
                i64::MIN / 2
            } else {
                i64::MAX / 2
            }
        }
        v => index_i64(v)?,
    };
    let mut items = l.items.lock();
    let n = items.len() as i64;
    let at = if i < 0 { (i + n).max(0) } else { i.min(n) };
    items.insert(at as usize, rest[1].clone());
    Ok(Value::None)
}

fn pop(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let l = this(&args, "pop")?;
    let rest = clinic_args("pop", &args, 0, 1)?;
    let i = match rest.first() {
        None => -1,
        Some(Value::BigInt(_)) => return Err(index_error("pop index out of range")),
        Some(v) => index_i64(v)?,
    };
    let mut items = l.items.lock();
    if items.is_empty() {
        return Err(index_error("pop from empty list"));
    }
    match normalize_index(i, items.len()) {
        Some(k) => Ok(items.remove(k)),
        None => Err(index_error("pop index out of range")),
    }
}

/// The position of the first item equal to `x`, comparing without holding the lock.
fn position(vm: &mut Vm, l: &ListObj, x: &Value, start: usize, stop: usize) -> PyResult<Option<usize>> {
    let mut i = start;
    loop {
        let item = {
            let items = l.items.lock();
            if i >= stop.min(items.len()) {
                return Ok(None);
            }
            items[i].clone()
        };
        if item.is(x) || vm.eq(&item, x)? {
            return Ok(Some(i));
        }
        i += 1;
    }
}

fn remove(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let l = this(&args, "remove")?;
    let rest = method_args("list.remove", &args, 1, 1)?;
    match position(vm, l, &rest[0], 0, usize::MAX)? {
        Some(i) => {
            let mut items = l.items.lock();
            if i < items.len() {
                items.remove(i);
            }
            Ok(Value::None)
        }
        None => Err(value_error("list.remove(x): x not in list")),
    }
}

fn index(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let l = this(&args, "index")?;
    let rest = clinic_args("index", &args, 1, 3)?;
    let len = l.items.lock().len();
    let Some((a, b)) = bounds(opt_bound(rest.get(1))?, opt_bound(rest.get(2))?, len) else {
        return Err(value_error(format!("{} is not in list", vm.repr(&rest[0])?)));
    };
    match position(vm, l, &rest[0], a, b)? {
        Some(i) => Ok(Value::from(i)),
        None => Err(value_error(format!("{} is not in list", vm.repr(&rest[0])?))),
    }
}

fn count(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let l = this(&args, "count")?;
    let rest = method_args("list.count", &args, 1, 1)?;
    let items = l.items.lock().clone();
    let mut n = 0usize;
    for item in &items {
        if item.is(&rest[0]) || vm.eq(item, &rest[0])? {
            n += 1;
        }
    }
    Ok(Value::from(n))
}

fn sort(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let l = this(&args, "sort")?;
    if args.pos.len() > 1 {
        return Err(type_error("sort() takes no positional arguments"));
    }
    for (k, _) in args.kw {
        if &**k != "key" && &**k != "reverse" {
            return Err(type_error(format!("'{}' is an invalid keyword argument for sort()", k)));
        }
    }
    let reverse = match args.kwarg("reverse") {
        Some(v) => reverse_flag(vm, v)?,
        None => false,
    };
    // Objects/listobject.c list_sort_impl: the list is empty while sorting, so mutation
    // by a key function or comparison is detected afterwards.
    let mut items = std::mem::take(&mut *l.items.lock());
    let r = sort_values(vm, &mut items, args.kwarg("key"), reverse);
    let mutated = {
        let mut guard = l.items.lock();
        let mutated = !guard.is_empty();
        *guard = items;
        mutated
    };
    r?;
    if mutated {
        return Err(value_error("list modified during sort"));
    }
    Ok(Value::None)
}

fn reverse(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let l = this(&args, "reverse")?;
    method_args("list.reverse", &args, 0, 0)?;
    l.items.lock().reverse();
    Ok(Value::None)
}

fn copy(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let l = this(&args, "copy")?;
    method_args("list.copy", &args, 0, 0)?;
    let items = l.items.lock().clone();
    Ok(Value::list(items))
}

fn clear(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let l = this(&args, "clear")?;
    method_args("list.clear", &args, 0, 0)?;
    let old = std::mem::take(&mut *l.items.lock());
    // Dropped after the lock is released: destructors never run under it.
    drop(old);
    Ok(Value::None)
}

fn dunder_len(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let l = this(&args, "__len__")?;
    method_args("list.__len__", &args, 0, 0)?;
    let n = l.items.lock().len();
    Ok(Value::from(n))
}

fn dunder_getitem(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    this(&args, "__getitem__")?;
    let rest = method_args("list.__getitem__", &args, 1, 1)?;
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
    let rest = method_args("list.__delitem__", &args, 1, 1)?;
    vm.delitem(&args.pos[0], &rest[0])?;
    Ok(Value::None)
}

fn dunder_contains(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    this(&args, "__contains__")?;
    let rest = method_args("list.__contains__", &args, 1, 1)?;
    vm.contains(&args.pos[0], &rest[0]).map(Value::Bool)
}

fn dunder_iter(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    this(&args, "__iter__")?;
    method_args("list.__iter__", &args, 0, 0)?;
    vm.get_iter(&args.pos[0])
}

fn dunder_add(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    this(&args, "__add__")?;
    let rest = method_args("list.__add__", &args, 1, 1)?;
    vm.binary_op(BinOp::Add, args.pos[0].clone(), rest[0].clone())
}

fn dunder_iadd(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    this(&args, "__iadd__")?;
    let rest = method_args("list.__iadd__", &args, 1, 1)?;
    vm.inplace_op(BinOp::Add, args.pos[0].clone(), rest[0].clone())
}

fn dunder_mul(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    this(&args, "__mul__")?;
    let rest = method_args("list.__mul__", &args, 1, 1)?;
    vm.binary_op(BinOp::Mul, args.pos[0].clone(), rest[0].clone())
}

fn compare(vm: &mut Vm, args: &Args<'_>, name: &str, op: CmpOp) -> PyResult<Value> {
    this(args, name)?;
    let rest = method_args(&format!("list.{}", name), args, 1, 1)?;
    if !matches!(rest[0], Value::List(_)) {
        return Ok(Value::NotImplemented);
    }
    vm.rich_compare(&args.pos[0], &rest[0], op)
}

fn dunder_eq(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    compare(vm, &args, "__eq__", CmpOp::Eq)
}
fn dunder_ne(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    compare(vm, &args, "__ne__", CmpOp::NotEq)
}
fn dunder_lt(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    compare(vm, &args, "__lt__", CmpOp::Lt)
}
