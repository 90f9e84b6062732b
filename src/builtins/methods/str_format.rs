//! `str.format` / `str.format_map`: parsing replacement fields (Objects/stringlib/
//! unicode_format.h). Each field's value is rendered by `Vm::format` with its spec.

use crate::vm::errors::{index_error, key_error, value_error};
use crate::vm::format::ascii_escape;
use crate::vm::value::Value;
use crate::vm::vm::Vm;
use crate::vm::PyResult;
use std::sync::Arc;

/// Automatic (`{}`) versus manual (`{0}`) numbering; mixing them is an error.
enum Numbering {
    Unknown,
    Auto(usize),
    Manual,
}

struct Ctx<'a> {
    pos: &'a [Value],
    kw: &'a [(Arc<str>, Value)],
    mapping: Option<&'a Value>,
    numbering: Numbering,
}

/// Formats `fmt` with positional `pos`, keywords `kw`, or (for `format_map`) `mapping`.
pub fn format(
    vm: &mut Vm,
    fmt: &str,
    pos: &[Value],
    kw: &[(Arc<str>, Value)],
    mapping: Option<&Value>,
) -> PyResult<String> {
    let mut ctx = Ctx {
        pos,
        kw,
        mapping,
        numbering: Numbering::Unknown,
    };
    render(vm, fmt, &mut ctx, 2)
}

fn render(vm: &mut Vm, fmt: &str, ctx: &mut Ctx<'_>, depth: u32) -> PyResult<String> {
    if depth == 0 {
        return Err(value_error("Max string recursion exceeded"));
    }
    let mut out = String::with_capacity(fmt.len());
    let chars: Vec<char> = fmt.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '}' {
            if chars.get(i + 1) == Some(&'}') {
                out.push('}');
                i += 2;
                continue;
            }
            return Err(value_error("Single '}' encountered in format string"));
        }
        if c != '{' {
            out.push(c);
            i += 1;
            continue;
        }
        if chars.get(i + 1) == Some(&'{') {
            out.push('{');
            i += 2;
            continue;
        }
        if i + 1 >= chars.len() {
            return Err(value_error("Single '{' encountered in format string"));
        }
        // Find the matching '}', allowing nested fields in the spec.
        let mut depth_braces = 1;
        let mut j = i + 1;
        let mut in_bracket = false;
        while j < chars.len() {
            match chars[j] {
                '[' if !in_bracket => in_bracket = true,
                ']' if in_bracket => in_bracket = false,
                '{' => depth_braces += 1,
                '}' => {
                    depth_braces -= 1;
                    if depth_braces == 0 {
                        break;
                    }
                }
                _ => {}
            }
            j += 1;
        }
        if j >= chars.len() {
            return Err(value_error("expected '}' before end of string"));
        }
        let field: String = chars[i + 1..j].iter().collect();
        out.push_str(&render_field(vm, &field, ctx, depth)?);
        i = j + 1;
    }
    Ok(out)
}

fn render_field(vm: &mut Vm, field: &str, ctx: &mut Ctx<'_>, depth: u32) -> PyResult<String> {
    // The field name runs to the first '!' or ':' outside brackets.
    let mut end = field.len();
    let mut in_bracket = false;
    for (k, c) in field.char_indices() {
        match c {
            '[' => in_bracket = true,
            ']' => in_bracket = false,
            '!' | ':' if !in_bracket => {
                end = k;
                break;
            }
            _ => {}
        }
    }
    let name = &field[..end];
    let mut rest = &field[end..];
    let mut conversion = None;
    if let Some(r) = rest.strip_prefix('!') {
        let mut cs = r.chars();
        let Some(conv) = cs.next() else {
            return Err(value_error("unmatched '{' in format spec"));
        };
        let after = cs.as_str();
        if !(after.is_empty() || after.starts_with(':')) {
            return Err(value_error("expected ':' after conversion specifier"));
        }
        conversion = Some(conv);
        rest = after;
    }
    let spec = rest.strip_prefix(':').unwrap_or("");
    let value = lookup_field(vm, name, ctx)?;
    let value = match conversion {
        None => value,
        Some('r') => Value::string(vm.repr(&value)?),
        Some('s') => Value::string(vm.str(&value)?),
        Some('a') => Value::string(ascii_escape(&vm.repr(&value)?)),
        Some(other) => return Err(value_error(format!("Unknown conversion specifier {}", other))),
    };
    let spec = if spec.contains('{') {
        render(vm, spec, ctx, depth - 1)?
    } else {
        spec.to_string()
    };
    vm.format(&value, &spec)
}

/// Resolves `0`, `name`, `` (automatic), then `.attr` and `[key]` accessors.
fn lookup_field(vm: &mut Vm, name: &str, ctx: &mut Ctx<'_>) -> PyResult<Value> {
    let first_end = name.find(['.', '[']).unwrap_or(name.len());
    let (first, mut accessors) = name.split_at(first_end);
    let mut value = if first.is_empty() {
        let n = match ctx.numbering {
            Numbering::Manual => {
                return Err(value_error(
                    "cannot switch from manual field specification to automatic field numbering",
                ))
            }
            Numbering::Unknown => 0,
            Numbering::Auto(n) => n,
        };
        ctx.numbering = Numbering::Auto(n + 1);
        positional(ctx, n)?
    } else if first.bytes().all(|b| b.is_ascii_digit()) {
        if let Numbering::Auto(_) = ctx.numbering {
            return Err(value_error(
                "cannot switch from automatic field numbering to manual field specification",
            ));
        }
        ctx.numbering = Numbering::Manual;
        let n: usize = first
            .parse()
            .map_err(|_| value_error("Too many decimal digits in format string"))?;
        positional(ctx, n)?
    } else {
        match ctx.mapping {
            Some(m) => vm.getitem(m, &Value::str(first))?,
            None => match ctx.kw.iter().find(|(k, _)| &**k == first) {
                Some((_, v)) => v.clone(),
                None => return Err(key_error(Value::str(first))),
            },
        }
    };
    while !accessors.is_empty() {
        if let Some(r) = accessors.strip_prefix('.') {
            let end = r.find(['.', '[']).unwrap_or(r.len());
            let attr = &r[..end];
            if attr.is_empty() {
                return Err(value_error("Empty attribute in format string"));
            }
            value = vm.getattr(&value, attr)?;
            accessors = &r[end..];
        } else if let Some(r) = accessors.strip_prefix('[') {
            let Some(close) = r.find(']') else {
                return Err(value_error("Missing ']' in format string"));
            };
            let key = &r[..close];
            if key.is_empty() {
                return Err(value_error("Empty attribute in format string"));
            }
            // Objects/stringlib/unicode_format.h get_integer: all digits means an index,
            // which must fit a Py_ssize_t.
            let k = if key.bytes().all(|b| b.is_ascii_digit()) {
                match key.parse::<i64>() {
                    Ok(i) => Value::Int(i),
                    Err(_) => return Err(value_error("Too many decimal digits in format string")),
                }
            } else {
                Value::str(key)
            };
            value = vm.getitem(&value, &k)?;
            accessors = &r[close + 1..];
            if !(accessors.is_empty() || accessors.starts_with(['.', '['])) {
                return Err(value_error("Only '.' or '[' may follow ']' in format field specifier"));
            }
        } else {
            return Err(value_error("Only '.' or '[' may follow ']' in format field specifier"));
        }
    }
    Ok(value)
}

fn positional(ctx: &Ctx<'_>, n: usize) -> PyResult<Value> {
    if ctx.mapping.is_some() {
        return Err(value_error("Format string contains positional fields"));
    }
    ctx.pos.get(n).cloned().ok_or_else(|| {
        index_error(format!(
            "Replacement index {} out of range for positional args tuple",
            n
        ))
    })
}
