//! f-string bodies (3.11 semantics): the whole f-string is one token; here it is split into
//! literal text and `{expr!conv:spec}` fields, and each field's expression is parsed with the
//! grammar's `FieldExpr` entry point, with spans at their true place in the file.
//!
//! Recursion is bounded: a nested f-string must use a different quote than every f-string
//! around it (3.11 rule, enforced by the tokenizer ending a string at its first closing
//! quote), so at most four f-strings nest; format specs nest at most two levels.

use super::actions::push_literal;
use super::ast::{FStringField, FStringPart, Span};
use super::error::SyntaxError;
use super::parser::parse_embedded;
use super::strings::{decode_body, Prefix};

/// CPython allows a field inside a format spec, but no deeper.
const MAX_SPEC_NESTING: u32 = 2;

/// Parses the body `full[start..end]` of an f-string.
pub(crate) fn parse_fstring(full: &str, start: u32, end: u32, raw: bool) -> Result<Vec<FStringPart>, SyntaxError> {
    let mut p = FStringParser {
        full,
        pos: start as usize,
        end: end as usize,
        raw,
    };
    p.parts(0)
}

struct FStringParser<'a> {
    full: &'a str,
    pos: usize,
    end: usize,
    raw: bool,
}

#[cold]
fn err(message: &str, at: usize) -> SyntaxError {
    SyntaxError::new(format!("f-string: {message}"), Span::new(at, at + 1))
}

impl FStringParser<'_> {
    fn peek(&self) -> Option<u8> {
        (self.pos < self.end).then(|| self.full.as_bytes()[self.pos])
    }

    fn peek_at(&self, i: usize) -> Option<u8> {
        (self.pos + i < self.end).then(|| self.full.as_bytes()[self.pos + i])
    }

    fn literal(&self, from: usize, to: usize, out: &mut Vec<FStringPart>) -> Result<(), SyntaxError> {
        if from == to {
            return Ok(());
        }
        let prefix = Prefix {
            raw: self.raw,
            bytes: false,
            fstring: true,
        };
        let text = decode_body(&self.full[from..to], prefix, from as u32)?.into_string();
        push_literal(out, text);
        Ok(())
    }

    /// Literal text and fields up to the end of the body (`nesting == 0`) or up to the `}`
    /// that closes a format spec (`nesting > 0`, the `}` is not consumed).
    fn parts(&mut self, nesting: u32) -> Result<Vec<FStringPart>, SyntaxError> {
        let mut out = Vec::new();
        let mut seg = self.pos;
        while let Some(b) = self.peek() {
            match b {
                b'{' if nesting == 0 && self.peek_at(1) == Some(b'{') => {
                    self.literal(seg, self.pos + 1, &mut out)?;
                    self.pos += 2;
                    seg = self.pos;
                }
                b'}' if nesting == 0 && self.peek_at(1) == Some(b'}') => {
                    self.literal(seg, self.pos + 1, &mut out)?;
                    self.pos += 2;
                    seg = self.pos;
                }
                b'{' => {
                    self.literal(seg, self.pos, &mut out)?;
                    if nesting >= MAX_SPEC_NESTING {
                        return Err(err("expressions nested too deeply", self.pos));
                    }
                    let field = self.field(nesting)?;
                    out.push(FStringPart::Field(field));
                    seg = self.pos;
                }
                b'}' if nesting > 0 => break,
                b'}' => return Err(err("single '}' is not allowed", self.pos)),
                _ => self.pos += 1,
            }
        }
        self.literal(seg, self.pos, &mut out)?;
        Ok(out)
    }

    /// One `{...}` field; `self.pos` is at its `{` and ends after its `}`.
    fn field(&mut self, nesting: u32) -> Result<FStringField, SyntaxError> {
        let open = self.pos;
        self.pos += 1;
        let expr_start = self.pos;
        let mut depth = 0u32;
        let mut debug_end = None;
        // Find where the expression ends: `}`, `!`, `:` or a debug `=` at bracket depth 0.
        while let Some(b) = self.peek() {
            match b {
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' if depth > 0 => depth -= 1,
                b'}' if depth > 0 => depth -= 1,
                b'}' | b':' if depth == 0 => break,
                b'!' if depth == 0 && self.peek_at(1) != Some(b'=') => break,
                b'!' | b'<' | b'>' | b'=' if self.peek_at(1) == Some(b'=') => self.pos += 1,
                b'=' if depth == 0 => {
                    debug_end = Some(self.pos + 1);
                    break;
                }
                b'\'' | b'"' => self.skip_string(b)?,
                b'\\' => return Err(err("expression part cannot include a backslash", self.pos)),
                b'#' => return Err(err("expression part cannot include '#'", self.pos)),
                _ => {}
            }
            self.pos += 1;
        }
        let expr_end = self.pos;
        let text = &self.full[expr_start..expr_end];
        if text.trim().is_empty() {
            return Err(err("empty expression not allowed", open));
        }
        let expr = parse_embedded(self.full, expr_start as u32, text)?;
        let mut debug_text = None;
        if let Some(eq) = debug_end {
            self.pos = eq;
            while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
                self.pos += 1;
            }
            debug_text = Some(self.full[expr_start..self.pos].to_string());
        }
        let mut conversion = None;
        if self.peek() == Some(b'!') {
            let c = self.full[self.pos + 1..self.end].chars().next();
            match c {
                Some(c @ ('r' | 's' | 'a')) => conversion = Some(c),
                _ => return Err(err("invalid conversion character: expected 's', 'r', or 'a'", self.pos)),
            }
            self.pos += 2;
        }
        let mut spec = None;
        if self.peek() == Some(b':') {
            self.pos += 1;
            spec = Some(self.parts(nesting + 1)?);
        }
        if self.peek() != Some(b'}') {
            return Err(err("expecting '}'", open));
        }
        self.pos += 1;
        // `{x=}` shows the repr unless a conversion or spec says otherwise (as CPython).
        if debug_text.is_some() && conversion.is_none() && spec.is_none() {
            conversion = Some('r');
        }
        Ok(FStringField {
            expr,
            conversion,
            spec,
            debug_text,
        })
    }

    /// Skips a string literal inside a field expression (`self.pos` on its opening quote,
    /// left on its closing quote).
    fn skip_string(&mut self, quote: u8) -> Result<(), SyntaxError> {
        let start = self.pos;
        let triple = self.peek_at(1) == Some(quote) && self.peek_at(2) == Some(quote);
        self.pos += if triple { 3 } else { 1 };
        while let Some(b) = self.peek() {
            if b == quote && (!triple || (self.peek_at(1) == Some(quote) && self.peek_at(2) == Some(quote))) {
                if triple {
                    self.pos += 2;
                }
                return Ok(());
            }
            self.pos += 1;
        }
        Err(err("unterminated string", start))
    }
}
