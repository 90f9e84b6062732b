//! Calling built-in types: `int(x)`, `str(x)`, `list(it)`, `dict(pairs, **kw)`…
//! (the `tp_new` functions of Objects/*.c, with their error messages).

use std::sync::Arc;

use super::args::{check_count, index_i64, no_kwargs, only_kwargs};
use super::parse_num::{base0_leading_zero, parse_float, parse_int};
use crate::vm::dict::{new_dict_storage, new_set_storage, DictStorage, Key};
use crate::vm::errors::{type_error, value_error, PyErr};
use crate::vm::format::str_repr;
use crate::vm::objects::{
    new_attr_map, Args, BuiltinType, Class, DictObj, Instance, Property, RangeObj, SetObj, SliceObj,
};
use crate::vm::ops::{as_bigint, bigint_to_f64};
use crate::vm::types::{make_class, type_name, type_of, types};
use crate::vm::value::Value;
use crate::vm::vm::Vm;
use crate::vm::PyResult;

pub fn construct(vm: &mut Vm, class: &Arc<Class>, kind: BuiltinType, args: Args<'_>) -> PyResult<Value> {
    match kind {
        BuiltinType::Object => {
            if !args.pos.is_empty() || !args.kw.is_empty() {
                return Err(type_error("object() takes no arguments"));
            }
            Ok(Value::Instance(Arc::new(Instance {
                class: class.clone(),
                dict: Default::default(),
                exc: None,
            })))
        }
        BuiltinType::Int => construct_int(vm, args),
        BuiltinType::Bool => {
            no_kwargs("bool", &args)?;
            check_count("bool", args.pos.len(), 0, 1)?;
            match args.pos.first() {
                None => Ok(Value::Bool(false)),
                Some(v) => vm.truthy(v).map(Value::Bool),
            }
        }
        BuiltinType::Float => {
            no_kwargs("float", &args)?;
            check_count("float", args.pos.len(), 0, 1)?;
            match args.pos.first() {
                None => Ok(Value::Float(0.0)),
                Some(v) => to_float(vm, v).map(Value::Float),
            }
        }
        BuiltinType::Str => construct_str(vm, args),
        BuiltinType::Bytes => construct_bytes(vm, args),
        BuiltinType::List => {
            no_kwargs("list", &args)?;
            check_count("list", args.pos.len(), 0, 1)?;
            match args.pos.first() {
                None => Ok(Value::list(Vec::new())),
                Some(v) => vm.collect(v).map(Value::list),
            }
        }
        BuiltinType::Tuple => {
            no_kwargs("tuple", &args)?;
            check_count("tuple", args.pos.len(), 0, 1)?;
            match args.pos.first() {
                None => Ok(Value::tuple(Vec::new())),
                Some(v @ Value::Tuple(_)) => Ok(v.clone()),
                Some(v) => vm.collect(v).map(Value::tuple),
            }
        }
        BuiltinType::Dict => {
            check_count("dict", args.pos.len(), 0, 1)?;
            let mut map = new_dict_storage();
            if let Some(src) = args.pos.first() {
                dict_update(vm, &mut map, src)?;
            }
            for (k, v) in args.kw {
                map.insert(Key::new(Value::str(k))?, v.clone());
            }
            Ok(Value::Dict(Arc::new(DictObj::new(map))))
        }
        BuiltinType::Set | BuiltinType::FrozenSet => {
            let name = if kind == BuiltinType::Set { "set" } else { "frozenset" };
            no_kwargs(name, &args)?;
            check_count(name, args.pos.len(), 0, 1)?;
            let frozen = kind == BuiltinType::FrozenSet;
            if let (true, Some(v @ Value::Set(s))) = (frozen, args.pos.first()) {
                if s.frozen {
                    return Ok(v.clone());
                }
            }
            let items = match args.pos.first() {
                None => Vec::new(),
                Some(v) => vm.collect(v)?,
            };
            Ok(new_set(items, frozen)?)
        }
        BuiltinType::Range => construct_range(args),
        BuiltinType::Slice => {
            no_kwargs("slice", &args)?;
            check_count("slice", args.pos.len(), 1, 3)?;
            let (start, stop, step) = match args.pos {
                [stop] => (Value::None, stop.clone(), Value::None),
                [start, stop] => (start.clone(), stop.clone(), Value::None),
                [start, stop, step] => (start.clone(), stop.clone(), step.clone()),
                _ => return Err(type_error("slice expected at least 1 argument, got 0")),
            };
            Ok(Value::Slice(Arc::new(SliceObj { start, stop, step })))
        }
        BuiltinType::Type => construct_type(vm, args),
        BuiltinType::Property => {
            only_kwargs("property", &args, &["fget", "fset", "fdel", "doc"])?;
            if args.pos.len() > 4 {
                return Err(type_error(format!(
                    "property() takes at most 4 arguments ({} given)",
                    args.pos.len()
                )));
            }
            let get = |i: usize, name: &str| super::args::param(&args, i, name).cloned().unwrap_or(Value::None);
            Ok(Value::Property(Arc::new(Property {
                fget: get(0, "fget"),
                fset: get(1, "fset"),
                fdel: get(2, "fdel"),
            })))
        }
        BuiltinType::StaticMethod | BuiltinType::ClassMethod => {
            let name = if kind == BuiltinType::StaticMethod {
                "staticmethod"
            } else {
                "classmethod"
            };
            no_kwargs(name, &args)?;
            check_count(name, args.pos.len(), 1, 1)?;
            let f = Arc::new(args.pos[0].clone());
            Ok(if kind == BuiltinType::StaticMethod {
                Value::StaticMethod(f)
            } else {
                Value::ClassMethod(f)
            })
        }
        BuiltinType::Super => vm.explicit_super(args),
        BuiltinType::NoneType => {
            check_count("NoneType", args.pos.len(), 0, 0).map_err(|_| type_error("NoneType takes no arguments"))?;
            Ok(Value::None)
        }
        _ => Err(type_error(format!("cannot create '{}' instances", class.name))),
    }
}

/// A set or frozenset of `items` (TypeError for unhashable ones).
pub fn new_set(items: Vec<Value>, frozen: bool) -> PyResult<Value> {
    let mut set = new_set_storage();
    for v in items {
        set.insert(Key::new(v)?);
    }
    Ok(Value::Set(Arc::new(SetObj::new(set, frozen))))
}

fn construct_int(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    for (k, _) in args.kw {
        if &**k != "base" {
            return Err(type_error(format!("'{}' is an invalid keyword argument for int()", k)));
        }
    }
    if args.pos.len() > 2 {
        return Err(type_error(format!(
            "int() takes at most 2 arguments ({} given)",
            args.pos.len()
        )));
    }
    let base = args.pos.get(1).or_else(|| args.kwarg("base"));
    let Some(x) = args.pos.first() else {
        if base.is_some() {
            return Err(type_error("int() missing string argument"));
        }
        return Ok(Value::Int(0));
    };
    match base {
        None => to_int(vm, x),
        Some(b) => {
            let base = match b {
                Value::BigInt(_) => -1,
                _ => index_i64(b)?,
            };
            if base != 0 && !(2..=36).contains(&base) {
                return Err(value_error("int() base must be >= 2 and <= 36, or 0"));
            }
            let text = match x {
                Value::Str(s) => s.as_str().to_string(),
                Value::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
                _ => return Err(type_error("int() can't convert non-string with explicit base")),
            };
            parse_int_value(&text, base as u32, x)
        }
    }
}

fn parse_int_value(text: &str, base: u32, original: &Value) -> PyResult<Value> {
    let parsed = if base == 0 && base0_leading_zero(text) {
        None
    } else {
        parse_int(text, base)
    };
    match parsed {
        Some(b) => Ok(Value::from_bigint(b)),
        None => {
            let shown = match original {
                Value::Str(_) => str_repr(text),
                _ => crate::vm::format::repr_const(original),
            };
            Err(value_error(format!(
                "invalid literal for int() with base {}: {}",
                base, shown
            )))
        }
    }
}

/// `int(x)` with one argument (Objects/abstract.c `PyNumber_Long`).
pub fn to_int(vm: &mut Vm, x: &Value) -> PyResult<Value> {
    match x {
        Value::Int(_) | Value::BigInt(_) => Ok(x.clone()),
        Value::Bool(b) => Ok(Value::Int(*b as i64)),
        Value::Float(f) => super::functions::float_to_int(f.trunc()),
        Value::Str(s) => parse_int_value(s.as_str(), 10, x),
        Value::Bytes(b) => parse_int_value(&String::from_utf8_lossy(b), 10, x),
        Value::Instance(_) | Value::Native(_) => {
            for name in ["__int__", "__index__", "__trunc__"] {
                if let Some(f) = vm.lookup_special(x, name)? {
                    let r = vm.call(&f, &[])?;
                    return match r {
                        Value::Int(_) | Value::BigInt(_) => Ok(r),
                        Value::Bool(b) => Ok(Value::Int(b as i64)),
                        other => Err(type_error(format!(
                            "{} returned non-int (type {})",
                            name,
                            type_name(&other)
                        ))),
                    };
                }
            }
            Err(int_arg_error(x))
        }
        _ => Err(int_arg_error(x)),
    }
}

#[cold]
fn int_arg_error(x: &Value) -> PyErr {
    type_error(format!(
        "int() argument must be a string, a bytes-like object or a real number, not '{}'",
        type_name(x)
    ))
}

/// `float(x)` (Objects/floatobject.c `float_new_impl`).
pub fn to_float(vm: &mut Vm, x: &Value) -> PyResult<f64> {
    match x {
        Value::Float(f) => Ok(*f),
        Value::Int(i) => Ok(*i as f64),
        Value::Bool(b) => Ok(*b as i64 as f64),
        Value::BigInt(b) => bigint_to_f64(b),
        Value::Str(s) => parse_float(s.as_str())
            .ok_or_else(|| value_error(format!("could not convert string to float: {}", str_repr(s.as_str())))),
        Value::Bytes(b) => parse_float(&String::from_utf8_lossy(b)).ok_or_else(|| {
            value_error(format!(
                "could not convert string to float: {}",
                crate::vm::format::bytes_repr(b)
            ))
        }),
        Value::Instance(_) | Value::Native(_) => {
            if let Some(f) = vm.lookup_special(x, "__float__")? {
                return match vm.call(&f, &[])? {
                    Value::Float(f) => Ok(f),
                    other => Err(type_error(format!(
                        "{}.__float__ returned non-float (type {})",
                        type_name(x),
                        type_name(&other)
                    ))),
                };
            }
            if let Some(f) = vm.lookup_special(x, "__index__")? {
                let r = vm.call(&f, &[])?;
                return match as_bigint(&r) {
                    Some(b) => bigint_to_f64(&b),
                    None => Err(type_error(format!(
                        "__index__ returned non-int (type {})",
                        type_name(&r)
                    ))),
                };
            }
            Err(float_arg_error(x))
        }
        _ => Err(float_arg_error(x)),
    }
}

#[cold]
fn float_arg_error(x: &Value) -> PyErr {
    type_error(format!(
        "float() argument must be a string or a real number, not '{}'",
        type_name(x)
    ))
}

fn construct_str(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    only_kwargs("str", &args, &["object", "encoding", "errors"])?;
    if args.pos.len() > 3 {
        return Err(type_error(format!(
            "str() takes at most 3 arguments ({} given)",
            args.pos.len()
        )));
    }
    let obj = super::args::param(&args, 0, "object");
    let encoding = super::args::param(&args, 1, "encoding");
    let errors = super::args::param(&args, 2, "errors");
    match (obj, encoding.or(errors)) {
        (None, _) => Ok(Value::str("")),
        (Some(v), None) => vm.str(v).map(Value::string),
        (Some(Value::Bytes(b)), Some(_)) => {
            let enc = match encoding {
                Some(Value::Str(s)) => s.as_str().to_string(),
                Some(other) => {
                    return Err(type_error(format!(
                        "str() argument 'encoding' must be str, not {}",
                        type_name(other)
                    )))
                }
                None => "utf-8".to_string(),
            };
            let errs = match errors {
                Some(Value::Str(s)) => s.as_str().to_string(),
                _ => "strict".to_string(),
            };
            super::methods::bytes::decode_bytes(b, &enc, &errs).map(Value::string)
        }
        (Some(Value::Str(_)), Some(_)) => Err(type_error("decoding str is not supported")),
        (Some(other), Some(_)) => Err(type_error(format!(
            "decoding to str: need a bytes-like object, {} found",
            type_name(other)
        ))),
    }
}

fn construct_bytes(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    only_kwargs("bytes", &args, &["source", "encoding", "errors"])?;
    if args.pos.len() > 3 {
        return Err(type_error(format!(
            "bytes() takes at most 3 arguments ({} given)",
            args.pos.len()
        )));
    }
    let src = super::args::param(&args, 0, "source");
    let encoding = super::args::param(&args, 1, "encoding");
    let Some(src) = src else {
        if encoding.is_some() {
            return Err(type_error("encoding without a string argument"));
        }
        return Ok(Value::Bytes(Arc::new(Vec::new())));
    };
    if let Value::Str(s) = src {
        let Some(enc) = encoding else {
            return Err(type_error("string argument without an encoding"));
        };
        let enc = match enc {
            Value::Str(e) => e.as_str().to_string(),
            other => {
                return Err(type_error(format!(
                    "bytes() argument 'encoding' must be str, not {}",
                    type_name(other)
                )))
            }
        };
        return super::methods::str::encode_str(s.as_str(), &enc).map(|b| Value::Bytes(Arc::new(b)));
    }
    if encoding.is_some() {
        return Err(type_error("encoding without a string argument"));
    }
    match src {
        Value::Bytes(_) => Ok(src.clone()),
        Value::Int(n) => {
            if *n < 0 {
                return Err(value_error("negative count"));
            }
            if *n > 1 << 32 {
                return Err(crate::vm::errors::memory_error(""));
            }
            Ok(Value::Bytes(Arc::new(vec![0u8; *n as usize])))
        }
        Value::Instance(_) if vm.lookup_special(src, "__bytes__")?.is_some() => {
            let f = vm.lookup_special(src, "__bytes__")?.unwrap_or(Value::None);
            vm.call(&f, &[])
        }
        _ => {
            if !matches!(
                src,
                Value::List(_)
                    | Value::Tuple(_)
                    | Value::Range(_)
                    | Value::Iter(_)
                    | Value::Generator(_)
                    | Value::Instance(_)
                    | Value::Set(_)
                    | Value::Dict(_)
                    | Value::DictView(_)
            ) {
                return Err(type_error(format!(
                    "cannot convert '{}' object to bytes",
                    type_name(src)
                )));
            }
            let items = vm.collect(src)?;
            let mut out = Vec::with_capacity(items.len());
            for v in &items {
                let i = match v {
                    Value::Int(_) | Value::Bool(_) | Value::BigInt(_) => index_i64(v).unwrap_or(-1),
                    other => return Err(super::args::not_integer(other)),
                };
                if !(0..256).contains(&i) {
                    return Err(value_error("bytes must be in range(0, 256)"));
                }
                out.push(i as u8);
            }
            Ok(Value::Bytes(Arc::new(out)))
        }
    }
}

/// `dict.update(src)` / `dict(src)`: a mapping (anything with `keys()`), or an iterable of
/// pairs (Objects/dictobject.c `dict_update_arg`, `PyDict_MergeFromSeq2`).
pub fn dict_update(vm: &mut Vm, map: &mut DictStorage, src: &Value) -> PyResult<()> {
    match src {
        Value::Dict(d) => {
            let entries: Vec<_> = d.map.lock().iter().map(|(k, v)| (k.clone(), v.clone())).collect();
            for (k, v) in entries {
                map.insert(k, v);
            }
            return Ok(());
        }
        Value::Instance(_) | Value::Native(_) => {
            if let Some(keys) = vm.getattr_opt(src, "keys")? {
                let ks = vm.call(&keys, &[])?;
                for k in vm.collect(&ks)? {
                    let v = vm.getitem(src, &k)?;
                    map.insert(Key::new(k)?, v);
                }
                return Ok(());
            }
        }
        _ => {}
    }
    let it = vm.get_iter(src)?;
    let mut i = 0usize;
    while let Some(item) = vm.next(&it)? {
        let pair = match &item {
            Value::Tuple(t) => (**t).clone(),
            Value::List(l) => l.items.lock().clone(),
            Value::Str(_)
            | Value::Bytes(_)
            | Value::Instance(_)
            | Value::Iter(_)
            | Value::Generator(_)
            | Value::Set(_)
            | Value::Dict(_)
            | Value::Range(_) => vm.collect(&item)?,
            _ => {
                return Err(type_error(format!(
                    "cannot convert dictionary update sequence element #{} to a sequence",
                    i
                )))
            }
        };
        if pair.len() != 2 {
            return Err(value_error(format!(
                "dictionary update sequence element #{} has length {}; 2 is required",
                i,
                pair.len()
            )));
        }
        let mut pair = pair.into_iter();
        if let (Some(k), Some(v)) = (pair.next(), pair.next()) {
            map.insert(Key::new(k)?, v);
        }
        i += 1;
    }
    Ok(())
}

fn construct_range(args: Args<'_>) -> PyResult<Value> {
    no_kwargs("range", &args)?;
    check_count("range", args.pos.len(), 1, 3)?;
    let int = |v: &Value| -> PyResult<i64> {
        match v {
            Value::BigInt(_) => Err(crate::vm::errors::overflow_error(
                "range() arguments larger than 64 bits are not supported by gilsim",
            )),
            _ => index_i64(v),
        }
    };
    let (start, stop, step) = match args.pos {
        [stop] => (0, int(stop)?, 1),
        [start, stop] => (int(start)?, int(stop)?, 1),
        [start, stop, step] => (int(start)?, int(stop)?, int(step)?),
        _ => (0, 0, 1),
    };
    if step == 0 {
        return Err(value_error("range() arg 3 must not be zero"));
    }
    Ok(Value::Range(Arc::new(RangeObj { start, stop, step })))
}

/// `type(x)`, and `type(name, bases, dict)` for single inheritance.
fn construct_type(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    match args.pos {
        [x] if args.kw.is_empty() => Ok(Value::Class(type_of(x).clone())),
        [Value::Str(name), Value::Tuple(bases), Value::Dict(ns)] => {
            let base = match bases.as_slice() {
                [] => types().object.clone(),
                [Value::Class(c)] => c.clone(),
                _ => return Err(type_error("type(): gilsim supports single inheritance only")),
            };
            if let Some(kind) = base.builtin {
                if !matches!(kind, BuiltinType::Object | BuiltinType::Exception) {
                    return Err(type_error(format!(
                        "type(): subclassing the built-in type '{}' is not supported by gilsim",
                        base.name
                    )));
                }
            }
            let mut dict = new_attr_map();
            for (k, v) in ns.map.lock().iter() {
                if let Value::Str(s) = &k.value {
                    dict.insert(Arc::from(s.as_str()), v.clone());
                }
            }
            let module = match dict.get("__module__") {
                Some(Value::Str(s)) => s.as_str().to_string(),
                _ => "__main__".to_string(),
            };
            Ok(Value::Class(make_class(
                name.as_str(),
                &module,
                Some(&base),
                dict,
                None,
            )))
        }
        [_, _, _] => Err(type_error("type.__new__() argument 1 must be str")),
        _ => Err(type_error("type() takes 1 or 3 arguments")),
    }
}
