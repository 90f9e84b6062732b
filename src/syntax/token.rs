//! Tokens: the raw logos token set and the layout-aware [`Tok`] the grammar consumes.

use std::fmt;

use logos::Logos;

use super::ast::Constant;

/// Why logos could not produce a raw token. Turned into a `SyntaxError` by the layout layer,
/// which knows the source text and so can name lines.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) enum LexError {
    /// A character that starts no token.
    #[default]
    InvalidCharacter,
    /// A string whose closing quote is missing; `detected_at` is the offset (relative to the
    /// token start) where the scan gave up.
    Unterminated { triple: bool, detected_at: usize },
}

/// Tokens as logos sees them: no layout, no values. Whitespace, comments and backslash
/// continuations are skipped here; indentation is measured by the layout layer from the text.
#[derive(Logos, Debug, Clone, Copy, PartialEq, Eq)]
#[logos(error = LexError)]
#[logos(skip r"[ \t\x0C]+")]
#[logos(skip r"#[^\r\n]*")]
#[logos(skip r"\\(\r\n|\r|\n)")]
pub(crate) enum Raw {
    #[regex(r"\r\n|\r|\n")]
    Newline,
    #[regex(r"[_\p{XID_Start}]\p{XID_Continue}*")]
    Name,
    #[regex(r"[0-9](_?[0-9])*")]
    DecInt,
    #[regex(r"0[xX](_?[0-9a-fA-F])+")]
    #[regex(r"0[oO](_?[0-7])+")]
    #[regex(r"0[bB](_?[01])+")]
    RadixInt,
    #[regex(r"[0-9](_?[0-9])*\.([0-9](_?[0-9])*)?([eE][+-]?[0-9](_?[0-9])*)?")]
    #[regex(r"\.[0-9](_?[0-9])*([eE][+-]?[0-9](_?[0-9])*)?")]
    #[regex(r"[0-9](_?[0-9])*[eE][+-]?[0-9](_?[0-9])*")]
    Float,
    #[regex(r#"([rRbBfFuU]|[rR][bBfF]|[bBfF][rR])?['"]"#, scan_string)]
    Str,
    #[regex(r"[+\-*/%@&|^~<>=!:.,;()\[\]{}]")]
    #[token("**")]
    #[token("//")]
    #[token("<<")]
    #[token(">>")]
    #[token("<=")]
    #[token(">=")]
    #[token("==")]
    #[token("!=")]
    #[token("->")]
    #[token(":=")]
    #[token("...")]
    #[token("+=")]
    #[token("-=")]
    #[token("*=")]
    #[token("/=")]
    #[token("//=")]
    #[token("%=")]
    #[token("@=")]
    #[token("&=")]
    #[token("|=")]
    #[token("^=")]
    #[token(">>=")]
    #[token("<<=")]
    #[token("**=")]
    Op,
}

/// Scans the rest of a string literal after its prefix and opening quote. The token text is
/// decoded later (see `strings.rs`); here we only find where it ends, as CPython's tokenizer does.
fn scan_string(lex: &mut logos::Lexer<Raw>) -> Result<(), LexError> {
    let quote = *lex.slice().as_bytes().last().expect("regex matched a quote");
    let rest = lex.remainder().as_bytes();
    let triple = rest.len() >= 2 && rest[0] == quote && rest[1] == quote;
    let mut i = if triple { 2 } else { 0 };
    while i < rest.len() {
        let b = rest[i];
        if b == b'\\' {
            // A backslash before "\r\n" escapes both characters.
            let crlf = rest.get(i + 1) == Some(&b'\r') && rest.get(i + 2) == Some(&b'\n');
            i += if crlf { 3 } else { 2 };
            continue;
        }
        if b == quote {
            if !triple {
                lex.bump(i + 1);
                return Ok(());
            }
            if rest.get(i + 1) == Some(&quote) && rest.get(i + 2) == Some(&quote) {
                lex.bump(i + 3);
                return Ok(());
            }
        } else if !triple && (b == b'\n' || b == b'\r') {
            return Err(unterminated(false, lex.slice().len() + i));
        }
        i += 1;
    }
    Err(unterminated(triple, lex.slice().len() + rest.len()))
}

#[cold]
fn unterminated(triple: bool, detected_at: usize) -> LexError {
    LexError::Unterminated { triple, detected_at }
}

/// A string literal token with its value decoded.
#[derive(Debug, Clone, PartialEq)]
pub enum StrLit {
    Str(String),
    Bytes(Vec<u8>),
    /// An f-string: the byte range of its body (between the quotes) in the file, and whether
    /// it is raw. Its fields are parsed when the grammar reduces the string atom.
    FString {
        body_start: u32,
        body_end: u32,
        raw: bool,
    },
}

/// A token after layout: what the grammar consumes.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Newline,
    Indent,
    Dedent,
    Name(String),
    Number(Constant),
    Str(StrLit),
    /// A keyword, such as `if` (the text itself).
    Keyword(&'static str),
    /// An operator or delimiter, such as `+=` (the text itself).
    Op(&'static str),
}

/// Python's hard keywords (3.11). `match`, `case` and `_` are soft keywords and stay names.
pub(crate) const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
    "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
    "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
];

pub(crate) const OPERATORS: &[&str] = &[
    "+", "-", "*", "/", "%", "@", "&", "|", "^", "~", "<", ">", "=", "!", ":", ".", ",", ";", "(", ")", "[", "]", "{",
    "}", "**", "//", "<<", ">>", "<=", ">=", "==", "!=", "->", ":=", "...", "+=", "-=", "*=", "/=", "//=", "%=", "@=",
    "&=", "|=", "^=", ">>=", "<<=", "**=",
];

/// Interns `text` as one of the static keyword strings, if it is a keyword.
pub(crate) fn keyword(text: &str) -> Option<&'static str> {
    KEYWORDS.iter().copied().find(|k| *k == text)
}

pub(crate) fn operator(text: &str) -> &'static str {
    OPERATORS
        .iter()
        .copied()
        .find(|o| *o == text)
        .expect("logos only matches listed operators")
}

impl fmt::Display for Tok {
    /// Human names, used in "unexpected X here" messages.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tok::Newline => f.write_str("end of line"),
            Tok::Indent => f.write_str("new indentation block"),
            Tok::Dedent => f.write_str("end of indentation block"),
            Tok::Name(n) => write!(f, "identifier '{n}'"),
            Tok::Number(_) => f.write_str("number"),
            Tok::Str(StrLit::Bytes(_)) => f.write_str("bytes literal"),
            Tok::Str(StrLit::FString { .. }) => f.write_str("f-string"),
            Tok::Str(_) => f.write_str("string"),
            Tok::Keyword(k) => write!(f, "keyword '{k}'"),
            Tok::Op(o) => write!(f, "symbol '{o}'"),
        }
    }
}

/// The human name of a grammar terminal as lalrpop spells it in `expected` lists
/// (`"\"(\""`, `"Name"`, `"\"NEWLINE\""`).
pub(crate) fn terminal_name(terminal: &str) -> String {
    let t = terminal.trim_matches('"');
    match t {
        "NEWLINE" => "end of line".into(),
        "INDENT" => "new indentation block".into(),
        "DEDENT" => "end of indentation block".into(),
        "Name" => "identifier".into(),
        "Number" => "number".into(),
        "Str" => "string".into(),
        _ if keyword(t).is_some() => format!("keyword '{t}'"),
        _ => format!("symbol '{}'", t.replace("\\\"", "\"")),
    }
}

/// A compact one-token-per-item rendering used by snapshot tests.
pub fn display_tokens(tokens: &[(Tok, super::ast::Span)]) -> String {
    let mut out = String::new();
    for (tok, span) in tokens {
        let text = match tok {
            Tok::Newline => "NEWLINE".to_string(),
            Tok::Indent => "INDENT".to_string(),
            Tok::Dedent => "DEDENT".to_string(),
            Tok::Name(n) => format!("Name({n})"),
            Tok::Number(c) => format!("Number({c:?})"),
            Tok::Str(s) => format!("Str({s:?})"),
            Tok::Keyword(k) => format!("Keyword({k})"),
            Tok::Op(o) => format!("Op({o})"),
        };
        out.push_str(&format!("{}..{} {}\n", span.start, span.end, text));
    }
    out
}
