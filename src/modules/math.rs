//! The `math` module (Modules/mathmodule.c): libm functions with CPython's error rules,
//! exact integer functions on big ints, and `fsum`.

use std::sync::Arc;

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{FromPrimitive, One, Signed, ToPrimitive, Zero};

use super::{arg_f64, arity, native_module};
use crate::builtins::limits::check_int_bits;
use crate::syntax::ast::BinOp;
use crate::vm::errors::{overflow_error, type_error, value_error, zero_division_error, PyErr};
use crate::vm::objects::{Args, BuiltinFunction, Module};
use crate::vm::ops::as_bigint;
use crate::vm::types::type_name;
use crate::vm::value::Value;
use crate::vm::vm::Vm;
use crate::vm::PyResult;

pub(super) fn create(_vm: &mut Vm) -> PyResult<Arc<Module>> {
    Ok(native_module(
        "math",
        FUNCTIONS,
        vec![
            ("pi", Value::Float(std::f64::consts::PI)),
            ("e", Value::Float(std::f64::consts::E)),
            ("tau", Value::Float(std::f64::consts::TAU)),
            ("inf", Value::Float(f64::INFINITY)),
            ("nan", Value::Float(f64::NAN)),
        ],
    ))
}

#[cold]
fn domain_error() -> PyErr {
    value_error("math domain error")
}

#[cold]
fn range_error() -> PyErr {
    overflow_error("math range error")
}

/// math_1: applies `f` and turns NaN-from-non-NaN into a domain error and infinity-from-finite
/// into a range error (`can_overflow`) or a domain error.
fn math_1(x: f64, f: fn(f64) -> f64, can_overflow: bool) -> PyResult<Value> {
    let r = f(x);
    if r.is_nan() && !x.is_nan() {
        return Err(domain_error());
    }
    if r.is_infinite() && x.is_finite() {
        return Err(if can_overflow { range_error() } else { domain_error() });
    }
    Ok(Value::Float(r))
}

/// Rust's asinh squares its argument and overflows for |x| > 1e154; past 2**28 the result
/// is ln|x| + ln 2 to double precision (as in fdlibm s_asinh.c).
fn asinh_f64(x: f64) -> f64 {
    if x.abs() > (1u64 << 28) as f64 && x.is_finite() {
        (x.abs().ln() + std::f64::consts::LN_2).copysign(x)
    } else {
        x.asinh()
    }
}

/// acosh, with fdlibm e_acosh.c's large-argument branch (see `asinh_f64`).
fn acosh_f64(x: f64) -> f64 {
    if x > (1u64 << 28) as f64 && x.is_finite() {
        x.ln() + std::f64::consts::LN_2
    } else {
        x.acosh()
    }
}

/// One-argument libm wrappers: `(python name, function, can overflow)`.
macro_rules! unary {
    ($($static:ident, $fn_name:ident, $name:literal, $f:expr, $overflow:expr;)*) => {
        $(
            fn $fn_name(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
                arity(&args, concat!("math.", $name), 1, 1)?;
                math_1(arg_f64(&args.pos[0])?, $f, $overflow)
            }
            static $static: BuiltinFunction = BuiltinFunction { name: $name, func: $fn_name };
        )*
    };
}

unary! {
    SQRT, sqrt, "sqrt", f64::sqrt, false;
    EXP, exp, "exp", f64::exp, true;
    EXPM1, expm1, "expm1", f64::exp_m1, true;
    SIN, sin, "sin", f64::sin, false;
    COS, cos, "cos", f64::cos, false;
    TAN, tan, "tan", f64::tan, false;
    ASIN, asin, "asin", f64::asin, false;
    ACOS, acos, "acos", f64::acos, false;
    ATAN, atan, "atan", f64::atan, false;
    SINH, sinh, "sinh", f64::sinh, true;
    COSH, cosh, "cosh", f64::cosh, true;
    TANH, tanh, "tanh", f64::tanh, false;
    ASINH, asinh, "asinh", asinh_f64, false;
    ACOSH, acosh, "acosh", acosh_f64, false;
    ATANH, atanh, "atanh", f64::atanh, false;
    FABS, fabs, "fabs", f64::abs, false;
}

// Modules/mathmodule.c math_degrees_impl / math_radians_impl: a bare multiplication, which
// may overflow to infinity without an error.
fn degrees(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "math.degrees", 1, 1)?;
    Ok(Value::Float(arg_f64(&args.pos[0])? * (180.0 / std::f64::consts::PI)))
}
static DEGREES: BuiltinFunction = BuiltinFunction {
    name: "degrees",
    func: degrees,
};
fn radians(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "math.radians", 1, 1)?;
    Ok(Value::Float(arg_f64(&args.pos[0])? * (std::f64::consts::PI / 180.0)))
}
static RADIANS: BuiltinFunction = BuiltinFunction {
    name: "radians",
    func: radians,
};

static FUNCTIONS: &[&BuiltinFunction] = &[
    &SQRT, &EXP, &EXPM1, &SIN, &COS, &TAN, &ASIN, &ACOS, &ATAN, &SINH, &COSH, &TANH, &ASINH, &ACOSH, &ATANH, &FABS,
    &DEGREES, &RADIANS, &FLOOR, &CEIL, &TRUNC, &FACTORIAL, &GCD, &LCM, &LOG, &LOG2, &LOG10, &LOG1P, &POW, &ATAN2,
    &HYPOT, &ISCLOSE, &ISNAN, &ISINF, &ISFINITE, &COPYSIGN, &FMOD, &MODF, &FREXP, &LDEXP, &FSUM, &PROD, &COMB, &PERM,
    &ISQRT, &DIST,
];

builtin!(FLOOR, "floor", floor);
builtin!(CEIL, "ceil", ceil);
builtin!(TRUNC, "trunc", trunc);
builtin!(FACTORIAL, "factorial", factorial);
builtin!(GCD, "gcd", gcd);
builtin!(LCM, "lcm", lcm);
builtin!(LOG, "log", log);
builtin!(LOG2, "log2", log2);
builtin!(LOG10, "log10", log10);
builtin!(LOG1P, "log1p", log1p);
builtin!(POW, "pow", pow);
builtin!(ATAN2, "atan2", atan2);
builtin!(HYPOT, "hypot", hypot);
builtin!(ISCLOSE, "isclose", isclose);
builtin!(ISNAN, "isnan", isnan);
builtin!(ISINF, "isinf", isinf);
builtin!(ISFINITE, "isfinite", isfinite);
builtin!(COPYSIGN, "copysign", copysign);
builtin!(FMOD, "fmod", fmod);
builtin!(MODF, "modf", modf);
builtin!(FREXP, "frexp", frexp);
builtin!(LDEXP, "ldexp", ldexp);
builtin!(FSUM, "fsum", fsum);
builtin!(PROD, "prod", prod);
builtin!(COMB, "comb", comb);
builtin!(PERM, "perm", perm);
builtin!(ISQRT, "isqrt", isqrt);
builtin!(DIST, "dist", dist);

/// An integer argument (`__index__` semantics for built-in ints).
fn arg_int(v: &Value) -> PyResult<BigInt> {
    as_bigint(v).ok_or_else(|| type_error(format!("'{}' object cannot be interpreted as an integer", type_name(v))))
}

/// `int(f)` for an integral float: big when it does not fit in 64 bits.
fn float_to_int(f: f64) -> PyResult<Value> {
    if f.is_nan() {
        return Err(value_error("cannot convert float NaN to integer"));
    }
    if f.is_infinite() {
        return Err(overflow_error("cannot convert float infinity to integer"));
    }
    if f.abs() < 9.0e18 {
        return Ok(Value::Int(f as i64));
    }
    BigInt::from_f64(f)
        .map(Value::from_bigint)
        .ok_or_else(|| overflow_error("cannot convert float infinity to integer"))
}

/// floor/ceil/trunc: ints pass through, floats round to an int.
fn rounding(args: &Args<'_>, name: &str, f: fn(f64) -> f64) -> PyResult<Value> {
    arity(args, name, 1, 1)?;
    match &args.pos[0] {
        Value::Int(i) => Ok(Value::Int(*i)),
        Value::Bool(b) => Ok(Value::Int(*b as i64)),
        v @ Value::BigInt(_) => Ok(v.clone()),
        v => float_to_int(f(arg_f64(v)?)),
    }
}

fn floor(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    rounding(&args, "math.floor", f64::floor)
}

fn ceil(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    rounding(&args, "math.ceil", f64::ceil)
}

fn trunc(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    rounding(&args, "math.trunc", f64::trunc)
}

fn factorial_of(n: &BigInt) -> PyResult<BigInt> {
    if n.is_negative() {
        return Err(value_error("factorial() not defined for negative values"));
    }
    let n = n
        .to_u64()
        .filter(|n| *n <= i64::MAX as u64)
        .ok_or_else(|| overflow_error("factorial() argument should not exceed 9223372036854775807"))?;
    // log2(n!) by Stirling's formula; the result is refused before any work is done.
    if n > 2 {
        let nf = n as f64;
        check_int_bits(nf * (nf / std::f64::consts::E).log2() + 0.5 * (std::f64::consts::TAU * nf).log2())?;
    }
    Ok(product_range(1, n))
}

/// The product of `lo..=hi`, split in halves so the big multiplications stay balanced.
fn product_range(lo: u64, hi: u64) -> BigInt {
    if lo > hi {
        return BigInt::one();
    }
    if hi - lo < 16 {
        let mut acc = BigInt::one();
        for k in lo..=hi {
            acc *= k;
        }
        return acc;
    }
    let mid = lo + (hi - lo) / 2;
    product_range(lo, mid) * product_range(mid + 1, hi)
}

fn factorial(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "math.factorial", 1, 1)?;
    Ok(Value::from_bigint(factorial_of(&arg_int(&args.pos[0])?)?))
}

fn gcd(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let mut acc = BigInt::zero();
    for v in args.pos {
        acc = acc.gcd(&arg_int(v)?);
    }
    Ok(Value::from_bigint(acc))
}

fn lcm(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let mut acc = BigInt::one();
    for v in args.pos {
        let n = arg_int(v)?;
        acc = if acc.is_zero() || n.is_zero() {
            BigInt::zero()
        } else {
            acc.lcm(&n)
        };
    }
    Ok(Value::from_bigint(acc))
}

/// Modules/mathmodule.c loghelper: `f` of any int (even beyond float range) or float. Ints
/// that fit a float are converted first; larger ones are split as m * 2**e, m in [0.5, 1).
fn loghelper(v: &Value, f: fn(f64) -> f64) -> PyResult<f64> {
    if let Value::BigInt(b) = v {
        if !b.is_positive() {
            return Err(domain_error());
        }
        if let Some(x) = b.to_f64().filter(|x| x.is_finite()) {
            return Ok(f(x));
        }
        let e = b.bits();
        let m = (&**b >> (e - 64)).to_f64().unwrap_or(1.0) / 2f64.powi(64);
        return Ok(f(m) + f(2.0) * e as f64);
    }
    let x = arg_f64(v)?;
    if x.is_nan() {
        return Ok(x);
    }
    if x <= 0.0 {
        return Err(domain_error());
    }
    Ok(f(x))
}

fn ln(v: &Value) -> PyResult<f64> {
    loghelper(v, f64::ln)
}

fn log(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    if args.pos.is_empty() || args.pos.len() > 2 {
        return Err(type_error("math.log requires 1 to 2 arguments"));
    }
    let num = ln(&args.pos[0])?;
    if let Some(base) = args.pos.get(1) {
        let den = ln(base)?;
        if den == 0.0 {
            return Err(zero_division_error("float division by zero"));
        }
        return Ok(Value::Float(num / den));
    }
    Ok(Value::Float(num))
}

fn log_base(args: &Args<'_>, name: &str, f: fn(f64) -> f64) -> PyResult<Value> {
    arity(args, name, 1, 1)?;
    Ok(Value::Float(loghelper(&args.pos[0], f)?))
}

fn log2(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    log_base(&args, "math.log2", f64::log2)
}

fn log10(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    log_base(&args, "math.log10", f64::log10)
}

fn log1p(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "math.log1p", 1, 1)?;
    let x = arg_f64(&args.pos[0])?;
    if x <= -1.0 {
        return Err(domain_error());
    }
    Ok(Value::Float(x.ln_1p()))
}

fn two_floats(args: &Args<'_>, name: &str) -> PyResult<(f64, f64)> {
    arity(args, name, 2, 2)?;
    Ok((arg_f64(&args.pos[0])?, arg_f64(&args.pos[1])?))
}

fn pow(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let (x, y) = two_floats(&args, "pow")?;
    // math_pow: C99 special values, then errors for finite inputs.
    let r = x.powf(y);
    if x.is_finite() && y.is_finite() {
        if r.is_nan() {
            return Err(domain_error());
        }
        if r.is_infinite() {
            return Err(if x == 0.0 { domain_error() } else { range_error() });
        }
    }
    Ok(Value::Float(r))
}

fn atan2(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let (y, x) = two_floats(&args, "atan2")?;
    Ok(Value::Float(y.atan2(x)))
}

fn hypot(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let xs: Vec<f64> = args.pos.iter().map(arg_f64).collect::<PyResult<_>>()?;
    Ok(Value::Float(vector_norm(&xs)))
}

/// The Euclidean norm, CPython 3.11's vector_norm: scaled to avoid overflow, with the
/// squares accumulated in extended precision so the result is nearly always correctly rounded.
fn vector_norm(xs: &[f64]) -> f64 {
    if xs.iter().any(|x| x.is_infinite()) {
        return f64::INFINITY;
    }
    if xs.iter().any(|x| x.is_nan()) {
        return f64::NAN;
    }
    let max = xs.iter().fold(0.0f64, |m, x| m.max(x.abs()));
    norm_scaled(xs.iter().map(|x| x.abs()).collect(), max)
}

fn norm_scaled(mut vec: Vec<f64>, max: f64) -> f64 {
    const T27: f64 = 134217729.0;
    if max == 0.0 || vec.len() <= 1 {
        return max;
    }
    let (_, max_e) = frexp_f64(max);
    if max_e < -1023 {
        for v in vec.iter_mut() {
            *v /= f64::MIN_POSITIVE;
        }
        return f64::MIN_POSITIVE * norm_scaled(vec, max / f64::MIN_POSITIVE);
    }
    // ldexp(1.0, -max_e): 2**-1024 is subnormal, and powi would compute it as 1 / inf = 0,
    // so build it from two halves that are each exact.
    let scale = 2f64.powi(-max_e / 2) * 2f64.powi(-max_e - (-max_e / 2));
    let (mut csum, mut frac1, mut frac2, mut frac3) = (1.0f64, 0.0f64, 0.0f64, 0.0f64);
    let add = |csum: &mut f64, frac: &mut f64, x: f64| {
        let old = *csum;
        *csum += x;
        *frac += (old - *csum) + x;
    };
    for &v in &vec {
        let x = v * scale;
        let t = x * T27;
        let hi = t - (t - x);
        let lo = x - hi;
        add(&mut csum, &mut frac1, hi * hi);
        add(&mut csum, &mut frac2, 2.0 * hi * lo);
        frac3 += lo * lo;
    }
    let h = (csum - 1.0 + (frac1 + frac2 + frac3)).sqrt();
    let t = h * T27;
    let hi = t - (t - h);
    let lo = h - hi;
    add(&mut csum, &mut frac1, -hi * hi);
    add(&mut csum, &mut frac2, -2.0 * hi * lo);
    add(&mut csum, &mut frac3, -lo * lo);
    let x = csum - 1.0 + (frac1 + frac2 + frac3);
    (h + x / (2.0 * h)) / scale
}

fn dist(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "dist", 2, 2)?;
    let p = vm.collect(&args.pos[0])?;
    let q = vm.collect(&args.pos[1])?;
    if p.len() != q.len() {
        return Err(value_error("both points must have the same number of dimensions"));
    }
    let diffs: Vec<f64> = p
        .iter()
        .zip(&q)
        .map(|(a, b)| Ok(arg_f64(a)? - arg_f64(b)?))
        .collect::<PyResult<_>>()?;
    Ok(Value::Float(vector_norm(&diffs)))
}

fn isclose(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "isclose", 2, 2)?;
    let a = arg_f64(&args.pos[0])?;
    let b = arg_f64(&args.pos[1])?;
    let rel_tol = args.kwarg("rel_tol").map(arg_f64).transpose()?.unwrap_or(1e-9);
    let abs_tol = args.kwarg("abs_tol").map(arg_f64).transpose()?.unwrap_or(0.0);
    if rel_tol < 0.0 || abs_tol < 0.0 {
        return Err(value_error("tolerances must be non-negative"));
    }
    if a == b {
        return Ok(Value::Bool(true));
    }
    if a.is_infinite() || b.is_infinite() {
        return Ok(Value::Bool(false));
    }
    let diff = (b - a).abs();
    Ok(Value::Bool(
        diff <= (rel_tol * b).abs() || diff <= (rel_tol * a).abs() || diff <= abs_tol,
    ))
}

fn isnan(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "math.isnan", 1, 1)?;
    Ok(Value::Bool(arg_f64(&args.pos[0])?.is_nan()))
}

fn isinf(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "math.isinf", 1, 1)?;
    Ok(Value::Bool(arg_f64(&args.pos[0])?.is_infinite()))
}

fn isfinite(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "math.isfinite", 1, 1)?;
    Ok(Value::Bool(arg_f64(&args.pos[0])?.is_finite()))
}

fn copysign(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let (x, y) = two_floats(&args, "copysign")?;
    Ok(Value::Float(x.copysign(y)))
}

fn fmod(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let (x, y) = two_floats(&args, "fmod")?;
    if y.is_infinite() && x.is_finite() {
        return Ok(Value::Float(x));
    }
    let r = x % y;
    if r.is_nan() && !x.is_nan() && !y.is_nan() {
        return Err(domain_error());
    }
    Ok(Value::Float(r))
}

fn modf(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "math.modf", 1, 1)?;
    let x = arg_f64(&args.pos[0])?;
    let (frac, int) = if x.is_infinite() {
        (0.0f64.copysign(x), x)
    } else {
        let int = x.trunc();
        ((x - int).copysign(x), int)
    };
    Ok(Value::tuple(vec![Value::Float(frac), Value::Float(int)]))
}

/// C's frexp: `x = m * 2**e` with `0.5 <= |m| < 1`.
fn frexp_f64(x: f64) -> (f64, i32) {
    if x == 0.0 || !x.is_finite() {
        return (x, 0);
    }
    let (x, bias) = if x.abs() < f64::MIN_POSITIVE {
        (x * 2f64.powi(64), -64)
    } else {
        (x, 0)
    };
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32 - 1022;
    let m = f64::from_bits((bits & !(0x7ff << 52)) | (1022 << 52));
    (m, exp + bias)
}

fn frexp(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "math.frexp", 1, 1)?;
    let (m, e) = frexp_f64(arg_f64(&args.pos[0])?);
    Ok(Value::tuple(vec![Value::Float(m), Value::Int(e as i64)]))
}

fn ldexp(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "ldexp", 2, 2)?;
    let x = arg_f64(&args.pos[0])?;
    let e = match &args.pos[1] {
        v @ (Value::Int(_) | Value::Bool(_) | Value::BigInt(_)) => arg_int(v)?,
        _ => return Err(type_error("Expected an int as second argument to ldexp.")),
    };
    if x == 0.0 || !x.is_finite() {
        return Ok(Value::Float(x));
    }
    let e = e
        .to_i64()
        .unwrap_or(if e.is_negative() { i64::MIN } else { i64::MAX })
        .clamp(-10_000, 10_000) as i32;
    // Scale in steps whose intermediate results stay normal; only the last can round.
    let (m, mut exp) = frexp_f64(x);
    exp += e;
    let r = if exp > 1024 {
        f64::INFINITY.copysign(x)
    } else if exp >= -1021 {
        m * 2f64.powi(exp)
    } else {
        (m * 2f64.powi(exp + 1000)) * 2f64.powi(-1000)
    };
    if r.is_infinite() {
        return Err(range_error());
    }
    Ok(Value::Float(r))
}

/// Shewchuk's exact summation of finite floats, rounded once (mathmodule.c math_fsum).
fn fsum_exact(xs: impl Iterator<Item = f64>) -> f64 {
    let mut partials: Vec<f64> = Vec::new();
    for mut x in xs {
        let mut i = 0;
        for j in 0..partials.len() {
            let mut y = partials[j];
            if x.abs() < y.abs() {
                std::mem::swap(&mut x, &mut y);
            }
            let hi = x + y;
            let lo = y - (hi - x);
            if lo != 0.0 {
                partials[i] = lo;
                i += 1;
            }
            x = hi;
        }
        if !x.is_finite() {
            // All inputs are finite here, so this is an intermediate overflow.
            return f64::INFINITY;
        }
        partials.truncate(i);
        partials.push(x);
    }
    let mut n = partials.len();
    if n == 0 {
        return 0.0;
    }
    n -= 1;
    let mut hi = partials[n];
    let mut lo = 0.0;
    while n > 0 {
        let x = hi;
        n -= 1;
        let y = partials[n];
        hi = x + y;
        let yr = hi - x;
        lo = y - yr;
        if lo != 0.0 {
            break;
        }
    }
    // Round half-even correctly when the remaining partials tip the balance.
    if n > 0 && ((lo < 0.0 && partials[n - 1] < 0.0) || (lo > 0.0 && partials[n - 1] > 0.0)) {
        let y = lo * 2.0;
        let x = hi + y;
        let yr = x - hi;
        if y == yr {
            hi = x;
        }
    }
    hi
}

fn fsum(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "math.fsum", 1, 1)?;
    let items = vm.collect(&args.pos[0])?;
    let xs: Vec<f64> = items.iter().map(arg_f64).collect::<PyResult<_>>()?;
    // Special values: any NaN, or infinities of both signs, give NaN (ValueError for ±inf).
    let mut inf_sum = 0.0;
    let mut special = false;
    for &x in &xs {
        if !x.is_finite() {
            special = true;
            inf_sum += x;
        }
    }
    if special {
        if inf_sum.is_nan() && !xs.iter().any(|x| x.is_nan()) {
            return Err(value_error("-inf + inf in fsum"));
        }
        return Ok(Value::Float(inf_sum));
    }
    let r = fsum_exact(xs.into_iter());
    if r.is_infinite() {
        return Err(overflow_error("intermediate overflow in fsum"));
    }
    Ok(Value::Float(r))
}

fn prod(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "prod", 1, 1)?;
    let mut acc = args.kwarg("start").cloned().unwrap_or(Value::Int(1));
    for v in vm.collect(&args.pos[0])? {
        acc = vm.binary_op(BinOp::Mul, acc, v)?;
    }
    Ok(acc)
}

/// comb/perm's `n` and `k`: both are converted to ints before either sign is checked.
fn n_and_k(n: &Value, k: &Value) -> PyResult<(BigInt, BigInt)> {
    let (n, k) = (arg_int(n)?, arg_int(k)?);
    if n.is_negative() {
        return Err(value_error("n must be a non-negative integer"));
    }
    if k.is_negative() {
        return Err(value_error("k must be a non-negative integer"));
    }
    Ok((n, k))
}

/// n! / (n-k)! as a falling product.
fn falling(n: &BigInt, k: &BigInt, what: &str) -> PyResult<BigInt> {
    let k = k
        .to_u64()
        .filter(|k| *k <= i64::MAX as u64)
        .ok_or_else(|| overflow_error(format!("{} must not exceed 9223372036854775807", what)))?;
    // At most k factors of n's size: refuse absurd products before computing them.
    check_int_bits(k as f64 * n.bits() as f64)?;
    Ok(falling_range(n, 0, k))
}

/// The product of `n - i` for `i` in `lo..hi`, split in halves like `product_range` so the
/// cost is not quadratic in the number of factors.
fn falling_range(n: &BigInt, lo: u64, hi: u64) -> BigInt {
    if hi - lo <= 16 {
        let mut acc = BigInt::one();
        for i in lo..hi {
            acc *= n - i;
        }
        return acc;
    }
    let mid = lo + (hi - lo) / 2;
    falling_range(n, lo, mid) * falling_range(n, mid, hi)
}

fn comb(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "comb", 2, 2)?;
    let (n, k) = n_and_k(&args.pos[0], &args.pos[1])?;
    if k > n {
        return Ok(Value::Int(0));
    }
    let k = std::cmp::min(k.clone(), &n - &k);
    let top = falling(&n, &k, "min(n - k, k)")?;
    let bottom = factorial_of(&k)?;
    Ok(Value::from_bigint(top / bottom))
}

fn perm(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "perm", 1, 2)?;
    match args.pos.get(1) {
        None | Some(Value::None) => {
            let n = arg_int(&args.pos[0])?;
            Ok(Value::from_bigint(factorial_of(&n)?))
        }
        Some(k) => {
            let (n, k) = n_and_k(&args.pos[0], k)?;
            if k > n {
                return Ok(Value::Int(0));
            }
            Ok(Value::from_bigint(falling(&n, &k, "k")?))
        }
    }
}

fn isqrt(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "math.isqrt", 1, 1)?;
    let n = arg_int(&args.pos[0])?;
    if n.is_negative() {
        return Err(value_error("isqrt() argument must be nonnegative"));
    }
    Ok(Value::from_bigint(n.sqrt()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fsum_is_exact() {
        assert_eq!(fsum_exact([0.1; 10].into_iter()), 1.0);
        assert_eq!(fsum_exact([1e100, 1.0, -1e100].into_iter()), 1.0);
        assert!(fsum_exact([1e308, 1e308, -1e308].into_iter()).is_infinite());
    }

    #[test]
    fn frexp_matches_c() {
        assert_eq!(frexp_f64(-12.5), (-0.78125, 4));
        assert_eq!(frexp_f64(1.0), (0.5, 1));
        assert_eq!(frexp_f64(5e-324), (0.5, -1073));
    }
}
