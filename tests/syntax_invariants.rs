//! Invariants as ruff checks them: token spans increase monotonically, and every child
//! expression's span lies inside its parent's. Plus f-string field parsing.

mod syntax_common;

use gilsim::syntax::ast::*;
use gilsim::syntax::source::SourceFile;
use gilsim::syntax::{parse_module, tokenize};

const PROGRAMS: &[&str] = &[
    "x = (1 +\n  2) * f(a, *b, k=3, **d)[1:2, ::3].attr\nif x:\n    y = [i for i in x if i]\nelse:\n    z = {k: v for k, v in d.items()}\n",
    "def f(a, /, b: int = 2, *, c, **k) -> str:\n    return f'{a!r} {b:>{c}} {{}}' 'tail'\n",
    "try:\n    pass\nexcept (A, B) as e:\n    raise X from e\nfinally:\n    del a, b[0]\n",
    "with a as (b, c), d:\n    x = lambda q, *r: q if r else -q ** 2\n",
];

#[test]
fn token_spans_increase_monotonically() {
    for text in PROGRAMS {
        let tokens = tokenize(&SourceFile::new("t.py", *text)).unwrap();
        let mut last = 0;
        for (tok, span) in &tokens {
            assert!(span.start <= span.end, "{tok:?} {span:?}");
            assert!(span.start >= last, "{tok:?} at {span:?} starts before {last}");
            last = span.end;
        }
    }
}

fn check_expr(e: &Expr, parent: Span) {
    assert!(
        parent.start <= e.span.start && e.span.end <= parent.end,
        "{e:?} not inside {parent:?}"
    );
    let mut children: Vec<&Expr> = Vec::new();
    match &e.kind {
        ExprKind::Unary { operand, .. } => children.push(operand),
        ExprKind::Binary { left, right, .. } => children.extend([&**left, &**right]),
        ExprKind::BoolOp { values, .. } | ExprKind::Tuple(values) | ExprKind::List(values) | ExprKind::Set(values) => {
            children.extend(values)
        }
        ExprKind::Compare { left, ops } => {
            children.push(left);
            children.extend(ops.iter().map(|o| &o.1));
        }
        ExprKind::IfExp { test, body, orelse } => children.extend([&**test, &**body, &**orelse]),
        ExprKind::Lambda { body, .. } => children.push(body),
        ExprKind::Call { func, args } => {
            children.push(func);
            for a in args {
                match a {
                    Arg::Positional(e) | Arg::Starred(e) | Arg::DoubleStarred(e) | Arg::Keyword(_, e) => {
                        children.push(e)
                    }
                }
            }
        }
        ExprKind::Attribute { value, .. } | ExprKind::Starred(value) => children.push(value),
        ExprKind::Subscript { value, index } => children.extend([&**value, &**index]),
        ExprKind::Slice { lower, upper, step } => {
            children.extend(lower.as_deref());
            children.extend(upper.as_deref());
            children.extend(step.as_deref());
        }
        ExprKind::ListComp { elt, generators } | ExprKind::GeneratorExp { elt, generators } => {
            children.push(elt);
            for g in generators {
                children.extend([&g.target, &g.iter]);
                children.extend(&g.ifs);
            }
        }
        ExprKind::DictComp { key, value, generators } => {
            children.extend([&**key, &**value]);
            for g in generators {
                children.extend([&g.target, &g.iter]);
            }
        }
        ExprKind::FString(parts) => {
            for p in parts {
                if let FStringPart::Field(f) = p {
                    children.push(&f.expr);
                }
            }
        }
        _ => {}
    }
    for c in children {
        check_expr(c, e.span);
    }
}

fn check_stmts(stmts: &[Stmt], parent: Span) {
    for s in stmts {
        assert!(
            parent.start <= s.span.start && s.span.end <= parent.end,
            "{s:?} not inside {parent:?}"
        );
        match &s.kind {
            StmtKind::Expr(e) | StmtKind::Return(Some(e)) => check_expr(e, s.span),
            StmtKind::Assign { targets, value } => {
                targets.iter().for_each(|t| check_expr(t, s.span));
                check_expr(value, s.span);
            }
            StmtKind::If { test, body, orelse } => {
                check_expr(test, s.span);
                check_stmts(body, s.span);
                check_stmts(orelse, s.span);
            }
            StmtKind::FunctionDef { body, .. } | StmtKind::With { body, .. } => check_stmts(body, s.span),
            StmtKind::Try {
                body,
                handlers,
                finalbody,
                ..
            } => {
                check_stmts(body, s.span);
                check_stmts(finalbody, s.span);
                for h in handlers {
                    check_stmts(&h.body, h.span);
                }
            }
            _ => {}
        }
    }
}

#[test]
fn children_lie_inside_parents() {
    for text in PROGRAMS {
        let module = parse_module(&SourceFile::new("t.py", *text)).unwrap();
        check_stmts(&module.body, Span::new(0, text.len()));
    }
}

#[test]
fn fstring_fields() {
    let text = "f'a{x!r}b{t:.2f}{n:>5}{x:{width}.{prec}f}{{}}{x = }{a + b}' 'c'\n";
    let s = syntax_common::sexpr(text);
    insta::assert_snapshot!(s);
    let module = parse_module(&SourceFile::new("t.py", text)).unwrap();
    let StmtKind::Expr(e) = &module.body[0].kind else {
        panic!()
    };
    let ExprKind::FString(parts) = &e.kind else {
        panic!("{e:?}")
    };
    // Field expressions carry spans at their true place in the file.
    let FStringPart::Field(last) = &parts[parts.len() - 2] else {
        panic!("{parts:?}")
    };
    assert_eq!(
        &text[last.expr.span.start as usize..last.expr.span.end as usize],
        "a + b"
    );
    let debug = parts.iter().find_map(|p| match p {
        FStringPart::Field(f) => f.debug_text.clone(),
        _ => None,
    });
    assert_eq!(debug.as_deref(), Some("x = "));
}

#[test]
fn fstring_errors_point_into_the_string() {
    for (text, message) in [
        ("f'{}'\n", "f-string: empty expression not allowed"),
        (
            "f'{x!z}'\n",
            "f-string: invalid conversion character: expected 's', 'r', or 'a'",
        ),
        ("f'{x'\n", "f-string: expecting '}'"),
        ("f'}'\n", "f-string: single '}' is not allowed"),
        ("b'a' 'b'\n", "cannot mix bytes and nonbytes literals"),
    ] {
        let errors = parse_module(&SourceFile::new("t.py", text)).unwrap_err();
        assert_eq!(errors[0].message, message, "{text:?}");
        assert!(errors[0].span.end as usize <= text.len());
    }
}
