//! Grammar actions too long to sit inline in `grammar/python.lalrpop`: tuples, targets,
//! parameter lists, argument order and string concatenation, with CPython's error messages.

use super::ast::*;
use super::error::SyntaxError;
use super::fstring::parse_fstring;
use super::token::StrLit;

pub(crate) fn sp(l: u32, r: u32) -> Span {
    Span {
        start: l,
        end: r.max(l),
    }
}

/// `a, b` is a tuple; `a` alone is itself; `a,` is a one-element tuple.
pub(crate) fn tuple_or_single((mut items, trailing): (Vec<Expr>, bool), l: u32, r: u32) -> Expr {
    if items.len() == 1 && !trailing {
        return items.pop().unwrap();
    }
    Expr::new(ExprKind::Tuple(items), sp(l, r))
}

/// `(a)` is `a` (with its own span, as in CPython); `(a,)` and `(a, b)` are tuples spanning the parens.
pub(crate) fn parenthesized(body: (Vec<Expr>, bool), l: u32, r: u32) -> Expr {
    tuple_or_single(body, l, r)
}

pub(crate) fn bool_op(op: BoolOp, first: Expr, rest: Vec<Expr>, l: u32, r: u32) -> Expr {
    let mut values = vec![first];
    values.extend(rest);
    Expr::new(ExprKind::BoolOp { op, values }, sp(l, r))
}

/// The span of a compound statement: from its keyword to the end of its last body.
pub(crate) fn stmt_span(l: u32, r: u32, body: &[Stmt], orelse: Option<&[Stmt]>) -> Span {
    let last = orelse.filter(|o| !o.is_empty()).unwrap_or(body);
    let end = last.last().map(|s| s.span.end).unwrap_or(r);
    sp(l, end.min(r).max(l))
}

/// Folds `elif` clauses into nested `If`s in `orelse`, innermost last.
pub(crate) fn if_stmt(
    l: u32,
    r: u32,
    test: Expr,
    body: Vec<Stmt>,
    elifs: Vec<(u32, Expr, Vec<Stmt>)>,
    orelse: Option<Vec<Stmt>>,
) -> Stmt {
    let mut orelse = orelse.unwrap_or_default();
    for (el, test, body) in elifs.into_iter().rev() {
        let span = stmt_span(el, r, &body, Some(&orelse));
        orelse = vec![Stmt::new(StmtKind::If { test, body, orelse }, span)];
    }
    let span = stmt_span(l, r, &body, Some(&orelse));
    Stmt::new(StmtKind::If { test, body, orelse }, span)
}

pub(crate) fn decorate(mut stmt: Stmt, decorators: Vec<Expr>) -> Stmt {
    match &mut stmt.kind {
        StmtKind::FunctionDef { decorators: d, .. } | StmtKind::ClassDef { decorators: d, .. } => *d = decorators,
        _ => unreachable!("only definitions are decorated"),
    }
    stmt
}

/// Where an assignment target appears: it changes CPython's message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TargetCtx {
    /// The first target of `x = ...`: CPython adds "Maybe you meant '==' instead of '='?".
    AssignFirst,
    Assign,
    For,
    With,
    Del,
}

/// CPython's name for an expression in error messages (`_PyPegen_get_expr_name`).
pub fn expr_name(e: &Expr) -> &'static str {
    match &e.kind {
        ExprKind::Name(_) => "name",
        ExprKind::Constant(Constant::None) => "None",
        ExprKind::Constant(Constant::True) => "True",
        ExprKind::Constant(Constant::False) => "False",
        ExprKind::Constant(Constant::Ellipsis) => "ellipsis",
        ExprKind::Constant(_) => "literal",
        ExprKind::FString(_) => "f-string expression",
        ExprKind::Unary { .. } | ExprKind::Binary { .. } | ExprKind::BoolOp { .. } => "expression",
        ExprKind::Compare { .. } => "comparison",
        ExprKind::IfExp { .. } => "conditional expression",
        ExprKind::Lambda { .. } => "lambda",
        ExprKind::NamedExpr { .. } => "named expression",
        ExprKind::Call { .. } => "function call",
        ExprKind::Attribute { .. } => "attribute",
        ExprKind::Subscript { .. } => "subscript",
        ExprKind::Slice { .. } => "slice",
        ExprKind::Starred(_) => "starred",
        ExprKind::Tuple(_) => "tuple",
        ExprKind::List(_) => "list",
        ExprKind::Set(_) => "set display",
        ExprKind::Dict(_) => "dict literal",
        ExprKind::ListComp { .. } => "list comprehension",
        ExprKind::SetComp { .. } => "set comprehension",
        ExprKind::DictComp { .. } => "dict comprehension",
        ExprKind::GeneratorExp { .. } => "generator expression",
        ExprKind::Yield(_) | ExprKind::YieldFrom(_) => "yield expression",
        ExprKind::Await(_) => "await expression",
    }
}

/// Checks that `e` can be assigned to (or deleted) and returns it unchanged.
/// Recursion follows tuple/list nesting only, which the bracket limit bounds.
pub(crate) fn to_target(e: Expr, ctx: TargetCtx) -> Result<Expr, SyntaxError> {
    if let ExprKind::Starred(_) = e.kind {
        if ctx != TargetCtx::Del {
            return Err(SyntaxError::new(
                "starred assignment target must be in a list or tuple",
                e.span,
            ));
        }
    }
    check_target(&e, ctx)?;
    Ok(e)
}

fn check_target(e: &Expr, ctx: TargetCtx) -> Result<(), SyntaxError> {
    match &e.kind {
        ExprKind::Name(_) | ExprKind::Attribute { .. } | ExprKind::Subscript { .. } => Ok(()),
        ExprKind::Tuple(items) | ExprKind::List(items) => {
            let inner = if ctx == TargetCtx::AssignFirst {
                TargetCtx::Assign
            } else {
                ctx
            };
            let mut starred = 0;
            for item in items {
                if let ExprKind::Starred(value) = &item.kind {
                    if ctx == TargetCtx::Del {
                        return Err(SyntaxError::new("cannot delete starred", item.span));
                    }
                    starred += 1;
                    if starred > 1 {
                        return Err(SyntaxError::new(
                            "multiple starred expressions in assignment",
                            item.span,
                        ));
                    }
                    check_target(value, inner)?;
                } else {
                    check_target(item, inner)?;
                }
            }
            Ok(())
        }
        _ => Err(invalid_target(e, ctx)),
    }
}

#[cold]
fn invalid_target(e: &Expr, ctx: TargetCtx) -> SyntaxError {
    let name = expr_name(e);
    let message = match ctx {
        TargetCtx::Del => format!("cannot delete {name}"),
        TargetCtx::AssignFirst if !matches!(name, "None" | "True" | "False") => {
            format!("cannot assign to {name} here. Maybe you meant '==' instead of '='?")
        }
        _ => format!("cannot assign to {name}"),
    };
    SyntaxError::new(message, e.span)
}

pub(crate) fn assign(first: Expr, rest: Vec<Expr>) -> Result<StmtKind, SyntaxError> {
    let mut all = vec![first];
    all.extend(rest);
    let value = all.pop().expect("at least one '=' was parsed");
    let mut targets = Vec::with_capacity(all.len());
    for t in all {
        if matches!(t.kind, ExprKind::Yield(_) | ExprKind::YieldFrom(_)) {
            return Err(SyntaxError::new("assignment to yield expression not possible", t.span));
        }
        targets.push(to_target(t, TargetCtx::AssignFirst)?);
    }
    Ok(StmtKind::Assign { targets, value })
}

pub(crate) fn aug_assign(target: Expr, op: BinOp, value: Expr) -> Result<StmtKind, SyntaxError> {
    match target.kind {
        ExprKind::Name(_) | ExprKind::Attribute { .. } | ExprKind::Subscript { .. } => {
            Ok(StmtKind::AugAssign { target, op, value })
        }
        _ => Err(SyntaxError::new(
            format!(
                "'{}' is an illegal expression for augmented assignment",
                expr_name(&target)
            ),
            target.span,
        )),
    }
}

pub(crate) fn ann_assign(target: Expr, annotation: Expr, value: Option<Expr>) -> Result<StmtKind, SyntaxError> {
    match &target.kind {
        ExprKind::Name(_) | ExprKind::Attribute { .. } | ExprKind::Subscript { .. } => Ok(StmtKind::AnnAssign {
            target,
            annotation,
            value,
        }),
        ExprKind::Tuple(_) => Err(SyntaxError::new(
            "only single target (not tuple) can be annotated",
            target.span,
        )),
        ExprKind::List(_) => Err(SyntaxError::new(
            "only single target (not list) can be annotated",
            target.span,
        )),
        _ => Err(SyntaxError::new("illegal target for annotation", target.span)),
    }
}

pub(crate) fn delete(targets: Vec<Expr>) -> Result<StmtKind, SyntaxError> {
    let targets = targets
        .into_iter()
        .map(|t| to_target(t, TargetCtx::Del))
        .collect::<Result<_, _>>()?;
    Ok(StmtKind::Delete(targets))
}

/// One item of a parameter list as written; [`parameters`] sorts them into [`Parameters`].
#[derive(Debug, Clone)]
pub(crate) enum ParamItem {
    Plain(Param),
    Slash(Span),
    /// `*name` or a bare `*`.
    Star(Option<Param>, Span),
    DoubleStar(Param),
}

pub(crate) fn parameters(items: Vec<ParamItem>) -> Result<Parameters, SyntaxError> {
    let mut p = Parameters::default();
    let mut seen_slash = false;
    let mut star: Option<Span> = None;
    let mut had_default = false;
    let mut names: Vec<String> = Vec::new();
    let mut check_name = |param: &Param| -> Result<(), SyntaxError> {
        if names.contains(&param.name.name) {
            return Err(SyntaxError::new(
                format!("duplicate argument '{}' in function definition", param.name.name),
                param.name.span,
            ));
        }
        names.push(param.name.name.clone());
        Ok(())
    };
    for item in items {
        if let Some(kwarg) = &p.kwarg {
            return Err(SyntaxError::new(
                "arguments cannot follow var-keyword argument",
                kwarg.name.span,
            ));
        }
        match item {
            ParamItem::Plain(param) => {
                check_name(&param)?;
                if star.is_some() {
                    p.kwonly.push(param);
                } else {
                    if param.default.is_some() {
                        had_default = true;
                    } else if had_default {
                        return Err(SyntaxError::new(
                            "non-default argument follows default argument",
                            param.name.span,
                        ));
                    }
                    p.args.push(param);
                }
            }
            ParamItem::Slash(span) => {
                if seen_slash {
                    return Err(SyntaxError::new("/ may appear only once", span));
                }
                if star.is_some() {
                    return Err(SyntaxError::new("/ must be ahead of *", span));
                }
                if p.args.is_empty() {
                    return Err(SyntaxError::new("at least one argument must precede /", span));
                }
                seen_slash = true;
                p.posonly = std::mem::take(&mut p.args);
            }
            ParamItem::Star(param, span) => {
                if star.is_some() {
                    return Err(SyntaxError::new("* argument may appear only once", span));
                }
                if let Some(param) = &param {
                    check_name(param)?;
                }
                star = Some(span);
                p.vararg = param;
            }
            ParamItem::DoubleStar(param) => {
                check_name(&param)?;
                p.kwarg = Some(param);
            }
        }
    }
    if let Some(span) = star {
        if p.vararg.is_none() && p.kwonly.is_empty() {
            return Err(SyntaxError::new("named arguments must follow bare *", span));
        }
    }
    Ok(p)
}

fn arg_span(arg: &Arg) -> Span {
    match arg {
        Arg::Positional(e) | Arg::Starred(e) | Arg::DoubleStarred(e) => e.span,
        Arg::Keyword(name, e) => name.span.to(e.span),
    }
}

/// CPython's ordering rules for call arguments.
pub(crate) fn check_args(args: &[Arg]) -> Result<(), SyntaxError> {
    let mut keyword = false;
    let mut double_star = false;
    for arg in args {
        match arg {
            Arg::Positional(_) if double_star => {
                return Err(SyntaxError::new(
                    "positional argument follows keyword argument unpacking",
                    arg_span(arg),
                ))
            }
            Arg::Positional(_) if keyword => {
                return Err(SyntaxError::new(
                    "positional argument follows keyword argument",
                    arg_span(arg),
                ))
            }
            Arg::Starred(_) if double_star => {
                return Err(SyntaxError::new(
                    "iterable argument unpacking follows keyword argument unpacking",
                    arg_span(arg),
                ))
            }
            Arg::Keyword(..) => keyword = true,
            Arg::DoubleStarred(_) => double_star = true,
            _ => {}
        }
    }
    Ok(())
}

/// The bases and keywords of a class definition.
type ClassArgs = (Vec<Expr>, Vec<(Ident, Expr)>);

/// Splits `class A(B, *bs, metaclass=M)` into bases and keywords.
pub(crate) fn class_args(args: Vec<Arg>) -> Result<ClassArgs, SyntaxError> {
    check_args(&args)?;
    let mut bases = Vec::new();
    let mut keywords = Vec::new();
    for arg in args {
        match arg {
            Arg::Positional(e) => bases.push(e),
            Arg::Starred(e) => {
                let span = e.span;
                bases.push(Expr::new(ExprKind::Starred(Box::new(e)), span))
            }
            Arg::Keyword(name, e) => keywords.push((name, e)),
            Arg::DoubleStarred(e) => {
                return Err(SyntaxError::new(
                    "gilsim does not support '**' in a class definition",
                    e.span,
                ))
            }
        }
    }
    Ok((bases, keywords))
}

/// Concatenates adjacent string literals: all plain → `Str`, all bytes → `Bytes`, any f-string → `FString`.
pub(crate) fn strings(full: &str, parts: Vec<(u32, StrLit, u32)>, span: Span) -> Result<Expr, SyntaxError> {
    let bytes = parts.iter().filter(|p| matches!(p.1, StrLit::Bytes(_))).count();
    if bytes != 0 && bytes != parts.len() {
        return Err(SyntaxError::new("cannot mix bytes and nonbytes literals", span));
    }
    if bytes != 0 {
        let mut out = Vec::new();
        for (_, p, _) in parts {
            if let StrLit::Bytes(b) = p {
                out.extend(b);
            }
        }
        return Ok(Expr::new(ExprKind::Constant(Constant::Bytes(out)), span));
    }
    if !parts.iter().any(|p| matches!(p.1, StrLit::FString { .. })) {
        let mut out = String::new();
        for (_, p, _) in parts {
            if let StrLit::Str(s) = p {
                out.push_str(&s);
            }
        }
        return Ok(Expr::new(ExprKind::Constant(Constant::Str(out)), span));
    }
    let mut out: Vec<FStringPart> = Vec::new();
    for (_, p, _) in parts {
        match p {
            StrLit::Str(s) => push_literal(&mut out, s),
            StrLit::FString {
                body_start,
                body_end,
                raw,
            } => {
                for part in parse_fstring(full, body_start, body_end, raw)? {
                    match part {
                        FStringPart::Literal(s) => push_literal(&mut out, s),
                        field => out.push(field),
                    }
                }
            }
            StrLit::Bytes(_) => unreachable!("checked above"),
        }
    }
    Ok(Expr::new(ExprKind::FString(out), span))
}

/// Appends literal text, merging with a literal just before it; empty text adds nothing.
pub(crate) fn push_literal(out: &mut Vec<FStringPart>, s: String) {
    if s.is_empty() {
        return;
    }
    if let Some(FStringPart::Literal(prev)) = out.last_mut() {
        prev.push_str(&s);
    } else {
        out.push(FStringPart::Literal(s));
    }
}
