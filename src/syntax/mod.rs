//! Source text to AST: the logos lexer with its layout layer, the lalrpop grammar, and
//! syntax-error diagnostics.

pub mod ast;
pub mod source;
