//! Runs the lalrpop grammar over the layout tokens and turns every lalrpop error variant into
//! one [`SyntaxError`] with CPython's wording and a span.

use lalrpop_util::{ErrorRecovery, ParseError};

use super::ast::{Expr, Module, Span};
use super::error::SyntaxError;
use super::layout::{lex, line_at, Mode, Spanned};
use super::token::{terminal_name, Tok};

lalrpop_util::lalrpop_mod!(
    #[allow(clippy::all, unused)]
    python_grammar,
    "/python.rs"
);

/// Parses a whole file's tokens. Several errors may come back (statement-level recovery).
pub(crate) fn parse_tokens(full: &str, tokens: Vec<Spanned>) -> Result<Module, Vec<SyntaxError>> {
    let context: Vec<(u32, Tok)> = tokens.iter().map(|(l, t, _)| (*l, layout_only(t))).collect();
    let mut recovered: Vec<ErrorRecovery<u32, Tok, SyntaxError>> = Vec::new();
    let result = python_grammar::ModuleParser::new().parse(&mut recovered, full, tokens.into_iter().map(Ok));
    let mut raw: Vec<_> = recovered.into_iter().map(|r| r.error).collect();
    let module = match result {
        Ok(module) => Some(module),
        Err(e) => {
            raw.push(e);
            None
        }
    };
    // After a first error, an unexpected INDENT or DEDENT is almost always its echo (the
    // recovery skipped the header that opened the block), so only the first one counts.
    let mut errors: Vec<SyntaxError> = Vec::new();
    for e in raw {
        let echo = matches!(
            &e,
            ParseError::UnrecognizedToken {
                token: (_, Tok::Indent | Tok::Dedent, _),
                ..
            }
        );
        if echo && !errors.is_empty() {
            continue;
        }
        errors.push(convert(e, &context, full));
    }
    match module {
        Some(module) if errors.is_empty() => Ok(module),
        _ => {
            errors.sort_by_key(|e| e.span.start);
            errors.dedup_by_key(|e| e.span.start);
            Err(errors)
        }
    }
}

/// Parses the expression of an f-string field; `text` starts at byte `base` of `full`.
pub(crate) fn parse_embedded(full: &str, base: u32, text: &str) -> Result<Expr, SyntaxError> {
    let tokens = lex(full, base, text, Mode::Embedded)?;
    let context: Vec<(u32, Tok)> = tokens.iter().map(|(l, t, _)| (*l, layout_only(t))).collect();
    let mut recovered = Vec::new();
    let end = base + text.len() as u32;
    python_grammar::FieldExprParser::new()
        .parse(&mut recovered, full, tokens.into_iter().map(Ok))
        .map_err(|e| match e {
            ParseError::UnrecognizedEof { .. } => SyntaxError::new("f-string: expecting '}'", Span { start: end, end }),
            e => {
                let mut err = convert(e, &context, full);
                err.message = format!("f-string: {}", err.message);
                err
            }
        })
}

/// Keeps what error messages need from a token (keywords and layout), not its payload.
fn layout_only(t: &Tok) -> Tok {
    match t {
        Tok::Name(_) => Tok::Name(String::new()),
        Tok::Number(_) => Tok::Op("number"),
        Tok::Str(_) => Tok::Op("string"),
        t => t.clone(),
    }
}

#[cold]
fn convert(e: ParseError<u32, Tok, SyntaxError>, tokens: &[(u32, Tok)], full: &str) -> SyntaxError {
    match e {
        ParseError::User { error } => error,
        ParseError::InvalidToken { location } => SyntaxError::new(
            "invalid syntax",
            Span {
                start: location,
                end: location,
            },
        ),
        ParseError::UnrecognizedEof { location, expected } => {
            let span = Span {
                start: location,
                end: location,
            };
            if expects_indent(&expected) {
                return missing_block(tokens, tokens.len(), span, full);
            }
            SyntaxError::new("invalid syntax", span).with_label(expected_label("end of file", &expected))
        }
        ParseError::UnrecognizedToken {
            token: (l, tok, r),
            expected,
        } => {
            // An end of line is shown as a caret at the line's end, not across two lines.
            let span = if tok == Tok::Newline {
                Span { start: l, end: l }
            } else {
                Span { start: l, end: r }
            };
            if tok == Tok::Indent {
                // Point at the statement, not at the whitespace before it.
                return SyntaxError::indentation("unexpected indent", Span { start: r, end: r });
            }
            if expects_indent(&expected) {
                let index = tokens.partition_point(|(start, _)| *start < l);
                return missing_block(tokens, index, span, full);
            }
            if tok == Tok::Newline && expected.iter().any(|t| t == "\":\"") {
                return SyntaxError::new("expected ':'", span);
            }
            SyntaxError::new("invalid syntax", span).with_label(expected_label(&tok.to_string(), &expected))
        }
        ParseError::ExtraToken { token: (l, tok, r) } => {
            SyntaxError::new("invalid syntax", Span { start: l, end: r }).with_label(format!("unexpected {tok} here"))
        }
    }
}

fn expects_indent(expected: &[String]) -> bool {
    expected.iter().any(|t| t == "\"INDENT\"")
}

/// "unexpected X here, expected one of …", with a short list only: a list of every token
/// that can start an expression helps nobody.
fn expected_label(found: &str, expected: &[String]) -> String {
    if expected.is_empty() || expected.len() > 6 {
        return format!("unexpected {found} here");
    }
    let names: Vec<String> = expected.iter().map(|t| terminal_name(t)).collect();
    if names.len() == 1 {
        format!("unexpected {found} here, expected {}", names[0])
    } else {
        format!("unexpected {found} here, expected one of {}", names.join(", "))
    }
}

/// CPython 3.11's "expected an indented block after 'if' statement on line N": finds the
/// keyword that opened the block in the logical line before token `index`.
#[cold]
fn missing_block(tokens: &[(u32, Tok)], index: usize, span: Span, full: &str) -> SyntaxError {
    // Skip the NEWLINE that ended the header, then walk back to the start of its logical line.
    let mut i = index.min(tokens.len());
    while i > 0 && matches!(tokens[i - 1].1, Tok::Newline | Tok::Dedent) {
        i -= 1;
    }
    let mut start = i;
    while start > 0 && !matches!(tokens[start - 1].1, Tok::Newline | Tok::Indent | Tok::Dedent) {
        start -= 1;
    }
    let header = tokens[start..i].iter().find_map(|(at, t)| match t {
        Tok::Keyword(k) => Some((*at, *k)),
        _ => None,
    });
    let message = match header {
        Some((at, k)) => {
            let line = line_at(full, at);
            match k {
                "def" | "async" => {
                    format!("expected an indented block after function definition on line {line}")
                }
                "class" => {
                    format!("expected an indented block after class definition on line {line}")
                }
                k => format!("expected an indented block after '{k}' statement on line {line}"),
            }
        }
        None => "expected an indented block".to_string(),
    };
    SyntaxError::indentation(message, span)
}
