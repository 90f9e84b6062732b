//! Source bytes to diagnostics: the lexer, layout, parser and compiler never panic or
//! overflow the stack, and every error they report has a span inside the source.
//!
//! Bytes that are not UTF-8 are decoded lossily (gilsim itself refuses such a file before
//! parsing, in `driver::read_source`), so that byte-level mutations still reach the lexer.
//! The body is `driver::compile_source`, unrolled to see every parse error, not only the
//! first.

#![no_main]

use gilsim::compile::compile_module;
use gilsim::syntax::ast::Span;
use gilsim::syntax::source::SourceFile;
use gilsim::syntax::{parse_module, render_syntax_errors, SyntaxError, SyntaxErrorKind};
use libfuzzer_sys::fuzz_target;

fn check_span(src: &SourceFile, span: Span, what: &dyn std::fmt::Debug) {
    let len = src.text.len();
    assert!(
        span.start <= span.end && span.end as usize <= len + 1,
        "{what:?} is outside the {len} bytes of the source"
    );
    let line = src.line_of(span.start);
    assert!(line >= 1 && line <= src.line_count(), "{what:?}: line {line}");
    let _ = src.column_of(span.start);
}

/// What `gilsim check` prints: a located diagnostic per error, then CPython's last line.
fn check_rendered(src: &SourceFile, errors: &[SyntaxError]) {
    let rendered = render_syntax_errors(src, errors, false);
    assert!(rendered.contains("fuzz.py:"), "{rendered}");
    assert!(rendered.ends_with(&format!("{}\n", errors[0])), "{rendered}");
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let src = SourceFile::new("fuzz.py", text.as_ref());
    match parse_module(&src) {
        Err(errors) => {
            assert!(!errors.is_empty());
            for e in &errors {
                check_span(&src, e.span, e);
            }
            check_rendered(&src, &errors);
        }
        Ok(module) => {
            if let Err(e) = compile_module(&module, &src) {
                check_span(&src, e.span, &e.message);
                let error = SyntaxError {
                    kind: SyntaxErrorKind::SyntaxError,
                    message: e.message,
                    span: e.span,
                    label: None,
                };
                check_rendered(&src, &[error]);
            }
        }
    }
});
