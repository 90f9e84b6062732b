//! Renders syntax errors as codespan-reporting diagnostics, ending with CPython's final line.

use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, termcolor::Buffer};

use super::error::SyntaxError;
use super::source::SourceFile;

/// Renders every error (a caret under the offending text, `file:line:column`), then one final
/// line `SyntaxError: <message>` for the first error, so stderr's last line matches CPython's.
pub fn render_syntax_errors(src: &SourceFile, errors: &[SyntaxError], color: bool) -> String {
    let file = SimpleFile::new(src.name.as_str(), src.text.as_str());
    let mut buffer = if color {
        Buffer::ansi()
    } else {
        Buffer::no_color()
    };
    let config = term::Config::default();
    for error in errors {
        let len = src.text.len();
        let mut start = (error.span.start as usize).min(len);
        while !src.text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = (error.span.end as usize).clamp(start, len);
        while !src.text.is_char_boundary(end) {
            end += 1;
        }
        let label =
            Label::primary((), start..end).with_message(error.label.clone().unwrap_or_default());
        let diagnostic = Diagnostic::error()
            .with_message(format!("{}: {}", error.kind, error.message))
            .with_labels(vec![label]);
        // Writing into an in-memory buffer only fails if the span is outside the file, which
        // the clamping above rules out; the final line below is written regardless.
        let _ = term::emit(&mut buffer, &config, &file, &diagnostic);
    }
    let mut out = String::from_utf8_lossy(buffer.as_slice()).into_owned();
    if let Some(first) = errors.first() {
        out.push_str(&format!("{}: {}\n", first.kind, first.message));
    }
    out
}
