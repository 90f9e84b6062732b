//! Built-ins that consume or build iterators: `enumerate`, `zip`, `map`, `filter`, `sum`,
//! `min`/`max`, `sorted`, `reversed`, `iter`, `next`, `any`, `all`.

use std::sync::{Arc, LazyLock};

use parking_lot::Mutex;

use super::sorting::sort_values;
use crate::builtins::args::{check_args, check_count, only_kwargs};
use crate::syntax::ast::{BinOp, CmpOp};
use crate::vm::errors::{stop_iteration, type_error, value_error, PyErr};
use crate::vm::iter::new_iter;
use crate::vm::objects::{new_attr_map, Args, BuiltinFunction, BuiltinType, Class, IterState, NativeObj};
use crate::vm::types::{make_class, type_name, types};
use crate::vm::value::Value;
use crate::vm::vm::{GenStep, Vm};
use crate::vm::PyResult;

pub static ENUMERATE: BuiltinFunction = BuiltinFunction {
    name: "enumerate",
    func: enumerate,
};
fn enumerate(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    only_kwargs("enumerate", &args, &["iterable", "start"])?;
    let iterable = args.pos.first().or_else(|| args.kwarg("iterable"));
    let start = args.pos.get(1).or_else(|| args.kwarg("start"));
    if args.pos.len() > 2 {
        return Err(type_error(format!(
            "enumerate() takes at most 2 arguments ({} given)",
            args.pos.len()
        )));
    }
    let Some(iterable) = iterable else {
        return Err(type_error("enumerate() missing required argument 'iterable'"));
    };
    let count = match start {
        None => Value::Int(0),
        Some(v @ (Value::Int(_) | Value::BigInt(_))) => v.clone(),
        Some(Value::Bool(b)) => Value::Int(*b as i64),
        Some(other) => return Err(crate::builtins::args::not_integer(other)),
    };
    let it = vm.get_iter(iterable)?;
    Ok(new_iter(IterState::Enumerate { it, count }))
}

pub static ZIP: BuiltinFunction = BuiltinFunction { name: "zip", func: zip };
fn zip(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    only_kwargs("zip", &args, &["strict"])?;
    let strict = match args.kwarg("strict") {
        Some(v) => vm.truthy(v)?,
        None => false,
    };
    let mut its = Vec::with_capacity(args.pos.len());
    for a in args.pos {
        its.push(vm.get_iter(a)?);
    }
    if strict {
        return Ok(Value::Native(Arc::new(NativeObj {
            class: STRICT_ZIP_CLASS.clone(),
            data: Box::new(Mutex::new(StrictZip { its, done: false })),
        })));
    }
    Ok(new_iter(IterState::Zip { its }))
}

/// `zip(..., strict=True)`: an iterator that checks all inputs end together
/// (Python/bltinmodule.c `zip_next`).
struct StrictZip {
    its: Vec<Value>,
    done: bool,
}

static STRICT_ZIP_CLASS: LazyLock<Arc<Class>> = LazyLock::new(|| {
    let mut dict = new_attr_map();
    dict.insert(Arc::from("__next__"), Value::Builtin(&STRICT_ZIP_NEXT));
    dict.insert(Arc::from("__iter__"), Value::Builtin(&RETURN_SELF));
    make_class(
        "zip",
        "builtins",
        Some(&types().object),
        dict,
        Some(BuiltinType::Native),
    )
});

static RETURN_SELF: BuiltinFunction = BuiltinFunction {
    name: "__iter__",
    func: return_self,
};
fn return_self(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    Ok(args.pos.first().cloned().unwrap_or(Value::None))
}

static STRICT_ZIP_NEXT: BuiltinFunction = BuiltinFunction {
    name: "__next__",
    func: strict_zip_next,
};
fn strict_zip_next(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let Some(Value::Native(obj)) = args.pos.first() else {
        return Err(type_error("descriptor '__next__' requires a 'zip' object"));
    };
    let Some(state) = obj.data.downcast_ref::<Mutex<StrictZip>>() else {
        return Err(type_error("descriptor '__next__' requires a 'zip' object"));
    };
    let its = {
        let st = state.lock();
        if st.done {
            return Err(stop_iteration(None));
        }
        st.its.clone()
    };
    if its.is_empty() {
        return Err(stop_iteration(None));
    }
    let mut items = Vec::with_capacity(its.len());
    for (i, it) in its.iter().enumerate() {
        match vm.next(it)? {
            Some(v) => items.push(v),
            None => {
                state.lock().done = true;
                if i > 0 {
                    let plural = if i == 1 { " " } else { "s 1-" };
                    return Err(value_error(format!(
                        "zip() argument {} is shorter than argument{}{}",
                        i + 1,
                        plural,
                        i
                    )));
                }
                for (j, rest) in its.iter().enumerate().skip(1) {
                    if vm.next(rest)?.is_some() {
                        let plural = if j == 1 { " " } else { "s 1-" };
                        return Err(value_error(format!(
                            "zip() argument {} is longer than argument{}{}",
                            j + 1,
                            plural,
                            j
                        )));
                    }
                }
                return Err(stop_iteration(None));
            }
        }
    }
    Ok(Value::tuple(items))
}

pub static MAP: BuiltinFunction = BuiltinFunction { name: "map", func: map };
fn map(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    if !args.kw.is_empty() {
        return Err(type_error("map() takes no keyword arguments"));
    }
    if args.pos.len() < 2 {
        return Err(type_error("map() must have at least two arguments."));
    }
    let mut its = Vec::with_capacity(args.pos.len() - 1);
    for a in &args.pos[1..] {
        its.push(vm.get_iter(a)?);
    }
    Ok(new_iter(IterState::Map {
        func: args.pos[0].clone(),
        its,
    }))
}

pub static FILTER: BuiltinFunction = BuiltinFunction {
    name: "filter",
    func: filter,
};
fn filter(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    if !args.kw.is_empty() {
        return Err(type_error("filter() takes no keyword arguments"));
    }
    check_count("filter", args.pos.len(), 2, 2)?;
    let it = vm.get_iter(&args.pos[1])?;
    Ok(new_iter(IterState::Filter {
        func: args.pos[0].clone(),
        it,
    }))
}

pub static SUM: BuiltinFunction = BuiltinFunction { name: "sum", func: sum };
fn sum(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    only_kwargs("sum", &args, &["start"])?;
    if args.pos.is_empty() {
        return Err(type_error("sum() takes at least 1 positional argument (0 given)"));
    }
    if args.pos.len() > 2 {
        return Err(type_error(format!(
            "sum() takes at most 2 arguments ({} given)",
            args.pos.len()
        )));
    }
    let start = args
        .pos
        .get(1)
        .or_else(|| args.kwarg("start"))
        .cloned()
        .unwrap_or(Value::Int(0));
    match &start {
        Value::Str(_) => return Err(type_error("sum() can't sum strings [use ''.join(seq) instead]")),
        Value::Bytes(_) => return Err(type_error("sum() can't sum bytes [use b''.join(seq) instead]")),
        _ => {}
    }
    // Ints accumulate in place (a machine word, then one growing big int) instead of
    // allocating a new int object per addition.
    enum Acc {
        Small(i64),
        Big(num_bigint::BigInt),
        Other(Value),
    }
    let mut acc = Some(match start {
        Value::Int(i) => Acc::Small(i),
        other => Acc::Other(other),
    });
    vm.for_each(&args.pos[0], &mut |vm, v| {
        let cur = acc.take().unwrap_or(Acc::Small(0));
        acc = Some(match (cur, v) {
            (Acc::Small(a), Value::Int(b)) => match a.checked_add(b) {
                Some(s) => Acc::Small(s),
                None => Acc::Big(num_bigint::BigInt::from(a) + b),
            },
            (Acc::Big(mut a), Value::Int(b)) => {
                a += b;
                Acc::Big(a)
            }
            (Acc::Big(mut a), Value::BigInt(b)) => {
                a += &*b;
                Acc::Big(a)
            }
            (Acc::Other(Value::Float(a)), Value::Float(b)) => Acc::Other(Value::Float(a + b)),
            (cur, v) => {
                let left = match cur {
                    Acc::Small(i) => Value::Int(i),
                    Acc::Big(b) => Value::from_bigint(b),
                    Acc::Other(o) => o,
                };
                match vm.binary_op(BinOp::Add, left, v)? {
                    Value::Int(i) => Acc::Small(i),
                    other => Acc::Other(other),
                }
            }
        });
        Ok(true)
    })?;
    let acc = acc.unwrap_or(Acc::Small(0));
    Ok(match acc {
        Acc::Small(i) => Value::Int(i),
        Acc::Big(b) => Value::from_bigint(b),
        Acc::Other(o) => o,
    })
}

pub static MIN: BuiltinFunction = BuiltinFunction { name: "min", func: min };
fn min(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    min_max(vm, args, "min", CmpOp::Lt)
}

pub static MAX: BuiltinFunction = BuiltinFunction { name: "max", func: max };
fn max(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    min_max(vm, args, "max", CmpOp::Gt)
}

/// Python/bltinmodule.c `min_max`.
fn min_max(vm: &mut Vm, args: Args<'_>, name: &str, op: CmpOp) -> PyResult<Value> {
    for (k, _) in args.kw {
        if &**k != "key" && &**k != "default" {
            return Err(type_error(format!(
                "'{}' is an invalid keyword argument for {}()",
                k, name
            )));
        }
    }
    let key = args.kwarg("key").filter(|k| !k.is_none()).cloned();
    let default = args.kwarg("default").cloned();
    let items: Vec<Value> = match args.pos {
        [] => return Err(type_error(format!("{} expected at least 1 argument, got 0", name))),
        [iterable] => vm.collect(iterable)?,
        many => {
            if default.is_some() {
                return Err(type_error(format!(
                    "Cannot specify a default for {}() with multiple positional arguments",
                    name
                )));
            }
            many.to_vec()
        }
    };
    let mut best: Option<(Value, Value)> = None;
    for item in items {
        let k = match &key {
            Some(f) => vm.call(f, std::slice::from_ref(&item))?,
            None => item.clone(),
        };
        best = Some(match best {
            None => (k, item),
            Some((bk, bv)) => {
                let better = match (&k, &bk) {
                    (Value::Int(a), Value::Int(b)) => {
                        if op == CmpOp::Lt {
                            a < b
                        } else {
                            a > b
                        }
                    }
                    _ => {
                        let r = vm.rich_compare(&k, &bk, op)?;
                        vm.truthy(&r)?
                    }
                };
                if better {
                    (k, item)
                } else {
                    (bk, bv)
                }
            }
        });
    }
    match best {
        Some((_, v)) => Ok(v),
        None => default.ok_or_else(|| value_error(format!("{}() arg is an empty sequence", name))),
    }
}

pub static SORTED: BuiltinFunction = BuiltinFunction {
    name: "sorted",
    func: sorted,
};
fn sorted(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    for (k, _) in args.kw {
        if &**k != "key" && &**k != "reverse" {
            return Err(type_error(format!("'{}' is an invalid keyword argument for sort()", k)));
        }
    }
    if args.pos.len() != 1 {
        return Err(type_error(format!(
            "sorted expected 1 argument, got {}",
            args.pos.len()
        )));
    }
    let mut items = vm.collect(&args.pos[0])?;
    let reverse = match args.kwarg("reverse") {
        Some(v) => reverse_flag(vm, v)?,
        None => false,
    };
    sort_values(vm, &mut items, args.kwarg("key"), reverse)?;
    Ok(Value::list(items))
}

/// `reverse=` of sort/sorted: must be an int-like value.
pub fn reverse_flag(vm: &mut Vm, v: &Value) -> PyResult<bool> {
    match v {
        Value::Float(_) => Err(type_error("'float' object cannot be interpreted as an integer")),
        Value::Bool(b) => Ok(*b),
        Value::Int(i) => Ok(*i != 0),
        _ => vm.truthy(v),
    }
}

pub static REVERSED: BuiltinFunction = BuiltinFunction {
    name: "reversed",
    func: reversed,
};
fn reversed(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    if !args.kw.is_empty() {
        return Err(type_error("reversed() takes no keyword arguments"));
    }
    check_count("reversed", args.pos.len(), 1, 1)?;
    let seq = &args.pos[0];
    match seq {
        Value::List(l) => {
            let n = l.items.lock().len();
            Ok(new_iter(IterState::Reversed {
                seq: seq.clone(),
                index: n,
            }))
        }
        Value::Tuple(t) => Ok(new_iter(IterState::Reversed {
            seq: seq.clone(),
            index: t.len(),
        })),
        Value::Range(r) => {
            let n = r.len();
            if n == 0 {
                return Ok(new_iter(IterState::Range {
                    next: 0,
                    stop: 0,
                    step: 1,
                }));
            }
            let last = r.start as i128 + (n as i128 - 1) * r.step as i128;
            let stop = r.start as i128 - r.step as i128;
            match (i64::try_from(last), i64::try_from(stop), r.step.checked_neg()) {
                (Ok(next), Ok(stop), Some(step)) => Ok(new_iter(IterState::Range { next, stop, step })),
                _ => {
                    // `start - step` leaves i64, so the iterator cannot be a plain Range
                    // state: list the items, computing in i128 because an intermediate
                    // `i * step` may overflow i64 even when the item fits.
                    crate::builtins::limits::check_result_size(n as usize, std::mem::size_of::<Value>())?;
                    let items = (0..n as i128)
                        .rev()
                        .map(|i| Value::Int((r.start as i128 + i * r.step as i128) as i64))
                        .collect();
                    Ok(new_iter(IterState::Seq {
                        seq: Value::tuple(items),
                        index: 0,
                    }))
                }
            }
        }
        Value::Str(s) => {
            let chars: Vec<Value> = s.as_str().chars().rev().map(|c| Value::string(c.to_string())).collect();
            Ok(new_iter(IterState::Seq {
                seq: Value::tuple(chars),
                index: 0,
            }))
        }
        Value::Bytes(b) => {
            let items: Vec<Value> = b.iter().rev().map(|&x| Value::Int(x as i64)).collect();
            Ok(new_iter(IterState::Seq {
                seq: Value::tuple(items),
                index: 0,
            }))
        }
        Value::Dict(_) | Value::DictView(_) => {
            let mut items = vm.collect(seq)?;
            items.reverse();
            Ok(new_iter(IterState::Seq {
                seq: Value::tuple(items),
                index: 0,
            }))
        }
        Value::Instance(_) | Value::Native(_) => {
            if let Some(f) = vm.lookup_special(seq, "__reversed__")? {
                if !f.is_none() {
                    return vm.call(&f, &[]);
                }
            }
            if vm.lookup_special(seq, "__getitem__")?.is_some() && vm.lookup_special(seq, "__len__")?.is_some() {
                let n = vm.len(seq)?;
                return Ok(new_iter(IterState::Reversed {
                    seq: seq.clone(),
                    index: n,
                }));
            }
            Err(not_reversible(seq))
        }
        _ => Err(not_reversible(seq)),
    }
}

#[cold]
fn not_reversible(v: &Value) -> PyErr {
    type_error(format!("'{}' object is not reversible", type_name(v)))
}

pub static ITER: BuiltinFunction = BuiltinFunction {
    name: "iter",
    func: iter,
};
fn iter(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    check_args("iter", &args, 1, 2)?;
    match args.pos {
        [v] => vm.get_iter(v),
        [func, sentinel] => {
            if !super::introspection::is_callable(vm, func)? {
                return Err(type_error("iter(v, w): v must be callable"));
            }
            Ok(new_iter(IterState::Callable {
                func: func.clone(),
                sentinel: sentinel.clone(),
            }))
        }
        _ => Err(type_error("iter expected at least 1 argument, got 0")),
    }
}

pub static NEXT: BuiltinFunction = BuiltinFunction {
    name: "next",
    func: next,
};
fn next(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    check_args("next", &args, 1, 2)?;
    let it = &args.pos[0];
    let default = args.pos.get(1);
    // A generator's return value travels in the StopIteration it raises.
    let step = match it {
        Value::Generator(g) => match vm.resume_generator(g, Value::None)? {
            GenStep::Yield(v) => Ok(v),
            GenStep::Return(v) => Err(if v.is_none() { None } else { Some(v) }),
        },
        Value::Iter(_) | Value::Instance(_) | Value::Native(_) => match vm.next(it)? {
            Some(v) => Ok(v),
            None => Err(None),
        },
        _ => return Err(type_error(format!("'{}' object is not an iterator", type_name(it)))),
    };
    match (step, default) {
        (Ok(v), _) => Ok(v),
        (Err(_), Some(d)) => Ok(d.clone()),
        (Err(value), None) => Err(stop_iteration(value)),
    }
}

pub static ANY: BuiltinFunction = BuiltinFunction { name: "any", func: any };
fn any(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    check_args("any", &args, 1, 1)?;
    let it = vm.get_iter(&args.pos[0])?;
    while let Some(v) = vm.next(&it)? {
        if vm.truthy(&v)? {
            return Ok(Value::Bool(true));
        }
    }
    Ok(Value::Bool(false))
}

pub static ALL: BuiltinFunction = BuiltinFunction { name: "all", func: all };
fn all(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    check_args("all", &args, 1, 1)?;
    let it = vm.get_iter(&args.pos[0])?;
    while let Some(v) = vm.next(&it)? {
        if !vm.truthy(&v)? {
            return Ok(Value::Bool(false));
        }
    }
    Ok(Value::Bool(true))
}
