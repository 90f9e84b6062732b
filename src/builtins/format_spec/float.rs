//! Float to text for `format()` and `%`: CPython's `PyOS_double_to_string`
//! (Python/pystrtod.c format_float_short) on top of Rust's correctly rounded formatting.

use crate::vm::format::float_repr;

/// How a float is laid out; `ty` is one of `e E f F g G r` (`r` is repr, `precision` unused).
#[derive(Clone, Copy, Debug)]
pub(crate) struct FloatStyle {
    pub ty: char,
    pub precision: usize,
    /// `#`: always a decimal point; `g` keeps trailing zeros.
    pub alt: bool,
    /// Append `.0` to fixed notation without a point (format's empty type with a precision).
    pub add_dot_0: bool,
}

/// `x` as text with a leading `-` when negative (never `+`); `inf`/`nan` spelled as CPython
/// does, upper-cased for `E F G`.
pub(crate) fn double_to_string(x: f64, style: FloatStyle) -> String {
    let upper = matches!(style.ty, 'E' | 'F' | 'G');
    let s = if x.is_nan() {
        "nan".to_string()
    } else if x.is_infinite() {
        if x < 0.0 { "-inf" } else { "inf" }.to_string()
    } else {
        let body = finite_body(x.abs(), style);
        if x.is_sign_negative() {
            format!("-{body}")
        } else {
            body
        }
    };
    if upper {
        s.to_ascii_uppercase()
    } else {
        s
    }
}

fn finite_body(ax: f64, style: FloatStyle) -> String {
    let p = style.precision;
    match style.ty.to_ascii_lowercase() {
        'f' => {
            let mut s = format!("{:.*}", p, ax);
            if style.alt && p == 0 {
                s.push('.');
            }
            s
        }
        'e' => {
            let sci = format!("{:.*e}", p, ax);
            let (mantissa, exp) = split_exp(&sci);
            let dot = if style.alt && p == 0 { "." } else { "" };
            format!("{mantissa}{dot}{}", exp_suffix(exp))
        }
        'g' => general(ax, p.max(1), style.alt, style.add_dot_0),
        _ => {
            let s = float_repr(ax);
            if style.alt && !s.contains('.') {
                // `format(1e16, '#')` is `1.e+16`.
                match s.find('e') {
                    Some(i) => format!("{}.{}", &s[..i], &s[i..]),
                    None => format!("{s}."),
                }
            } else {
                s
            }
        }
    }
}

/// `"1.25e-7"` → `("1.25", -7)`.
fn split_exp(s: &str) -> (&str, i32) {
    match s.split_once('e') {
        Some((m, e)) => (m, e.parse().unwrap_or(0)),
        None => (s, 0),
    }
}

/// CPython's exponent layout: a sign and at least two digits.
fn exp_suffix(exp: i32) -> String {
    format!("e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.unsigned_abs())
}

/// Whether the output of presentation type `ty` grows with the precision. Without `#`, `g`
/// strips trailing zeros, and a double has at most 767 significant digits, so a huge
/// precision costs nothing.
pub(crate) fn precision_sizes_output(ty: char, alt: bool) -> bool {
    alt || !matches!(ty.to_ascii_lowercase(), 'g' | 'r' | 'n')
}

/// More significant digits than any double has (the exact expansion of the smallest
/// subnormal has 767), and more than its largest decimal exponent (308).
const MAX_SIGNIFICANT: usize = 800;

/// The `g` presentation with `p >= 1` significant digits (pystrtod.c format_float_short).
fn general(ax: f64, p: usize, alt: bool, add_dot_0: bool) -> String {
    // Digits past MAX_SIGNIFICANT are zeros that get stripped, and the choice of notation
    // (exponent against p) is the same, so asking for fewer is exact.
    let p = if alt { p } else { p.min(MAX_SIGNIFICANT) };
    let sci = format!("{:.*e}", p - 1, ax);
    let (mantissa, exp) = split_exp(&sci);
    let mut digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    if !alt {
        while digits.len() > 1 && digits.ends_with('0') {
            digits.pop();
        }
    }
    // With add_dot_0 (format's empty type) fixed notation needs room for the `.0`.
    let limit = if add_dot_0 { p as i64 - 1 } else { p as i64 };
    let exp = exp as i64;
    let use_exp = exp < -4 || exp >= limit;
    let mut out = String::new();
    if use_exp {
        out.push_str(&digits[..1]);
        if digits.len() > 1 || alt {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push_str(&exp_suffix(exp as i32));
        return out;
    }
    let (int_part, frac) = if exp >= 0 {
        let point = exp as usize + 1;
        if digits.len() <= point {
            let mut int_part = digits.clone();
            int_part.extend(std::iter::repeat_n('0', point - digits.len()));
            (int_part, String::new())
        } else {
            (digits[..point].to_string(), digits[point..].to_string())
        }
    } else {
        let mut frac: String = std::iter::repeat_n('0', (-exp - 1) as usize).collect();
        frac.push_str(&digits);
        ("0".to_string(), frac)
    };
    out.push_str(&int_part);
    if !frac.is_empty() || alt {
        out.push('.');
        out.push_str(&frac);
    } else if add_dot_0 {
        out.push_str(".0");
    }
    out
}

/// `z` in a format spec: a result that rounded to zero loses its minus sign.
pub(crate) fn strip_negative_zero(s: String) -> String {
    let Some(rest) = s.strip_prefix('-') else {
        return s;
    };
    let mantissa = rest.split(['e', 'E']).next().unwrap_or("");
    if mantissa.chars().all(|c| c == '0' || c == '.') && mantissa.contains('0') {
        rest.to_string()
    } else {
        s
    }
}
