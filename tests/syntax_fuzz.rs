//! Generated inputs: the parser never panics, never overflows the stack, and every error
//! has a span inside the text. Token soups and mutated programs also go through the
//! compiler and, when they compile, run in this process with an instruction budget (as the
//! fuzz target `run` does, see docs/RELIABILITY.md): no panic, exit status 0 or 1, and an
//! uncaught exception names its line.

use gilsim::driver::{compile_source, containable, run_contained};
use gilsim::syntax::parse_module;
use gilsim::syntax::source::SourceFile;
use proptest::prelude::*;

fn check(text: &str) {
    let src = SourceFile::new("fuzz.py", text);
    if let Err(errors) = parse_module(&src) {
        assert!(!errors.is_empty());
        for e in &errors {
            assert!(
                e.span.start <= e.span.end && e.span.end as usize <= text.len() + 1,
                "{e:?} in {text:?}"
            );
        }
        let rendered = gilsim::syntax::render_syntax_errors(&src, &errors, false);
        assert!(rendered.ends_with(&format!("{}\n", errors[0])));
    }
}

/// `check`, then the whole pipeline: compile, and run what compiles.
fn check_run(text: &str) {
    check(text);
    let src = SourceFile::new("fuzz.py", text);
    match compile_source(&src, false) {
        Err(d) => {
            let span = d.first.span;
            assert!(
                span.start <= span.end && span.end as usize <= text.len() + 1,
                "{d:?} in {text:?}"
            );
            assert!(d.rendered.contains("fuzz.py:"), "{}", d.rendered);
        }
        Ok(compiled) if containable(&compiled) => {
            let run = run_contained(&compiled, &std::env::temp_dir().join("gilsim-no-modules-here"), 20_000);
            assert!(run.code == 0 || run.code == 1, "{run:?} for {text:?}");
            if run.code == 1 {
                assert!(run.report.contains("File \"fuzz.py\", line "), "{run:?} for {text:?}");
            }
        }
        Ok(_) => {}
    }
}

const SAMPLE: &str = "def f(a, b=1, *c, **d):\n    if a:\n        return [x for x in b if x]\n    while b:\n        b -= 1\n    else:\n        pass\n    return f'{a!r:>{b}}'\nclass A(B):\n    x: int = 1\n";

const SOUP: &[&str] = &[
    "x", "1", "'s'", "f'{x}'", "(", ")", "[", "]", "{", "}", ":", ",", ".", "=", "+", "-", "*", "**", "not", "and",
    "if", "else", "for", "in", "lambda", "def", "class", "return", "yield", "\n", "    ", "\t", "\\\n", "#c", ";", "@",
    ":=", "'''", "\"", "is", "await", "from", "import", "try", "except",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        check(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn token_soup(words in proptest::collection::vec(proptest::sample::select(SOUP), 0..60)) {
        check_run(&words.join(" "));
        check_run(&words.concat());
    }

    #[test]
    fn mutated_sample(at in 0..SAMPLE.len(), len in 0..8usize, insert in proptest::sample::select(SOUP)) {
        let mut text = SAMPLE.to_string();
        if text.is_char_boundary(at) {
            let end = (at + len).min(text.len());
            text.replace_range(at..end, insert);
        }
        check_run(&text);
    }
}

/// Runs `f` on a thread with the default test stack (2 MB), so a recursion bug shows up.
fn deep(text: String) -> Vec<String> {
    let src = SourceFile::new("deep.py", text);
    match parse_module(&src) {
        Ok(_) => Vec::new(),
        Err(e) => e.into_iter().map(|e| e.message).collect(),
    }
}

#[test]
fn deep_unary_chain() {
    let errors = deep(format!("x = {}1\n", "- ".repeat(100_000)));
    assert_eq!(errors, vec!["line too complex"]);
    let errors = deep(format!("x = {}1\n", "-".repeat(20_000)));
    assert_eq!(errors, vec!["too complex expression"]);
    let errors = deep(format!("x = {}1\n", "not ".repeat(5_000)));
    assert_eq!(errors, vec!["too complex expression"]);
    // A shallow enough chain is fine.
    assert!(deep(format!("x = {}1\n", "-".repeat(500))).is_empty());
}

#[test]
fn deep_parentheses() {
    let errors = deep(format!("x = {}1{}\n", "(".repeat(100_000), ")".repeat(100_000)));
    assert_eq!(errors, vec!["too many nested parentheses"]);
    assert!(deep(format!("x = {}1{}\n", "(".repeat(199), ")".repeat(199))).is_empty());
}

#[test]
fn long_binary_chains() {
    let errors = deep(format!("x = {}a\n", "a+".repeat(1_000_000)));
    assert_eq!(errors, vec!["line too complex"]);
    let errors = deep(format!("x = {}a\n", "a+".repeat(20_000)));
    assert_eq!(errors, vec!["too complex expression"]);
    let errors = deep(format!("x = {}a\n", "a**".repeat(20_000)));
    assert_eq!(errors, vec!["too complex expression"]);
    // An error later in the same line makes lalrpop drop the deep partial tree itself.
    let errors = deep(format!("x = {}a a\n", "a+".repeat(24_000)));
    assert_eq!(errors, vec!["invalid syntax"]);
    let errors = deep(format!("x = {}1 1\n", "-".repeat(40_000)));
    assert_eq!(errors, vec!["invalid syntax"]);
    let errors = deep(format!("x = {}1 1\n", "a.b".repeat(10_000)));
    assert_eq!(errors, vec!["invalid syntax"]);
}

#[test]
fn deep_indentation() {
    let mut text = String::new();
    for i in 0..150 {
        text.push_str(&" ".repeat(i));
        text.push_str("if x:\n");
    }
    text.push_str(&" ".repeat(150));
    text.push_str("pass\n");
    assert_eq!(deep(text), vec!["too many levels of indentation"]);
}

#[test]
fn deep_lambda_and_conditional_chains() {
    let errors = deep(format!("f = {}x\n", "lambda: ".repeat(5_000)));
    assert_eq!(errors, vec!["too complex expression"]);
    let errors = deep(format!("f = {}x\n", "a if b else ".repeat(5_000)));
    assert_eq!(errors, vec!["too complex expression"]);
    let errors = deep(format!("f = {}x\n", "x.".repeat(5_000)));
    assert!(errors.is_empty() || errors == vec!["too complex expression"]);
}

#[test]
fn large_file_parses_in_linear_time() {
    let unit = "def f(a, b):\n    x = [i * 2 for i in range(a) if i % 3]\n    return {'k': x, 'b': b}\n\n";
    let text = unit.repeat(10 * 1024 * 1024 / unit.len());
    let start = std::time::Instant::now();
    let module = parse_module(&SourceFile::new("big.py", text)).expect("parses");
    assert!(module.body.len() > 100_000);
    assert!(start.elapsed().as_secs() < 60, "took {:?}", start.elapsed());
}

#[test]
fn regression_number_cut_short_by_logos() {
    // Found by `random_bytes`: logos returned "1e" as an integer token.
    assert_eq!(deep("1e{".to_string()), vec!["invalid decimal literal"]);
}
