//! Shared helpers for the syntax tests: a compact S-expression form of expressions.
#![allow(dead_code)]

use gilsim::syntax::ast::*;
use gilsim::syntax::parse_module;
use gilsim::syntax::source::SourceFile;

pub fn parse(text: &str) -> Module {
    let src = SourceFile::new("t.py", text);
    match parse_module(&src) {
        Ok(m) => m,
        Err(e) => panic!("parse of {text:?} failed: {e:?}"),
    }
}

/// The S-expression of the single expression statement in `text`.
pub fn sexpr(text: &str) -> String {
    let m = parse(text);
    match &m.body[0].kind {
        StmtKind::Expr(e) => expr(e),
        other => panic!("not an expression statement: {other:?}"),
    }
}

pub fn expr(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Name(n) => n.clone(),
        ExprKind::Constant(Constant::Int(i)) => i.to_string(),
        ExprKind::Constant(c) => format!("{c:?}"),
        ExprKind::FString(parts) => format!("(fstr {parts:?})"),
        ExprKind::Unary { op, operand } => format!("({op:?} {})", expr(operand)),
        ExprKind::Binary { left, op, right } => format!("({op:?} {} {})", expr(left), expr(right)),
        ExprKind::BoolOp { op, values } => format!("({op:?} {})", list(values)),
        ExprKind::Compare { left, ops } => {
            let ops: Vec<String> = ops.iter().map(|(o, e)| format!("{o:?} {}", expr(e))).collect();
            format!("(Compare {} {})", expr(left), ops.join(" "))
        }
        ExprKind::IfExp { test, body, orelse } => {
            format!("(IfExp {} {} {})", expr(test), expr(body), expr(orelse))
        }
        ExprKind::Lambda { params, body } => {
            format!("(Lambda {} {})", params_s(params), expr(body))
        }
        ExprKind::NamedExpr { target, value } => format!("(:= {} {})", target.name, expr(value)),
        ExprKind::Call { func, args } => {
            let args: Vec<String> = args
                .iter()
                .map(|a| match a {
                    Arg::Positional(e) => expr(e),
                    Arg::Starred(e) => format!("*{}", expr(e)),
                    Arg::DoubleStarred(e) => format!("**{}", expr(e)),
                    Arg::Keyword(n, e) => format!("{}={}", n.name, expr(e)),
                })
                .collect();
            format!("(Call {} {})", expr(func), args.join(" "))
        }
        ExprKind::Attribute { value, attr } => format!("(. {} {})", expr(value), attr.name),
        ExprKind::Subscript { value, index } => format!("([] {} {})", expr(value), expr(index)),
        ExprKind::Slice { lower, upper, step } => {
            let o = |e: &Option<Box<Expr>>| e.as_ref().map(|e| expr(e)).unwrap_or("_".into());
            format!("(Slice {} {} {})", o(lower), o(upper), o(step))
        }
        ExprKind::Starred(e) => format!("(* {})", expr(e)),
        ExprKind::Tuple(v) => format!("(Tuple {})", list(v)),
        ExprKind::List(v) => format!("(List {})", list(v)),
        ExprKind::Set(v) => format!("(Set {})", list(v)),
        ExprKind::Dict(items) => {
            let items: Vec<String> = items
                .iter()
                .map(|i| match i {
                    DictItem::KeyValue(k, v) => format!("{}:{}", expr(k), expr(v)),
                    DictItem::Unpack(e) => format!("**{}", expr(e)),
                })
                .collect();
            format!("(Dict {})", items.join(" "))
        }
        ExprKind::ListComp { elt, generators } => {
            format!("(ListComp {} {})", expr(elt), comps(generators))
        }
        ExprKind::SetComp { elt, generators } => {
            format!("(SetComp {} {})", expr(elt), comps(generators))
        }
        ExprKind::GeneratorExp { elt, generators } => {
            format!("(GenExp {} {})", expr(elt), comps(generators))
        }
        ExprKind::DictComp { key, value, generators } => {
            format!("(DictComp {} {} {})", expr(key), expr(value), comps(generators))
        }
        ExprKind::Yield(v) => format!("(Yield {})", v.as_ref().map(|e| expr(e)).unwrap_or_default()),
        ExprKind::YieldFrom(v) => format!("(YieldFrom {})", expr(v)),
        ExprKind::Await(v) => format!("(Await {})", expr(v)),
    }
}

fn list(v: &[Expr]) -> String {
    v.iter().map(expr).collect::<Vec<_>>().join(" ")
}

fn comps(gens: &[Comprehension]) -> String {
    gens.iter()
        .map(|g| {
            let ifs: Vec<String> = g.ifs.iter().map(|e| format!(" if {}", expr(e))).collect();
            format!("for {} in {}{}", expr(&g.target), expr(&g.iter), ifs.join(""))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn params_s(p: &Parameters) -> String {
    let one = |p: &Param| match &p.default {
        Some(d) => format!("{}={}", p.name.name, expr(d)),
        None => p.name.name.clone(),
    };
    let names = |v: &[Param]| v.iter().map(one).collect::<Vec<_>>().join(",");
    format!(
        "[{} / {} *{} {} **{}]",
        names(&p.posonly),
        names(&p.args),
        p.vararg.as_ref().map(one).unwrap_or_default(),
        names(&p.kwonly),
        p.kwarg.as_ref().map(one).unwrap_or_default()
    )
}
