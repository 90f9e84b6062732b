//! Built-ins on numbers and characters: `abs`, `round`, `divmod`, `pow`, `ord`, `chr`,
//! `hash`, `id`, `bin`, `hex`, `oct`.

use std::sync::Arc;

use num_bigint::{BigInt, Sign};
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive, Zero};

use crate::builtins::args::{check_args, not_integer, only_kwargs, param};
use crate::syntax::ast::BinOp;
use crate::vm::errors::{overflow_error, type_error, value_error, zero_division_error};
use crate::vm::objects::{Args, BuiltinFunction};
use crate::vm::ops::{as_bigint, float_divmod};
use crate::vm::types::type_name;
use crate::vm::value::Value;
use crate::vm::vm::Vm;
use crate::vm::PyResult;

pub static ABS: BuiltinFunction = BuiltinFunction { name: "abs", func: abs };
fn abs(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    check_args("abs", &args, 1, 1)?;
    let v = &args.pos[0];
    Ok(match v {
        Value::Int(i) => match i.checked_abs() {
            Some(a) => Value::Int(a),
            None => Value::from_bigint(BigInt::from(*i).abs()),
        },
        Value::Bool(b) => Value::Int(*b as i64),
        Value::BigInt(b) => Value::from_bigint(b.abs()),
        Value::Float(f) => Value::Float(f.abs()),
        Value::Instance(_) | Value::Native(_) => match vm.lookup_special(v, "__abs__")? {
            Some(f) => return vm.call(&f, &[]),
            None => return Err(type_error(format!("bad operand type for abs(): '{}'", type_name(v)))),
        },
        _ => return Err(type_error(format!("bad operand type for abs(): '{}'", type_name(v)))),
    })
}

pub static ROUND: BuiltinFunction = BuiltinFunction {
    name: "round",
    func: round,
};
fn round(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    only_kwargs("round", &args, &["number", "ndigits"])?;
    if args.pos.len() > 2 {
        return Err(type_error(format!(
            "round() takes at most 2 arguments ({} given)",
            args.pos.len()
        )));
    }
    let Some(x) = param(&args, 0, "number") else {
        return Err(type_error("round() missing required argument 'number' (pos 1)"));
    };
    let ndigits = match param(&args, 1, "ndigits") {
        None | Some(Value::None) => None,
        Some(n @ (Value::Int(_) | Value::Bool(_) | Value::BigInt(_))) => Some(as_bigint(n).unwrap_or_default()),
        Some(other) => return Err(not_integer(other)),
    };
    match x {
        Value::Float(f) => match ndigits {
            None => float_to_int(f.round_ties_even()),
            Some(n) => {
                let n = n.to_i64().unwrap_or(if n.is_negative() { i64::MIN } else { i64::MAX });
                round_float(*f, n).map(Value::Float)
            }
        },
        Value::Int(_) | Value::Bool(_) | Value::BigInt(_) => {
            let i = as_bigint(x).unwrap_or_default();
            match ndigits {
                Some(n) if n.is_negative() => Ok(Value::from_bigint(round_int(&i, &n))),
                _ => Ok(Value::from_bigint(i)),
            }
        }
        Value::Instance(_) | Value::Native(_) => match vm.lookup_special(x, "__round__")? {
            Some(f) => match param(&args, 1, "ndigits") {
                Some(n) => vm.call(&f, &[n.clone()]),
                None => vm.call(&f, &[]),
            },
            None => Err(type_error(format!(
                "type {} doesn't define __round__ method",
                type_name(x)
            ))),
        },
        _ => Err(type_error(format!(
            "type {} doesn't define __round__ method",
            type_name(x)
        ))),
    }
}

/// A float with an integral value as an int (`int(f)` after rounding).
pub fn float_to_int(f: f64) -> PyResult<Value> {
    if f.is_nan() {
        return Err(value_error("cannot convert float NaN to integer"));
    }
    if f.is_infinite() {
        return Err(overflow_error("cannot convert float infinity to integer"));
    }
    if f.abs() < 9.0e18 {
        return Ok(Value::Int(f as i64));
    }
    Ok(Value::from_bigint(bigint_from_f64(f)))
}

/// The integer part of a finite float, exactly.
pub fn bigint_from_f64(f: f64) -> BigInt {
    let f = f.trunc();
    if f.abs() < 9.0e18 {
        return BigInt::from(f as i64);
    }
    let (mantissa, exp, negative) = decompose(f);
    let mut b = BigInt::from(mantissa);
    if exp >= 0 {
        b <<= exp as usize;
    } else {
        b >>= (-exp) as usize;
    }
    if negative {
        -b
    } else {
        b
    }
}

/// `f == mantissa * 2**exp` (sign separate), for finite `f`.
fn decompose(f: f64) -> (u64, i32, bool) {
    let bits = f.to_bits();
    let negative = bits >> 63 == 1;
    let exp_bits = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1u64 << 52) - 1);
    if exp_bits == 0 {
        (frac, -1074, negative)
    } else {
        (frac | (1u64 << 52), exp_bits - 1075, negative)
    }
}

/// Round half to even of `num / den` (den > 0, num >= 0).
fn div_round_half_even(num: &BigInt, den: &BigInt) -> BigInt {
    let (q, r) = num.div_rem(den);
    let twice: BigInt = &r * 2;
    if twice > *den || (twice == *den && q.is_odd()) {
        q + 1
    } else {
        q
    }
}

/// `round(x, n)` for floats: the correctly rounded decimal value, as CPython computes it
/// with `_Py_dg_dtoa` mode 3 (Objects/floatobject.c `double_round`), done here exactly
/// with big integers.
pub fn round_float(x: f64, ndigits: i64) -> PyResult<f64> {
    // Objects/floatobject.c NDIGITS_MAX / NDIGITS_MIN.
    if !x.is_finite() || ndigits > 323 {
        return Ok(x);
    }
    if ndigits < -308 {
        return Ok(0.0 * x);
    }
    if x == 0.0 {
        return Ok(x);
    }
    let (mantissa, exp, negative) = decompose(x);
    let mut num = BigInt::from(mantissa);
    let mut den = BigInt::one();
    if exp >= 0 {
        num <<= exp as usize;
    } else {
        den <<= (-exp) as usize;
    }
    let ten = BigInt::from(10);
    if ndigits >= 0 {
        num *= num_traits::pow(ten, ndigits as usize);
    } else {
        den *= num_traits::pow(ten, (-ndigits) as usize);
    }
    let q = div_round_half_even(&num, &den);
    let text = format!("{}{}e{}", if negative { "-" } else { "" }, q, -ndigits);
    let r: f64 = text
        .parse()
        .map_err(|_| value_error("round(): internal conversion failed"))?;
    if r.is_infinite() {
        return Err(overflow_error("rounded value too large to represent"));
    }
    Ok(r)
}

/// `round(i, n)` for ints with `n < 0`: to a multiple of `10**-n`, ties to even
/// (Objects/longobject.c `long_round`).
pub fn round_int(i: &BigInt, ndigits: &BigInt) -> BigInt {
    let Some(k) = (-ndigits).to_usize() else {
        return BigInt::zero();
    };
    if k > 100_000 {
        return BigInt::zero();
    }
    let pow = num_traits::pow(BigInt::from(10), k);
    let (q, r) = i.div_mod_floor(&pow);
    let twice: BigInt = &r * 2;
    let q = if twice > pow || (twice == pow && q.is_odd()) {
        q + 1
    } else {
        q
    };
    q * pow
}

pub static DIVMOD: BuiltinFunction = BuiltinFunction {
    name: "divmod",
    func: divmod,
};
fn divmod(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    check_args("divmod", &args, 2, 2)?;
    let (a, b) = (&args.pos[0], &args.pos[1]);
    let is_int = |v: &Value| matches!(v, Value::Int(_) | Value::Bool(_) | Value::BigInt(_));
    let is_num = |v: &Value| is_int(v) || matches!(v, Value::Float(_));
    if is_int(a) && is_int(b) {
        let q = vm.binary_op(BinOp::FloorDiv, a.clone(), b.clone())?;
        let r = vm.binary_op(BinOp::Mod, a.clone(), b.clone())?;
        return Ok(Value::tuple(vec![q, r]));
    }
    if is_num(a) && is_num(b) {
        let x = crate::vm::ops::as_f64(a).unwrap_or(Ok(0.0))?;
        let y = crate::vm::ops::as_f64(b).unwrap_or(Ok(0.0))?;
        if y == 0.0 {
            return Err(zero_division_error("float divmod()"));
        }
        let (q, r) = float_divmod(x, y);
        return Ok(Value::tuple(vec![Value::Float(q), Value::Float(r)]));
    }
    if let Some(f) = vm.lookup_special(a, "__divmod__")? {
        if matches!(a, Value::Instance(_) | Value::Native(_)) {
            let r = vm.call(&f, std::slice::from_ref(b))?;
            if !matches!(r, Value::NotImplemented) {
                return Ok(r);
            }
        }
    }
    if matches!(b, Value::Instance(_) | Value::Native(_)) {
        if let Some(f) = vm.lookup_special(b, "__rdivmod__")? {
            let r = vm.call(&f, std::slice::from_ref(a))?;
            if !matches!(r, Value::NotImplemented) {
                return Ok(r);
            }
        }
    }
    Err(type_error(format!(
        "unsupported operand type(s) for divmod(): '{}' and '{}'",
        type_name(a),
        type_name(b)
    )))
}

pub static POW: BuiltinFunction = BuiltinFunction { name: "pow", func: pow };
fn pow(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    only_kwargs("pow", &args, &["base", "exp", "mod"])?;
    if args.pos.len() > 3 {
        return Err(type_error(format!(
            "pow() takes at most 3 arguments ({} given)",
            args.pos.len()
        )));
    }
    let Some(base) = param(&args, 0, "base") else {
        return Err(type_error("pow() missing required argument 'base' (pos 1)"));
    };
    let Some(exp) = param(&args, 1, "exp") else {
        return Err(type_error("pow() missing required argument 'exp' (pos 2)"));
    };
    match param(&args, 2, "mod") {
        None | Some(Value::None) => vm.binary_op(BinOp::Pow, base.clone(), exp.clone()),
        Some(m) => {
            let (Some(b), Some(e), Some(m)) = (as_bigint(base), as_bigint(exp), as_bigint(m)) else {
                if [base, exp]
                    .iter()
                    .all(|v| matches!(v, Value::Int(_) | Value::Bool(_) | Value::BigInt(_) | Value::Float(_)))
                {
                    return Err(type_error(
                        "pow() 3rd argument not allowed unless all arguments are integers",
                    ));
                }
                return Err(type_error(format!(
                    "unsupported operand type(s) for ** or pow(): '{}', '{}', '{}'",
                    type_name(base),
                    type_name(exp),
                    type_name(m)
                )));
            };
            mod_pow(&b, &e, &m).map(Value::from_bigint)
        }
    }
}

/// Three-argument `pow` (Objects/longobject.c `long_pow` with a modulus), including
/// negative exponents through the modular inverse.
pub fn mod_pow(base: &BigInt, exp: &BigInt, m: &BigInt) -> PyResult<BigInt> {
    if m.is_zero() {
        return Err(value_error("pow() 3rd argument cannot be 0"));
    }
    let modulus = m.abs();
    let mut b = base.mod_floor(&modulus);
    let mut e = exp.clone();
    if e.is_negative() {
        b = mod_inverse(&b, &modulus).ok_or_else(|| value_error("base is not invertible for the given modulus"))?;
        e = -e;
    }
    let mut r = if modulus.is_one() {
        BigInt::zero()
    } else {
        b.modpow(&e, &modulus)
    };
    if m.is_negative() && !r.is_zero() {
        r -= &modulus;
    }
    Ok(r)
}

fn mod_inverse(a: &BigInt, m: &BigInt) -> Option<BigInt> {
    let g = a.extended_gcd(m);
    if !g.gcd.is_one() {
        return None;
    }
    Some(g.x.mod_floor(m))
}

pub static ORD: BuiltinFunction = BuiltinFunction { name: "ord", func: ord };
fn ord(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    check_args("ord", &args, 1, 1)?;
    match &args.pos[0] {
        Value::Str(s) => {
            let mut chars = s.as_str().chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => Ok(Value::Int(c as i64)),
                _ => Err(type_error(format!(
                    "ord() expected a character, but string of length {} found",
                    s.char_len()
                ))),
            }
        }
        Value::Bytes(b) if b.len() == 1 => Ok(Value::Int(b[0] as i64)),
        Value::Bytes(b) => Err(type_error(format!(
            "ord() expected a character, but string of length {} found",
            b.len()
        ))),
        other => Err(type_error(format!(
            "ord() expected string of length 1, but {} found",
            type_name(other)
        ))),
    }
}

pub static CHR: BuiltinFunction = BuiltinFunction { name: "chr", func: chr };
fn chr(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    check_args("chr", &args, 1, 1)?;
    let i = match &args.pos[0] {
        Value::BigInt(_) => return Err(overflow_error("Python int too large to convert to C int")),
        v => crate::vm::ops::as_i64(v).ok_or_else(|| not_integer(v))?,
    };
    if !(0..0x110000).contains(&i) {
        return Err(value_error("chr() arg not in range(0x110000)"));
    }
    match char::from_u32(i as u32) {
        Some(c) => Ok(Value::string(c.to_string())),
        // Lone surrogates cannot be held in a Rust string.
        None => Err(value_error(
            "chr() arg is a surrogate code point, which gilsim cannot represent",
        )),
    }
}

pub static HASH: BuiltinFunction = BuiltinFunction {
    name: "hash",
    func: hash,
};
fn hash(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    check_args("hash", &args, 1, 1)?;
    hash_value(vm, &args.pos[0]).map(Value::Int)
}

/// `hash(v)`, honouring `__hash__` defined in Python (and `__hash__ = None`, which a class
/// gets implicitly when it defines `__eq__` without `__hash__`).
pub fn hash_value(vm: &mut Vm, v: &Value) -> PyResult<i64> {
    if let Value::Instance(inst) = v {
        let class = inst.class.clone();
        let chain = std::iter::once(class.clone()).chain(class.mro.iter().cloned());
        for c in chain {
            if c.builtin.is_some() {
                break;
            }
            let (h, has_eq) = {
                let d = c.dict.read();
                (d.get("__hash__").cloned(), d.contains_key("__eq__"))
            };
            match h {
                Some(Value::None) => break_unhashable(v)?,
                Some(f) => {
                    let r = vm.call(&f, std::slice::from_ref(v))?;
                    return match &r {
                        Value::Int(i) => Ok(if *i == -1 { -2 } else { *i }),
                        Value::Bool(b) => Ok(*b as i64),
                        Value::BigInt(b) => Ok(crate::vm::dict::hash_bigint(b)),
                        _ => Err(type_error("__hash__ method should return an integer")),
                    };
                }
                None if has_eq => break_unhashable(v)?,
                None => {}
            }
        }
    }
    crate::vm::dict::py_hash(v)
}

fn break_unhashable(v: &Value) -> PyResult<()> {
    Err(type_error(format!("unhashable type: '{}'", type_name(v))))
}

pub static ID: BuiltinFunction = BuiltinFunction { name: "id", func: id };
fn id(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    check_args("id", &args, 1, 1)?;
    Ok(Value::from(args.pos[0].id()))
}

pub static BIN: BuiltinFunction = BuiltinFunction { name: "bin", func: bin };
fn bin(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    check_args("bin", &args, 1, 1)?;
    radix(vm, &args.pos[0], 2, "0b")
}

pub static OCT: BuiltinFunction = BuiltinFunction { name: "oct", func: oct };
fn oct(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    check_args("oct", &args, 1, 1)?;
    radix(vm, &args.pos[0], 8, "0o")
}

pub static HEX: BuiltinFunction = BuiltinFunction { name: "hex", func: hex };
fn hex(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    check_args("hex", &args, 1, 1)?;
    radix(vm, &args.pos[0], 16, "0x")
}

fn radix(vm: &mut Vm, v: &Value, base: u32, prefix: &str) -> PyResult<Value> {
    let b = match as_bigint(v) {
        Some(b) => b,
        None => {
            let i = index_value(vm, v)?;
            as_bigint(&i).ok_or_else(|| not_integer(v))?
        }
    };
    let digits = b.magnitude().to_str_radix(base);
    let sign = if b.sign() == Sign::Minus { "-" } else { "" };
    Ok(Value::string(format!("{}{}{}", sign, prefix, digits)))
}

/// `operator.index(v)`: ints as they are, `__index__` on Python objects.
pub fn index_value(vm: &mut Vm, v: &Value) -> PyResult<Value> {
    match v {
        Value::Int(_) | Value::BigInt(_) => Ok(v.clone()),
        Value::Bool(b) => Ok(Value::Int(*b as i64)),
        Value::Instance(_) | Value::Native(_) => match vm.lookup_special(v, "__index__")? {
            Some(f) => {
                let r = vm.call(&f, &[])?;
                match r {
                    Value::Int(_) | Value::BigInt(_) | Value::Bool(_) => Ok(r),
                    other => Err(type_error(format!(
                        "__index__ returned non-int (type {})",
                        type_name(&other)
                    ))),
                }
            }
            None => Err(not_integer(v)),
        },
        _ => Err(not_integer(v)),
    }
}

/// An `Arc` of a big int, normalised: used by `int` methods.
pub fn int_value(b: BigInt) -> Value {
    match b.to_i64() {
        Some(i) => Value::Int(i),
        None => Value::BigInt(Arc::new(b)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_float_is_correctly_rounded() {
        assert_eq!(round_float(2.675, 2).unwrap(), 2.67);
        assert_eq!(round_float(0.125, 2).unwrap(), 0.12);
        assert_eq!(round_float(0.375, 2).unwrap(), 0.38);
        assert_eq!(round_float(1.5, 0).unwrap(), 2.0);
        assert_eq!(round_float(2.5, 0).unwrap(), 2.0);
        assert_eq!(round_float(12345.0, -2).unwrap(), 12300.0);
        assert_eq!(round_float(1e300, -300).unwrap(), 1e300);
        assert!(round_float(-0.4, 0).unwrap().is_sign_negative());
        assert_eq!(round_float(3.14159, 3).unwrap(), 3.142);
    }

    #[test]
    fn round_int_ties_to_even() {
        let r = |i: i64, n: i64| round_int(&BigInt::from(i), &BigInt::from(n));
        assert_eq!(r(5, -1), BigInt::from(0));
        assert_eq!(r(15, -1), BigInt::from(20));
        assert_eq!(r(25, -1), BigInt::from(20));
        assert_eq!(r(-15, -1), BigInt::from(-20));
        assert_eq!(r(1234, -2), BigInt::from(1200));
    }

    #[test]
    fn mod_pow_handles_signs_and_inverses() {
        let p = |b: i64, e: i64, m: i64| mod_pow(&BigInt::from(b), &BigInt::from(e), &BigInt::from(m)).unwrap();
        assert_eq!(p(3, 2, -5), BigInt::from(-1));
        assert_eq!(p(3, -1, 7), BigInt::from(5));
        assert_eq!(p(-2, 3, 5), BigInt::from(2));
        assert_eq!(p(2, 10, 1), BigInt::from(0));
    }
}
