//! Parsing numbers from strings for `int(s, base)` and `float(s)`
//! (Objects/longobject.c `PyLong_FromString`, Python/pystrtod.c `_Py_string_to_number_with_underscores`).

use num_bigint::BigInt;
use num_traits::Num;

/// Parses `s` as an int in `base` (0 means "from the prefix"); `None` if it is not a valid
/// literal. Whitespace around the number, a sign and single underscores between digits are
/// accepted, as in CPython.
pub fn parse_int(s: &str, base: u32) -> Option<BigInt> {
    let t = s.trim_matches(|c: char| c.is_whitespace());
    let (negative, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let lower = t.get(..2).map(|p| p.to_ascii_lowercase());
    let prefix_base = match lower.as_deref() {
        Some("0x") => Some(16),
        Some("0o") => Some(8),
        Some("0b") => Some(2),
        _ => None,
    };
    let (base, digits, had_prefix) = match (base, prefix_base) {
        (0, Some(b)) => (b, &t[2..], true),
        (0, None) => (10, t, false),
        (b, Some(pb)) if b == pb => (b, &t[2..], true),
        (b, _) => (b, t, false),
    };
    let digits = strip_underscores(digits, had_prefix)?;
    if digits.is_empty() {
        return None;
    }
    let digits: String = digits.chars().map(to_ascii_digit).collect::<Option<String>>()?;
    let v = BigInt::from_str_radix(&digits, base).ok()?;
    Some(if negative { -v } else { v })
}

/// `int(s, 0)` rejects "010": leading zeros in a non-zero decimal literal.
pub fn base0_leading_zero(s: &str) -> bool {
    let t = s
        .trim_matches(|c: char| c.is_whitespace())
        .trim_start_matches(['+', '-']);
    let digits: String = t.chars().filter(|&c| c != '_').collect();
    digits.len() > 1
        && digits.starts_with('0')
        && digits.chars().all(|c| c.is_ascii_digit())
        && digits.chars().any(|c| c != '0')
}

/// Unicode decimal digits count as digits (`int('٣')` is 3).
fn to_ascii_digit(c: char) -> Option<char> {
    if c.is_ascii_alphanumeric() {
        return Some(c);
    }
    if let Some(d) = unicode_decimal(c) {
        return char::from_digit(d, 10);
    }
    None
}

/// The value of a non-ASCII Unicode decimal digit, for the common digit blocks.
fn unicode_decimal(c: char) -> Option<u32> {
    const ZEROS: &[u32] = &[
        0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66, 0xE50, 0xED0, 0xF20,
        0x1040, 0xFF10,
    ];
    let u = c as u32;
    ZEROS.iter().find(|&&z| u >= z && u < z + 10).map(|&z| u - z)
}

/// Removes underscores that sit between digits (or right after a base prefix); `None` if
/// any underscore is misplaced.
fn strip_underscores(s: &str, after_prefix: bool) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut prev_digit = after_prefix;
    let mut pending = false;
    for c in s.chars() {
        if c == '_' {
            if !prev_digit || pending {
                return None;
            }
            pending = true;
        } else {
            out.push(c);
            prev_digit = true;
            pending = false;
        }
    }
    if pending {
        return None;
    }
    Some(out)
}

/// Parses `s` as a float the way `float(s)` does; `None` if it is not valid.
pub fn parse_float(s: &str) -> Option<f64> {
    let t = s.trim_matches(|c: char| c.is_whitespace());
    let (sign, body) = match t.as_bytes().first() {
        Some(b'-') => (-1.0, &t[1..]),
        Some(b'+') => (1.0, &t[1..]),
        _ => (1.0, t),
    };
    let lower = body.to_ascii_lowercase();
    match lower.as_str() {
        "inf" | "infinity" => return Some(sign * f64::INFINITY),
        "nan" => return Some(f64::NAN.copysign(sign)),
        _ => {}
    }
    // Underscores are allowed only between digits.
    let chars: Vec<char> = body.chars().collect();
    let mut clean = String::with_capacity(body.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == '_' {
            let before = i
                .checked_sub(1)
                .and_then(|j| chars.get(j))
                .is_some_and(|c| c.is_ascii_digit() || unicode_decimal(*c).is_some());
            let after = chars
                .get(i + 1)
                .is_some_and(|c| c.is_ascii_digit() || unicode_decimal(*c).is_some());
            if !before || !after {
                return None;
            }
        } else if c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-') {
            clean.push(c);
        } else {
            clean.push(char::from_digit(unicode_decimal(c)?, 10)?);
        }
    }
    if clean.starts_with(['+', '-']) || clean.is_empty() || !clean.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    // Rust accepts "inf"/"nan" spellings we already handled, and nothing else exotic.
    let v: f64 = clean.parse().ok()?;
    Some(sign * v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ints_parse_like_cpython() {
        assert_eq!(parse_int("  42\n", 10), Some(BigInt::from(42)));
        assert_eq!(parse_int("-1_000", 10), Some(BigInt::from(-1000)));
        assert_eq!(parse_int("0x1F", 16), Some(BigInt::from(31)));
        assert_eq!(parse_int("0x_1f", 0), Some(BigInt::from(31)));
        assert_eq!(parse_int("0b101", 0), Some(BigInt::from(5)));
        assert_eq!(parse_int("z", 36), Some(BigInt::from(35)));
        assert_eq!(parse_int("1__0", 10), None);
        assert_eq!(parse_int("_1", 10), None);
        assert_eq!(parse_int("1_", 10), None);
        assert_eq!(parse_int("abc", 10), None);
        assert_eq!(parse_int("", 10), None);
        assert_eq!(parse_int("12", 2), None);
        assert_eq!(parse_int("-", 10), None);
        assert!(base0_leading_zero("010"));
        assert!(!base0_leading_zero("000"));
    }

    #[test]
    fn floats_parse_like_cpython() {
        assert_eq!(parse_float(" 2.5 "), Some(2.5));
        assert_eq!(parse_float("1e3"), Some(1000.0));
        assert_eq!(parse_float("-inf"), Some(f64::NEG_INFINITY));
        assert!(parse_float("nan").is_some_and(|f| f.is_nan()));
        assert_eq!(parse_float("1_0.5"), Some(10.5));
        assert_eq!(parse_float(".5"), Some(0.5));
        assert_eq!(parse_float("5."), Some(5.0));
        assert_eq!(parse_float("abc"), None);
        assert_eq!(parse_float("1_"), None);
        assert_eq!(parse_float(""), None);
        assert_eq!(parse_float("infx"), None);
    }
}
