//! Text encodings of files: UTF-8, ASCII and Latin-1 (Lib/encodings, Objects/unicodeobject.c),
//! with the error handlers `strict`, `ignore`, `replace`, `backslashreplace` and
//! `xmlcharrefreplace`, and CPython's UnicodeDecodeError/UnicodeEncodeError messages.
//! Other encodings are a LookupError ("unknown encoding: X").
//!
//! `surrogateescape` decodes undecodable bytes to U+FFFD: gilsim's strings cannot hold the
//! lone surrogates CPython would produce.

use std::sync::Arc;

use crate::vm::errors::{type_error, PyErr};
use crate::vm::types::exc;
use crate::vm::value::Value;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Codec {
    Utf8,
    Ascii,
    Latin1,
}

impl Codec {
    /// The codec for an encoding name, after `encodings.normalize_encoding` and the alias
    /// table of Lib/encodings/aliases.py.
    pub(crate) fn lookup(name: &str) -> Option<Codec> {
        let mut norm = String::new();
        let mut punct = false;
        for c in name.chars().flat_map(char::to_lowercase) {
            if c.is_alphanumeric() || c == '.' {
                if punct && !norm.is_empty() {
                    norm.push('_');
                }
                if c.is_ascii() {
                    norm.push(c);
                }
                punct = false;
            } else {
                punct = true;
            }
        }
        match norm.replace('.', "_").as_str() {
            "utf_8" | "u8" | "utf" | "utf8" | "utf8_ucs2" | "utf8_ucs4" | "cp65001" => Some(Codec::Utf8),
            "ascii" | "646" | "ansi_x3_4_1968" | "ansi_x3_4_1986" | "cp367" | "csascii" | "ibm367" | "iso646_us"
            | "iso_646_irv_1991" | "iso_ir_6" | "us" | "us_ascii" => Some(Codec::Ascii),
            "latin_1" | "8859" | "cp819" | "csisolatin1" | "ibm819" | "iso8859" | "iso8859_1" | "iso_8859_1"
            | "iso_8859_1_1987" | "iso_ir_100" | "l1" | "latin" | "latin1" => Some(Codec::Latin1),
            _ => None,
        }
    }

    /// The name error messages use.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Codec::Utf8 => "utf-8",
            Codec::Ascii => "ascii",
            Codec::Latin1 => "latin-1",
        }
    }

    /// The first code point this codec cannot encode.
    fn limit(self) -> u32 {
        match self {
            Codec::Utf8 => u32::MAX,
            Codec::Ascii => 0x80,
            Codec::Latin1 => 0x100,
        }
    }
}

/// One step of decoding.
pub(crate) enum Unit {
    Char(char, usize),
    /// Bytes that do not decode (a maximal invalid subpart, as CPython reports it).
    Invalid {
        len: usize,
        reason: &'static str,
    },
    /// The start of a character whose remaining bytes have not arrived yet.
    Incomplete,
}

/// Decodes the unit at the start of `b` (not empty). `last` says no more bytes follow.
pub(crate) fn next_unit(codec: Codec, b: &[u8], last: bool) -> Unit {
    let lead = b[0];
    match codec {
        Codec::Latin1 => Unit::Char(lead as char, 1),
        Codec::Ascii if lead < 0x80 => Unit::Char(lead as char, 1),
        Codec::Ascii => Unit::Invalid {
            len: 1,
            reason: "ordinal not in range(128)",
        },
        Codec::Utf8 if lead < 0x80 => Unit::Char(lead as char, 1),
        Codec::Utf8 => {
            let width = match lead {
                0xC2..=0xDF => 2,
                0xE0..=0xEF => 3,
                0xF0..=0xF4 => 4,
                _ => {
                    return Unit::Invalid {
                        len: 1,
                        reason: "invalid start byte",
                    }
                }
            };
            let avail = b.len().min(width);
            match std::str::from_utf8(&b[..avail]) {
                Ok(s) => match s.chars().next() {
                    Some(c) => Unit::Char(c, avail),
                    None => Unit::Incomplete,
                },
                Err(e) => match e.error_len() {
                    Some(len) => Unit::Invalid {
                        len,
                        reason: "invalid continuation byte",
                    },
                    None if last => Unit::Invalid {
                        len: avail,
                        reason: "unexpected end of data",
                    },
                    None => Unit::Incomplete,
                },
            }
        }
    }
}

/// A decoding failure: bytes `start..end` of the input, and why.
pub(crate) struct DecodeFailure {
    pub start: usize,
    pub end: usize,
    pub reason: &'static str,
}

/// Scans `b`: how many leading bytes form whole units (an incomplete character at the end
/// waits for more input unless `last`), and the first failure, if any.
pub(crate) fn check(codec: Codec, b: &[u8], last: bool) -> (usize, Option<DecodeFailure>) {
    let mut first = None;
    let mut i = 0;
    while i < b.len() {
        // Skip the valid run in one step; stop at the next bad or incomplete unit.
        match codec {
            Codec::Utf8 => match std::str::from_utf8(&b[i..]) {
                Ok(_) => return (b.len(), first),
                Err(e) => i += e.valid_up_to(),
            },
            Codec::Ascii => match b[i..].iter().position(|&x| x >= 0x80) {
                None => return (b.len(), first),
                Some(n) => i += n,
            },
            Codec::Latin1 => return (b.len(), first),
        }
        match next_unit(codec, &b[i..], last) {
            Unit::Char(_, n) => i += n,
            Unit::Invalid { len, reason } => {
                first.get_or_insert(DecodeFailure {
                    start: i,
                    end: i + len,
                    reason,
                });
                i += len;
            }
            Unit::Incomplete => break,
        }
    }
    (i, first)
}

/// The error handler named `errors`, or CPython's LookupError.
fn handler(errors: &str) -> PyResult<Handler> {
    Ok(match errors {
        "strict" | "surrogatepass" => Handler::Strict,
        "ignore" => Handler::Ignore,
        "replace" | "surrogateescape" => Handler::Replace,
        "backslashreplace" => Handler::BackslashReplace,
        "xmlcharrefreplace" => Handler::XmlCharRefReplace,
        _ => {
            return Err(PyErr::new(
                &exc().lookup_error,
                format!("unknown error handler name '{errors}'"),
            ))
        }
    })
}

type PyResult<T> = crate::vm::PyResult<T>;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Handler {
    Strict,
    Ignore,
    Replace,
    BackslashReplace,
    XmlCharRefReplace,
}

/// What replaces undecodable `bytes` under `errors` (the strict handler raises).
pub(crate) fn decode_replacement(
    codec: Codec,
    errors: &str,
    input: &[u8],
    fail: &DecodeFailure,
    out: &mut String,
) -> PyResult<()> {
    match handler(errors)? {
        Handler::Strict => return Err(decode_error(codec, input, fail)),
        Handler::Ignore => {}
        Handler::Replace => out.push('\u{fffd}'),
        Handler::BackslashReplace => {
            for b in &input[fail.start..fail.end] {
                out.push_str(&format!("\\x{b:02x}"));
            }
        }
        Handler::XmlCharRefReplace => {
            return Err(type_error(
                "don't know how to handle UnicodeDecodeError in error callback",
            ))
        }
    }
    Ok(())
}

/// Decodes `b`, which holds whole units only (see [`check`]; at end of file, an incomplete
/// tail counts as one invalid unit).
pub(crate) fn decode(codec: Codec, errors: &str, b: &[u8]) -> PyResult<String> {
    if codec != Codec::Latin1 {
        if let Ok(s) = std::str::from_utf8(b) {
            if codec == Codec::Utf8 || s.is_ascii() {
                return Ok(s.to_string());
            }
        }
    }
    let mut out = String::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match next_unit(codec, &b[i..], true) {
            Unit::Char(c, n) => {
                out.push(c);
                i += n;
            }
            Unit::Invalid { len, reason } => {
                let fail = DecodeFailure {
                    start: i,
                    end: i + len,
                    reason,
                };
                decode_replacement(codec, errors, b, &fail, &mut out)?;
                i += len;
            }
            // Unreachable with `last`; stop rather than loop.
            Unit::Incomplete => break,
        }
    }
    Ok(out)
}

/// `UnicodeDecodeError(encoding, object, start, end, reason)` with CPython's message.
#[cold]
pub(crate) fn decode_error(codec: Codec, input: &[u8], fail: &DecodeFailure) -> PyErr {
    let what = if fail.end - fail.start == 1 {
        format!(
            "byte 0x{:02x} in position {}",
            input.get(fail.start).copied().unwrap_or(0),
            fail.start
        )
    } else {
        format!("bytes in position {}-{}", fail.start, fail.end - 1)
    };
    let msg = format!("'{}' codec can't decode {}: {}", codec.name(), what, fail.reason);
    let err = PyErr::new(&exc().unicode_decode_error, msg);
    set_codec_attrs(
        &err,
        codec,
        Value::Bytes(Arc::new(input.to_vec())),
        fail.start,
        fail.end,
        fail.reason,
    );
    err
}

fn set_codec_attrs(err: &PyErr, codec: Codec, object: Value, start: usize, end: usize, reason: &str) {
    let mut d = err.0.dict.lock();
    d.insert(Arc::from("encoding"), Value::str(codec.name()));
    d.insert(Arc::from("object"), object);
    d.insert(Arc::from("start"), Value::from(start));
    d.insert(Arc::from("end"), Value::from(end));
    d.insert(Arc::from("reason"), Value::str(reason));
}

/// Encodes `s`, applying `errors` to characters the codec cannot represent.
pub(crate) fn encode(codec: Codec, errors: &str, s: &str) -> PyResult<Vec<u8>> {
    let limit = codec.limit();
    if codec == Codec::Utf8 || s.is_ascii() {
        return Ok(s.as_bytes().to_vec());
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if (c as u32) < limit {
            out.push(c as u32 as u8);
            i += 1;
            continue;
        }
        // Handlers get the whole run of unencodable characters at once.
        let run_end = chars[i..]
            .iter()
            .position(|&c| (c as u32) < limit)
            .map_or(chars.len(), |n| i + n);
        match handler(errors)? {
            Handler::Strict => return Err(encode_error(codec, s, &chars, i, run_end)),
            Handler::Ignore => {}
            Handler::Replace => out.extend(std::iter::repeat_n(b'?', run_end - i)),
            Handler::BackslashReplace => {
                for &c in &chars[i..run_end] {
                    out.extend_from_slice(char_escape(c).as_bytes());
                }
            }
            Handler::XmlCharRefReplace => {
                for &c in &chars[i..run_end] {
                    out.extend_from_slice(format!("&#{};", c as u32).as_bytes());
                }
            }
        }
        i = run_end;
    }
    Ok(out)
}

/// `\xe9`, `\u20ac` or `\U0001f600`, as CPython writes characters in these messages.
fn char_escape(c: char) -> String {
    let n = c as u32;
    if n < 0x100 {
        format!("\\x{n:02x}")
    } else if n < 0x10000 {
        format!("\\u{n:04x}")
    } else {
        format!("\\U{n:08x}")
    }
}

#[cold]
fn encode_error(codec: Codec, s: &str, chars: &[char], start: usize, end: usize) -> PyErr {
    let what = if end - start == 1 {
        format!("character '{}' in position {}", char_escape(chars[start]), start)
    } else {
        format!("characters in position {}-{}", start, end - 1)
    };
    let reason = format!("ordinal not in range({})", codec.limit());
    let msg = format!("'{}' codec can't encode {}: {}", codec.name(), what, reason);
    let err = PyErr::new(&exc().unicode_encode_error, msg);
    set_codec_attrs(&err, codec, Value::str(s), start, end, &reason);
    err
}
