//! Renders syntax errors as codespan-reporting diagnostics, ending with CPython's final line.

use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, termcolor::Buffer};

use super::error::SyntaxError;
use super::source::SourceFile;

/// Renders every error (a caret under the offending text, `file:line:column`), then one final
/// line `SyntaxError: <message>` for the first error, so stderr's last line matches CPython's.
pub fn render_syntax_errors(src: &SourceFile, errors: &[SyntaxError], color: bool) -> String {
    let mut buffer = if color {
        Buffer::ansi()
    } else {
        Buffer::no_color()
    };
    let config = term::Config::default();
    for error in errors {
        let (text, start, end) = window(
            &src.text,
            error.span.start as usize,
            error.span.end as usize,
        );
        let file = SimpleFile::new(src.name.as_str(), text.as_str());
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

/// Longest source line shown in full; longer ones are cut around the error.
const MAX_SHOWN_LINE: usize = 200;

/// The text to render and the error's byte range in it. A very long line (minified code, a
/// 200,000-character expression) is cut to a window around the error, keeping every line
/// number intact, so the diagnostic stays readable.
fn window(text: &str, start: usize, end: usize) -> (String, usize, usize) {
    let len = text.len();
    let mut start = start.min(len);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = end.clamp(start, len);
    while !text.is_char_boundary(end) {
        end += 1;
    }
    let line_start = text[..start].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line_end = text[start..].find('\n').map(|i| start + i).unwrap_or(len);
    if line_end - line_start <= MAX_SHOWN_LINE {
        return (text.to_string(), start, end);
    }
    let floor = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let from = floor(start.saturating_sub(MAX_SHOWN_LINE / 2).max(line_start));
    let to = floor((start + MAX_SHOWN_LINE / 2).min(line_end));
    let prefix = if from > line_start { "…" } else { "" };
    let suffix = if to < line_end { "…" } else { "" };
    let mut out = String::with_capacity(line_start + MAX_SHOWN_LINE + (len - line_end));
    out.push_str(&text[..line_start]);
    out.push_str(prefix);
    out.push_str(&text[from..to]);
    out.push_str(suffix);
    let new_start = line_start + prefix.len() + (start - from);
    let new_end = new_start + (end.min(to) - start);
    out.push_str(&text[line_end..]);
    (out, new_start, new_end)
}
