//! Operators: arithmetic with int → big-int promotion (Objects/longobject.c semantics for
//! `//`, `%` and `**`), float arithmetic (Objects/floatobject.c), sequence operators,
//! rich comparison with reflected operands, truthiness and `in`.

use std::cmp::Ordering;
use std::sync::Arc;

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{Signed, ToPrimitive, Zero};

use super::dict::{new_set_storage, Key, SetStorage};
use super::errors::{overflow_error, type_error, value_error, zero_division_error, PyErr};
use super::objects::{DictObj, SetObj};
use super::types::type_name;
use super::value::Value;
use super::vm::Vm;
use super::PyResult;
use crate::syntax::ast::{BinOp, CmpOp};

#[derive(Clone, Copy, Debug)]
pub enum Unary {
    Neg,
    Pos,
    Invert,
}

pub fn binop_symbol(op: BinOp) -> &'static str {
    match op {
        BinOp::Add => "+",
        BinOp::Sub => "-",
        BinOp::Mul => "*",
        BinOp::Div => "/",
        BinOp::FloorDiv => "//",
        BinOp::Mod => "%",
        BinOp::Pow => "** or pow()",
        BinOp::MatMul => "@",
        BinOp::LShift => "<<",
        BinOp::RShift => ">>",
        BinOp::BitAnd => "&",
        BinOp::BitOr => "|",
        BinOp::BitXor => "^",
    }
}

fn dunder(op: BinOp) -> (&'static str, &'static str, &'static str) {
    match op {
        BinOp::Add => ("__add__", "__radd__", "__iadd__"),
        BinOp::Sub => ("__sub__", "__rsub__", "__isub__"),
        BinOp::Mul => ("__mul__", "__rmul__", "__imul__"),
        BinOp::Div => ("__truediv__", "__rtruediv__", "__itruediv__"),
        BinOp::FloorDiv => ("__floordiv__", "__rfloordiv__", "__ifloordiv__"),
        BinOp::Mod => ("__mod__", "__rmod__", "__imod__"),
        BinOp::Pow => ("__pow__", "__rpow__", "__ipow__"),
        BinOp::MatMul => ("__matmul__", "__rmatmul__", "__imatmul__"),
        BinOp::LShift => ("__lshift__", "__rlshift__", "__ilshift__"),
        BinOp::RShift => ("__rshift__", "__rrshift__", "__irshift__"),
        BinOp::BitAnd => ("__and__", "__rand__", "__iand__"),
        BinOp::BitOr => ("__or__", "__ror__", "__ior__"),
        BinOp::BitXor => ("__xor__", "__rxor__", "__ixor__"),
    }
}

/// The common int operations inline; `None` sends the caller to the general path
/// (overflow into big ints, errors, unusual operators).
#[inline(always)]
pub fn int_fast(op: BinOp, x: i64, y: i64) -> Option<Value> {
    match op {
        BinOp::Add => x.checked_add(y).map(Value::Int),
        BinOp::Sub => x.checked_sub(y).map(Value::Int),
        BinOp::Mul => x.checked_mul(y).map(Value::Int),
        // For a positive divisor, Euclidean and floor division agree.
        BinOp::Mod if y > 0 => Some(Value::Int(x.rem_euclid(y))),
        BinOp::FloorDiv if y > 0 => Some(Value::Int(x.div_euclid(y))),
        BinOp::BitAnd => Some(Value::Int(x & y)),
        BinOp::BitOr => Some(Value::Int(x | y)),
        BinOp::BitXor => Some(Value::Int(x ^ y)),
        _ => None,
    }
}

/// The common float operations inline; `None` for the general path (division by zero…).
#[inline(always)]
pub fn float_fast(op: BinOp, x: f64, y: f64) -> Option<Value> {
    match op {
        BinOp::Add => Some(Value::Float(x + y)),
        BinOp::Sub => Some(Value::Float(x - y)),
        BinOp::Mul => Some(Value::Float(x * y)),
        BinOp::Div if y != 0.0 => Some(Value::Float(x / y)),
        _ => None,
    }
}

/// `x <op> y` for ints; `op` is one of the six ordering comparisons.
#[inline(always)]
pub fn cmp_ints(op: CmpOp, x: i64, y: i64) -> bool {
    match op {
        CmpOp::Eq => x == y,
        CmpOp::NotEq => x != y,
        CmpOp::Lt => x < y,
        CmpOp::LtE => x <= y,
        CmpOp::Gt => x > y,
        _ => x >= y,
    }
}

/// `x <op> y` for floats (NaN compares false except for `!=`).
#[inline(always)]
pub fn cmp_floats(op: CmpOp, x: f64, y: f64) -> bool {
    match op {
        CmpOp::Eq => x == y,
        CmpOp::NotEq => x != y,
        CmpOp::Lt => x < y,
        CmpOp::LtE => x <= y,
        CmpOp::Gt => x > y,
        _ => x >= y,
    }
}

/// An int operand as a big integer (bools count as ints).
pub fn as_bigint(v: &Value) -> Option<BigInt> {
    match v {
        Value::Int(i) => Some(BigInt::from(*i)),
        Value::Bool(b) => Some(BigInt::from(*b as i64)),
        Value::BigInt(b) => Some((**b).clone()),
        _ => None,
    }
}

/// A small-int operand (bools count as ints).
#[inline]
pub fn as_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Int(i) => Some(*i),
        Value::Bool(b) => Some(*b as i64),
        _ => None,
    }
}

/// A numeric operand as a float; big ints that don't fit are an OverflowError.
pub fn as_f64(v: &Value) -> Option<PyResult<f64>> {
    match v {
        Value::Float(f) => Some(Ok(*f)),
        Value::Int(i) => Some(Ok(*i as f64)),
        Value::Bool(b) => Some(Ok(*b as i64 as f64)),
        Value::BigInt(b) => Some(bigint_to_f64(b)),
        _ => None,
    }
}

pub fn bigint_to_f64(b: &BigInt) -> PyResult<f64> {
    match b.to_f64() {
        Some(f) if f.is_finite() => Ok(f),
        _ => Err(overflow_error("int too large to convert to float")),
    }
}

fn is_int(v: &Value) -> bool {
    matches!(v, Value::Int(_) | Value::Bool(_) | Value::BigInt(_))
}

fn is_number(v: &Value) -> bool {
    matches!(v, Value::Int(_) | Value::Bool(_) | Value::BigInt(_) | Value::Float(_))
}

/// Integer arithmetic; `None` if the operator does not apply to ints.
fn int_op(op: BinOp, a: &Value, b: &Value) -> Option<PyResult<Value>> {
    if let (Some(x), Some(y)) = (as_i64(a), as_i64(b)) {
        let r = match op {
            BinOp::Add => x.checked_add(y).map(Value::Int),
            BinOp::Sub => x.checked_sub(y).map(Value::Int),
            BinOp::Mul => x.checked_mul(y).map(Value::Int),
            BinOp::FloorDiv => {
                if y == 0 {
                    return Some(Err(zero_division_error("integer division or modulo by zero")));
                }
                x.checked_div_euclid(y).map(|_| Value::Int(Integer::div_floor(&x, &y)))
            }
            BinOp::Mod => {
                if y == 0 {
                    return Some(Err(zero_division_error("integer modulo by zero")));
                }
                x.checked_rem(y).map(|_| Value::Int(Integer::mod_floor(&x, &y)))
            }
            BinOp::Div => {
                if y == 0 {
                    return Some(Err(zero_division_error("division by zero")));
                }
                return Some(Ok(Value::Float(int_true_div(&BigInt::from(x), &BigInt::from(y)))));
            }
            BinOp::Pow => {
                if y < 0 {
                    if x == 0 {
                        return Some(Err(zero_division_error("0.0 cannot be raised to a negative power")));
                    }
                    return Some(Ok(Value::Float((x as f64).powf(y as f64))));
                }
                u32::try_from(y).ok().and_then(|e| x.checked_pow(e)).map(Value::Int)
            }
            BinOp::BitAnd => Some(if let (Value::Bool(p), Value::Bool(q)) = (a, b) {
                Value::Bool(*p & *q)
            } else {
                Value::Int(x & y)
            }),
            BinOp::BitOr => Some(if let (Value::Bool(p), Value::Bool(q)) = (a, b) {
                Value::Bool(*p | *q)
            } else {
                Value::Int(x | y)
            }),
            BinOp::BitXor => Some(if let (Value::Bool(p), Value::Bool(q)) = (a, b) {
                Value::Bool(*p ^ *q)
            } else {
                Value::Int(x ^ y)
            }),
            BinOp::LShift => {
                if y < 0 {
                    return Some(Err(value_error("negative shift count")));
                }
                if y < 63 && x.unsigned_abs() < (1u64 << (63 - y)) {
                    Some(Value::Int(x << y))
                } else {
                    None
                }
            }
            BinOp::RShift => {
                if y < 0 {
                    return Some(Err(value_error("negative shift count")));
                }
                Some(Value::Int(if y >= 64 {
                    if x < 0 {
                        -1
                    } else {
                        0
                    }
                } else {
                    x >> y
                }))
            }
            BinOp::MatMul => return None,
        };
        if let Some(r) = r {
            return Some(Ok(r));
        }
    }
    // Big-int path.
    let (x, y) = (as_bigint(a)?, as_bigint(b)?);
    Some(bigint_op(op, &x, &y))
}

fn bigint_op(op: BinOp, x: &BigInt, y: &BigInt) -> PyResult<Value> {
    Ok(match op {
        BinOp::Add => Value::from_bigint(x + y),
        BinOp::Sub => Value::from_bigint(x - y),
        BinOp::Mul => Value::from_bigint(x * y),
        BinOp::FloorDiv => {
            if y.is_zero() {
                return Err(zero_division_error("integer division or modulo by zero"));
            }
            Value::from_bigint(x.div_floor(y))
        }
        BinOp::Mod => {
            if y.is_zero() {
                return Err(zero_division_error("integer modulo by zero"));
            }
            Value::from_bigint(x.mod_floor(y))
        }
        BinOp::Div => {
            if y.is_zero() {
                return Err(zero_division_error("division by zero"));
            }
            Value::Float(int_true_div(x, y))
        }
        BinOp::Pow => {
            if y.is_negative() {
                if x.is_zero() {
                    return Err(zero_division_error("0.0 cannot be raised to a negative power"));
                }
                return Ok(Value::Float(bigint_to_f64(x)?.powf(bigint_to_f64(y)?)));
            }
            let e = y.to_u32().ok_or_else(|| overflow_error("exponent too large"))?;
            if x.bits() as u128 * e as u128 > 64 * 1024 * 1024 {
                return Err(super::errors::memory_error(""));
            }
            Value::from_bigint(num_traits::pow::pow(x.clone(), e as usize))
        }
        BinOp::BitAnd => Value::from_bigint(x & y),
        BinOp::BitOr => Value::from_bigint(x | y),
        BinOp::BitXor => Value::from_bigint(x ^ y),
        BinOp::LShift => {
            let s = y.to_usize().ok_or_else(|| {
                if y.is_negative() {
                    value_error("negative shift count")
                } else {
                    overflow_error("too many digits in integer")
                }
            })?;
            if s > 512 * 1024 * 1024 {
                return Err(overflow_error("too many digits in integer"));
            }
            Value::from_bigint(x << s)
        }
        BinOp::RShift => {
            if y.is_negative() {
                return Err(value_error("negative shift count"));
            }
            let s = y.to_usize().unwrap_or(usize::MAX).min(1 << 40);
            Value::from_bigint(x >> s)
        }
        BinOp::MatMul => return Err(type_error("unsupported operand type(s) for @: 'int' and 'int'")),
    })
}

/// True division of ints, correctly rounded like CPython's long_true_divide for the
/// common cases (exact when both fit in 53 bits).
fn int_true_div(x: &BigInt, y: &BigInt) -> f64 {
    if let (Some(a), Some(b)) = (x.to_i64(), y.to_i64()) {
        if a.unsigned_abs() < (1 << 53) && b.unsigned_abs() < (1 << 53) {
            return a as f64 / b as f64;
        }
    }
    // Scale so the quotient keeps 64+ significant bits, then round once.
    let (q, r) = x.div_rem(y);
    if r.is_zero() {
        return q.to_f64().unwrap_or(f64::INFINITY);
    }
    let shift = 128i64 - (x.bits() as i64 - y.bits() as i64);
    let shift = shift.max(0) as usize;
    let scaled = (x << shift) / y;
    scaled.to_f64().unwrap_or(f64::INFINITY) / 2f64.powi(shift as i32)
}

fn float_op(op: BinOp, x: f64, y: f64) -> PyResult<Value> {
    Ok(Value::Float(match op {
        BinOp::Add => x + y,
        BinOp::Sub => x - y,
        BinOp::Mul => x * y,
        BinOp::Div => {
            if y == 0.0 {
                return Err(zero_division_error("float division by zero"));
            }
            x / y
        }
        BinOp::FloorDiv => {
            if y == 0.0 {
                return Err(zero_division_error("float floor division by zero"));
            }
            float_divmod(x, y).0
        }
        BinOp::Mod => {
            if y == 0.0 {
                return Err(zero_division_error("float modulo"));
            }
            float_divmod(x, y).1
        }
        BinOp::Pow => {
            if x == 0.0 && y < 0.0 {
                return Err(zero_division_error("0.0 cannot be raised to a negative power"));
            }
            if x < 0.0 && y.fract() != 0.0 && y.is_finite() {
                return Err(value_error("math domain error: negative number raised to a fractional power (complex results are not supported by gilsim)"));
            }
            let r = x.powf(y);
            if r.is_infinite() && x.is_finite() && y.is_finite() {
                return Err(overflow_error("(34, 'Numerical result out of range')"));
            }
            r
        }
        _ => {
            return Err(type_error(format!(
                "unsupported operand type(s) for {}: 'float' and 'float'",
                binop_symbol(op)
            )))
        }
    }))
}

/// Objects/floatobject.c `_float_div_mod`: floor quotient and a remainder with the sign of
/// the divisor.
pub fn float_divmod(x: f64, y: f64) -> (f64, f64) {
    let mut m = x % y;
    let mut div = (x - m) / y;
    if m != 0.0 {
        if (y < 0.0) != (m < 0.0) {
            m += y;
            div -= 1.0;
        }
    } else {
        m = 0.0f64.copysign(y);
    }
    let floordiv = if div != 0.0 {
        let mut f = div.floor();
        if div - f > 0.5 {
            f += 1.0;
        }
        f
    } else {
        0.0f64.copysign(x / y)
    };
    (floordiv, m)
}

/// Numeric equality across int, bool, big int and float; `None` if either isn't a number.
pub fn numeric_eq(a: &Value, b: &Value) -> Option<bool> {
    numeric_cmp(a, b).map(|o| o == Some(Ordering::Equal))
}

/// Numeric ordering; `Some(None)` for comparisons involving NaN.
pub fn numeric_cmp(a: &Value, b: &Value) -> Option<Option<Ordering>> {
    if let (Some(x), Some(y)) = (as_i64(a), as_i64(b)) {
        return Some(Some(x.cmp(&y)));
    }
    if is_int(a) && is_int(b) {
        return Some(Some(as_bigint(a)?.cmp(&as_bigint(b)?)));
    }
    if !is_number(a) || !is_number(b) {
        return None;
    }
    // A float against an int: compare exactly, as Objects/floatobject.c float_richcompare.
    let (f, i, flipped) = match (a, b) {
        (Value::Float(f), other) => (*f, other, false),
        (other, Value::Float(f)) => (*f, other, true),
        _ => return None,
    };
    let ord = if let Value::Float(g) = i {
        f.partial_cmp(g)
    } else if f.is_nan() {
        None
    } else if f.is_infinite() {
        Some(if f > 0.0 { Ordering::Greater } else { Ordering::Less })
    } else {
        let iv = as_bigint(i)?;
        let ff = f.floor();
        let fb = num_bigint::BigInt::from_f64_exact(ff);
        match fb.cmp(&iv) {
            Ordering::Equal if f > ff => Some(Ordering::Greater),
            o => Some(o),
        }
    };
    Some(if flipped { ord.map(|o| o.reverse()) } else { ord })
}

trait FromF64Exact {
    fn from_f64_exact(f: f64) -> BigInt;
}

impl FromF64Exact for BigInt {
    fn from_f64_exact(f: f64) -> BigInt {
        num_traits::FromPrimitive::from_f64(f).unwrap_or_default()
    }
}

impl Vm {
    /// `a op b` for every type, falling back to `__op__` / `__rop__` on Python classes.
    pub fn binary_op(&mut self, op: BinOp, a: Value, b: Value) -> PyResult<Value> {
        if let Some(r) = self.builtin_binary(op, &a, &b)? {
            return Ok(r);
        }
        let (name, rname, _) = dunder(op);
        if let Some(r) = self.try_dunder(&a, name, &b)? {
            return Ok(r);
        }
        if !a.is(&b) || !matches!(a, Value::Instance(_)) {
            if let Some(r) = self.try_dunder(&b, rname, &a)? {
                return Ok(r);
            }
        }
        Err(unsupported(op, &a, &b))
    }

    /// `a op= b`: lists, sets and dicts update in place; `__iop__` on Python classes.
    pub fn inplace_op(&mut self, op: BinOp, a: Value, b: Value) -> PyResult<Value> {
        match (&a, op) {
            (Value::List(l), BinOp::Add) => {
                let items = self.collect(&b)?;
                {
                    let mut mine = l.items.lock();
                    check_size(mine.len() + items.len(), 1, VALUE_BYTES)?;
                    mine.extend(items);
                }
                return Ok(a);
            }
            (Value::List(l), BinOp::Mul) if is_int(&b) => {
                let n = repeat_count(&b)?;
                let mut items = l.items.lock();
                check_size(items.len(), n, VALUE_BYTES)?;
                let orig = std::mem::take(&mut *items);
                *items = repeat_values(&orig, n);
                drop(items);
                return Ok(a);
            }
            (Value::Set(s), BinOp::BitOr | BinOp::BitAnd | BinOp::Sub | BinOp::BitXor) if !s.frozen => {
                if let Value::Set(other) = &b {
                    let theirs = other.set.lock().clone();
                    let r = set_op(op, &s.set.lock(), &theirs);
                    *s.set.lock() = r;
                    return Ok(a);
                }
            }
            (Value::Dict(d), BinOp::BitOr) => {
                if let Value::Dict(other) = &b {
                    let entries: Vec<_> = other.map.lock().iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                    d.map.lock().extend(entries);
                    return Ok(a);
                }
            }
            (Value::Instance(_), _) => {
                let (_, _, iname) = dunder(op);
                if let Some(r) = self.try_dunder(&a, iname, &b)? {
                    return Ok(r);
                }
            }
            _ => {}
        }
        self.binary_op(op, a, b)
    }

    /// Calls `obj.name(arg)` if the class defines it; `None` if absent or NotImplemented.
    fn try_dunder(&mut self, obj: &Value, name: &str, arg: &Value) -> PyResult<Option<Value>> {
        if !matches!(obj, Value::Instance(_) | Value::Native(_)) {
            return Ok(None);
        }
        let class = super::types::type_of(obj).clone();
        match class.lookup(name) {
            Some(f) if !matches!(f, Value::None) => {
                let r = self.call(&f, &[obj.clone(), arg.clone()])?;
                Ok(if matches!(r, Value::NotImplemented) {
                    None
                } else {
                    Some(r)
                })
            }
            _ => Ok(None),
        }
    }

    fn builtin_binary(&mut self, op: BinOp, a: &Value, b: &Value) -> PyResult<Option<Value>> {
        if is_int(a) && is_int(b) {
            if let Some(r) = int_op(op, a, b) {
                return r.map(Some);
            }
        }
        if is_number(a) && is_number(b) && !matches!(op, BinOp::MatMul) {
            if matches!(
                op,
                BinOp::LShift | BinOp::RShift | BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor
            ) {
                return Ok(None);
            }
            let x = as_f64(a).expect("number")?;
            let y = as_f64(b).expect("number")?;
            return float_op(op, x, y).map(Some);
        }
        Ok(Some(match (op, a, b) {
            (BinOp::Add, Value::Str(x), Value::Str(y)) => {
                check_size(x.len() + y.len(), 1, 1)?;
                let mut s = String::with_capacity(x.len() + y.len());
                s.push_str(x.as_str());
                s.push_str(y.as_str());
                Value::string(s)
            }
            (BinOp::Add, Value::Str(_), _) if !matches!(b, Value::Instance(_)) => return Err(concat_error("str", b)),
            (BinOp::Mul, Value::Str(s), n) | (BinOp::Mul, n, Value::Str(s)) if is_int(n) => {
                let n = repeat_count(n)?;
                check_size(s.len(), n, 1)?;
                Value::string(s.as_str().repeat(n))
            }
            (BinOp::Mod, Value::Str(s), args) => Value::string(self.percent_format(s.as_str(), args)?),
            (BinOp::Add, Value::List(x), Value::List(y)) => {
                let x_len = x.items.lock().len();
                let y_len = y.items.lock().len();
                check_size(x_len + y_len, 1, VALUE_BYTES)?;
                let mut items = x.items.lock().clone();
                items.extend(y.items.lock().iter().cloned());
                Value::list(items)
            }
            (BinOp::Add, Value::List(_), _) if !matches!(b, Value::Instance(_)) => return Err(concat_error("list", b)),
            (BinOp::Add, Value::Tuple(x), Value::Tuple(y)) => {
                check_size(x.len() + y.len(), 1, VALUE_BYTES)?;
                let mut items = (**x).clone();
                items.extend(y.iter().cloned());
                Value::tuple(items)
            }
            (BinOp::Add, Value::Tuple(_), _) if !matches!(b, Value::Instance(_)) => {
                return Err(concat_error("tuple", b))
            }
            (BinOp::Mul, Value::List(l), n) | (BinOp::Mul, n, Value::List(l)) if is_int(n) => {
                let n = repeat_count(n)?;
                let items = l.items.lock();
                check_size(items.len(), n, VALUE_BYTES)?;
                Value::list(repeat_values(&items, n))
            }
            (BinOp::Mul, Value::Tuple(t), n) | (BinOp::Mul, n, Value::Tuple(t)) if is_int(n) => {
                let n = repeat_count(n)?;
                check_size(t.len(), n, VALUE_BYTES)?;
                Value::tuple(repeat_values(&t, n))
            }
            (BinOp::Mul, Value::Bytes(b), n) | (BinOp::Mul, n, Value::Bytes(b)) if is_int(n) => {
                let n = repeat_count(n)?;
                check_size(b.len(), n, 1)?;
                Value::Bytes(Arc::new(b.repeat(n)))
            }
            (BinOp::Add, Value::Bytes(x), Value::Bytes(y)) => {
                check_size(x.len() + y.len(), 1, 1)?;
                let mut v = (**x).clone();
                v.extend_from_slice(y);
                Value::Bytes(Arc::new(v))
            }
            (BinOp::BitOr | BinOp::BitAnd | BinOp::Sub | BinOp::BitXor, Value::Set(x), Value::Set(y)) => {
                let ys = y.set.lock().clone();
                let r = set_op(op, &x.set.lock(), &ys);
                Value::Set(Arc::new(SetObj::new(r, x.frozen)))
            }
            (BinOp::BitOr, Value::Dict(x), Value::Dict(y)) => {
                let mut m = x.map.lock().clone();
                for (k, v) in y.map.lock().iter() {
                    m.insert(k.clone(), v.clone());
                }
                Value::Dict(Arc::new(DictObj::new(m)))
            }
            (BinOp::BitOr | BinOp::BitAnd | BinOp::Sub | BinOp::BitXor, Value::DictView(x), other) => {
                // dict_keys support set operators.
                let left = self.collect(&Value::DictView(x.clone()))?;
                let right = self.collect(other)?;
                let mut l = new_set_storage();
                for v in left {
                    l.insert(Key::new(v)?);
                }
                let mut r = new_set_storage();
                for v in right {
                    r.insert(Key::new(v)?);
                }
                Value::Set(Arc::new(SetObj::new(set_op(op, &l, &r), false)))
            }
            _ => return Ok(None),
        }))
    }

    pub fn unary_op(&mut self, op: Unary, v: Value) -> PyResult<Value> {
        match (op, &v) {
            (Unary::Neg, Value::Int(i)) => Ok(match i.checked_neg() {
                Some(n) => Value::Int(n),
                None => Value::from_bigint(-BigInt::from(*i)),
            }),
            (Unary::Neg, Value::Bool(b)) => Ok(Value::Int(-(*b as i64))),
            (Unary::Neg, Value::BigInt(b)) => Ok(Value::from_bigint(-(**b).clone())),
            (Unary::Neg, Value::Float(f)) => Ok(Value::Float(-f)),
            (Unary::Pos, Value::Int(_) | Value::BigInt(_) | Value::Float(_)) => Ok(v),
            (Unary::Pos, Value::Bool(b)) => Ok(Value::Int(*b as i64)),
            (Unary::Invert, Value::Int(i)) => Ok(Value::Int(!i)),
            (Unary::Invert, Value::Bool(b)) => Ok(Value::Int(!(*b as i64))),
            (Unary::Invert, Value::BigInt(b)) => Ok(Value::from_bigint(-(**b).clone() - 1)),
            (_, Value::Instance(_)) => {
                let name = match op {
                    Unary::Neg => "__neg__",
                    Unary::Pos => "__pos__",
                    Unary::Invert => "__invert__",
                };
                match self.lookup_special(&v, name)? {
                    Some(f) => self.call(&f, &[]),
                    None => Err(bad_unary(op, &v)),
                }
            }
            _ => Err(bad_unary(op, &v)),
        }
    }

    /// Python truthiness (`__bool__`, then `__len__`).
    pub fn truthy(&mut self, v: &Value) -> PyResult<bool> {
        Ok(match v {
            Value::None => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::BigInt(_) => true,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::Bytes(b) => !b.is_empty(),
            Value::Tuple(t) => !t.is_empty(),
            Value::List(l) => !l.items.lock().is_empty(),
            Value::Dict(d) => !d.map.lock().is_empty(),
            Value::Set(s) => !s.set.lock().is_empty(),
            Value::Range(r) => r.len() > 0,
            Value::DictView(d) => !d.dict.map.lock().is_empty(),
            Value::Instance(_) | Value::Native(_) => {
                if let Some(f) = self.lookup_special(v, "__bool__")? {
                    return match self.call(&f, &[])? {
                        Value::Bool(b) => Ok(b),
                        r => Err(type_error(format!(
                            "__bool__ should return bool, returned {}",
                            type_name(&r)
                        ))),
                    };
                }
                if let Some(f) = self.lookup_special(v, "__len__")? {
                    let n = self.call(&f, &[])?;
                    return Ok(as_i64(&n).map(|n| n != 0).unwrap_or(true));
                }
                true
            }
            _ => true,
        })
    }

    /// `a == b`
    pub fn eq(&mut self, a: &Value, b: &Value) -> PyResult<bool> {
        if let Some(r) = self.builtin_eq(a, b)? {
            return Ok(r);
        }
        let v = self.rich_compare(a, b, CmpOp::Eq)?;
        self.truthy(&v)
    }

    /// Equality of built-in values; `None` when Python-level `__eq__` must decide.
    fn builtin_eq(&mut self, a: &Value, b: &Value) -> PyResult<Option<bool>> {
        if let Some(r) = numeric_eq(a, b) {
            return Ok(Some(r));
        }
        Ok(Some(match (a, b) {
            (Value::Str(x), Value::Str(y)) => Arc::ptr_eq(x, y) || x.as_str() == y.as_str(),
            (Value::None, Value::None) => true,
            (Value::Tuple(x), Value::Tuple(y)) => {
                if Arc::ptr_eq(x, y) {
                    return Ok(Some(true));
                }
                return self.seq_eq(x, y).map(Some);
            }
            (Value::List(x), Value::List(y)) => {
                if Arc::ptr_eq(x, y) {
                    return Ok(Some(true));
                }
                let xs = x.items.lock().clone();
                let ys = y.items.lock().clone();
                return self.seq_eq(&xs, &ys).map(Some);
            }
            (Value::Dict(x), Value::Dict(y)) => {
                if Arc::ptr_eq(x, y) {
                    return Ok(Some(true));
                }
                let xs: Vec<(super::dict::Key, Value)> =
                    x.map.lock().iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                let ym = y.map.lock().clone();
                if xs.len() != ym.len() {
                    return Ok(Some(false));
                }
                self.enter_native()?;
                let mut all = true;
                for (k, v) in xs {
                    match ym.get(&k) {
                        Some(w) => {
                            let r = self.eq(&v, w);
                            if !matches!(r, Ok(true)) {
                                self.leave_native();
                                return r.map(Some);
                            }
                        }
                        None => {
                            all = false;
                            break;
                        }
                    }
                }
                self.leave_native();
                all
            }
            (Value::Set(x), Value::Set(y)) => {
                let xs = x.set.lock().clone();
                let ys = y.set.lock();
                xs.len() == ys.len() && xs.iter().all(|k| ys.contains(k))
            }
            (Value::Bytes(x), Value::Bytes(y)) => x == y,
            (Value::Range(x), Value::Range(y)) => {
                let (lx, ly) = (x.len(), y.len());
                lx == ly && (lx == 0 || (x.start == y.start && (lx == 1 || x.step == y.step)))
            }
            (Value::Instance(_), _) | (_, Value::Instance(_)) | (Value::Native(_), _) | (_, Value::Native(_)) => {
                return Ok(None)
            }
            _ => a.is(b),
        }))
    }

    fn seq_eq(&mut self, x: &[Value], y: &[Value]) -> PyResult<bool> {
        if x.len() != y.len() {
            return Ok(false);
        }
        self.enter_native()?;
        for (p, q) in x.iter().zip(y) {
            match self.eq(p, q) {
                Ok(true) => {}
                other => {
                    self.leave_native();
                    return other;
                }
            }
        }
        self.leave_native();
        Ok(true)
    }

    /// `a < b` as a bool (used by sorting, min and max).
    pub fn lt(&mut self, a: &Value, b: &Value) -> PyResult<bool> {
        if let (Value::Int(x), Value::Int(y)) = (a, b) {
            return Ok(x < y);
        }
        let r = self.rich_compare(a, b, CmpOp::Lt)?;
        self.truthy(&r)
    }

    /// `a <op> b` for ==, !=, <, <=, >, >= (Objects/object.c do_richcompare).
    pub fn rich_compare(&mut self, a: &Value, b: &Value, op: CmpOp) -> PyResult<Value> {
        if matches!(op, CmpOp::Eq | CmpOp::NotEq) {
            if let Some(r) = self.builtin_eq(a, b)? {
                return Ok(Value::Bool(if op == CmpOp::Eq { r } else { !r }));
            }
        } else if let Some(ord) = self.builtin_order(a, b)? {
            return Ok(Value::Bool(match ord {
                None => false,
                Some(o) => match op {
                    CmpOp::Lt => o == Ordering::Less,
                    CmpOp::LtE => o != Ordering::Greater,
                    CmpOp::Gt => o == Ordering::Greater,
                    CmpOp::GtE => o != Ordering::Less,
                    _ => false,
                },
            }));
        }
        let (name, reflected) = match op {
            CmpOp::Eq => ("__eq__", "__eq__"),
            CmpOp::NotEq => ("__ne__", "__ne__"),
            CmpOp::Lt => ("__lt__", "__gt__"),
            CmpOp::LtE => ("__le__", "__ge__"),
            CmpOp::Gt => ("__gt__", "__lt__"),
            CmpOp::GtE => ("__ge__", "__le__"),
            _ => unreachable!("identity and membership are handled by the caller"),
        };
        if let Some(r) = self.try_dunder(a, name, b)? {
            return Ok(r);
        }
        if let Some(r) = self.try_dunder(b, reflected, a)? {
            return Ok(r);
        }
        if op == CmpOp::NotEq {
            if let Some(r) = self.try_dunder(a, "__eq__", b)? {
                let t = self.truthy(&r)?;
                return Ok(Value::Bool(!t));
            }
        }
        match op {
            CmpOp::Eq => Ok(Value::Bool(a.is(b))),
            CmpOp::NotEq => Ok(Value::Bool(!a.is(b))),
            _ => Err(type_error(format!(
                "'{}' not supported between instances of '{}' and '{}'",
                cmp_symbol(op),
                type_name(a),
                type_name(b)
            ))),
        }
    }

    /// Ordering of built-in values; `Ok(None)` when Python code must decide,
    /// `Ok(Some(None))` for unordered (NaN).
    fn builtin_order(&mut self, a: &Value, b: &Value) -> PyResult<Option<Option<Ordering>>> {
        if let Some(o) = numeric_cmp(a, b) {
            return Ok(Some(o));
        }
        Ok(match (a, b) {
            (Value::Str(x), Value::Str(y)) => Some(Some(x.as_str().cmp(y.as_str()))),
            (Value::Bytes(x), Value::Bytes(y)) => Some(Some(x.cmp(y))),
            (Value::Tuple(x), Value::Tuple(y)) => Some(self.seq_order(x, y)?),
            (Value::List(x), Value::List(y)) => {
                let xs = x.items.lock().clone();
                let ys = y.items.lock().clone();
                Some(self.seq_order(&xs, &ys)?)
            }
            (Value::Set(x), Value::Set(y)) => {
                // Subset ordering: only < <= > >= on sets, partial.
                let xs = x.set.lock().clone();
                let ys = y.set.lock();
                let sub = xs.iter().all(|k| ys.contains(k));
                let sup = ys.iter().all(|k| xs.contains(k));
                Some(match (sub, sup) {
                    (true, true) => Some(Ordering::Equal),
                    (true, false) => Some(Ordering::Less),
                    (false, true) => Some(Ordering::Greater),
                    (false, false) => None,
                })
            }
            _ => None,
        })
    }

    /// Lexicographic order of sequences: the first unequal pair decides.
    fn seq_order(&mut self, x: &[Value], y: &[Value]) -> PyResult<Option<Ordering>> {
        self.enter_native()?;
        let r = (|| {
            for (p, q) in x.iter().zip(y) {
                if !self.eq(p, q)? {
                    if self.lt(p, q)? {
                        return Ok(Some(Ordering::Less));
                    }
                    if self.lt(q, p)? {
                        return Ok(Some(Ordering::Greater));
                    }
                    return Ok(None);
                }
            }
            Ok(Some(x.len().cmp(&y.len())))
        })();
        self.leave_native();
        r
    }

    /// `item in container`
    pub fn contains(&mut self, container: &Value, item: &Value) -> PyResult<bool> {
        match container {
            Value::Str(s) => match item {
                Value::Str(sub) => Ok(s.as_str().contains(sub.as_str())),
                _ => Err(type_error(format!(
                    "'in <string>' requires string as left operand, not {}",
                    type_name(item)
                ))),
            },
            Value::List(l) => {
                let items = l.items.lock().clone();
                self.any_eq(&items, item)
            }
            Value::Tuple(t) => {
                let t = t.clone();
                self.any_eq(&t, item)
            }
            Value::Dict(d) => {
                let k = Key::new(item.clone())?;
                Ok(d.map.lock().contains_key(&k))
            }
            Value::Set(s) => {
                let k = Key::new(item.clone())?;
                Ok(s.set.lock().contains(&k))
            }
            Value::DictView(v) => match v.kind {
                super::objects::DictIterKind::Keys => {
                    let k = Key::new(item.clone())?;
                    Ok(v.dict.map.lock().contains_key(&k))
                }
                _ => {
                    let items = self.collect(container)?;
                    self.any_eq(&items, item)
                }
            },
            Value::Range(r) => match as_i64(item) {
                Some(i) => {
                    let r = **r;
                    Ok(if r.step > 0 {
                        i >= r.start && i < r.stop && (i - r.start) % r.step == 0
                    } else {
                        i <= r.start && i > r.stop && (r.start - i) % (-r.step) == 0
                    })
                }
                None => {
                    let items = self.collect(container)?;
                    self.any_eq(&items, item)
                }
            },
            Value::Bytes(b) => match item {
                Value::Bytes(sub) => Ok(sub.is_empty() || b.windows(sub.len()).any(|w| w == &sub[..])),
                _ => match as_i64(item) {
                    Some(i) => Ok(b.contains(&(i as u8))),
                    None => Err(type_error("a bytes-like object is required")),
                },
            },
            Value::Instance(_) | Value::Native(_) => {
                if let Some(f) = self.lookup_special(container, "__contains__")? {
                    let r = self.call(&f, &[item.clone()])?;
                    return self.truthy(&r);
                }
                let it = self.get_iter(container).map_err(|_| not_container(container))?;
                while let Some(v) = self.next(&it)? {
                    if self.eq(&v, item)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Value::Iter(_) | Value::Generator(_) => {
                while let Some(v) = self.next(container)? {
                    if self.eq(&v, item)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            _ => Err(not_container(container)),
        }
    }

    fn any_eq(&mut self, items: &[Value], item: &Value) -> PyResult<bool> {
        for v in items {
            if v.is(item) || self.eq(v, item)? {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

pub fn set_op(op: BinOp, x: &SetStorage, y: &SetStorage) -> SetStorage {
    match op {
        BinOp::BitOr => x.iter().chain(y.iter()).cloned().collect(),
        BinOp::BitAnd => x.iter().filter(|k| y.contains(*k)).cloned().collect(),
        BinOp::Sub => x.iter().filter(|k| !y.contains(*k)).cloned().collect(),
        BinOp::BitXor => x
            .iter()
            .filter(|k| !y.contains(*k))
            .chain(y.iter().filter(|k| !x.contains(*k)))
            .cloned()
            .collect(),
        _ => x.clone(),
    }
}

fn repeat_count(n: &Value) -> PyResult<usize> {
    match n {
        Value::BigInt(b) if b.is_positive() => Err(overflow_error("cannot fit 'int' into an index-sized integer")),
        _ => Ok(as_i64(n).unwrap_or(0).max(0) as usize),
    }
}

/// The size of a list or tuple item.
const VALUE_BYTES: usize = std::mem::size_of::<Value>();

/// Refuses repetitions of `len` items of `item_bytes` bytes that would need more than the
/// 4 GiB any one result may have (`builtins::limits::MAX_RESULT_BYTES`), as MemoryError.
fn check_size(len: usize, n: usize, item_bytes: usize) -> PyResult<()> {
    match len.checked_mul(n).and_then(|count| count.checked_mul(item_bytes)) {
        Some(total) if total <= crate::builtins::limits::MAX_RESULT_BYTES => Ok(()),
        _ => Err(super::errors::memory_error("")),
    }
}

/// `seq * n` for lists and tuples (the caller has checked the size).
fn repeat_values(items: &[Value], n: usize) -> Vec<Value> {
    if items.is_empty() {
        // `[] * 10**18` is empty at once, not after 10**18 rounds.
        return Vec::new();
    }
    let mut out = Vec::with_capacity(items.len() * n);
    for _ in 0..n {
        out.extend_from_slice(items);
    }
    out
}

#[cold]
fn concat_error(kind: &str, b: &Value) -> PyErr {
    type_error(format!(
        "can only concatenate {kind} (not \"{}\") to {kind}",
        type_name(b)
    ))
}

#[cold]
fn unsupported(op: BinOp, a: &Value, b: &Value) -> PyErr {
    type_error(format!(
        "unsupported operand type(s) for {}: '{}' and '{}'",
        binop_symbol(op),
        type_name(a),
        type_name(b)
    ))
}

#[cold]
fn bad_unary(op: Unary, v: &Value) -> PyErr {
    let sym = match op {
        Unary::Neg => "-",
        Unary::Pos => "+",
        Unary::Invert => "~",
    };
    type_error(format!("bad operand type for unary {}: '{}'", sym, type_name(v)))
}

#[cold]
fn not_container(v: &Value) -> PyErr {
    type_error(format!("argument of type '{}' is not iterable", type_name(v)))
}

pub fn cmp_symbol(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Eq => "==",
        CmpOp::NotEq => "!=",
        CmpOp::Lt => "<",
        CmpOp::LtE => "<=",
        CmpOp::Gt => ">",
        CmpOp::GtE => ">=",
        CmpOp::In => "in",
        CmpOp::NotIn => "not in",
        CmpOp::Is => "is",
        CmpOp::IsNot => "is not",
    }
}
