//! `str` methods (Objects/unicodeobject.c), indexing by code point.

use std::sync::Arc;

use super::self_arg;
use crate::builtins::args::{bounds, method_args, opt_bound, param};
use crate::builtins::limits::{add_sizes, check_result_size};
use crate::vm::errors::{type_error, value_error, PyErr};
use crate::vm::objects::{Args, BuiltinFunction, PyStr};
use crate::vm::ops::as_i64;
use crate::vm::types::{exc, type_name};
use crate::vm::value::Value;
use crate::vm::vm::Vm;
use crate::vm::PyResult;

macro_rules! methods {
    ($($stat:ident = $name:literal => $func:ident;)*) => {
        $(pub static $stat: BuiltinFunction = BuiltinFunction { name: $name, func: $func };)*
        pub static METHODS: &[&BuiltinFunction] = &[$(&$stat),*];
    };
}

methods! {
    SPLIT = "split" => split;
    RSPLIT = "rsplit" => rsplit;
    JOIN = "join" => join;
    STRIP = "strip" => strip;
    LSTRIP = "lstrip" => lstrip;
    RSTRIP = "rstrip" => rstrip;
    REPLACE = "replace" => replace;
    FIND = "find" => find;
    RFIND = "rfind" => rfind;
    INDEX = "index" => index;
    RINDEX = "rindex" => rindex;
    COUNT = "count" => count;
    STARTSWITH = "startswith" => startswith;
    ENDSWITH = "endswith" => endswith;
    UPPER = "upper" => upper;
    LOWER = "lower" => lower;
    TITLE = "title" => title;
    CAPITALIZE = "capitalize" => capitalize;
    SWAPCASE = "swapcase" => swapcase;
    CASEFOLD = "casefold" => casefold;
    SPLITLINES = "splitlines" => splitlines;
    FORMAT = "format" => format;
    FORMAT_MAP = "format_map" => format_map;
    ISDIGIT = "isdigit" => isdigit;
    ISALPHA = "isalpha" => isalpha;
    ISALNUM = "isalnum" => isalnum;
    ISSPACE = "isspace" => isspace;
    ISUPPER = "isupper" => isupper;
    ISLOWER = "islower" => islower;
    ISTITLE = "istitle" => istitle;
    ISIDENTIFIER = "isidentifier" => isidentifier;
    ISNUMERIC = "isnumeric" => isnumeric;
    ISDECIMAL = "isdecimal" => isdecimal;
    ISASCII = "isascii" => isascii;
    ISPRINTABLE = "isprintable" => isprintable;
    ZFILL = "zfill" => zfill;
    CENTER = "center" => center;
    LJUST = "ljust" => ljust;
    RJUST = "rjust" => rjust;
    PARTITION = "partition" => partition;
    RPARTITION = "rpartition" => rpartition;
    EXPANDTABS = "expandtabs" => expandtabs;
    ENCODE = "encode" => encode;
    REMOVEPREFIX = "removeprefix" => removeprefix;
    REMOVESUFFIX = "removesuffix" => removesuffix;
    TRANSLATE = "translate" => translate;
    DUNDER_LEN = "__len__" => dunder_len;
    DUNDER_CONTAINS = "__contains__" => dunder_contains;
    DUNDER_GETITEM = "__getitem__" => dunder_getitem;
    DUNDER_ADD = "__add__" => dunder_add;
    DUNDER_MUL = "__mul__" => dunder_mul;
    DUNDER_RMUL = "__rmul__" => dunder_mul;
    DUNDER_MOD = "__mod__" => dunder_mod;
    DUNDER_FORMAT = "__format__" => dunder_format;
}

pub static STR_MAKETRANS: BuiltinFunction = BuiltinFunction {
    name: "maketrans",
    func: maketrans,
};

fn this<'a>(args: &Args<'a>, method: &str) -> PyResult<&'a Arc<PyStr>> {
    Ok(self_arg!(args, Str, method, "str"))
}

fn string(s: impl Into<String>) -> Value {
    Value::string(s.into())
}

/// Python's `str.isspace` per character (Rust's `is_whitespace` misses U+001C..U+001F).
pub fn py_isspace(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Byte offset of code point `ci` (clamped to the end).
fn byte_at(s: &PyStr, ci: usize) -> usize {
    if s.is_ascii() {
        return ci.min(s.len());
    }
    s.as_str().char_indices().nth(ci).map(|(b, _)| b).unwrap_or(s.len())
}

/// Code point index of byte offset `bi`.
fn char_index(s: &PyStr, bi: usize) -> usize {
    if s.is_ascii() {
        return bi;
    }
    s.as_str().get(..bi).map(|p| p.chars().count()).unwrap_or(0)
}

/// The `s[start:end]` window of find/count/startswith as a byte range.
fn window(s: &PyStr, start: Option<&Value>, end: Option<&Value>) -> PyResult<Option<(usize, usize)>> {
    let (st, en) = (opt_bound(start)?, opt_bound(end)?);
    Ok(bounds(st, en, s.char_len()).map(|(a, b)| (byte_at(s, a), byte_at(s, b))))
}

fn str_arg<'a>(v: &'a Value, what: &str) -> PyResult<&'a str> {
    match v {
        Value::Str(s) => Ok(s.as_str()),
        other => Err(type_error(format!("{}must be str, not {}", what, type_name(other)))),
    }
}

fn opt_str_arg<'a>(v: Option<&'a Value>, what: &str) -> PyResult<Option<&'a str>> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(Value::Str(s)) => Ok(Some(s.as_str())),
        Some(other) => Err(type_error(format!(
            "{}must be str or None, not {}",
            what,
            type_name(other)
        ))),
    }
}

fn maxsplit_arg(v: Option<&Value>) -> PyResult<i64> {
    match v {
        None => Ok(-1),
        Some(v) => crate::builtins::args::index_i64(v),
    }
}

fn split_args<'a>(name: &str, args: &Args<'a>) -> PyResult<(&'a Arc<PyStr>, Option<&'a str>, i64)> {
    let s = this(args, name)?;
    crate::builtins::args::only_kwargs(name, args, &["sep", "maxsplit"])?;
    if args.pos.len() > 3 {
        return Err(type_error(format!(
            "{}() takes at most 2 arguments ({} given)",
            name,
            args.pos.len() - 1
        )));
    }
    let sep = opt_str_arg(param(args, 1, "sep"), "")?;
    let maxsplit = maxsplit_arg(param(args, 2, "maxsplit"))?;
    Ok((s, sep, maxsplit))
}

fn split(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let (s, sep, maxsplit) = split_args("split", &args)?;
    let parts: Vec<String> = match sep {
        None => split_whitespace(s.as_str(), maxsplit),
        Some("") => return Err(value_error("empty separator")),
        Some(sep) => {
            if maxsplit < 0 {
                s.as_str().split(sep).map(String::from).collect()
            } else {
                s.as_str()
                    .splitn(maxsplit.saturating_add(1) as usize, sep)
                    .map(String::from)
                    .collect()
            }
        }
    };
    Ok(Value::list(parts.into_iter().map(Value::string).collect()))
}

fn split_whitespace(s: &str, maxsplit: i64) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s.trim_start_matches(py_isspace);
    let mut splits = 0;
    while !rest.is_empty() {
        if maxsplit >= 0 && splits >= maxsplit {
            out.push(rest.to_string());
            break;
        }
        match rest.find(py_isspace) {
            Some(i) => {
                out.push(rest[..i].to_string());
                rest = rest[i..].trim_start_matches(py_isspace);
                splits += 1;
            }
            None => {
                out.push(rest.to_string());
                break;
            }
        }
    }
    out
}

fn rsplit(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let (s, sep, maxsplit) = split_args("rsplit", &args)?;
    let mut parts: Vec<String> = match sep {
        None => {
            let mut out = Vec::new();
            let mut rest = s.as_str().trim_end_matches(py_isspace);
            let mut splits = 0;
            while !rest.is_empty() {
                if maxsplit >= 0 && splits >= maxsplit {
                    out.push(rest.to_string());
                    break;
                }
                match rest.rfind(py_isspace) {
                    Some(i) => {
                        let ws_len = rest[i..].chars().next().map(|c| c.len_utf8()).unwrap_or(1);
                        out.push(rest[i + ws_len..].to_string());
                        rest = rest[..i].trim_end_matches(py_isspace);
                        splits += 1;
                    }
                    None => {
                        out.push(rest.to_string());
                        break;
                    }
                }
            }
            out
        }
        Some("") => return Err(value_error("empty separator")),
        Some(sep) => {
            if maxsplit < 0 {
                s.as_str().rsplit(sep).map(String::from).collect()
            } else {
                s.as_str()
                    .rsplitn(maxsplit.saturating_add(1) as usize, sep)
                    .map(String::from)
                    .collect()
            }
        }
    };
    parts.reverse();
    Ok(Value::list(parts.into_iter().map(Value::string).collect()))
}

fn join(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let sep = this(&args, "join")?;
    let rest = method_args("str.join", &args, 1, 1)?;
    let items = match &rest[0] {
        v @ (Value::List(_) | Value::Tuple(_)) => vm.collect(v)?,
        v => match vm.get_iter(v) {
            Ok(it) => {
                let mut out = Vec::new();
                while let Some(x) = vm.next(&it)? {
                    out.push(x);
                }
                out
            }
            Err(e) if e.is_instance_of(&exc().type_error) => return Err(type_error("can only join an iterable")),
            Err(e) => return Err(e),
        },
    };
    // Measured before building: the items may share one huge string many times over.
    let mut size = 0usize;
    for (i, item) in items.iter().enumerate() {
        if let Value::Str(x) = item {
            size = add_sizes(size, x.len() + if i > 0 { sep.len() } else { 0 })?;
        }
    }
    let mut out = String::with_capacity(size);
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(sep.as_str());
        }
        match item {
            Value::Str(x) => out.push_str(x.as_str()),
            other => {
                return Err(type_error(format!(
                    "sequence item {}: expected str instance, {} found",
                    i,
                    type_name(other)
                )))
            }
        }
    }
    Ok(string(out))
}

fn strip_impl(args: &Args<'_>, name: &str, left: bool, right: bool) -> PyResult<Value> {
    let s = this(args, name)?;
    let rest = method_args(&format!("str.{}", name), args, 0, 1)?;
    let chars = match rest.first() {
        None | Some(Value::None) => None,
        Some(Value::Str(c)) => Some(c.as_str()),
        Some(_) => return Err(type_error(format!("{} arg must be None or str", name))),
    };
    let t = s.as_str();
    let pred = |c: char| match chars {
        None => py_isspace(c),
        Some(cs) => cs.contains(c),
    };
    let t = if left { t.trim_start_matches(pred) } else { t };
    let t = if right { t.trim_end_matches(pred) } else { t };
    if t.len() == s.len() {
        return Ok(Value::Str(s.clone()));
    }
    Ok(Value::str(t))
}

fn strip(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    strip_impl(&args, "strip", true, true)
}
fn lstrip(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    strip_impl(&args, "lstrip", true, false)
}
fn rstrip(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    strip_impl(&args, "rstrip", false, true)
}

fn replace(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let s = this(&args, "replace")?;
    let rest = method_args("replace", &args, 2, 3)?;
    let old = str_arg(&rest[0], "replace() argument 1 ")?;
    let new = str_arg(&rest[1], "replace() argument 2 ")?;
    let count = match rest.get(2) {
        None => -1,
        Some(v) => crate::builtins::args::index_i64(v)?,
    };
    if new.len() > old.len() {
        // Measure first: the result can be far larger than anything the program holds.
        let limit = usize::try_from(count).unwrap_or(usize::MAX);
        let matches = if old.is_empty() {
            s.char_len() + 1
        } else {
            s.as_str().matches(old).count()
        };
        check_result_size(matches.min(limit), new.len() - old.len())?;
        add_sizes(s.len(), matches.min(limit) * (new.len() - old.len()))?;
    }
    let out = if count < 0 {
        s.as_str().replace(old, new)
    } else {
        s.as_str().replacen(old, new, count as usize)
    };
    Ok(string(out))
}

/// find/rfind/index/rindex/count share their argument parsing.
fn find_args<'a>(args: &Args<'a>, name: &str) -> PyResult<(&'a Arc<PyStr>, &'a str, Option<(usize, usize)>)> {
    let s = this(args, name)?;
    let rest = method_args(name, args, 1, 3)?;
    let sub = str_arg(&rest[0], "")?;
    let w = window(s, rest.get(1), rest.get(2))?;
    Ok((s, sub, w))
}

fn find_impl(args: &Args<'_>, name: &str, reverse: bool) -> PyResult<i64> {
    let (s, sub, w) = find_args(args, name)?;
    let Some((a, b)) = w else { return Ok(-1) };
    let hay = &s.as_str()[a..b];
    let found = if reverse { hay.rfind(sub) } else { hay.find(sub) };
    Ok(match found {
        Some(i) => char_index(s, a + i) as i64,
        None => -1,
    })
}

fn find(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    find_impl(&args, "find", false).map(Value::Int)
}
fn rfind(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    find_impl(&args, "rfind", true).map(Value::Int)
}
fn index(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    match find_impl(&args, "index", false)? {
        -1 => Err(value_error("substring not found")),
        i => Ok(Value::Int(i)),
    }
}
fn rindex(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    match find_impl(&args, "rindex", true)? {
        -1 => Err(value_error("substring not found")),
        i => Ok(Value::Int(i)),
    }
}

fn count(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let (s, sub, w) = find_args(&args, "count")?;
    let Some((a, b)) = w else {
        return Ok(Value::Int(0));
    };
    let hay = &s.as_str()[a..b];
    let n = if sub.is_empty() {
        hay.chars().count() + 1
    } else {
        hay.matches(sub).count()
    };
    Ok(Value::from(n))
}

fn affix_impl(args: &Args<'_>, name: &str, ends: bool) -> PyResult<Value> {
    let s = this(args, name)?;
    let rest = method_args(name, args, 1, 3)?;
    let Some((a, b)) = window(s, rest.get(1), rest.get(2))? else {
        return Ok(Value::Bool(false));
    };
    let hay = &s.as_str()[a..b];
    let test = |p: &str| {
        if ends {
            hay.ends_with(p)
        } else {
            hay.starts_with(p)
        }
    };
    match &rest[0] {
        Value::Str(p) => Ok(Value::Bool(test(p.as_str()))),
        Value::Tuple(items) => {
            for it in items.iter() {
                match it {
                    Value::Str(p) => {
                        if test(p.as_str()) {
                            return Ok(Value::Bool(true));
                        }
                    }
                    other => {
                        return Err(type_error(format!(
                            "tuple for {} must only contain str, not {}",
                            name,
                            type_name(other)
                        )))
                    }
                }
            }
            Ok(Value::Bool(false))
        }
        other => Err(type_error(format!(
            "{} first arg must be str or a tuple of str, not {}",
            name,
            type_name(other)
        ))),
    }
}

fn startswith(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    affix_impl(&args, "startswith", false)
}
fn endswith(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    affix_impl(&args, "endswith", true)
}

fn map_str(args: &Args<'_>, name: &str, f: impl Fn(&str) -> String) -> PyResult<Value> {
    let s = this(args, name)?;
    method_args(&format!("str.{}", name), args, 0, 0)?;
    Ok(string(f(s.as_str())))
}

fn upper(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    map_str(&args, "upper", |s| s.to_uppercase())
}
fn lower(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    map_str(&args, "lower", |s| s.to_lowercase())
}
fn casefold(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    map_str(&args, "casefold", |s| s.to_lowercase().replace('ß', "ss"))
}
fn swapcase(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    map_str(&args, "swapcase", |s| {
        let mut out = String::with_capacity(s.len());
        for c in s.chars() {
            if c.is_uppercase() {
                out.extend(c.to_lowercase());
            } else if c.is_lowercase() {
                out.extend(c.to_uppercase());
            } else {
                out.push(c);
            }
        }
        out
    })
}

fn is_cased(c: char) -> bool {
    c.is_uppercase() || c.is_lowercase()
}

fn title(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    map_str(&args, "title", |s| {
        let mut out = String::with_capacity(s.len());
        let mut prev_cased = false;
        for c in s.chars() {
            if prev_cased {
                out.extend(c.to_lowercase());
            } else {
                out.extend(c.to_uppercase());
            }
            prev_cased = is_cased(c);
        }
        out
    })
}

fn capitalize(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    map_str(&args, "capitalize", |s| {
        let mut chars = s.chars();
        let mut out = String::with_capacity(s.len());
        if let Some(c) = chars.next() {
            out.extend(c.to_uppercase());
        }
        for c in chars {
            out.extend(c.to_lowercase());
        }
        out
    })
}

/// Line boundaries of `str.splitlines` (Objects/unicodeobject.c `Py_UNICODE_ISLINEBREAK`).
fn is_linebreak(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\x0b' | '\x0c' | '\x1c' | '\x1d' | '\x1e' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

fn splitlines(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let s = this(&args, "splitlines")?;
    crate::builtins::args::only_kwargs("splitlines", &args, &["keepends"])?;
    let keepends = match param(&args, 1, "keepends") {
        Some(v) => vm.truthy(v)?,
        None => false,
    };
    let text = s.as_str();
    let mut out = Vec::new();
    let mut start = 0;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if is_linebreak(c) {
            let mut end = i + c.len_utf8();
            if c == '\r' {
                if let Some(&(j, '\n')) = iter.peek() {
                    end = j + 1;
                    iter.next();
                }
            }
            out.push(Value::str(if keepends { &text[start..end] } else { &text[start..i] }));
            start = end;
        }
    }
    if start < text.len() {
        out.push(Value::str(&text[start..]));
    }
    Ok(Value::list(out))
}

fn format(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let s = this(&args, "format")?;
    let pos = args.pos.get(1..).unwrap_or(&[]);
    super::str_format::format(vm, s.as_str(), pos, args.kw, None).map(Value::string)
}

fn format_map(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let s = this(&args, "format_map")?;
    let rest = method_args("str.format_map", &args, 1, 1)?;
    super::str_format::format(vm, s.as_str(), &[], &[], Some(&rest[0])).map(Value::string)
}

fn predicate(args: &Args<'_>, name: &str, f: impl Fn(&str) -> bool) -> PyResult<Value> {
    let s = this(args, name)?;
    method_args(&format!("str.{}", name), args, 0, 0)?;
    Ok(Value::Bool(f(s.as_str())))
}

fn all_chars(s: &str, f: impl Fn(char) -> bool) -> bool {
    !s.is_empty() && s.chars().all(f)
}

pub fn is_decimal_char(c: char) -> bool {
    c.is_ascii_digit() || unicode_decimal_value(c).is_some()
}

fn unicode_decimal_value(c: char) -> Option<u32> {
    const ZEROS: &[u32] = &[
        0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66, 0xE50, 0xED0, 0xF20,
        0x1040, 0xFF10,
    ];
    let u = c as u32;
    ZEROS.iter().find(|&&z| u >= z && u < z + 10).map(|&z| u - z)
}

fn is_digit_char(c: char) -> bool {
    is_decimal_char(c)
        || matches!(c, '\u{b2}' | '\u{b3}' | '\u{b9}' | '\u{2070}'..='\u{2079}' | '\u{2080}'..='\u{2089}' | '\u{2460}'..='\u{2468}')
}

fn isdigit(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    predicate(&args, "isdigit", |s| all_chars(s, is_digit_char))
}
fn isdecimal(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    predicate(&args, "isdecimal", |s| all_chars(s, is_decimal_char))
}
fn isnumeric(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    predicate(&args, "isnumeric", |s| all_chars(s, |c| c.is_numeric()))
}
fn isalpha(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    predicate(&args, "isalpha", |s| all_chars(s, |c| c.is_alphabetic()))
}
fn isalnum(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    predicate(&args, "isalnum", |s| all_chars(s, |c| c.is_alphanumeric()))
}
fn isspace(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    predicate(&args, "isspace", |s| all_chars(s, py_isspace))
}
fn isascii(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    predicate(&args, "isascii", |s| s.is_ascii())
}
fn isprintable(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    predicate(&args, "isprintable", |s| s.chars().all(crate::vm::format::is_printable))
}
fn isupper(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    predicate(&args, "isupper", |s| {
        s.chars().any(|c| c.is_uppercase()) && !s.chars().any(|c| c.is_lowercase())
    })
}
fn islower(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    predicate(&args, "islower", |s| {
        s.chars().any(|c| c.is_lowercase()) && !s.chars().any(|c| c.is_uppercase())
    })
}
fn istitle(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    predicate(&args, "istitle", |s| {
        let mut prev_cased = false;
        let mut any = false;
        for c in s.chars() {
            if c.is_uppercase() {
                if prev_cased {
                    return false;
                }
                prev_cased = true;
                any = true;
            } else if c.is_lowercase() {
                if !prev_cased {
                    return false;
                }
                prev_cased = true;
                any = true;
            } else {
                prev_cased = false;
            }
        }
        any
    })
}
fn isidentifier(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    predicate(&args, "isidentifier", |s| {
        let mut chars = s.chars();
        match chars.next() {
            Some(c) if c == '_' || c.is_alphabetic() => chars.all(|c| c == '_' || c.is_alphanumeric()),
            _ => false,
        }
    })
}

fn width_arg(v: &Value) -> PyResult<usize> {
    Ok(crate::builtins::args::index_i64(v)?.max(0) as usize)
}

fn zfill(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let s = this(&args, "zfill")?;
    let rest = method_args("str.zfill", &args, 1, 1)?;
    let width = width_arg(&rest[0])?;
    let len = s.char_len();
    if len >= width {
        return Ok(Value::Str(s.clone()));
    }
    check_result_size(s.len() + (width - len), 1)?;
    let fill = "0".repeat(width - len);
    let t = s.as_str();
    Ok(string(match t.chars().next() {
        Some(c @ ('+' | '-')) => format!("{}{}{}", c, fill, &t[1..]),
        _ => format!("{}{}", fill, t),
    }))
}

fn fill_args<'a>(args: &Args<'a>, name: &str) -> PyResult<(&'a Arc<PyStr>, usize, char)> {
    let s = this(args, name)?;
    let rest = method_args(name, args, 1, 2)?;
    let width = width_arg(&rest[0])?;
    let fill = match rest.get(1) {
        None => ' ',
        Some(Value::Str(f)) => {
            let mut cs = f.as_str().chars();
            match (cs.next(), cs.next()) {
                (Some(c), None) => c,
                _ => return Err(type_error("The fill character must be exactly one character long")),
            }
        }
        Some(other) => {
            return Err(type_error(format!(
                "{}() argument 2 must be str of length 1, not {}",
                name,
                type_name(other)
            )))
        }
    };
    Ok((s, width, fill))
}

/// `s` with `left` and `right` fill characters; MemoryError when that is absurdly long.
fn pad(s: &str, left: usize, right: usize, fill: char) -> PyResult<String> {
    check_result_size(left.saturating_add(right), fill.len_utf8())?;
    add_sizes(s.len(), (left + right) * fill.len_utf8())?;
    let mut out = String::with_capacity(s.len() + (left + right) * fill.len_utf8());
    out.extend(std::iter::repeat_n(fill, left));
    out.push_str(s);
    out.extend(std::iter::repeat_n(fill, right));
    Ok(out)
}

fn center(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let (s, width, fill) = fill_args(&args, "center")?;
    let len = s.char_len();
    if len >= width {
        return Ok(Value::Str(s.clone()));
    }
    // Objects/unicodeobject.c unicode_center_impl: odd padding goes left when width is odd.
    let marg = width - len;
    let left = marg / 2 + (marg & width & 1);
    Ok(string(pad(s.as_str(), left, marg - left, fill)?))
}
fn ljust(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let (s, width, fill) = fill_args(&args, "ljust")?;
    let len = s.char_len();
    if len >= width {
        return Ok(Value::Str(s.clone()));
    }
    Ok(string(pad(s.as_str(), 0, width - len, fill)?))
}
fn rjust(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let (s, width, fill) = fill_args(&args, "rjust")?;
    let len = s.char_len();
    if len >= width {
        return Ok(Value::Str(s.clone()));
    }
    Ok(string(pad(s.as_str(), width - len, 0, fill)?))
}

fn partition_impl(args: &Args<'_>, name: &str, reverse: bool) -> PyResult<Value> {
    let s = this(args, name)?;
    let rest = method_args(&format!("str.{}", name), args, 1, 1)?;
    let sep = str_arg(&rest[0], "")?;
    if sep.is_empty() {
        return Err(value_error("empty separator"));
    }
    let t = s.as_str();
    let found = if reverse { t.rfind(sep) } else { t.find(sep) };
    Ok(Value::tuple(match found {
        Some(i) => vec![Value::str(&t[..i]), Value::str(sep), Value::str(&t[i + sep.len()..])],
        None if reverse => vec![Value::str(""), Value::str(""), Value::Str(s.clone())],
        None => vec![Value::Str(s.clone()), Value::str(""), Value::str("")],
    }))
}

fn partition(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    partition_impl(&args, "partition", false)
}
fn rpartition(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    partition_impl(&args, "rpartition", true)
}

fn expandtabs(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let s = this(&args, "expandtabs")?;
    crate::builtins::args::only_kwargs("expandtabs", &args, &["tabsize"])?;
    let tabsize = match param(&args, 1, "tabsize") {
        // Objects/unicodeobject.c unicode_expandtabs_impl takes a C int.
        Some(v) => crate::builtins::limits::c_int(v)? as i64,
        None => 8,
    };
    // First pass, as unicode_expandtabs_impl does: the result's size, refused before
    // anything is built when absurd.
    let (mut size, mut col) = (0usize, 0i64);
    for c in s.as_str().chars() {
        match c {
            '\t' if tabsize > 0 => {
                let n = tabsize - col % tabsize;
                size = add_sizes(size, n as usize)?;
                col += n;
            }
            '\t' => {}
            '\n' | '\r' => {
                size += 1;
                col = 0;
            }
            _ => {
                size += c.len_utf8();
                col += 1;
            }
        }
    }
    let mut out = String::with_capacity(size);
    let mut col: i64 = 0;
    for c in s.as_str().chars() {
        match c {
            '\t' => {
                if tabsize > 0 {
                    let n = tabsize - col % tabsize;
                    out.extend(std::iter::repeat_n(' ', n as usize));
                    col += n;
                }
            }
            '\n' | '\r' => {
                out.push(c);
                col = 0;
            }
            _ => {
                out.push(c);
                col += 1;
            }
        }
    }
    Ok(string(out))
}

/// `s.encode(encoding)` for the codecs gilsim knows.
pub fn encode_str(s: &str, encoding: &str) -> PyResult<Vec<u8>> {
    let enc = encoding.to_ascii_lowercase().replace('_', "-");
    match enc.as_str() {
        "utf-8" | "utf8" => Ok(s.as_bytes().to_vec()),
        "ascii" | "us-ascii" | "latin-1" | "latin1" | "iso-8859-1" => {
            let (limit, name) = if enc.starts_with('a') || enc == "us-ascii" {
                (128, "ascii")
            } else {
                (256, "latin-1")
            };
            let mut out = Vec::with_capacity(s.len());
            for (i, c) in s.chars().enumerate() {
                if (c as u32) < limit {
                    out.push(c as u32 as u8);
                } else {
                    return Err(PyErr::new(
                        &exc().unicode_error,
                        format!(
                            "'{}' codec can't encode character {} in position {}: ordinal not in range({})",
                            name,
                            escaped_char(c),
                            i,
                            limit
                        ),
                    ));
                }
            }
            Ok(out)
        }
        _ => Err(PyErr::new(
            &exc().lookup_error,
            format!("unknown encoding: {}", encoding),
        )),
    }
}

/// A character as codec errors show it: `'\xe9'`, `'\u20ac'`.
fn escaped_char(c: char) -> String {
    let u = c as u32;
    if u < 0x100 {
        format!("'\\x{:02x}'", u)
    } else if u < 0x10000 {
        format!("'\\u{:04x}'", u)
    } else {
        format!("'\\U{:08x}'", u)
    }
}

fn encode(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let s = this(&args, "encode")?;
    crate::builtins::args::only_kwargs("encode", &args, &["encoding", "errors"])?;
    let enc = match param(&args, 1, "encoding") {
        None => "utf-8",
        Some(v) => str_arg(v, "encode() argument 'encoding' ")?,
    };
    encode_str(s.as_str(), enc).map(|b| Value::Bytes(Arc::new(b)))
}

fn removeprefix(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let s = this(&args, "removeprefix")?;
    let rest = method_args("str.removeprefix", &args, 1, 1)?;
    let p = str_arg(&rest[0], "removeprefix() argument ")?;
    Ok(match s.as_str().strip_prefix(p) {
        Some(t) if !p.is_empty() => Value::str(t),
        _ => Value::Str(s.clone()),
    })
}

fn removesuffix(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let s = this(&args, "removesuffix")?;
    let rest = method_args("str.removesuffix", &args, 1, 1)?;
    let p = str_arg(&rest[0], "removesuffix() argument ")?;
    Ok(match s.as_str().strip_suffix(p) {
        Some(t) if !p.is_empty() => Value::str(t),
        _ => Value::Str(s.clone()),
    })
}

/// `str.maketrans(x[, y[, z]])`
fn maketrans(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    crate::builtins::args::check_args("maketrans", &args, 1, 3)?;
    let mut pairs = Vec::new();
    match args.pos {
        [Value::Dict(d)] => {
            let entries: Vec<(Value, Value)> = d.map.lock().iter().map(|(k, v)| (k.value.clone(), v.clone())).collect();
            for (k, v) in entries {
                let key = match &k {
                    Value::Str(s) if s.char_len() == 1 => {
                        Value::Int(s.as_str().chars().next().map(|c| c as i64).unwrap_or(0))
                    }
                    Value::Str(_) => return Err(value_error("string keys in translate table must be of length 1")),
                    Value::Int(_) => k.clone(),
                    _ => return Err(type_error("keys in translate table must be strings or integers")),
                };
                pairs.push((key, v));
            }
        }
        [_] => {
            return Err(type_error(
                "if you give only one argument to maketrans it must be a dict",
            ))
        }
        [x, y, rest @ ..] => {
            let x = str_arg(x, "maketrans() argument 1 ")?;
            let y = str_arg(y, "maketrans() argument 2 ")?;
            if x.chars().count() != y.chars().count() {
                return Err(value_error("the first two maketrans arguments must have equal length"));
            }
            for (a, b) in x.chars().zip(y.chars()) {
                pairs.push((Value::Int(a as i64), Value::Int(b as i64)));
            }
            if let Some(z) = rest.first() {
                for c in str_arg(z, "maketrans() argument 3 ")?.chars() {
                    pairs.push((Value::Int(c as i64), Value::None));
                }
            }
        }
        _ => {}
    }
    let _ = vm;
    crate::builtins::dict_from_pairs(pairs)
}

fn translate(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let s = this(&args, "translate")?;
    let rest = method_args("str.translate", &args, 1, 1)?;
    let table = &rest[0];
    let mut out = String::with_capacity(s.len());
    for c in s.as_str().chars() {
        match vm.getitem(table, &Value::Int(c as i64)) {
            Ok(Value::None) => {}
            Ok(Value::Str(r)) => {
                add_sizes(out.len(), r.len())?;
                out.push_str(r.as_str())
            }
            Ok(v @ (Value::Int(_) | Value::Bool(_) | Value::BigInt(_))) => {
                // Objects/unicodeobject.c charmaptranslate_lookup.
                match as_i64(&v).and_then(|i| u32::try_from(i).ok()).and_then(char::from_u32) {
                    Some(r) => out.push(r),
                    None => return Err(value_error("character mapping must be in range(0x110000)")),
                }
            }
            Ok(_) => return Err(type_error("character mapping must return integer, None or str")),
            Err(e) if e.is_instance_of(&exc().lookup_error) => out.push(c),
            Err(e) => return Err(e),
        }
    }
    Ok(string(out))
}

fn dunder_len(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let s = this(&args, "__len__")?;
    method_args("str.__len__", &args, 0, 0)?;
    Ok(Value::from(s.char_len()))
}

fn dunder_contains(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    this(&args, "__contains__")?;
    let rest = method_args("str.__contains__", &args, 1, 1)?;
    vm.contains(&args.pos[0], &rest[0]).map(Value::Bool)
}

fn dunder_getitem(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    this(&args, "__getitem__")?;
    let rest = method_args("str.__getitem__", &args, 1, 1)?;
    vm.getitem(&args.pos[0], &rest[0])
}

fn dunder_add(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    this(&args, "__add__")?;
    let rest = method_args("str.__add__", &args, 1, 1)?;
    vm.binary_op(crate::syntax::ast::BinOp::Add, args.pos[0].clone(), rest[0].clone())
}

fn dunder_mul(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    this(&args, "__mul__")?;
    let rest = method_args("str.__mul__", &args, 1, 1)?;
    if !matches!(rest[0], Value::Int(_) | Value::Bool(_) | Value::BigInt(_)) {
        return Ok(Value::NotImplemented);
    }
    vm.binary_op(crate::syntax::ast::BinOp::Mul, args.pos[0].clone(), rest[0].clone())
}

fn dunder_mod(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let s = this(&args, "__mod__")?;
    let rest = method_args("str.__mod__", &args, 1, 1)?;
    vm.percent_format(s.as_str(), &rest[0]).map(Value::string)
}

fn dunder_format(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    this(&args, "__format__")?;
    let rest = method_args("str.__format__", &args, 1, 1)?;
    let spec = str_arg(&rest[0], "format() argument 1 ")?;
    vm.format(&args.pos[0], spec).map(Value::string)
}
