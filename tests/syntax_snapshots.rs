//! Golden files for the lexer's layout, rendered syntax errors and a parsed sample program.
//! Regenerate with `INSTA_UPDATE=always cargo test` and review the diff.

mod syntax_common;

use gilsim::syntax::source::SourceFile;
use gilsim::syntax::{display_tokens, parse_module, render_syntax_errors, tokenize};

fn tokens(text: &str) -> String {
    let src = SourceFile::new("t.py", text);
    match tokenize(&src) {
        Ok(t) => display_tokens(&t),
        Err(e) => format!("error: {e}"),
    }
}

fn errors(text: &str) -> String {
    let src = SourceFile::new("t.py", text);
    match parse_module(&src) {
        Ok(m) => panic!("expected a syntax error, parsed {m:?}"),
        Err(e) => render_syntax_errors(&src, &e, false),
    }
}

#[test]
fn layout_multi_level_dedent() {
    insta::assert_snapshot!(tokens("if a:\n    if b:\n        x\ny\n"));
}

#[test]
fn layout_comments_and_blank_lines_at_odd_indentation() {
    insta::assert_snapshot!(tokens(
        "if a:\n  # comment\n\n      # deeper\n    x = 1\n # shallow\n    y\n"
    ));
}

#[test]
fn layout_brackets_span_lines() {
    insta::assert_snapshot!(tokens("x = (1,\n  2,\n      3)\ny = [\n]\n"));
}

#[test]
fn layout_backslash_continuation() {
    insta::assert_snapshot!(tokens("x = 1 + \\\n    2\nif x:\n    y\n"));
}

#[test]
fn layout_eof_without_newline() {
    insta::assert_snapshot!(tokens("def f():\n    return 1"));
}

#[test]
fn layout_tabs() {
    insta::assert_snapshot!(tokens("if a:\n\tx\n\tif b:\n\t\ty\n"));
}

#[test]
fn error_unterminated_string() {
    insta::assert_snapshot!(errors("x = 'abc\ny = 2\n"));
}

#[test]
fn error_unterminated_triple_quoted_string() {
    insta::assert_snapshot!(errors("x = 1\ny = \"\"\"abc\n\nz\n"));
}

#[test]
fn error_unclosed_bracket() {
    insta::assert_snapshot!(errors("print(1,\n  2\nx = 3\n"));
}

#[test]
fn error_mismatched_bracket() {
    insta::assert_snapshot!(errors("x = (1,\n  2]\n"));
}

#[test]
fn error_unmatched_bracket() {
    insta::assert_snapshot!(errors("x = 1)\n"));
}

#[test]
fn error_unindent_mismatch() {
    insta::assert_snapshot!(errors("if x:\n    a\n  b\n"));
}

#[test]
fn error_unexpected_indent() {
    insta::assert_snapshot!(errors("x = 1\n    y = 2\n"));
}

#[test]
fn error_missing_block() {
    insta::assert_snapshot!(errors("for i in x:\n    if i:\n    pass\n"));
}

#[test]
fn error_missing_block_function() {
    insta::assert_snapshot!(errors("def f(a):\nreturn a\n"));
}

#[test]
fn error_tab_error() {
    insta::assert_snapshot!(errors("if x:\n        a\n\tb\n"));
}

#[test]
fn error_missing_colon() {
    insta::assert_snapshot!(errors("while x > 1\n    x -= 1\n"));
}

#[test]
fn error_invalid_target() {
    insta::assert_snapshot!(errors("f() = 1\n"));
}

#[test]
fn error_literal_target() {
    insta::assert_snapshot!(errors("1 = x\n"));
}

#[test]
fn error_nul_byte() {
    insta::assert_snapshot!(errors("x = 1\0\n"));
}

#[test]
fn error_invalid_character() {
    insta::assert_snapshot!(errors("price = 5€\n"));
}

#[test]
fn error_deep_nesting() {
    let text = format!("x = {}1{}\n", "(".repeat(300), ")".repeat(300));
    insta::assert_snapshot!(errors(&text));
}

#[test]
fn error_several_in_one_run() {
    insta::assert_snapshot!(errors("x = = 1\ny = 2\nz = * \nw = 3\n"));
}

#[test]
fn error_invalid_syntax_with_expected_list() {
    insta::assert_snapshot!(errors("import\n"));
}

#[test]
fn sample_program() {
    let text = r#"
import threading, os.path as p
from .. import x
from queue import (Queue, Empty,)

@decorator.attr(1)
class Worker(threading.Thread, metaclass=Meta):
    def __init__(self, n: int = 1, /, *args, key=None, **kw) -> None:
        super().__init__()
        self.n, *rest = n, 2, 3
        self.total: int = 0

    def run(self):
        for i, (a, b) in enumerate(pairs):
            if a := b: continue
            elif i % 2 == 0:
                self.total += i ** 2
            else:
                break
        else:
            pass
        try:
            x = yield self.total
        except (ValueError, KeyError) as e:
            raise RuntimeError("bad") from e
        except:
            del x, y[0]
        finally:
            print(f"{self.n!r:>{width}} {x=} {{done}}", end='')
        with open(p) as f, lock:
            global g; nonlocal h
        assert x, "msg"
        return [y for y in range(10) if y]
"#;
    insta::assert_snapshot!(format!("{:#?}", syntax_common::parse(text)));
}
