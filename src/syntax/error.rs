//! Syntax errors: the typed error every stage of the front end reports, with CPython's wording.

use std::fmt;

use super::ast::Span;

/// The Python exception class a syntax error is reported as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyntaxErrorKind {
    SyntaxError,
    IndentationError,
    TabError,
}

impl fmt::Display for SyntaxErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SyntaxErrorKind::SyntaxError => "SyntaxError",
            SyntaxErrorKind::IndentationError => "IndentationError",
            SyntaxErrorKind::TabError => "TabError",
        })
    }
}

/// One syntax error. `message` is CPython's one-line message (the text after `SyntaxError: `);
/// `label` is an optional longer explanation shown under the caret.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub kind: SyntaxErrorKind,
    pub message: String,
    pub span: Span,
    pub label: Option<String>,
}

impl SyntaxError {
    #[cold]
    pub(crate) fn new(message: impl Into<String>, span: Span) -> SyntaxError {
        SyntaxError {
            kind: SyntaxErrorKind::SyntaxError,
            message: message.into(),
            span,
            label: None,
        }
    }

    #[cold]
    pub(crate) fn indentation(message: impl Into<String>, span: Span) -> SyntaxError {
        SyntaxError {
            kind: SyntaxErrorKind::IndentationError,
            ..SyntaxError::new(message, span)
        }
    }

    #[cold]
    pub(crate) fn tab(message: impl Into<String>, span: Span) -> SyntaxError {
        SyntaxError {
            kind: SyntaxErrorKind::TabError,
            ..SyntaxError::new(message, span)
        }
    }

    pub(crate) fn with_label(mut self, label: impl Into<String>) -> SyntaxError {
        self.label = Some(label.into());
        self
    }
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind, self.message)
    }
}

impl std::error::Error for SyntaxError {}
