//! `str % args`, modelled on Objects/unicodeobject.c PyUnicode_Format
//! (unicode_format_arg_parse, unicode_format_arg_format, unicode_format_arg_output).

use num_bigint::BigInt;
use num_traits::{FromPrimitive, Signed, ToPrimitive};

use super::float::{double_to_string, precision_sizes_output, FloatStyle};
use super::MAX_WIDTH;
use crate::vm::errors::{overflow_error, type_error, value_error};
use crate::vm::format::ascii_escape;
use crate::vm::ops::as_f64;
use crate::vm::types::type_name;
use crate::vm::value::Value;
use crate::vm::vm::Vm;
use crate::vm::PyResult;

/// Conversion flags (`-+ #0`).
#[derive(Default, Clone, Copy)]
struct Flags {
    left: bool,
    sign: bool,
    blank: bool,
    alt: bool,
    zero: bool,
}

/// Where the next argument comes from (CPython's arglen/argidx pair).
struct ArgSource<'a> {
    /// The tuple items, or the single non-tuple argument.
    items: &'a [Value],
    single: Option<Value>,
    next: usize,
    /// The mapping for `%(name)s`: any non-tuple, non-str argument with `__getitem__`.
    mapping: Option<Value>,
}

impl ArgSource<'_> {
    fn next(&mut self) -> PyResult<Value> {
        if let Some(v) = self.single.take() {
            self.next = 1;
            return Ok(v);
        }
        if self.next < self.items.len() {
            self.next += 1;
            return Ok(self.items[self.next - 1].clone());
        }
        Err(type_error("not enough arguments for format string"))
    }

    fn all_used(&self) -> bool {
        self.single.is_none() && self.next >= self.items.len()
    }
}

fn is_mapping(v: &Value) -> bool {
    match v {
        Value::Tuple(_) | Value::Str(_) => false,
        Value::Dict(_) | Value::List(_) | Value::Bytes(_) | Value::Range(_) => true,
        Value::Instance(i) => i.class.lookup("__getitem__").is_some(),
        _ => false,
    }
}

/// `fmt % args`
pub fn percent_format(vm: &mut Vm, fmt: &str, args: &Value) -> PyResult<String> {
    let tuple_items: Vec<Value>;
    let mut src = match args {
        Value::Tuple(t) => {
            tuple_items = t.to_vec();
            ArgSource {
                items: &tuple_items,
                single: None,
                next: 0,
                mapping: None,
            }
        }
        other => ArgSource {
            items: &[],
            single: Some(other.clone()),
            next: 0,
            mapping: None,
        },
    };
    if is_mapping(args) {
        src.mapping = Some(args.clone());
    }
    let chars: Vec<char> = fmt.chars().collect();
    let mut out = String::with_capacity(fmt.len() + 16);
    let mut pos = 0;
    while pos < chars.len() {
        let c = chars[pos];
        pos += 1;
        if c != '%' {
            out.push(c);
            continue;
        }
        if pos < chars.len() && chars[pos] == '%' {
            out.push('%');
            pos += 1;
            continue;
        }
        format_one(vm, &chars, &mut pos, &mut src, &mut out)?;
    }
    if !src.all_used() && src.mapping.is_none() {
        return Err(type_error("not all arguments converted during string formatting"));
    }
    Ok(out)
}

/// Parses and formats one conversion; `pos` is just past the `%`.
fn format_one(vm: &mut Vm, chars: &[char], pos: &mut usize, src: &mut ArgSource<'_>, out: &mut String) -> PyResult<()> {
    let mut keyed: Option<Value> = None;
    if chars.get(*pos) == Some(&'(') {
        let Some(mapping) = src.mapping.clone() else {
            return Err(type_error("format requires a mapping"));
        };
        *pos += 1;
        let start = *pos;
        let mut depth = 1;
        while *pos < chars.len() {
            match chars[*pos] {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
            *pos += 1;
        }
        if depth > 0 {
            return Err(value_error("incomplete format key"));
        }
        let key: String = chars[start..*pos].iter().collect();
        *pos += 1;
        keyed = Some(vm.getitem(&mapping, &Value::string(key))?);
    }
    let mut flags = Flags::default();
    while let Some(&c) = chars.get(*pos) {
        match c {
            '-' => flags.left = true,
            '+' => flags.sign = true,
            ' ' => flags.blank = true,
            '#' => flags.alt = true,
            '0' => flags.zero = true,
            _ => break,
        }
        *pos += 1;
    }
    let mut next_arg = |src: &mut ArgSource<'_>| -> PyResult<Value> {
        match keyed.take() {
            Some(v) => Ok(v),
            None => src.next(),
        }
    };
    let mut width: Option<usize> = None;
    if chars.get(*pos) == Some(&'*') {
        *pos += 1;
        let w = star_int(&next_arg(src)?)?;
        if w < 0 {
            flags.left = true;
        }
        // Objects/unicodeobject.c unicode_format_arg_parse negates a Py_ssize_t: the most
        // negative width stays negative there, which means no padding.
        width = Some(w.checked_abs().unwrap_or(0) as usize);
    } else if let Some(w) = parse_digits(chars, pos, isize::MAX as usize, "width too big")? {
        width = Some(w);
    }
    let mut precision: Option<usize> = None;
    if chars.get(*pos) == Some(&'.') {
        *pos += 1;
        if chars.get(*pos) == Some(&'*') {
            *pos += 1;
            // The precision is a C int (`_PyLong_AsInt`).
            let v = next_arg(src)?;
            if !matches!(v, Value::BigInt(_)) {
                star_int(&v)?;
            }
            let p = crate::builtins::limits::c_int(&v)?;
            precision = Some(p.max(0) as usize);
        } else {
            precision = Some(parse_digits(chars, pos, i32::MAX as usize, "precision too big")?.unwrap_or(0));
        }
    }
    let Some(&conv) = chars.get(*pos) else {
        return Err(value_error("incomplete format"));
    };
    // Padding and numeric precision decide the result's size; a string precision only
    // truncates.
    let sized_precision = match conv {
        's' | 'r' | 'a' | 'c' => 0,
        c if !precision_sizes_output(c, flags.alt) => 0,
        _ => precision.unwrap_or(0),
    };
    if width.unwrap_or(0) > MAX_WIDTH || sized_precision > MAX_WIDTH {
        return Err(crate::vm::errors::memory_error(""));
    }
    *pos += 1;
    let v = next_arg(src)?;
    let (body, numeric) = match conv {
        's' => (truncate(vm.str(&v)?, precision), false),
        'r' => (truncate(vm.repr(&v)?, precision), false),
        'a' => (truncate(ascii_escape(&vm.repr(&v)?), precision), false),
        'd' | 'i' | 'u' | 'o' | 'x' | 'X' => (format_int(&v, conv, flags.alt, precision)?, true),
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' => {
            let x = match as_f64(&v) {
                Some(r) => r?,
                None => return Err(type_error(format!("must be real number, not {}", type_name(&v)))),
            };
            let style = FloatStyle {
                ty: conv,
                precision: precision.unwrap_or(6),
                alt: flags.alt,
                add_dot_0: false,
            };
            (double_to_string(x, style), true)
        }
        'c' => (format_char(&v)?, false),
        other => {
            return Err(value_error(format!(
                "unsupported format character '{}' (0x{:x}) at index {}",
                other,
                other as u32,
                *pos - 1
            )))
        }
    };
    output(out, &body, numeric, conv, flags, width.unwrap_or(0));
    Ok(())
}

/// Digits at `pos`; `overflow_msg` as a ValueError when the number exceeds `max`.
fn parse_digits(chars: &[char], pos: &mut usize, max: usize, overflow_msg: &str) -> PyResult<Option<usize>> {
    let start = *pos;
    let mut n: usize = 0;
    while let Some(d) = chars.get(*pos).and_then(|c| c.to_digit(10)) {
        n = n
            .checked_mul(10)
            .and_then(|n| n.checked_add(d as usize))
            .filter(|n| *n <= max)
            .ok_or_else(|| value_error(overflow_msg))?;
        *pos += 1;
    }
    Ok((*pos > start).then_some(n))
}

fn star_int(v: &Value) -> PyResult<i64> {
    match v {
        Value::Int(i) => Ok(*i),
        Value::Bool(b) => Ok(*b as i64),
        Value::BigInt(_) => Err(overflow_error("Python int too large to convert to C ssize_t")),
        _ => Err(type_error("* wants int")),
    }
}

fn truncate(s: String, precision: Option<usize>) -> String {
    match precision {
        Some(p) if s.chars().count() > p => s.chars().take(p).collect(),
        _ => s,
    }
}

/// `%d %i %u %o %x %X` (mainformatlong and _PyUnicode_FormatLong): digits with a `-`
/// sign, zero-extended to `precision` digits, with the `0x`/`0o` prefix under `#`.
fn format_int(v: &Value, conv: char, alt: bool, precision: Option<usize>) -> PyResult<String> {
    let n: BigInt = match v {
        Value::Int(i) => BigInt::from(*i),
        Value::Bool(b) => BigInt::from(*b as i64),
        Value::BigInt(b) => (**b).clone(),
        Value::Float(f) if !matches!(conv, 'o' | 'x' | 'X') => float_to_int(*f)?,
        _ if matches!(conv, 'o' | 'x' | 'X') => {
            return Err(type_error(format!(
                "%{} format: an integer is required, not {}",
                conv,
                type_name(v)
            )))
        }
        _ => {
            return Err(type_error(format!(
                "%{} format: a real number is required, not {}",
                conv,
                type_name(v)
            )))
        }
    };
    let radix = match conv {
        'o' => 8,
        'x' | 'X' => 16,
        _ => 10,
    };
    let mut digits = n.abs().to_str_radix(radix);
    if conv == 'X' {
        digits.make_ascii_uppercase();
    }
    if let Some(p) = precision {
        if digits.len() < p {
            digits = "0".repeat(p - digits.len()) + &digits;
        }
    }
    let prefix = match (alt, conv) {
        (true, 'o') => "0o",
        (true, 'x') => "0x",
        (true, 'X') => "0X",
        _ => "",
    };
    let sign = if n.is_negative() { "-" } else { "" };
    Ok(format!("{sign}{prefix}{digits}"))
}

/// `int(f)` for `%d` of a float.
fn float_to_int(f: f64) -> PyResult<BigInt> {
    if f.is_nan() {
        return Err(value_error("cannot convert float NaN to integer"));
    }
    BigInt::from_f64(f.trunc()).ok_or_else(|| overflow_error("cannot convert float infinity to integer"))
}

fn format_char(v: &Value) -> PyResult<String> {
    match v {
        Value::Str(s) if s.char_len() == 1 => Ok(s.as_str().to_string()),
        Value::Int(_) | Value::Bool(_) | Value::BigInt(_) => {
            let code = match v {
                Value::Int(i) => u32::try_from(*i).ok(),
                Value::Bool(b) => Some(*b as u32),
                Value::BigInt(b) => b.to_u32(),
                _ => None,
            };
            code.filter(|c| *c < 0x110000)
                .map(|c| char::from_u32(c).unwrap_or('\u{FFFD}').to_string())
                .ok_or_else(|| overflow_error("%c arg not in range(0x110000)"))
        }
        _ => Err(type_error("%c requires int or char")),
    }
}

/// unicode_format_arg_output: sign, `0x` prefix and padding around a converted value.
fn output(out: &mut String, body: &str, numeric: bool, conv: char, flags: Flags, width: usize) {
    let (sign, rest) = if numeric {
        match body.strip_prefix('-') {
            Some(r) => (Some('-'), r),
            None if flags.sign => (Some('+'), body),
            None if flags.blank => (Some(' '), body),
            None => (None, body),
        }
    } else {
        (None, body)
    };
    let has_prefix = numeric && flags.alt && matches!(conv, 'o' | 'x' | 'X');
    let (prefix, digits) = if has_prefix && rest.len() >= 2 {
        rest.split_at(2)
    } else {
        ("", rest)
    };
    let len = sign.is_some() as usize + rest.chars().count();
    let pad = width.saturating_sub(len);
    let zero = numeric && flags.zero && !flags.left;
    if flags.left {
        out.extend(sign);
        out.push_str(rest);
        out.extend(std::iter::repeat_n(' ', pad));
    } else if zero {
        out.extend(sign);
        out.push_str(prefix);
        out.extend(std::iter::repeat_n('0', pad));
        out.push_str(digits);
    } else {
        out.extend(std::iter::repeat_n(' ', pad));
        out.extend(sign);
        out.push_str(rest);
    }
}
