//! Source text to AST: the logos lexer with its layout layer, the lalrpop grammar, and
//! syntax-error diagnostics.
//!
//! Pipeline: `token.rs` (logos) → `layout.rs` (NEWLINE/INDENT/DEDENT, brackets, limits) →
//! `parser.rs` (lalrpop over `grammar/python.lalrpop`, with `actions.rs`, `strings.rs` and
//! `fstring.rs`) → `limits.rs` (depth check) → [`ast::Module`]. Errors render via `diagnostic.rs`.

mod actions;
pub mod ast;
mod diagnostic;
mod error;
mod fstring;
mod layout;
mod limits;
mod parser;
pub mod source;
mod strings;
mod token;

pub use actions::expr_name;
pub use diagnostic::render_syntax_errors;
pub use error::{SyntaxError, SyntaxErrorKind};
pub use token::{display_tokens, StrLit, Tok};

use ast::{Module, Span};
use source::SourceFile;

/// Parses a whole file. On failure, returns every syntax error found (at least one), in
/// source order; a tokenizer error stops everything and comes alone, as in CPython.
pub fn parse_module(src: &SourceFile) -> Result<Module, Vec<SyntaxError>> {
    let tokens = layout::lex(&src.text, 0, &src.text, layout::Mode::File).map_err(|e| vec![e])?;
    let module = parser::parse_tokens(&src.text, tokens)?;
    if let Err(e) = limits::check_depth(&module) {
        limits::dismantle(module);
        return Err(vec![e]);
    }
    Ok(module)
}

/// The tokens of a file after layout (NEWLINE, INDENT, DEDENT included), with their spans.
pub fn tokenize(src: &SourceFile) -> Result<Vec<(Tok, Span)>, SyntaxError> {
    let tokens = layout::lex(&src.text, 0, &src.text, layout::Mode::File)?;
    Ok(tokens
        .into_iter()
        .map(|(l, t, r)| (t, Span { start: l, end: r }))
        .collect())
}
