//! `int` and `float` methods (Objects/longobject.c, Objects/floatobject.c).

use std::sync::Arc;

use num_bigint::{BigInt, Sign};
use num_traits::{Signed, Zero};

use crate::builtins::args::{method_args, only_kwargs, param};
use crate::builtins::functions::{bigint_from_f64, float_to_int};
use crate::vm::errors::{overflow_error, type_error, value_error};
use crate::vm::objects::{Args, BuiltinFunction};
use crate::vm::ops::as_bigint;
use crate::vm::types::type_name;
use crate::vm::value::Value;
use crate::vm::vm::Vm;
use crate::vm::PyResult;

pub static BIT_LENGTH: BuiltinFunction = BuiltinFunction {
    name: "bit_length",
    func: bit_length,
};
pub static BIT_COUNT: BuiltinFunction = BuiltinFunction {
    name: "bit_count",
    func: bit_count,
};
pub static INT_INDEX: BuiltinFunction = BuiltinFunction {
    name: "__index__",
    func: int_index,
};
pub static INT_INT: BuiltinFunction = BuiltinFunction {
    name: "__int__",
    func: int_index,
};
pub static CONJUGATE: BuiltinFunction = BuiltinFunction {
    name: "conjugate",
    func: int_index,
};
pub static TO_BYTES: BuiltinFunction = BuiltinFunction {
    name: "to_bytes",
    func: to_bytes,
};
pub static INT_AS_RATIO: BuiltinFunction = BuiltinFunction {
    name: "as_integer_ratio",
    func: int_as_ratio,
};
pub static INT_FROM_BYTES: BuiltinFunction = BuiltinFunction {
    name: "from_bytes",
    func: from_bytes,
};
pub static INT_METHODS: &[&BuiltinFunction] = &[
    &BIT_LENGTH,
    &BIT_COUNT,
    &INT_INDEX,
    &INT_INT,
    &CONJUGATE,
    &TO_BYTES,
    &INT_AS_RATIO,
];

pub static IS_INTEGER: BuiltinFunction = BuiltinFunction {
    name: "is_integer",
    func: is_integer,
};
pub static FLOAT_AS_RATIO: BuiltinFunction = BuiltinFunction {
    name: "as_integer_ratio",
    func: float_as_ratio,
};
pub static FLOAT_HEX: BuiltinFunction = BuiltinFunction {
    name: "hex",
    func: float_hex,
};
pub static FLOAT_CONJUGATE: BuiltinFunction = BuiltinFunction {
    name: "conjugate",
    func: float_conjugate,
};
pub static FLOAT_INT: BuiltinFunction = BuiltinFunction {
    name: "__int__",
    func: float_int,
};
pub static FLOAT_METHODS: &[&BuiltinFunction] =
    &[&IS_INTEGER, &FLOAT_AS_RATIO, &FLOAT_HEX, &FLOAT_CONJUGATE, &FLOAT_INT];

fn int_self(args: &Args<'_>, method: &str) -> PyResult<BigInt> {
    match args.pos.first() {
        Some(v) => as_bigint(v).ok_or_else(|| {
            type_error(format!(
                "descriptor '{}' for 'int' objects doesn't apply to a '{}' object",
                method,
                type_name(v)
            ))
        }),
        None => Err(type_error(format!("unbound method int.{}() needs an argument", method))),
    }
}

fn float_self(args: &Args<'_>, method: &str) -> PyResult<f64> {
    match args.pos.first() {
        Some(Value::Float(f)) => Ok(*f),
        Some(v) => Err(type_error(format!(
            "descriptor '{}' for 'float' objects doesn't apply to a '{}' object",
            method,
            type_name(v)
        ))),
        None => Err(type_error(format!(
            "unbound method float.{}() needs an argument",
            method
        ))),
    }
}

fn bit_length(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let i = int_self(&args, "bit_length")?;
    method_args("int.bit_length", &args, 0, 0)?;
    Ok(Value::Int(i.bits() as i64))
}

fn bit_count(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let i = int_self(&args, "bit_count")?;
    method_args("int.bit_count", &args, 0, 0)?;
    let n: u64 = i
        .magnitude()
        .to_u64_digits()
        .iter()
        .map(|d| d.count_ones() as u64)
        .sum();
    Ok(Value::Int(n as i64))
}

fn int_index(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let i = int_self(&args, "__index__")?;
    method_args("int.__index__", &args, 0, 0)?;
    Ok(Value::from_bigint(i))
}

fn int_as_ratio(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let i = int_self(&args, "as_integer_ratio")?;
    method_args("int.as_integer_ratio", &args, 0, 0)?;
    Ok(Value::tuple(vec![Value::from_bigint(i), Value::Int(1)]))
}

fn byteorder(v: Option<&Value>) -> PyResult<bool> {
    match v {
        None => Ok(false),
        Some(Value::Str(s)) => match s.as_str() {
            "big" => Ok(false),
            "little" => Ok(true),
            _ => Err(value_error("byteorder must be either 'little' or 'big'")),
        },
        Some(other) => Err(type_error(format!(
            "to_bytes() argument 'byteorder' must be str, not {}",
            type_name(other)
        ))),
    }
}

fn to_bytes(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let i = int_self(&args, "to_bytes")?;
    only_kwargs("to_bytes", &args, &["length", "byteorder", "signed"])?;
    let length = match param(&args, 1, "length") {
        None => 1,
        Some(v) => crate::builtins::args::index_i64(v)?,
    };
    if length < 0 {
        return Err(value_error("length argument must be non-negative"));
    }
    let little = byteorder(param(&args, 2, "byteorder"))?;
    let signed = match args.kwarg("signed") {
        Some(v) => vm.truthy(v)?,
        None => false,
    };
    if i.is_negative() && !signed {
        return Err(overflow_error("can't convert negative int to unsigned"));
    }
    let mut bytes = i.to_signed_bytes_be();
    if !signed && bytes.len() > 1 && bytes[0] == 0 {
        bytes.remove(0);
    }
    if i.is_zero() {
        bytes = vec![];
    }
    let length = length as usize;
    if bytes.len() > length {
        return Err(overflow_error("int too big to convert"));
    }
    let fill = if i.is_negative() { 0xff } else { 0 };
    let mut out = vec![fill; length - bytes.len()];
    out.extend(bytes);
    if little {
        out.reverse();
    }
    Ok(Value::Bytes(Arc::new(out)))
}

fn from_bytes(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    // args.pos[0] is the class (a class method).
    only_kwargs("from_bytes", &args, &["bytes", "byteorder", "signed"])?;
    let Some(src) = param(&args, 1, "bytes") else {
        return Err(type_error("from_bytes() missing required argument 'bytes' (pos 1)"));
    };
    let data: Vec<u8> = match src {
        Value::Bytes(b) => (**b).clone(),
        other => {
            let items = vm.collect(other)?;
            let mut out = Vec::with_capacity(items.len());
            for v in items {
                match crate::vm::ops::as_i64(&v) {
                    Some(x) if (0..256).contains(&x) => out.push(x as u8),
                    _ => return Err(value_error("bytes must be in range(0, 256)")),
                }
            }
            out
        }
    };
    let little = byteorder(param(&args, 2, "byteorder"))?;
    let signed = match args.kwarg("signed") {
        Some(v) => vm.truthy(v)?,
        None => false,
    };
    let mut be = data;
    if little {
        be.reverse();
    }
    let v = if signed {
        BigInt::from_signed_bytes_be(&be)
    } else {
        BigInt::from_bytes_be(Sign::Plus, &be)
    };
    Ok(Value::from_bigint(v))
}

fn is_integer(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let f = float_self(&args, "is_integer")?;
    method_args("float.is_integer", &args, 0, 0)?;
    Ok(Value::Bool(f.is_finite() && f.fract() == 0.0))
}

fn float_conjugate(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let f = float_self(&args, "conjugate")?;
    method_args("float.conjugate", &args, 0, 0)?;
    Ok(Value::Float(f))
}

fn float_int(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let f = float_self(&args, "__int__")?;
    method_args("float.__int__", &args, 0, 0)?;
    float_to_int(f.trunc())
}

/// Objects/floatobject.c `float_as_integer_ratio_impl`.
fn float_as_ratio(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let f = float_self(&args, "as_integer_ratio")?;
    method_args("float.as_integer_ratio", &args, 0, 0)?;
    if f.is_infinite() {
        return Err(overflow_error("cannot convert Infinity to integer ratio"));
    }
    if f.is_nan() {
        return Err(value_error("cannot convert NaN to integer ratio"));
    }
    let mut m = f;
    let mut den = BigInt::from(1);
    // Scale by 2 until integral: at most 1074 doublings.
    let mut steps = 0;
    while m.fract() != 0.0 && steps < 1100 {
        m *= 2.0;
        den <<= 1;
        steps += 1;
    }
    let num = bigint_from_f64(m);
    let g = num_integer::Integer::gcd(&num, &den);
    let (num, den) = if g.is_zero() { (num, den) } else { (num / &g, den / &g) };
    Ok(Value::tuple(vec![Value::from_bigint(num), Value::from_bigint(den)]))
}

/// `float.hex()` (Objects/floatobject.c `float_hex`).
fn float_hex(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let f = float_self(&args, "hex")?;
    method_args("float.hex", &args, 0, 0)?;
    if f.is_nan() {
        return Ok(Value::str("nan"));
    }
    if f.is_infinite() {
        return Ok(Value::str(if f > 0.0 { "inf" } else { "-inf" }));
    }
    let sign = if f.is_sign_negative() { "-" } else { "" };
    if f == 0.0 {
        return Ok(Value::string(format!("{}0x0.0p+0", sign)));
    }
    let bits = f.abs().to_bits();
    let exp_bits = ((bits >> 52) & 0x7ff) as i64;
    let frac = bits & ((1u64 << 52) - 1);
    let (lead, exp) = if exp_bits == 0 {
        (0, -1022)
    } else {
        (1, exp_bits - 1023)
    };
    Ok(Value::string(format!("{}0x{}.{:013x}p{:+}", sign, lead, frac, exp)))
}
