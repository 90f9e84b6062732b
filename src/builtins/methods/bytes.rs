//! `bytes` methods: decoding, hex, and the basic searches.

use std::sync::Arc;

use super::self_arg;
use crate::builtins::args::{bounds, method_args, only_kwargs, opt_bound, param};
use crate::vm::errors::{type_error, value_error, PyErr};
use crate::vm::objects::{Args, BuiltinFunction};
use crate::vm::types::{exc, type_name};
use crate::vm::value::Value;
use crate::vm::vm::Vm;
use crate::vm::PyResult;

pub static DECODE: BuiltinFunction = BuiltinFunction {
    name: "decode",
    func: decode,
};
pub static HEX: BuiltinFunction = BuiltinFunction { name: "hex", func: hex };
pub static STARTSWITH: BuiltinFunction = BuiltinFunction {
    name: "startswith",
    func: startswith,
};
pub static ENDSWITH: BuiltinFunction = BuiltinFunction {
    name: "endswith",
    func: endswith,
};
pub static FIND: BuiltinFunction = BuiltinFunction {
    name: "find",
    func: find,
};
pub static COUNT: BuiltinFunction = BuiltinFunction {
    name: "count",
    func: count,
};
pub static JOIN: BuiltinFunction = BuiltinFunction {
    name: "join",
    func: join,
};
pub static UPPER: BuiltinFunction = BuiltinFunction {
    name: "upper",
    func: upper,
};
pub static LOWER: BuiltinFunction = BuiltinFunction {
    name: "lower",
    func: lower,
};
pub static DUNDER_LEN: BuiltinFunction = BuiltinFunction {
    name: "__len__",
    func: dunder_len,
};
pub static BYTES_FROMHEX: BuiltinFunction = BuiltinFunction {
    name: "fromhex",
    func: fromhex,
};
pub static METHODS: &[&BuiltinFunction] = &[
    &DECODE,
    &HEX,
    &STARTSWITH,
    &ENDSWITH,
    &FIND,
    &COUNT,
    &JOIN,
    &UPPER,
    &LOWER,
    &DUNDER_LEN,
];

fn this<'a>(args: &Args<'a>, method: &str) -> PyResult<&'a Arc<Vec<u8>>> {
    Ok(self_arg!(args, Bytes, method, "bytes"))
}

/// Decodes bytes with one of the codecs gilsim knows.
pub fn decode_bytes(b: &[u8], encoding: &str, errors: &str) -> PyResult<String> {
    let enc = encoding.to_ascii_lowercase().replace('_', "-");
    match enc.as_str() {
        "utf-8" | "utf8" => match std::str::from_utf8(b) {
            Ok(s) => Ok(s.to_string()),
            Err(_) if errors == "replace" => Ok(String::from_utf8_lossy(b).into_owned()),
            Err(_) if errors == "ignore" => Ok(String::from_utf8_lossy(b)
                .chars()
                .filter(|&c| c != '\u{fffd}')
                .collect()),
            Err(e) => {
                let pos = e.valid_up_to();
                let byte = b.get(pos).copied().unwrap_or(0);
                let reason = if (0x80..0xc0).contains(&byte) || byte >= 0xf8 {
                    "invalid start byte"
                } else if e.error_len().is_none() {
                    "unexpected end of data"
                } else {
                    "invalid continuation byte"
                };
                Err(PyErr::new(
                    &exc().unicode_error,
                    format!(
                        "'utf-8' codec can't decode byte 0x{:02x} in position {}: {}",
                        byte, pos, reason
                    ),
                ))
            }
        },
        "ascii" | "us-ascii" => {
            let mut out = String::with_capacity(b.len());
            for (i, &x) in b.iter().enumerate() {
                if x < 128 {
                    out.push(x as char);
                } else if errors == "replace" {
                    out.push('\u{fffd}');
                } else if errors != "ignore" {
                    return Err(PyErr::new(
                        &exc().unicode_error,
                        format!(
                            "'ascii' codec can't decode byte 0x{:02x} in position {}: ordinal not in range(128)",
                            x, i
                        ),
                    ));
                }
            }
            Ok(out)
        }
        "latin-1" | "latin1" | "iso-8859-1" => Ok(b.iter().map(|&x| x as char).collect()),
        _ => Err(PyErr::new(
            &exc().lookup_error,
            format!("unknown encoding: {}", encoding),
        )),
    }
}

fn decode(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let b = this(&args, "decode")?;
    only_kwargs("decode", &args, &["encoding", "errors"])?;
    let text = |v: Option<&Value>, default: &'static str, what: &str| -> PyResult<String> {
        match v {
            None => Ok(default.to_string()),
            Some(Value::Str(s)) => Ok(s.as_str().to_string()),
            Some(other) => Err(type_error(format!(
                "decode() argument '{}' must be str, not {}",
                what,
                type_name(other)
            ))),
        }
    };
    let enc = text(param(&args, 1, "encoding"), "utf-8", "encoding")?;
    let errors = text(param(&args, 2, "errors"), "strict", "errors")?;
    decode_bytes(b, &enc, &errors).map(Value::string)
}

fn hex(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let b = this(&args, "hex")?;
    method_args("bytes.hex", &args, 0, 0)?;
    Ok(Value::string(b.iter().map(|x| format!("{:02x}", x)).collect()))
}

fn fromhex(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let rest = method_args("bytes.fromhex", &args, 1, 1)?;
    let Value::Str(s) = &rest[0] else {
        return Err(type_error(format!(
            "fromhex() argument must be str, not {}",
            type_name(&rest[0])
        )));
    };
    let digits: Vec<char> = s.as_str().chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < digits.len() {
        if digits[i] == ' ' {
            i += 1;
            continue;
        }
        let hi = digits[i].to_digit(16);
        let lo = digits.get(i + 1).and_then(|c| c.to_digit(16));
        match (hi, lo) {
            (Some(h), Some(l)) => out.push((h * 16 + l) as u8),
            _ => {
                let pos = if hi.is_none() { i } else { i + 1 };
                return Err(value_error(format!(
                    "non-hexadecimal number found in fromhex() arg at position {}",
                    pos
                )));
            }
        }
        i += 2;
    }
    Ok(Value::Bytes(Arc::new(out)))
}

fn needle(v: &Value) -> PyResult<Vec<u8>> {
    match v {
        Value::Bytes(b) => Ok((**b).clone()),
        Value::Int(i) if (0..256).contains(i) => Ok(vec![*i as u8]),
        Value::Int(_) => Err(value_error("byte must be in range(0, 256)")),
        other => Err(type_error(format!(
            "argument should be integer or bytes-like object, not '{}'",
            type_name(other)
        ))),
    }
}

fn window<'a>(b: &'a [u8], rest: &[Value]) -> PyResult<Option<&'a [u8]>> {
    Ok(bounds(opt_bound(rest.get(1))?, opt_bound(rest.get(2))?, b.len()).map(|(s, e)| &b[s..e]))
}

fn find_sub(hay: &[u8], sub: &[u8]) -> Option<usize> {
    if sub.is_empty() {
        return Some(0);
    }
    hay.windows(sub.len()).position(|w| w == sub)
}

fn find(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let b = this(&args, "find")?;
    let rest = method_args("find", &args, 1, 3)?;
    let sub = needle(&rest[0])?;
    let start = bounds(opt_bound(rest.get(1))?, opt_bound(rest.get(2))?, b.len());
    Ok(Value::Int(match (window(b, rest)?, start) {
        (Some(hay), Some((s, _))) => find_sub(hay, &sub).map(|i| (i + s) as i64).unwrap_or(-1),
        _ => -1,
    }))
}

fn count(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let b = this(&args, "count")?;
    let rest = method_args("count", &args, 1, 3)?;
    let sub = needle(&rest[0])?;
    let Some(hay) = window(b, rest)? else {
        return Ok(Value::Int(0));
    };
    if sub.is_empty() {
        return Ok(Value::from(hay.len() + 1));
    }
    let mut n = 0;
    let mut i = 0;
    while i + sub.len() <= hay.len() {
        if hay[i..i + sub.len()] == sub[..] {
            n += 1;
            i += sub.len();
        } else {
            i += 1;
        }
    }
    Ok(Value::from(n as usize))
}

fn affix(args: &Args<'_>, name: &str, ends: bool) -> PyResult<Value> {
    let b = this(args, name)?;
    let rest = method_args(name, args, 1, 3)?;
    let Some(hay) = window(b, rest)? else {
        return Ok(Value::Bool(false));
    };
    let test = |p: &[u8]| {
        if ends {
            hay.ends_with(p)
        } else {
            hay.starts_with(p)
        }
    };
    match &rest[0] {
        Value::Bytes(p) => Ok(Value::Bool(test(p))),
        Value::Tuple(items) => {
            for it in items.iter() {
                if let Value::Bytes(p) = it {
                    if test(p) {
                        return Ok(Value::Bool(true));
                    }
                }
            }
            Ok(Value::Bool(false))
        }
        other => Err(type_error(format!(
            "{} first arg must be bytes or a tuple of bytes, not {}",
            name,
            type_name(other)
        ))),
    }
}

fn startswith(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    affix(&args, "startswith", false)
}
fn endswith(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    affix(&args, "endswith", true)
}

fn join(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let sep = this(&args, "join")?;
    let rest = method_args("bytes.join", &args, 1, 1)?;
    let items = vm.collect(&rest[0])?;
    // Measured before building: the items may share one huge object many times over.
    let mut size = 0usize;
    for (i, item) in items.iter().enumerate() {
        if let Value::Bytes(b) = item {
            size = crate::builtins::limits::add_sizes(size, b.len() + if i > 0 { sep.len() } else { 0 })?;
        }
    }
    let mut out = Vec::with_capacity(size);
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(sep);
        }
        match item {
            Value::Bytes(b) => out.extend_from_slice(b),
            other => {
                return Err(type_error(format!(
                    "sequence item {}: expected a bytes-like object, {} found",
                    i,
                    type_name(other)
                )))
            }
        }
    }
    Ok(Value::Bytes(Arc::new(out)))
}

fn upper(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let b = this(&args, "upper")?;
    method_args("bytes.upper", &args, 0, 0)?;
    Ok(Value::Bytes(Arc::new(b.to_ascii_uppercase())))
}

fn lower(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let b = this(&args, "lower")?;
    method_args("bytes.lower", &args, 0, 0)?;
    Ok(Value::Bytes(Arc::new(b.to_ascii_lowercase())))
}

fn dunder_len(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let b = this(&args, "__len__")?;
    method_args("bytes.__len__", &args, 0, 0)?;
    Ok(Value::from(b.len()))
}
