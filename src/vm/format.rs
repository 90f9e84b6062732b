//! `repr()` and `str()` of every value, with CPython's spellings (Objects/floatobject.c
//! float_repr via the shortest round-trip digits, Objects/unicodeobject.c unicode_repr).

use std::fmt::Write;

use super::errors::type_error;
use super::objects::DictIterKind;
use super::types::{type_name, type_of};
use super::value::Value;
use super::vm::Vm;
use super::PyResult;

/// `repr(float)`: the shortest string that round-trips, in CPython's layout
/// (`1e+16`, `1.5e-05`, `0.1`, `10.0`, `inf`, `nan`).
pub fn float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0.0".into()
        } else {
            "0.0".into()
        };
    }
    // `{:e}` gives the shortest round-trip digits: "1.2345e-7".
    let sci = format!("{:e}", f);
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (neg, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => (true, m),
        None => (false, mantissa),
    };
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if (-4..16).contains(&exp) {
        // Fixed notation: the decimal point goes after digit `exp`.
        if exp < 0 {
            out.push_str("0.");
            for _ in 0..(-exp - 1) {
                out.push('0');
            }
            out.push_str(&digits);
        } else {
            let point = exp as usize + 1;
            if digits.len() <= point {
                out.push_str(&digits);
                for _ in digits.len()..point {
                    out.push('0');
                }
                out.push_str(".0");
            } else {
                out.push_str(&digits[..point]);
                out.push('.');
                out.push_str(&digits[point..]);
            }
        }
    } else {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let _ = write!(out, "e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs());
    }
    out
}

/// `repr(str)`: single quotes unless the text has a single quote and no double quote.
pub fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if is_printable(c) => out.push(c),
            c if (c as u32) < 0x100 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (c as u32) < 0x10000 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    out.push(quote);
    out
}

/// Approximates Python's str.isprintable for repr: control, format and separator characters
/// (other than the ASCII space) are escaped.
pub fn is_printable(c: char) -> bool {
    let u = c as u32;
    if u < 0x20 || u == 0x7f {
        return false;
    }
    if (0x80..0xa0).contains(&u) || u == 0xad {
        return false;
    }
    if c.is_whitespace() && c != ' ' {
        return false;
    }
    !matches!(u, 0x200b..=0x200f | 0x2028..=0x202e | 0x2060..=0x2064 | 0xfeff | 0xd800..=0xdfff)
}

pub fn bytes_repr(b: &[u8]) -> String {
    let quote = if b.contains(&b'\'') && !b.contains(&b'"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::from("b");
    out.push(quote);
    for &x in b {
        match x {
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            x if x as char == quote => {
                out.push('\\');
                out.push(x as char);
            }
            0x20..=0x7e => out.push(x as char),
            x => {
                let _ = write!(out, "\\x{:02x}", x);
            }
        }
    }
    out.push(quote);
    out
}

/// The repr of simple constants without running Python code (for `dis` and messages).
pub fn repr_const(v: &Value) -> String {
    match v {
        Value::None => "None".into(),
        Value::Bool(b) => if *b { "True" } else { "False" }.into(),
        Value::Int(i) => i.to_string(),
        Value::BigInt(b) => b.to_string(),
        Value::Float(f) => float_repr(*f),
        Value::Str(s) => str_repr(s.as_str()),
        Value::Bytes(b) => bytes_repr(b),
        Value::Ellipsis => "Ellipsis".into(),
        Value::Tuple(t) => {
            let parts: Vec<String> = t.iter().map(repr_const).collect();
            if parts.len() == 1 {
                format!("({},)", parts[0])
            } else {
                format!("({})", parts.join(", "))
            }
        }
        other => format!("<{} object>", type_name(other)),
    }
}

impl Vm {
    /// `repr(v)`
    pub fn repr(&mut self, v: &Value) -> PyResult<String> {
        Ok(match v {
            Value::None
            | Value::Bool(_)
            | Value::Int(_)
            | Value::BigInt(_)
            | Value::Float(_)
            | Value::Str(_)
            | Value::Bytes(_)
            | Value::Ellipsis => repr_const(v),
            Value::NotImplemented => "NotImplemented".into(),
            Value::Null => "<NULL>".into(),
            Value::Tuple(t) => {
                let t = t.clone();
                self.repr_items("(", &t, if t.len() == 1 { ",)" } else { ")" }, v)?
            }
            Value::List(l) => {
                let items = l.items.lock().clone();
                self.repr_items("[", &items, "]", v)?
            }
            Value::Set(s) => {
                let items: Vec<Value> = s.set.lock().iter().map(|k| k.value.clone()).collect();
                let name = if s.frozen { "frozenset" } else { "set" };
                if items.is_empty() {
                    format!("{}()", name)
                } else if s.frozen {
                    format!("frozenset({})", self.repr_items("{", &items, "}", v)?)
                } else {
                    self.repr_items("{", &items, "}", v)?
                }
            }
            Value::Dict(d) => {
                let items: Vec<(Value, Value)> =
                    d.map.lock().iter().map(|(k, v)| (k.value.clone(), v.clone())).collect();
                if !self.repr_enter(v)? {
                    return Ok("{...}".into());
                }
                let r = (|| {
                    let mut out = String::from("{");
                    for (i, (k, val)) in items.iter().enumerate() {
                        if i > 0 {
                            out.push_str(", ");
                        }
                        out.push_str(&self.repr(k)?);
                        out.push_str(": ");
                        out.push_str(&self.repr(val)?);
                    }
                    out.push('}');
                    Ok(out)
                })();
                self.repr_leave(v);
                r?
            }
            Value::DictView(view) => {
                let name = match view.kind {
                    DictIterKind::Keys => "dict_keys",
                    DictIterKind::Values => "dict_values",
                    DictIterKind::Items => "dict_items",
                };
                let items = self.collect(v)?;
                format!("{}({})", name, self.repr_items("[", &items, "]", v)?)
            }
            Value::Range(r) => {
                if r.step == 1 {
                    format!("range({}, {})", r.start, r.stop)
                } else {
                    format!("range({}, {}, {})", r.start, r.stop, r.step)
                }
            }
            Value::Slice(s) => {
                let (a, b, c) = (s.start.clone(), s.stop.clone(), s.step.clone());
                format!("slice({}, {}, {})", self.repr(&a)?, self.repr(&b)?, self.repr(&c)?)
            }
            Value::Function(f) => format!("<function {} at {:#x}>", f.code.qualname, v.id()),
            Value::Builtin(b) => format!("<built-in function {}>", b.name),
            Value::BoundMethod(m) => {
                let recv = m.receiver.clone();
                let fname = match &m.func {
                    Value::Function(f) => f.code.qualname.to_string(),
                    Value::Builtin(b) => b.name.to_string(),
                    other => type_name(other).to_string(),
                };
                if let Value::Builtin(b) = &m.func {
                    format!(
                        "<built-in method {} of {} object at {:#x}>",
                        b.name,
                        type_name(&recv),
                        recv.id()
                    )
                } else {
                    format!("<bound method {} of {}>", fname, self.repr(&recv)?)
                }
            }
            Value::Class(c) => {
                if c.module.as_ref() == "builtins" {
                    format!("<class '{}'>", c.qualname)
                } else {
                    format!("<class '{}.{}'>", c.module, c.qualname)
                }
            }
            Value::Module(m) => {
                if crate::modules::is_builtin_module(&m.name) {
                    format!("<module '{}' (built-in)>", m.name)
                } else {
                    format!("<module '{}'>", m.name)
                }
            }
            Value::Generator(g) => format!("<generator object {} at {:#x}>", g.name, v.id()),
            Value::Iter(_) => format!("<{} object at {:#x}>", type_name(v), v.id()),
            Value::Property(_) => format!("<property object at {:#x}>", v.id()),
            Value::StaticMethod(_) => format!("<staticmethod object at {:#x}>", v.id()),
            Value::ClassMethod(_) => format!("<classmethod object at {:#x}>", v.id()),
            Value::Super(s) => format!("<super: <class '{}'>, <{} object>>", s.class.name, type_name(&s.obj)),
            Value::Instance(inst) => {
                if let Some(f) = type_of(v).lookup("__repr__") {
                    if !matches!(f, Value::Builtin(_)) {
                        return self.call_str_method(&f, v, "__repr__");
                    }
                }
                if let Some(st) = &inst.exc {
                    let args = st.lock().args.clone();
                    let name = inst.class.name.clone();
                    if args.len() == 1 {
                        return Ok(format!("{}({})", name, self.repr(&args[0])?));
                    }
                    return Ok(format!("{}{}", name, self.repr(&Value::tuple(args))?));
                }
                let c = &inst.class;
                format!("<{}.{} object at {:#x}>", c.module, c.qualname, v.id())
            }
            Value::Native(n) => {
                // Only the class's own `__repr__`: object's would come straight back here.
                let own = n.class.dict.read().get("__repr__").cloned();
                if let Some(f) = own {
                    return self.call_str_method(&f, v, "__repr__");
                }
                format!("<{}.{} object at {:#x}>", n.class.module, n.class.qualname, v.id())
            }
        })
    }

    fn call_str_method(&mut self, f: &Value, v: &Value, name: &str) -> PyResult<String> {
        self.enter_native()?;
        let r = self.call(f, &[v.clone()]);
        self.leave_native();
        match r? {
            Value::Str(s) => Ok(s.as_str().to_string()),
            other => Err(type_error(format!(
                "{} returned non-string (type {})",
                name,
                type_name(&other)
            ))),
        }
    }

    /// Guards the repr of a container: `Ok(false)` if it is already being printed (a
    /// self-reference, shown as `[...]`; Objects/object.c Py_ReprEnter), and a RecursionError
    /// when containers nest deeper than the recursion limit allows.
    fn repr_enter(&mut self, v: &Value) -> PyResult<bool> {
        let id = v.id();
        if self.repr_active.contains(&id) {
            return Ok(false);
        }
        if self.enter_native().is_err() {
            return Err(super::errors::recursion_error(
                "maximum recursion depth exceeded while getting the repr of an object",
            ));
        }
        self.repr_active.insert(id);
        Ok(true)
    }

    fn repr_leave(&mut self, v: &Value) {
        self.repr_active.remove(&v.id());
        self.leave_native();
    }

    fn repr_items(&mut self, open: &str, items: &[Value], close: &str, container: &Value) -> PyResult<String> {
        if !self.repr_enter(container)? {
            return Ok(format!("{}...{}", open, if close == ",)" { ")" } else { close }));
        }
        let r = (|| {
            let mut out = String::from(open);
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&self.repr(item)?);
            }
            out.push_str(close);
            Ok(out)
        })();
        self.repr_leave(container);
        r
    }

    /// `str(v)`
    pub fn str(&mut self, v: &Value) -> PyResult<String> {
        match v {
            Value::Str(s) => Ok(s.as_str().to_string()),
            Value::Instance(inst) => {
                if let Some(f) = type_of(v).lookup("__str__") {
                    if !matches!(f, Value::Builtin(_)) {
                        return self.call_str_method(&f, v, "__str__");
                    }
                }
                if let Some(st) = &inst.exc {
                    if inst
                        .class
                        .lookup("__repr__")
                        .map(|f| !matches!(f, Value::Builtin(_)))
                        .unwrap_or(false)
                    {
                        // A Python-level __repr__ but no __str__: str() uses it, as object.__str__ does.
                        return self.repr(v);
                    }
                    let args = st.lock().args.clone();
                    // KeyError's str is the repr of its key (Objects/exceptions.c KeyError_str).
                    let is_key_error = inst.class.is_subclass(&super::types::exc().key_error);
                    return match args.len() {
                        0 => Ok(String::new()),
                        1 if is_key_error => self.repr(&args[0]),
                        1 => self.str(&args[0]),
                        _ => self.repr(&Value::tuple(args)),
                    };
                }
                self.repr(v)
            }
            Value::Native(n) => {
                if let Some(f) = n.class.lookup("__str__") {
                    return self.call_str_method(&f, v, "__str__");
                }
                self.repr(v)
            }
            _ => self.repr(v),
        }
    }

    /// f-string field: conversion (0 none, 1 str, 2 repr, 3 ascii) then format spec.
    pub fn format_value(&mut self, v: Value, conversion: u32, spec: Option<Value>) -> PyResult<Value> {
        let v = match conversion {
            1 => Value::string(self.str(&v)?),
            2 => Value::string(self.repr(&v)?),
            3 => Value::string(ascii_escape(&self.repr(&v)?)),
            _ => v,
        };
        let spec = match &spec {
            Some(Value::Str(s)) => s.as_str().to_string(),
            _ => String::new(),
        };
        if spec.is_empty() {
            if let Value::Str(_) = v {
                return Ok(v);
            }
        }
        Ok(Value::string(self.format(&v, &spec)?))
    }

    /// `format(v, spec)`, calling `__format__` on Python classes.
    pub fn format(&mut self, v: &Value, spec: &str) -> PyResult<String> {
        if let Value::Instance(_) = v {
            if let Some(f) = type_of(v).lookup("__format__") {
                if !matches!(f, Value::Builtin(_)) {
                    let r = self.call(&f, &[v.clone(), Value::str(spec)])?;
                    return match r {
                        Value::Str(s) => Ok(s.as_str().to_string()),
                        other => Err(type_error(format!(
                            "__format__ must return a str, not {}",
                            type_name(&other)
                        ))),
                    };
                }
            }
            if spec.is_empty() {
                return self.str(v);
            }
            return Err(type_error(format!(
                "unsupported format string passed to {}.__format__",
                type_name(v)
            )));
        }
        crate::builtins::format_spec::format_with_spec(self, v, spec)
    }

    /// `fmt % args`
    pub fn percent_format(&mut self, fmt: &str, args: &Value) -> PyResult<String> {
        crate::builtins::format_spec::percent_format(self, fmt, args)
    }
}

/// `ascii()`: escapes every non-ASCII character of a repr.
pub fn ascii_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let u = c as u32;
        if u < 0x80 {
            out.push(c);
        } else if u < 0x100 {
            let _ = write!(out, "\\x{:02x}", u);
        } else if u < 0x10000 {
            let _ = write!(out, "\\u{:04x}", u);
        } else {
            let _ = write!(out, "\\U{:08x}", u);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_repr_matches_python() {
        let cases = [
            (0.1 + 0.2, "0.30000000000000004"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (1e-5, "1e-05"),
            (0.0001, "0.0001"),
            (1.0, "1.0"),
            (-0.0, "-0.0"),
            (1.0 / 3.0, "0.3333333333333333"),
            (2.5e-320, "2.5e-320"),
            (123456789012345680.0, "1.2345678901234568e+17"),
            (1.5, "1.5"),
            (100.0, "100.0"),
            (f64::INFINITY, "inf"),
        ];
        for (f, want) in cases {
            assert_eq!(float_repr(f), want, "repr of {f:?}");
        }
    }

    #[test]
    fn str_repr_quotes_like_python() {
        assert_eq!(str_repr("it's"), "\"it's\"");
        assert_eq!(str_repr("a\nb"), "'a\\nb'");
        assert_eq!(str_repr("both ' and \""), "'both \\' and \"'");
        assert_eq!(str_repr("\x01"), "'\\x01'");
        assert_eq!(str_repr("héllo"), "'héllo'");
    }
}
