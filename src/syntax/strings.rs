//! String literal decoding: prefixes, quotes and escape sequences (CPython's
//! `_PyUnicode_DecodeUnicodeEscapeInternal` and `_PyBytes_DecodeEscape`, minus `\N{...}`).

use super::ast::Span;
use super::error::SyntaxError;
use super::token::StrLit;

/// The prefix letters of a literal, already split from its quotes.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Prefix {
    pub raw: bool,
    pub bytes: bool,
    pub fstring: bool,
}

/// Decodes a whole string token (prefix, quotes and body) that starts at `start` in the file.
pub(crate) fn decode_literal(text: &str, start: u32) -> Result<StrLit, SyntaxError> {
    let quote_at = text.find(['\'', '"']).expect("string token has a quote");
    let mut prefix = Prefix::default();
    for c in text[..quote_at].chars() {
        match c.to_ascii_lowercase() {
            'r' => prefix.raw = true,
            'b' => prefix.bytes = true,
            'f' => prefix.fstring = true,
            _ => {}
        }
    }
    let q = &text[quote_at..];
    let quote_len = if q.len() >= 6 && (q.starts_with("'''") || q.starts_with("\"\"\"")) {
        3
    } else {
        1
    };
    let body_start = quote_at + quote_len;
    let body_end = text.len() - quote_len;
    let body = &text[body_start..body_end];
    let body_offset = start + body_start as u32;
    if prefix.fstring {
        return Ok(StrLit::FString {
            body_start: body_offset,
            body_end: start + body_end as u32,
            raw: prefix.raw,
        });
    }
    if prefix.bytes {
        if let Some((i, _)) = body.char_indices().find(|(_, c)| !c.is_ascii()) {
            let at = body_offset + i as u32;
            return Err(SyntaxError::new(
                "bytes can only contain ASCII literal characters",
                Span { start: at, end: at + 1 },
            ));
        }
        return decode_body(body, prefix, body_offset).map(|s| StrLit::Bytes(s.into_bytes_lossless()));
    }
    decode_body(body, prefix, body_offset).map(|s| StrLit::Str(s.into_string()))
}

/// A decoded body: text for `str`, or one char per byte (0..=255) for `bytes`.
pub(crate) struct Decoded(Vec<char>);

impl Decoded {
    pub(crate) fn into_string(self) -> String {
        self.0.into_iter().collect()
    }
    fn into_bytes_lossless(self) -> Vec<u8> {
        self.0.into_iter().map(|c| c as u32 as u8).collect()
    }
}

/// Decodes the escapes of one literal body (or one literal piece of an f-string).
/// `offset` is where `body` starts in the file, for error spans.
pub(crate) fn decode_body(body: &str, prefix: Prefix, offset: u32) -> Result<Decoded, SyntaxError> {
    let mut out = Vec::with_capacity(body.len());
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\r' {
            // Universal newlines: "\r\n" and "\r" read as "\n", as CPython reads source files.
            if chars.peek().map(|p| p.1) == Some('\n') {
                chars.next();
            }
            out.push('\n');
            continue;
        }
        if c != '\\' || prefix.raw {
            out.push(c);
            continue;
        }
        let Some((_, e)) = chars.next() else {
            out.push('\\');
            break;
        };
        match e {
            '\n' => {}
            '\r' => {
                if chars.peek().map(|p| p.1) == Some('\n') {
                    chars.next();
                }
            }
            '\\' => out.push('\\'),
            '\'' => out.push('\''),
            '"' => out.push('"'),
            'a' => out.push('\x07'),
            'b' => out.push('\x08'),
            'f' => out.push('\x0C'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\x0B'),
            '0'..='7' => {
                let mut value = e.to_digit(8).unwrap();
                for _ in 0..2 {
                    match chars.peek() {
                        Some(&(_, d @ '0'..='7')) => {
                            value = value * 8 + d.to_digit(8).unwrap();
                            chars.next();
                        }
                        _ => break,
                    }
                }
                if prefix.bytes {
                    value &= 0xFF;
                }
                out.push(char::from_u32(value).unwrap_or('\u{FFFD}'));
            }
            'x' | 'u' | 'U' if e == 'x' || !prefix.bytes => {
                let digits = match e {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let mut value: u32 = 0;
                let mut end = i + 2;
                for _ in 0..digits {
                    match chars.peek() {
                        Some(&(j, d)) if d.is_ascii_hexdigit() => {
                            value = value * 16 + d.to_digit(16).unwrap();
                            end = j + 1;
                            chars.next();
                        }
                        _ => {
                            return Err(escape_error(prefix, e, i, end, offset, "truncated"));
                        }
                    }
                }
                match char::from_u32(value) {
                    Some(ch) => out.push(ch),
                    None => return Err(escape_error(prefix, e, i, end, offset, "illegal")),
                }
            }
            'N' if !prefix.bytes => {
                let at = offset + i as u32;
                return Err(SyntaxError::new(
                    "\\N{...} escapes are not supported by gilsim",
                    Span { start: at, end: at + 2 },
                ));
            }
            other => {
                // Unknown escapes keep their backslash (CPython warns, then does the same).
                out.push('\\');
                out.push(other);
            }
        }
    }
    Ok(Decoded(out))
}

#[cold]
fn escape_error(prefix: Prefix, e: char, i: usize, end: usize, offset: u32, what: &str) -> SyntaxError {
    let span = Span {
        start: offset + i as u32,
        end: offset + end as u32,
    };
    let message = if prefix.bytes {
        format!("(value error) invalid \\x escape at position {i}")
    } else {
        let form = match e {
            'x' => "\\xXX",
            'u' => "\\uXXXX",
            _ => "\\UXXXXXXXX",
        };
        let what = if what == "illegal" {
            "illegal Unicode character"
        } else {
            "truncated"
        };
        let msg = if what == "truncated" {
            format!("truncated {form} escape")
        } else {
            what.to_string()
        };
        format!(
            "(unicode error) 'unicodeescape' codec can't decode bytes in position {}-{}: {msg}",
            i,
            end.saturating_sub(1).max(i + 1)
        )
    };
    SyntaxError::new(message, span)
}
