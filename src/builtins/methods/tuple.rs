//! `tuple` and `range` methods: `index` and `count`.

use super::self_arg;
use crate::builtins::args::{bounds, clinic_args, method_args, opt_bound};
use crate::vm::errors::value_error;
use crate::vm::objects::{Args, BuiltinFunction};
use crate::vm::ops::as_i64;
use crate::vm::value::Value;
use crate::vm::vm::Vm;
use crate::vm::PyResult;

pub static TUPLE_INDEX: BuiltinFunction = BuiltinFunction {
    name: "index",
    func: tuple_index,
};
pub static TUPLE_COUNT: BuiltinFunction = BuiltinFunction {
    name: "count",
    func: tuple_count,
};
pub static METHODS: &[&BuiltinFunction] = &[&TUPLE_INDEX, &TUPLE_COUNT];

pub static RANGE_INDEX: BuiltinFunction = BuiltinFunction {
    name: "index",
    func: range_index,
};
pub static RANGE_COUNT: BuiltinFunction = BuiltinFunction {
    name: "count",
    func: range_count,
};
pub static RANGE_METHODS: &[&BuiltinFunction] = &[&RANGE_INDEX, &RANGE_COUNT];

fn tuple_index(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let t = self_arg!(args, Tuple, "index", "tuple").clone();
    let rest = clinic_args("index", &args, 1, 3)?;
    if let Some((a, b)) = bounds(opt_bound(rest.get(1))?, opt_bound(rest.get(2))?, t.len()) {
        for (i, item) in t.iter().enumerate().take(b).skip(a) {
            if item.is(&rest[0]) || vm.eq(item, &rest[0])? {
                return Ok(Value::from(i));
            }
        }
    }
    Err(value_error("tuple.index(x): x not in tuple"))
}

fn tuple_count(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let t = self_arg!(args, Tuple, "count", "tuple").clone();
    let rest = method_args("tuple.count", &args, 1, 1)?;
    let mut n = 0usize;
    for item in t.iter() {
        if item.is(&rest[0]) || vm.eq(item, &rest[0])? {
            n += 1;
        }
    }
    Ok(Value::from(n))
}

/// The position of `x` in the range, if it is an int in it.
fn range_position(r: &crate::vm::objects::RangeObj, x: &Value) -> Option<i64> {
    let i = as_i64(x)?;
    let off = i as i128 - r.start as i128;
    let step = r.step as i128;
    if off % step != 0 {
        return None;
    }
    let k = off / step;
    if k >= 0 && k < r.len() as i128 {
        Some(k as i64)
    } else {
        None
    }
}

fn range_index(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let r = **self_arg!(args, Range, "index", "range");
    let rest = method_args("range.index", &args, 1, 1)?;
    match range_position(&r, &rest[0]) {
        Some(k) if !matches!(rest[0], Value::Float(_)) => Ok(Value::Int(k)),
        _ => Err(value_error(format!("{} is not in range", vm.repr(&rest[0])?))),
    }
}

fn range_count(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let r = **self_arg!(args, Range, "count", "range");
    let rest = method_args("range.count", &args, 1, 1)?;
    Ok(Value::Int(range_position(&r, &rest[0]).is_some() as i64))
}
