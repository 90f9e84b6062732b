//! Nesting limits, so that no input can overflow the Rust stack in the front end, the
//! compiler, or while a tree is dropped.
//!
//! Why this is enough:
//! - The lexer, the layout layer and the lalrpop parser (table driven, heap stack) never recurse.
//! - Brackets nest at most [`MAX_BRACKET_DEPTH`] deep and blocks at most [`MAX_INDENT_LEVELS`]
//!   deep (CPython's MAXLEVEL and MAXINDENT), checked by the layout layer.
//! - Every node of an expression tree consumes at least one token of its logical line, so the
//!   depth of any tree the parser builds, or drops on an error, is at most [`MAX_LINE_TOKENS`].
//!   Dropping such a tree recursively needs well under 100 bytes of stack per level in release
//!   builds (a few MB at worst); gilsim runs the pipeline on a 512 MB stack.
//! - After parsing, [`check_depth`] walks the tree with an explicit stack and rejects
//!   expression nesting deeper than [`MAX_EXPR_DEPTH`], so the recursive compiler only ever sees
//!   shallow trees; a rejected tree is taken apart iteratively by [`dismantle`], not dropped
//!   recursively.
//! - Target checks recurse only through tuple/list displays (bounded by the bracket limit);
//!   f-strings nest at most four deep (each needs a different quote).

use super::ast::*;
use super::error::SyntaxError;

/// CPython `MAXLEVEL`: "too many nested parentheses".
pub(crate) const MAX_BRACKET_DEPTH: usize = 200;
/// CPython `MAXINDENT`: "too many levels of indentation".
pub(crate) const MAX_INDENT_LEVELS: usize = 100;
/// Tokens in one logical line; bounds the depth of any tree built from that line.
pub(crate) const MAX_LINE_TOKENS: usize = 50_000;
/// Deepest expression nesting handed to the compiler.
pub(crate) const MAX_EXPR_DEPTH: usize = 1_000;

enum Node<'a> {
    Stmt(&'a Stmt),
    Expr(&'a Expr),
}

/// Rejects expression trees nested deeper than [`MAX_EXPR_DEPTH`] (iteratively).
pub(crate) fn check_depth(module: &Module) -> Result<(), SyntaxError> {
    let mut stack: Vec<(Node, usize)> = module.body.iter().map(|s| (Node::Stmt(s), 0)).collect();
    let mut exprs = Vec::new();
    let mut stmts = Vec::new();
    while let Some((node, depth)) = stack.pop() {
        match node {
            Node::Stmt(s) => {
                stmt_children(s, &mut stmts, &mut exprs);
                stack.extend(stmts.drain(..).map(|s| (Node::Stmt(s), 0)));
                stack.extend(exprs.drain(..).map(|e| (Node::Expr(e), 1)));
            }
            Node::Expr(e) => {
                if depth > MAX_EXPR_DEPTH {
                    return Err(SyntaxError::new("too complex expression", e.span).with_label(format!(
                        "gilsim allows expressions nested at most {MAX_EXPR_DEPTH} deep"
                    )));
                }
                expr_children(e, &mut exprs, &mut stmts);
                stack.extend(exprs.drain(..).map(|c| (Node::Expr(c), depth + 1)));
            }
        }
    }
    Ok(())
}

fn stmt_children<'a>(s: &'a Stmt, stmts: &mut Vec<&'a Stmt>, exprs: &mut Vec<&'a Expr>) {
    match &s.kind {
        StmtKind::Expr(e) => exprs.push(e),
        StmtKind::Assign { targets, value } => {
            exprs.extend(targets);
            exprs.push(value);
        }
        StmtKind::AugAssign { target, value, .. } => exprs.extend([target, value]),
        StmtKind::AnnAssign {
            target,
            annotation,
            value,
        } => {
            exprs.extend([target, annotation]);
            exprs.extend(value);
        }
        StmtKind::If { test, body, orelse } | StmtKind::While { test, body, orelse } => {
            exprs.push(test);
            stmts.extend(body.iter().chain(orelse));
        }
        StmtKind::For {
            target,
            iter,
            body,
            orelse,
        } => {
            exprs.extend([target, iter]);
            stmts.extend(body.iter().chain(orelse));
        }
        StmtKind::Break | StmtKind::Continue | StmtKind::Pass => {}
        StmtKind::Global(_) | StmtKind::Nonlocal(_) | StmtKind::Import(_) | StmtKind::ImportFrom { .. } => {}
        StmtKind::Return(e) => exprs.extend(e),
        StmtKind::FunctionDef {
            params,
            body,
            decorators,
            returns,
            ..
        } => {
            params_children(params, exprs);
            exprs.extend(decorators);
            exprs.extend(returns);
            stmts.extend(body);
        }
        StmtKind::ClassDef {
            bases,
            keywords,
            body,
            decorators,
            ..
        } => {
            exprs.extend(bases);
            exprs.extend(keywords.iter().map(|k| &k.1));
            exprs.extend(decorators);
            stmts.extend(body);
        }
        StmtKind::Try {
            body,
            handlers,
            orelse,
            finalbody,
        } => {
            stmts.extend(body.iter().chain(orelse).chain(finalbody));
            for h in handlers {
                exprs.extend(&h.typ);
                stmts.extend(&h.body);
            }
        }
        StmtKind::Raise { exc, cause } => {
            exprs.extend(exc);
            exprs.extend(cause);
        }
        StmtKind::With { items, body, .. } => {
            for item in items {
                exprs.push(&item.context);
                exprs.extend(&item.target);
            }
            stmts.extend(body);
        }
        StmtKind::Delete(targets) => exprs.extend(targets),
        StmtKind::Assert { test, msg } => {
            exprs.push(test);
            exprs.extend(msg);
        }
    }
}

fn params_children<'a>(p: &'a Parameters, exprs: &mut Vec<&'a Expr>) {
    let all = p
        .posonly
        .iter()
        .chain(&p.args)
        .chain(&p.vararg)
        .chain(&p.kwonly)
        .chain(&p.kwarg);
    for param in all {
        exprs.extend(&param.annotation);
        exprs.extend(&param.default);
    }
}

fn parts_children<'a>(parts: &'a [FStringPart], exprs: &mut Vec<&'a Expr>) {
    // Format specs nest at most two levels (see fstring.rs), so this recursion is bounded.
    for part in parts {
        if let FStringPart::Field(f) = part {
            exprs.push(&f.expr);
            if let Some(spec) = &f.spec {
                parts_children(spec, exprs);
            }
        }
    }
}

/// The direct children of an expression (statements never occur inside expressions).
fn expr_children<'a>(e: &'a Expr, exprs: &mut Vec<&'a Expr>, _stmts: &mut Vec<&'a Stmt>) {
    match &e.kind {
        ExprKind::Name(_) | ExprKind::Constant(_) => {}
        ExprKind::FString(parts) => parts_children(parts, exprs),
        ExprKind::Unary { operand, .. } => exprs.push(operand),
        ExprKind::Binary { left, right, .. } => exprs.extend([&**left, &**right]),
        ExprKind::BoolOp { values, .. } => exprs.extend(values),
        ExprKind::Compare { left, ops } => {
            exprs.push(left);
            exprs.extend(ops.iter().map(|o| &o.1));
        }
        ExprKind::IfExp { test, body, orelse } => exprs.extend([&**test, &**body, &**orelse]),
        ExprKind::Lambda { params, body } => {
            params_children(params, exprs);
            exprs.push(body);
        }
        ExprKind::NamedExpr { value, .. } => exprs.push(value),
        ExprKind::Call { func, args } => {
            exprs.push(func);
            for arg in args {
                match arg {
                    Arg::Positional(e) | Arg::Starred(e) | Arg::DoubleStarred(e) | Arg::Keyword(_, e) => exprs.push(e),
                }
            }
        }
        ExprKind::Attribute { value, .. } => exprs.push(value),
        ExprKind::Subscript { value, index } => exprs.extend([&**value, &**index]),
        ExprKind::Slice { lower, upper, step } => {
            exprs.extend(lower.as_deref());
            exprs.extend(upper.as_deref());
            exprs.extend(step.as_deref());
        }
        ExprKind::Starred(v) | ExprKind::YieldFrom(v) | ExprKind::Await(v) => exprs.push(v),
        ExprKind::Yield(v) => exprs.extend(v.as_deref()),
        ExprKind::Tuple(items) | ExprKind::List(items) | ExprKind::Set(items) => exprs.extend(items),
        ExprKind::Dict(items) => {
            for item in items {
                match item {
                    DictItem::KeyValue(k, v) => exprs.extend([k, v]),
                    DictItem::Unpack(v) => exprs.push(v),
                }
            }
        }
        ExprKind::ListComp { elt, generators }
        | ExprKind::SetComp { elt, generators }
        | ExprKind::GeneratorExp { elt, generators } => {
            exprs.push(elt);
            comp_children(generators, exprs);
        }
        ExprKind::DictComp { key, value, generators } => {
            exprs.extend([&**key, &**value]);
            comp_children(generators, exprs);
        }
    }
}

fn comp_children<'a>(generators: &'a [Comprehension], exprs: &mut Vec<&'a Expr>) {
    for g in generators {
        exprs.extend([&g.target, &g.iter]);
        exprs.extend(&g.ifs);
    }
}

fn placeholder() -> Expr {
    Expr::new(ExprKind::Constant(Constant::None), Span::default())
}

fn take(e: &mut Expr) -> Expr {
    std::mem::replace(e, placeholder())
}

/// Drops a module without recursion: every node's children are moved onto a heap stack
/// before the node itself is dropped, so a tree of any depth drops in constant stack.
pub(crate) fn dismantle(module: Module) {
    let mut stmts: Vec<Stmt> = module.body;
    let mut exprs: Vec<Expr> = Vec::new();
    while let Some(mut s) = stmts.pop() {
        take_stmt_children(&mut s, &mut stmts, &mut exprs);
        while let Some(mut e) = exprs.pop() {
            take_expr_children(&mut e, &mut exprs);
        }
    }
}

fn take_params(p: &mut Parameters, out: &mut Vec<Expr>) {
    let all = p
        .posonly
        .iter_mut()
        .chain(&mut p.args)
        .chain(&mut p.vararg)
        .chain(&mut p.kwonly)
        .chain(&mut p.kwarg);
    for param in all {
        out.extend(param.annotation.take());
        out.extend(param.default.take());
    }
}

fn take_stmt_children(s: &mut Stmt, stmts: &mut Vec<Stmt>, exprs: &mut Vec<Expr>) {
    match &mut s.kind {
        StmtKind::FunctionDef {
            params,
            body,
            decorators,
            returns,
            ..
        } => {
            take_params(params, exprs);
            exprs.append(decorators);
            exprs.extend(returns.take());
            stmts.append(body);
        }
        StmtKind::ClassDef {
            bases,
            keywords,
            body,
            decorators,
            ..
        } => {
            exprs.append(bases);
            exprs.extend(keywords.drain(..).map(|k| k.1));
            exprs.append(decorators);
            stmts.append(body);
        }
        StmtKind::If { body, orelse, .. }
        | StmtKind::While { body, orelse, .. }
        | StmtKind::For { body, orelse, .. } => {
            stmts.append(body);
            stmts.append(orelse);
        }
        StmtKind::Try {
            body,
            handlers,
            orelse,
            finalbody,
        } => {
            stmts.append(body);
            stmts.append(orelse);
            stmts.append(finalbody);
            for h in handlers {
                stmts.append(&mut h.body);
            }
        }
        StmtKind::With { body, .. } => stmts.append(body),
        _ => {}
    }
    // What is left are expressions; move them out by swapping the statement's kind.
    let kind = std::mem::replace(&mut s.kind, StmtKind::Pass);
    match kind {
        StmtKind::Expr(e) => exprs.push(e),
        StmtKind::Assign { targets, value } => {
            exprs.extend(targets);
            exprs.push(value);
        }
        StmtKind::AugAssign { target, value, .. } => exprs.extend([target, value]),
        StmtKind::AnnAssign {
            target,
            annotation,
            value,
        } => {
            exprs.extend([target, annotation]);
            exprs.extend(value);
        }
        StmtKind::If { test, .. } | StmtKind::While { test, .. } => exprs.push(test),
        StmtKind::For { target, iter, .. } => exprs.extend([target, iter]),
        StmtKind::Return(e) => exprs.extend(e),
        StmtKind::Try { handlers, .. } => exprs.extend(handlers.into_iter().filter_map(|h| h.typ)),
        StmtKind::Raise { exc, cause } => {
            exprs.extend(exc);
            exprs.extend(cause);
        }
        StmtKind::With { items, .. } => {
            for item in items {
                exprs.push(item.context);
                exprs.extend(item.target);
            }
        }
        StmtKind::Delete(targets) => exprs.extend(targets),
        StmtKind::Assert { test, msg } => {
            exprs.push(test);
            exprs.extend(msg);
        }
        _ => {}
    }
}

fn take_parts(parts: &mut Vec<FStringPart>, span: Span, out: &mut Vec<Expr>) {
    for part in parts.drain(..) {
        if let FStringPart::Field(f) = part {
            out.push(f.expr);
            if let Some(spec) = f.spec {
                // A spec becomes an f-string node of its own, dismantled like any other.
                out.push(Expr::new(ExprKind::FString(spec), span));
            }
        }
    }
}

fn take_expr_children(e: &mut Expr, out: &mut Vec<Expr>) {
    let span = e.span;
    match &mut e.kind {
        ExprKind::Name(_) | ExprKind::Constant(_) => {}
        ExprKind::FString(parts) => take_parts(parts, span, out),
        ExprKind::Unary { operand, .. } => out.push(take(operand)),
        ExprKind::Binary { left, right, .. } => out.extend([take(left), take(right)]),
        ExprKind::BoolOp { values, .. } => out.append(values),
        ExprKind::Compare { left, ops } => {
            out.push(take(left));
            out.extend(ops.drain(..).map(|o| o.1));
        }
        ExprKind::IfExp { test, body, orelse } => out.extend([take(test), take(body), take(orelse)]),
        ExprKind::Lambda { params, body } => {
            take_params(params, out);
            out.push(take(body));
        }
        ExprKind::NamedExpr { value, .. } => out.push(take(value)),
        ExprKind::Call { func, args } => {
            out.push(take(func));
            for arg in args.drain(..) {
                match arg {
                    Arg::Positional(e) | Arg::Starred(e) | Arg::DoubleStarred(e) | Arg::Keyword(_, e) => out.push(e),
                }
            }
        }
        ExprKind::Attribute { value, .. } => out.push(take(value)),
        ExprKind::Subscript { value, index } => out.extend([take(value), take(index)]),
        ExprKind::Slice { lower, upper, step } => {
            out.extend(lower.take().map(|b| *b));
            out.extend(upper.take().map(|b| *b));
            out.extend(step.take().map(|b| *b));
        }
        ExprKind::Starred(v) | ExprKind::YieldFrom(v) | ExprKind::Await(v) => out.push(take(v)),
        ExprKind::Yield(v) => out.extend(v.take().map(|b| *b)),
        ExprKind::Tuple(items) | ExprKind::List(items) | ExprKind::Set(items) => out.append(items),
        ExprKind::Dict(items) => {
            for item in items.drain(..) {
                match item {
                    DictItem::KeyValue(k, v) => out.extend([k, v]),
                    DictItem::Unpack(v) => out.push(v),
                }
            }
        }
        ExprKind::ListComp { elt, generators }
        | ExprKind::SetComp { elt, generators }
        | ExprKind::GeneratorExp { elt, generators } => {
            out.push(take(elt));
            take_comps(generators, out);
        }
        ExprKind::DictComp { key, value, generators } => {
            out.extend([take(key), take(value)]);
            take_comps(generators, out);
        }
    }
}

fn take_comps(generators: &mut Vec<Comprehension>, out: &mut Vec<Expr>) {
    for g in generators.drain(..) {
        out.extend([g.target, g.iter]);
        out.extend(g.ifs);
    }
}
