//! The layout layer: turns the raw logos stream into [`Tok`]s with NEWLINE, INDENT and DEDENT,
//! as CPython's tokenizer (`Parser/tokenizer.c`, `tok_get`) does.
//!
//! The indent stack's root (column 0) is never popped; brackets switch layout off; blank and
//! comment-only lines never change indentation; DEDENTs are zero-width at the next token; at end
//! of file come a NEWLINE (if the last line had tokens) and one DEDENT per open level. Tab
//! consistency is checked as CPython does: each level records its column with tabs to multiples
//! of 8 and with tabs as 1, and the two comparisons must agree.

use logos::Logos;
use num_bigint::BigInt;

use super::ast::{Constant, Span};
use super::error::SyntaxError;
use super::limits::{MAX_BRACKET_DEPTH, MAX_INDENT_LEVELS, MAX_LINE_TOKENS};
use super::strings::decode_literal;
use super::token::{keyword, operator, LexError, Raw, Tok};

/// A token with its start and end byte offsets, as lalrpop wants it.
pub(crate) type Spanned = (u32, Tok, u32);

/// Whether we lex a whole file or an expression embedded in an f-string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    File,
    /// Inside `{...}` of an f-string: as if inside brackets, so no layout tokens at all.
    Embedded,
}

/// Lexes `text`, which starts at byte `base` of `full` (the whole file, for line numbers).
pub(crate) fn lex(full: &str, base: u32, text: &str, mode: Mode) -> Result<Vec<Spanned>, SyntaxError> {
    if let Some(at) = text.find('\0') {
        let at = base + at as u32;
        return Err(SyntaxError::new(
            "source code cannot contain null bytes",
            Span { start: at, end: at + 1 },
        ));
    }
    let mut layout = Layout {
        full,
        text,
        base,
        mode,
        out: Vec::with_capacity(text.len() / 3),
        indents: vec![(0, 0)],
        brackets: Vec::new(),
        at_line_start: mode == Mode::File,
        line_start: 0,
        line_tokens: 0,
    };
    layout.run()?;
    Ok(layout.out)
}

struct Layout<'a> {
    full: &'a str,
    text: &'a str,
    base: u32,
    mode: Mode,
    out: Vec<Spanned>,
    /// (column with tabs to 8, column with tabs as 1) of each open indentation level.
    indents: Vec<(u32, u32)>,
    /// Open brackets: the character and where it is.
    brackets: Vec<(char, Span)>,
    at_line_start: bool,
    /// Offset (in `text`) where the current physical line starts.
    line_start: usize,
    /// Tokens so far in the current logical line: bounds the depth of any tree built from it.
    line_tokens: usize,
}

impl Layout<'_> {
    fn span(&self, range: std::ops::Range<usize>) -> Span {
        Span::new(self.base as usize + range.start, self.base as usize + range.end)
    }

    fn run(&mut self) -> Result<(), SyntaxError> {
        let mut lexer = Raw::lexer(self.text);
        while let Some(result) = lexer.next() {
            let range = lexer.span();
            let span = self.span(range.clone());
            let raw = match result {
                Ok(raw) => raw,
                Err(err) => return Err(self.lex_error(err, range)),
            };
            if raw == Raw::Newline {
                if self.mode == Mode::Embedded || !self.brackets.is_empty() {
                    continue;
                }
                if !self.at_line_start {
                    self.out.push((span.start, Tok::Newline, span.end));
                    self.at_line_start = true;
                    self.line_tokens = 0;
                }
                self.line_start = range.end;
                continue;
            }
            if self.at_line_start {
                self.at_line_start = false;
                self.indentation(span.start)?;
            }
            self.line_tokens += 1;
            if self.line_tokens > MAX_LINE_TOKENS {
                return Err(SyntaxError::new("line too complex", span).with_label(format!(
                    "gilsim allows at most {MAX_LINE_TOKENS} tokens in one logical line"
                )));
            }
            let slice = &self.text[range.clone()];
            let tok = match raw {
                Raw::Newline => unreachable!("handled above"),
                Raw::Name => match keyword(slice) {
                    Some(k) => Tok::Keyword(k),
                    None => Tok::Name(slice.to_string()),
                },
                Raw::DecInt | Raw::RadixInt | Raw::Float => {
                    self.check_number_end(raw, range.end, span)?;
                    Tok::Number(number(raw, slice, span)?)
                }
                Raw::Str => Tok::Str(decode_literal(slice, span.start)?),
                Raw::Op => {
                    let op = operator(slice);
                    self.bracket(op, span)?;
                    Tok::Op(op)
                }
            };
            self.out.push((span.start, tok, span.end));
        }
        if let Some(&(open, at)) = self.brackets.last() {
            return Err(SyntaxError::new(format!("'{open}' was never closed"), at));
        }
        let end = self.base + self.text.len() as u32;
        if self.mode == Mode::File {
            if !self.at_line_start {
                self.out.push((end, Tok::Newline, end));
            }
            for _ in 1..self.indents.len() {
                self.out.push((end, Tok::Dedent, end));
            }
        }
        Ok(())
    }

    /// Measures the indentation of the line that starts a logical line and emits INDENT or
    /// DEDENTs (CPython `tok_get`, the `atbol` branch).
    fn indentation(&mut self, token_start: u32) -> Result<(), SyntaxError> {
        let (mut col, mut alt) = (0u32, 0u32);
        let mut end = self.line_start;
        for b in self.text[self.line_start..].bytes() {
            match b {
                b' ' => {
                    col += 1;
                    alt += 1;
                }
                b'\t' => {
                    col = (col / 8 + 1) * 8;
                    alt += 1;
                }
                b'\x0C' => {
                    col = 0;
                    alt = 0;
                }
                _ => break,
            }
            end += 1;
        }
        let here = Span {
            start: token_start,
            end: token_start,
        };
        let (top_col, top_alt) = *self.indents.last().expect("root level is never popped");
        if col == top_col {
            if alt != top_alt {
                return Err(tab_error(here));
            }
        } else if col > top_col {
            if alt <= top_alt {
                return Err(tab_error(here));
            }
            if self.indents.len() > MAX_INDENT_LEVELS {
                return Err(SyntaxError::indentation("too many levels of indentation", here));
            }
            self.indents.push((col, alt));
            let span = self.span(self.line_start..end);
            self.out.push((span.start, Tok::Indent, span.end));
        } else {
            while self.indents.len() > 1 && col < self.indents.last().unwrap().0 {
                self.indents.pop();
                self.out.push((token_start, Tok::Dedent, token_start));
            }
            let (top_col, top_alt) = *self.indents.last().unwrap();
            if col != top_col {
                return Err(SyntaxError::indentation(
                    "unindent does not match any outer indentation level",
                    here,
                ));
            }
            if alt != top_alt {
                return Err(tab_error(here));
            }
        }
        Ok(())
    }

    fn bracket(&mut self, op: &str, span: Span) -> Result<(), SyntaxError> {
        let c = op.chars().next().unwrap();
        match op {
            "(" | "[" | "{" => {
                if self.brackets.len() >= MAX_BRACKET_DEPTH {
                    return Err(SyntaxError::new("too many nested parentheses", span));
                }
                self.brackets.push((c, span));
            }
            ")" | "]" | "}" => {
                let Some((open, at)) = self.brackets.pop() else {
                    return Err(SyntaxError::new(format!("unmatched '{c}'"), span));
                };
                let expected = match open {
                    '(' => ')',
                    '[' => ']',
                    _ => '}',
                };
                if c != expected {
                    let open_line = line_at(self.full, at.start);
                    let message = if open_line != line_at(self.full, span.start) {
                        format!(
                            "closing parenthesis '{c}' does not match opening parenthesis '{open}' on line {open_line}"
                        )
                    } else {
                        format!("closing parenthesis '{c}' does not match opening parenthesis '{open}'")
                    };
                    return Err(SyntaxError::new(message, span));
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Rejects `1abc`, `0x1g` and imaginary literals (CPython `verify_end_of_number`).
    fn check_number_end(&self, raw: Raw, end: usize, span: Span) -> Result<(), SyntaxError> {
        let rest = &self.text[end..];
        let Some(c) = rest.chars().next() else {
            return Ok(());
        };
        if c == 'j' || c == 'J' {
            return Err(SyntaxError::new("imaginary numbers are not supported by gilsim", span));
        }
        if !(c.is_alphanumeric() || c == '_') {
            return Ok(());
        }
        // `1if x else 2` is (deprecated but) valid: a keyword may follow directly.
        let word: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        if ["and", "else", "for", "if", "in", "is", "not", "or"]
            .iter()
            .any(|k| word.starts_with(k))
        {
            return Ok(());
        }
        let slice = &self.text[end - (span.end - span.start) as usize..end];
        let what = match (raw, slice.as_bytes().get(1)) {
            (Raw::RadixInt, Some(b'x' | b'X')) => "hexadecimal",
            (Raw::RadixInt, Some(b'o' | b'O')) => "octal",
            (Raw::RadixInt, _) => "binary",
            _ => "decimal",
        };
        let at = span.end;
        Err(SyntaxError::new(
            format!("invalid {what} literal"),
            Span {
                start: at - 1,
                end: at + 1,
            },
        ))
    }

    #[cold]
    fn lex_error(&self, err: LexError, range: std::ops::Range<usize>) -> SyntaxError {
        let span = self.span(range.clone());
        match err {
            LexError::Unterminated { triple, detected_at } => {
                let detected = (range.start + detected_at).min(self.text.len());
                // The end of the file is "on" the last line, not after its final newline.
                let detected = if detected == self.text.len() && self.text.ends_with('\n') {
                    detected - 1
                } else {
                    detected
                };
                let line = line_at(self.full, self.base + detected as u32);
                let what = if triple {
                    "triple-quoted string literal"
                } else {
                    "string literal"
                };
                SyntaxError::new(format!("unterminated {what} (detected at line {line})"), span)
            }
            LexError::InvalidCharacter => {
                let c = self.text[range.start..].chars().next().unwrap_or(' ');
                let span = Span {
                    start: span.start,
                    end: span.start + c.len_utf8() as u32,
                };
                let message = if c == '\\' {
                    "unexpected character after line continuation character".to_string()
                } else if c.is_ascii_graphic() {
                    "invalid syntax".to_string()
                } else if c.is_control() || c.is_whitespace() || c.is_ascii() {
                    format!("invalid non-printable character U+{:04X}", c as u32)
                } else {
                    format!("invalid character '{c}' (U+{:04X})", c as u32)
                };
                SyntaxError::new(message, span)
            }
        }
    }
}

#[cold]
fn tab_error(span: Span) -> SyntaxError {
    SyntaxError::tab("inconsistent use of tabs and spaces in indentation", span)
}

/// 1-based line of an offset; only used on error paths, so a linear scan is fine.
#[cold]
pub(crate) fn line_at(full: &str, offset: u32) -> usize {
    let end = (offset as usize).min(full.len());
    full.as_bytes()[..end].iter().filter(|&&b| b == b'\n').count() + 1
}

fn number(raw: Raw, slice: &str, span: Span) -> Result<Constant, SyntaxError> {
    let digits: String = slice.chars().filter(|&c| c != '_').collect();
    match raw {
        // logos does not backtrack inside a token, so `1.5e` (an exponent with no digits)
        // arrives here as a float too; CPython calls that an invalid decimal literal.
        Raw::Float => digits.parse().map(Constant::Float).map_err(|_| invalid_number(span)),
        Raw::DecInt => {
            if let Some(message) = bad_prefixed_literal(&digits) {
                return Err(SyntaxError::new(message, span));
            }
            if digits.len() > 1 && digits.starts_with('0') && digits.bytes().any(|b| b != b'0') {
                return Err(SyntaxError::new(
                    "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers",
                    span,
                ));
            }
            int_constant(&digits, 10).ok_or_else(|| invalid_number(span))
        }
        _ => {
            let radix = match digits.as_bytes()[1] {
                b'x' | b'X' => 16,
                b'o' | b'O' => 8,
                _ => 2,
            };
            int_constant(&digits[2..], radix).ok_or_else(|| invalid_number(span))
        }
    }
}

/// `0x`, `0b`, `0o_`: a radix prefix that logos gave up on inside the token (it does not
/// backtrack), reported with CPython's wording (Parser/tokenizer.c verify_end_of_number).
#[cold]
fn bad_prefixed_literal(digits: &str) -> Option<String> {
    let b = digits.as_bytes();
    if b.len() < 2 || b[0] != b'0' {
        return None;
    }
    let (kind, radix) = match b[1] {
        b'x' | b'X' => ("hexadecimal", 16),
        b'b' | b'B' => ("binary", 2),
        b'o' | b'O' => ("octal", 8),
        _ => return None,
    };
    let bad_digit = digits[2..].chars().find(|c| c.is_ascii_digit() && !c.is_digit(radix));
    Some(match bad_digit {
        Some(c) => format!("invalid digit '{c}' in {kind} literal"),
        None => format!("invalid {kind} literal"),
    })
}

/// Logos can hand back a number token that stopped inside a longer failed match (`1e{`):
/// such text is reported, never trusted.
#[cold]
fn invalid_number(span: Span) -> SyntaxError {
    SyntaxError::new("invalid decimal literal", span)
}

fn int_constant(digits: &str, radix: u32) -> Option<Constant> {
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    match i64::from_str_radix(digits, radix) {
        Ok(v) => Some(Constant::Int(v)),
        Err(_) => BigInt::parse_bytes(digits.as_bytes(), radix).map(Constant::BigInt),
    }
}
