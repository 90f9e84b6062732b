//! The format-spec mini-language of PEP 3101 for int, float and str, modelled on
//! Python/formatter_unicode.c (parse_internal_render_format_spec, format_long_internal,
//! format_float_internal, format_string_internal).

use num_bigint::BigInt;
use num_traits::Signed;

use super::float::{double_to_string, precision_sizes_output, strip_negative_zero, FloatStyle};
use super::MAX_WIDTH;
use crate::vm::errors::{memory_error, overflow_error, value_error, PyErr};
use crate::vm::ops::bigint_to_f64;
use crate::vm::PyResult;

/// A parsed `[[fill]align][sign][z][#][0][width][grouping][.precision][type]`.
#[derive(Clone, Debug)]
pub(crate) struct Spec {
    pub fill: char,
    pub align: char,
    pub sign: char,
    pub no_neg_0: bool,
    pub alt: bool,
    pub width: Option<usize>,
    /// `,` or `_`.
    pub separator: Option<char>,
    /// Digits per group: 3, or 4 for `_` with b/o/x/X.
    pub group: usize,
    pub precision: Option<usize>,
    pub ty: char,
    align_given: bool,
}

fn is_align(c: char) -> bool {
    matches!(c, '<' | '>' | '=' | '^')
}

/// `get_integer`: digits at `pos`; `None` if there are none.
fn parse_int(chars: &[char], pos: &mut usize) -> PyResult<Option<usize>> {
    let start = *pos;
    let mut n: usize = 0;
    while let Some(d) = chars.get(*pos).and_then(|c| c.to_digit(10)) {
        n = n
            .checked_mul(10)
            .and_then(|n| n.checked_add(d as usize))
            .filter(|n| *n <= isize::MAX as usize)
            .ok_or_else(|| value_error("Too many decimal digits in format string"))?;
        *pos += 1;
    }
    Ok((*pos > start).then_some(n))
}

/// `unknown_presentation_type`
#[cold]
pub(crate) fn unknown_code(ty: char, type_name: &str) -> PyErr {
    if (ty as u32) > 32 && (ty as u32) < 128 {
        value_error(format!(
            "Unknown format code '{}' for object of type '{}'",
            ty, type_name
        ))
    } else {
        value_error(format!(
            "Unknown format code '\\x{:x}' for object of type '{}'",
            ty as u32, type_name
        ))
    }
}

impl Spec {
    /// Parses `spec` for an object of `type_name` whose default type is `default_ty` and
    /// default alignment `default_align`.
    pub fn parse(spec: &str, type_name: &str, default_ty: char, default_align: char) -> PyResult<Spec> {
        let chars: Vec<char> = spec.chars().collect();
        let end = chars.len();
        let mut s = Spec {
            fill: ' ',
            align: default_align,
            sign: '\0',
            no_neg_0: false,
            alt: false,
            width: None,
            separator: None,
            group: 3,
            precision: None,
            ty: default_ty,
            align_given: false,
        };
        let mut pos = 0;
        let mut fill_given = false;
        if end >= 2 && is_align(chars[1]) {
            s.fill = chars[0];
            s.align = chars[1];
            fill_given = true;
            s.align_given = true;
            pos = 2;
        } else if end >= 1 && is_align(chars[0]) {
            s.align = chars[0];
            s.align_given = true;
            pos = 1;
        }
        if pos < end && matches!(chars[pos], '+' | '-' | ' ') {
            s.sign = chars[pos];
            pos += 1;
        }
        if pos < end && chars[pos] == 'z' {
            s.no_neg_0 = true;
            pos += 1;
        }
        if pos < end && chars[pos] == '#' {
            s.alt = true;
            pos += 1;
        }
        // A leading 0 means zero padding after the sign, unless a fill was given.
        if !fill_given && pos < end && chars[pos] == '0' {
            s.fill = '0';
            if !s.align_given && default_align == '>' {
                s.align = '=';
            }
            pos += 1;
        }
        s.width = parse_int(&chars, &mut pos)?;
        if pos < end && chars[pos] == ',' {
            s.separator = Some(',');
            pos += 1;
        }
        if pos < end && chars[pos] == '_' {
            if s.separator.is_some() {
                return Err(value_error("Cannot specify both ',' and '_'."));
            }
            s.separator = Some('_');
            pos += 1;
        }
        if pos < end && chars[pos] == ',' && s.separator == Some('_') {
            return Err(value_error("Cannot specify both ',' and '_'."));
        }
        if pos < end && chars[pos] == '.' {
            pos += 1;
            match parse_int(&chars, &mut pos)? {
                Some(p) => s.precision = Some(p),
                None => return Err(value_error("Format specifier missing precision")),
            }
        }
        if end - pos > 1 {
            return Err(value_error(format!(
                "Invalid format specifier '{}' for object of type '{}'",
                spec, type_name
            )));
        }
        if end - pos == 1 {
            s.ty = chars[pos];
        }
        if let Some(sep) = s.separator {
            match s.ty {
                'd' | 'e' | 'f' | 'g' | 'E' | 'G' | '%' | 'F' | '\0' => {}
                'b' | 'o' | 'x' | 'X' if sep == '_' => s.group = 4,
                ty if (ty as u32) > 32 && (ty as u32) < 128 => {
                    return Err(value_error(format!("Cannot specify '{}' with '{}'.", sep, ty)))
                }
                ty => {
                    return Err(value_error(format!(
                        "Cannot specify '{}' with '\\x{:x}'.",
                        sep, ty as u32
                    )))
                }
            }
        }
        // Only padding and numeric precision size the result (a str precision truncates).
        if s.width.unwrap_or(0) > MAX_WIDTH {
            return Err(memory_error(""));
        }
        Ok(s)
    }

    /// Pads `body` (already `len` chars long) to the width with the fill character.
    fn pad(&self, body: &str, len: usize) -> String {
        let width = self.width.unwrap_or(0);
        if len >= width {
            return body.to_string();
        }
        let n = width - len;
        let (left, right) = match self.align {
            '<' => (0, n),
            '^' => (n / 2, n - n / 2),
            _ => (n, 0),
        };
        let mut out = String::with_capacity(body.len() + n);
        out.extend(std::iter::repeat_n(self.fill, left));
        out.push_str(body);
        out.extend(std::iter::repeat_n(self.fill, right));
        out
    }

    /// Lays out a number: sign, prefix (`0x`), integer digits (grouped), then the rest
    /// (fraction, exponent, `%`). Models calc_number_widths and fill_number.
    fn layout_number(&self, negative: bool, prefix: &str, digits: &str, rest: &str) -> String {
        let sign = if negative {
            Some('-')
        } else {
            match self.sign {
                '+' => Some('+'),
                ' ' => Some(' '),
                _ => None,
            }
        };
        let n_sign = sign.is_some() as usize;
        let n_prefix = prefix.chars().count();
        let n_rest = rest.chars().count();
        let width = self.width.unwrap_or(0);
        let grouped = match self.separator {
            Some(sep) if !digits.is_empty() => {
                let min_width = if self.fill == '0' && self.align == '=' {
                    width.saturating_sub(n_sign + n_prefix + n_rest)
                } else {
                    0
                };
                group_digits(digits, min_width, sep, self.group)
            }
            _ => digits.to_string(),
        };
        let total = n_sign + n_prefix + grouped.chars().count() + n_rest;
        let mut head = String::new();
        head.extend(sign);
        head.push_str(prefix);
        if self.align == '=' && total < width {
            head.extend(std::iter::repeat_n(self.fill, width - total));
            head.push_str(&grouped);
            head.push_str(rest);
            return head;
        }
        head.push_str(&grouped);
        head.push_str(rest);
        self.pad(&head, total)
    }
}

/// `_PyUnicode_InsertThousandsGrouping` for a repeating group size: separators every
/// `group` digits from the right, and zero digits (with separators) up to `min_width`.
fn group_digits(digits: &str, min_width: usize, sep: char, group: usize) -> String {
    let digits: Vec<char> = digits.chars().collect();
    let mut remaining = digits.len() as isize;
    let mut min_width = min_width as isize;
    let group = group as isize;
    // Built right to left, reversed at the end.
    let mut out: Vec<char> = Vec::new();
    let mut first = true;
    loop {
        let l = group.min(remaining.max(min_width).max(1));
        let n_zeros = (l - remaining).max(0);
        let n_chars = remaining.min(l).max(0);
        if !first {
            out.push(sep);
        }
        first = false;
        for i in 0..n_chars {
            out.push(digits[(remaining - 1 - i) as usize]);
        }
        out.extend(std::iter::repeat_n('0', n_zeros as usize));
        remaining -= n_chars;
        min_width -= l;
        if remaining <= 0 && min_width <= 0 {
            break;
        }
        min_width -= 1;
    }
    out.iter().rev().collect()
}

/// `str.__format__`
pub(crate) fn format_str(s: &str, spec: &str) -> PyResult<String> {
    let sp = Spec::parse(spec, "str", 's', '<')?;
    if sp.ty != 's' {
        return Err(unknown_code(sp.ty, "str"));
    }
    match sp.sign {
        '\0' => {}
        ' ' => return Err(value_error("Space not allowed in string format specifier")),
        _ => return Err(value_error("Sign not allowed in string format specifier")),
    }
    if sp.no_neg_0 {
        return Err(value_error(
            "Negative zero coercion (z) not allowed in string format specifier",
        ));
    }
    if sp.alt {
        return Err(value_error("Alternate form (#) not allowed in string format specifier"));
    }
    if sp.align == '=' {
        return Err(value_error("'=' alignment not allowed in string format specifier"));
    }
    let (body, len) = match sp.precision {
        Some(p) => {
            let cut: String = s.chars().take(p).collect();
            let len = cut.chars().count();
            (cut, len)
        }
        None => (s.to_string(), s.chars().count()),
    };
    Ok(sp.pad(&body, len))
}

/// An int operand of `format`: small or big.
pub(crate) enum IntArg<'a> {
    Small(i64),
    Big(&'a BigInt),
}

impl IntArg<'_> {
    fn to_f64(&self) -> PyResult<f64> {
        match self {
            IntArg::Small(i) => Ok(*i as f64),
            IntArg::Big(b) => bigint_to_f64(b),
        }
    }

    fn negative(&self) -> bool {
        match self {
            IntArg::Small(i) => *i < 0,
            IntArg::Big(b) => b.is_negative(),
        }
    }

    /// Digits of the absolute value in `radix`.
    fn abs_digits(&self, radix: u32) -> String {
        match self {
            IntArg::Small(i) => {
                let u = i.unsigned_abs();
                match radix {
                    2 => format!("{:b}", u),
                    8 => format!("{:o}", u),
                    16 => format!("{:x}", u),
                    _ => u.to_string(),
                }
            }
            IntArg::Big(b) => b.abs().to_str_radix(radix),
        }
    }
}

/// `int.__format__` (bools format as ints once a spec is given).
pub(crate) fn format_int(v: IntArg<'_>, spec: &str, type_name: &str) -> PyResult<String> {
    let sp = Spec::parse(spec, type_name, 'd', '>')?;
    let (radix, prefix) = match sp.ty {
        'd' | 'n' => (10, ""),
        'b' => (2, "0b"),
        'o' => (8, "0o"),
        'x' => (16, "0x"),
        'X' => (16, "0X"),
        'c' => (0, ""),
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%' => return format_float_spec(v.to_f64()?, &sp),
        ty => return Err(unknown_code(ty, type_name)),
    };
    if sp.precision.is_some() {
        return Err(value_error("Precision not allowed in integer format specifier"));
    }
    if sp.no_neg_0 {
        return Err(value_error(
            "Negative zero coercion (z) not allowed in integer format specifier",
        ));
    }
    if sp.ty == 'c' {
        if sp.sign != '\0' {
            return Err(value_error("Sign not allowed with integer format specifier 'c'"));
        }
        if sp.alt {
            return Err(value_error(
                "Alternate form (#) not allowed with integer format specifier 'c'",
            ));
        }
        // format_long_internal reads the value with PyLong_AsLong first.
        let code = match &v {
            IntArg::Small(i) => u32::try_from(*i).ok(),
            IntArg::Big(_) => return Err(overflow_error("Python int too large to convert to C long")),
        };
        let c = code
            .filter(|c| *c < 0x110000)
            .ok_or_else(|| overflow_error("%c arg not in range(0x110000)"))?;
        // Lone surrogates cannot live in a Rust string; they print as U+FFFD.
        let c = char::from_u32(c).unwrap_or('\u{FFFD}');
        return Ok(sp.layout_number(false, "", "", &c.to_string()));
    }
    let mut digits = v.abs_digits(radix);
    if sp.ty == 'X' {
        digits.make_ascii_uppercase();
    }
    let prefix = if sp.alt { prefix } else { "" };
    Ok(sp.layout_number(v.negative(), prefix, &digits, ""))
}

/// `float.__format__`
pub(crate) fn format_float(x: f64, spec: &str) -> PyResult<String> {
    let sp = Spec::parse(spec, "float", '\0', '>')?;
    format_float_spec(x, &sp)
}

fn format_float_spec(x: f64, sp: &Spec) -> PyResult<String> {
    let mut x = x;
    let mut add_pct = false;
    let mut add_dot_0 = false;
    let mut default_precision = 6;
    let ty = match sp.ty {
        '\0' => {
            add_dot_0 = true;
            default_precision = 0;
            'r'
        }
        'n' => 'g',
        '%' => {
            x *= 100.0;
            add_pct = true;
            'f'
        }
        t @ ('e' | 'E' | 'f' | 'F' | 'g' | 'G') => t,
        t => return Err(unknown_code(t, "float")),
    };
    let (ty, precision) = match sp.precision {
        None => (ty, default_precision),
        Some(p) => (if ty == 'r' { 'g' } else { ty }, p),
    };
    // Python/formatter_unicode.c format_float_internal.
    if precision > i32::MAX as usize {
        return Err(value_error("precision too big"));
    }
    if precision > MAX_WIDTH && precision_sizes_output(ty, sp.alt) {
        return Err(memory_error(""));
    }
    let mut s = double_to_string(
        x,
        FloatStyle {
            ty,
            precision,
            alt: sp.alt,
            add_dot_0,
        },
    );
    if sp.no_neg_0 {
        s = strip_negative_zero(s);
    }
    if add_pct {
        s.push('%');
    }
    let (negative, body) = match s.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, s.as_str()),
    };
    // parse_number: leading digits are grouped; the rest (point, fraction, exponent) is not.
    let n_digits = body.find(|c: char| !c.is_ascii_digit()).unwrap_or(body.len());
    Ok(sp.layout_number(negative, "", &body[..n_digits], &body[n_digits..]))
}
