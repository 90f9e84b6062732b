//! Argument checking shared by built-in functions and methods, with CPython's messages
//! (Python/getargs.c and Argument Clinic's generated checks).

use num_traits::Signed;

use crate::vm::errors::{overflow_error, type_error, PyErr};
use crate::vm::objects::Args;
use crate::vm::ops::as_i64;
use crate::vm::types::type_name;
use crate::vm::value::Value;
use crate::vm::PyResult;

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Fails unless `args` has between `min` and `max` positional arguments and no keywords.
pub fn check_args(name: &str, args: &Args<'_>, min: usize, max: usize) -> PyResult<()> {
    no_kwargs(name, args)?;
    check_count(name, args.pos.len(), min, max)
}

/// The positional count check alone, worded like Argument Clinic.
pub fn check_count(name: &str, n: usize, min: usize, max: usize) -> PyResult<()> {
    if n >= min && n <= max {
        return Ok(());
    }
    Err(type_error(if min == max {
        if min == 0 {
            format!("{}() takes no arguments ({} given)", name, n)
        } else if min == 1 {
            format!("{}() takes exactly one argument ({} given)", name, n)
        } else {
            format!("{} expected {} argument{}, got {}", name, min, plural(min), n)
        }
    } else if n < min {
        format!("{} expected at least {} argument{}, got {}", name, min, plural(min), n)
    } else {
        format!("{} expected at most {} argument{}, got {}", name, max, plural(max), n)
    }))
}

/// Fails if any keyword argument was passed.
pub fn no_kwargs(name: &str, args: &Args<'_>) -> PyResult<()> {
    if !args.kw.is_empty() {
        return Err(type_error(format!("{}() takes no keyword arguments", name)));
    }
    Ok(())
}

/// Fails on keywords other than `allowed`.
pub fn only_kwargs(name: &str, args: &Args<'_>, allowed: &[&str]) -> PyResult<()> {
    for (k, _) in args.kw {
        if !allowed.contains(&&**k) {
            return Err(type_error(format!(
                "{}() got an unexpected keyword argument '{}'",
                name, k
            )));
        }
    }
    Ok(())
}

/// A parameter that may be given by position (at `index`) or by keyword `name`.
pub fn param<'a>(args: &Args<'a>, index: usize, name: &str) -> Option<&'a Value> {
    args.pos.get(index).or_else(|| args.kwarg(name))
}

/// An integer argument as `i64` (`__index__` semantics for built-in ints and bools).
pub fn index_i64(v: &Value) -> PyResult<i64> {
    match v {
        Value::BigInt(_) => Err(overflow_error("Python int too large to convert to C ssize_t")),
        _ => as_i64(v).ok_or_else(|| not_integer(v)),
    }
}

/// An optional index argument: `None` and absent both mean "not given".
pub fn opt_index(v: Option<&Value>) -> PyResult<Option<i64>> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(v) => index_i64(v).map(Some),
    }
}

/// Like `opt_index` but clamps big ints (slice-style bounds such as `str.find`'s start/end).
pub fn opt_bound(v: Option<&Value>) -> PyResult<Option<i64>> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(Value::BigInt(b)) => Ok(Some(if b.is_negative() { i64::MIN / 2 } else { i64::MAX / 2 })),
        Some(v) => match as_i64(v) {
            Some(i) => Ok(Some(i)),
            None => Err(type_error(
                "slice indices must be integers or None or have an __index__ method",
            )),
        },
    }
}

/// Resolves optional `start`/`end` bounds against a length as CPython's `ADJUST_INDICES`
/// does; `None` when the range is empty because `start` is past `end` (so even an empty
/// needle is not found there).
pub fn bounds(start: Option<i64>, end: Option<i64>, len: usize) -> Option<(usize, usize)> {
    let len_i = len as i64;
    let fix = |v: i64| -> i64 {
        if v < 0 {
            (v + len_i).max(0)
        } else {
            v
        }
    };
    let s = start.map(fix).unwrap_or(0);
    let e = end.map(fix).unwrap_or(len_i).min(len_i);
    if s > e {
        None
    } else {
        Some((s as usize, e as usize))
    }
}

#[cold]
pub fn not_integer(v: &Value) -> PyErr {
    type_error(format!("'{}' object cannot be interpreted as an integer", type_name(v)))
}

/// The `str` inside a value, or a TypeError naming what was expected.
pub fn expect_str(v: &Value, what: impl FnOnce(&Value) -> String) -> PyResult<&str> {
    match v {
        Value::Str(s) => Ok(s.as_str()),
        other => Err(type_error(what(other))),
    }
}

/// Positional-count check for methods, worded as CPython words most of them:
/// "str.upper() takes no arguments (1 given)", "list.append() takes exactly one argument
/// (0 given)", "find() takes at least 1 argument (0 given)". `n` excludes `self`.
pub fn method_arity(qualname: &str, n: usize, min: usize, max: usize) -> PyResult<()> {
    if n >= min && n <= max {
        return Ok(());
    }
    let short = qualname.rsplit('.').next().unwrap_or(qualname);
    Err(type_error(if min == max && min == 0 {
        format!("{}() takes no arguments ({} given)", qualname, n)
    } else if min == max && min == 1 {
        format!("{}() takes exactly one argument ({} given)", qualname, n)
    } else if min == max {
        format!("{} expected {} argument{}, got {}", short, min, plural(min), n)
    } else if n < min {
        format!(
            "{}() takes at least {} argument{} ({} given)",
            short,
            min,
            plural(min),
            n
        )
    } else {
        format!(
            "{}() takes at most {} argument{} ({} given)",
            short,
            max,
            plural(max),
            n
        )
    }))
}

/// Method arguments after `self`, with an arity check and no keywords.
pub fn method_args<'a>(qualname: &str, args: &Args<'a>, min: usize, max: usize) -> PyResult<&'a [Value]> {
    if !args.kw.is_empty() {
        return Err(type_error(format!("{}() takes no keyword arguments", qualname)));
    }
    let rest = args.pos.get(1..).unwrap_or(&[]);
    method_arity(qualname, rest.len(), min, max)?;
    Ok(rest)
}

/// Like `method_args`, worded as Argument Clinic words positional-only methods:
/// "insert expected 2 arguments, got 1", "pop expected at most 1 argument, got 2".
pub fn clinic_args<'a>(name: &str, args: &Args<'a>, min: usize, max: usize) -> PyResult<&'a [Value]> {
    if !args.kw.is_empty() {
        return Err(type_error(format!("{}() takes no keyword arguments", name)));
    }
    let rest = args.pos.get(1..).unwrap_or(&[]);
    let n = rest.len();
    if n < min || n > max {
        return Err(type_error(if min == max {
            format!("{} expected {} argument{}, got {}", name, min, plural(min), n)
        } else if n < min {
            format!("{} expected at least {} argument{}, got {}", name, min, plural(min), n)
        } else {
            format!("{} expected at most {} argument{}, got {}", name, max, plural(max), n)
        }));
    }
    Ok(rest)
}
