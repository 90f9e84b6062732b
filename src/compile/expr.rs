//! Code generation for expressions, function definitions and comprehensions.

use std::sync::Arc;

use super::bytecode::Op;
use super::stmt::FunctionBody;
use super::symtable::ScopeKind;
use super::{CResult, CompileError, Compiler};
use crate::syntax::ast::*;
use crate::vm::value::Value;

impl<'a> Compiler<'a> {
    pub(super) fn expr(&mut self, e: &'a Expr) -> CResult {
        let saved = self.set_span(e.span);
        let r = self.expr_inner(e);
        self.set_span(saved);
        r
    }

    fn expr_inner(&mut self, e: &'a Expr) -> CResult {
        match &e.kind {
            ExprKind::Name(n) => self.load_name(n),
            ExprKind::Constant(c) => {
                let v = match c {
                    Constant::None => Value::None,
                    Constant::True => Value::Bool(true),
                    Constant::False => Value::Bool(false),
                    Constant::Ellipsis => Value::Ellipsis,
                    Constant::Int(i) => Value::Int(*i),
                    Constant::BigInt(b) => Value::from_bigint(b.clone()),
                    Constant::Float(f) => Value::Float(*f),
                    Constant::Str(s) => Value::str(s),
                    Constant::Bytes(b) => Value::Bytes(Arc::new(b.clone())),
                };
                self.load_const(v);
            }
            ExprKind::FString(parts) => self.fstring(parts)?,
            ExprKind::Unary { op, operand } => {
                self.expr(operand)?;
                self.emit(match op {
                    UnaryOp::Neg => Op::UnaryNeg,
                    UnaryOp::Pos => Op::UnaryPos,
                    UnaryOp::Not => Op::UnaryNot,
                    UnaryOp::Invert => Op::UnaryInvert,
                });
            }
            ExprKind::Binary { left, op, right } => {
                self.expr(left)?;
                self.expr(right)?;
                self.emit(Op::Binary(*op));
            }
            ExprKind::BoolOp { op, values } => {
                let mut jumps = Vec::new();
                for (i, v) in values.iter().enumerate() {
                    self.expr(v)?;
                    if i + 1 < values.len() {
                        jumps.push(self.emit(match op {
                            BoolOp::And => Op::JumpIfFalseOrPop(0),
                            BoolOp::Or => Op::JumpIfTrueOrPop(0),
                        }));
                    }
                }
                for j in jumps {
                    self.patch_here(j);
                }
            }
            ExprKind::Compare { left, ops } => self.compare(left, ops)?,
            ExprKind::IfExp { test, body, orelse } => {
                self.expr(test)?;
                let to_else = self.emit(Op::PopJumpIfFalse(0));
                self.expr(body)?;
                let to_end = self.emit(Op::Jump(0));
                self.patch_here(to_else);
                self.expr(orelse)?;
                self.patch_here(to_end);
            }
            ExprKind::Lambda { params, body } => {
                self.function("<lambda>", params, FunctionBody::Lambda(body), e.span)?;
            }
            ExprKind::NamedExpr { target, value } => {
                self.expr(value)?;
                self.emit(Op::DupTop);
                self.store_name(&target.name);
            }
            ExprKind::Call { func, args } => self.call(func, args)?,
            ExprKind::Attribute { value, attr } => {
                let i = self.name_index(&attr.name);
                // `self.x`: read through the local without copying it (a superinstruction).
                if let Some((l, n)) = self.fused_attr(value, i) {
                    self.emit(Op::LoadFastAttr(l, n));
                    return Ok(());
                }
                self.expr(value)?;
                self.emit(Op::LoadAttr(i));
            }
            ExprKind::Subscript { value, index } => {
                self.expr(value)?;
                self.expr(index)?;
                self.emit(Op::BinarySubscr);
            }
            ExprKind::Slice { lower, upper, step } => {
                for part in [lower, upper] {
                    match part {
                        Some(p) => self.expr(p)?,
                        None => self.load_const(Value::None),
                    }
                }
                match step {
                    Some(s) => {
                        self.expr(s)?;
                        self.emit(Op::BuildSlice(3));
                    }
                    None => {
                        self.emit(Op::BuildSlice(2));
                    }
                }
            }
            ExprKind::Starred(_) => {
                return Err(CompileError::new("can't use starred expression here", e.span));
            }
            ExprKind::Tuple(items) => {
                if has_starred(items) {
                    self.sequence_with_stars(items)?;
                    self.emit(Op::ListToTuple);
                } else {
                    for i in items {
                        self.expr(i)?;
                    }
                    self.emit(Op::BuildTuple(items.len() as u32));
                }
            }
            ExprKind::List(items) => {
                if has_starred(items) {
                    self.sequence_with_stars(items)?;
                } else {
                    for i in items {
                        self.expr(i)?;
                    }
                    self.emit(Op::BuildList(items.len() as u32));
                }
            }
            ExprKind::Set(items) => {
                if has_starred(items) {
                    self.emit(Op::BuildSet(0));
                    for i in items {
                        match &i.kind {
                            ExprKind::Starred(inner) => {
                                self.expr(inner)?;
                                self.emit(Op::SetUpdate(1));
                            }
                            _ => {
                                self.expr(i)?;
                                self.emit(Op::SetAdd(1));
                            }
                        }
                    }
                } else {
                    for i in items {
                        self.expr(i)?;
                    }
                    self.emit(Op::BuildSet(items.len() as u32));
                }
            }
            ExprKind::Dict(items) => {
                if items.iter().any(|i| matches!(i, DictItem::Unpack(_))) {
                    self.emit(Op::BuildMap(0));
                    for i in items {
                        match i {
                            DictItem::KeyValue(k, v) => {
                                self.expr(k)?;
                                self.expr(v)?;
                                self.emit(Op::MapAdd(1));
                            }
                            DictItem::Unpack(m) => {
                                self.expr(m)?;
                                self.emit(Op::DictUpdate(1));
                            }
                        }
                    }
                } else {
                    for i in items {
                        if let DictItem::KeyValue(k, v) = i {
                            self.expr(k)?;
                            self.expr(v)?;
                        }
                    }
                    self.emit(Op::BuildMap(items.len() as u32));
                }
            }
            ExprKind::ListComp { elt, generators } => self.comprehension(e.span, Comp::List(elt), generators)?,
            ExprKind::SetComp { elt, generators } => self.comprehension(e.span, Comp::Set(elt), generators)?,
            ExprKind::DictComp { key, value, generators } => {
                self.comprehension(e.span, Comp::Dict(key, value), generators)?
            }
            ExprKind::GeneratorExp { elt, generators } => self.comprehension(e.span, Comp::Gen(elt), generators)?,
            ExprKind::Yield(v) => {
                self.check_yield(e.span)?;
                match v {
                    Some(v) => self.expr(v)?,
                    None => self.load_const(Value::None),
                }
                self.emit(Op::YieldValue);
            }
            ExprKind::YieldFrom(v) => {
                self.check_yield(e.span)?;
                self.expr(v)?;
                self.emit(Op::GetIter);
                self.load_const(Value::None);
                self.emit(Op::YieldFrom);
            }
            ExprKind::Await(_) => {
                return Err(CompileError::new("'await' is not supported by gilsim", e.span));
            }
        }
        Ok(())
    }

    fn check_yield(&mut self, span: Span) -> CResult {
        if !self.in_function() {
            return Err(CompileError::new("'yield' outside function", span));
        }
        Ok(())
    }

    /// `[*a, b, *c]` as a list built step by step.
    fn sequence_with_stars(&mut self, items: &'a [Expr]) -> CResult {
        let leading = items
            .iter()
            .take_while(|i| !matches!(i.kind, ExprKind::Starred(_)))
            .count();
        for i in &items[..leading] {
            self.expr(i)?;
        }
        self.emit(Op::BuildList(leading as u32));
        for i in &items[leading..] {
            match &i.kind {
                ExprKind::Starred(inner) => {
                    self.expr(inner)?;
                    self.emit(Op::ListExtend(1));
                }
                _ => {
                    self.expr(i)?;
                    self.emit(Op::ListAppend(1));
                }
            }
        }
        Ok(())
    }

    fn compare(&mut self, left: &'a Expr, ops: &'a [(CmpOp, Expr)]) -> CResult {
        self.expr(left)?;
        if ops.len() == 1 {
            self.expr(&ops[0].1)?;
            self.emit(Op::Compare(ops[0].0));
            return Ok(());
        }
        // a < b < c: keep b for the next comparison; stop at the first false one.
        let mut cleanups = Vec::new();
        for (i, (op, right)) in ops.iter().enumerate() {
            self.expr(right)?;
            if i + 1 < ops.len() {
                self.emit(Op::DupTop);
                self.emit(Op::RotThree);
                self.emit(Op::Compare(*op));
                cleanups.push(self.emit(Op::JumpIfFalseOrPop(0)));
            } else {
                self.emit(Op::Compare(*op));
            }
        }
        let to_end = self.emit(Op::Jump(0));
        for c in cleanups {
            self.patch_here(c);
        }
        self.emit(Op::RotTwo);
        self.emit(Op::PopTop);
        self.patch_here(to_end);
        Ok(())
    }

    fn call(&mut self, func: &'a Expr, args: &'a [Arg]) -> CResult {
        let simple = args.iter().all(|a| matches!(a, Arg::Positional(_)));
        let has_star = args
            .iter()
            .any(|a| matches!(a, Arg::Starred(_) | Arg::DoubleStarred(_)));
        if simple {
            if let ExprKind::Attribute { value, attr } = &func.kind {
                self.expr(value)?;
                let i = self.name_index(&attr.name);
                self.emit(Op::LoadMethod(i));
                for a in args {
                    if let Arg::Positional(v) = a {
                        self.expr(v)?;
                    }
                }
                self.emit(Op::CallMethod(args.len() as u32));
                return Ok(());
            }
        }
        self.expr(func)?;
        if simple {
            for a in args {
                if let Arg::Positional(v) = a {
                    self.expr(v)?;
                }
            }
            self.emit(Op::Call(args.len() as u32));
        } else if !has_star {
            let mut names = Vec::new();
            for a in args {
                if let Arg::Positional(v) = a {
                    self.expr(v)?;
                }
            }
            for a in args {
                if let Arg::Keyword(k, v) = a {
                    if names
                        .iter()
                        .any(|n: &Value| matches!(n, Value::Str(s) if s.as_str() == k.name))
                    {
                        return Err(CompileError::new(
                            format!("keyword argument repeated: {}", k.name),
                            k.span,
                        ));
                    }
                    self.expr(v)?;
                    names.push(Value::str(&k.name));
                }
            }
            let n = args.len() as u32;
            let k = self.unit().consts.len() as u32;
            self.unit().consts.push(Value::tuple(names));
            self.emit(Op::LoadConst(k));
            self.emit(Op::CallKw(n));
        } else {
            // General form: a positional tuple and a keyword dict.
            self.emit(Op::BuildList(0));
            for a in args {
                match a {
                    Arg::Positional(v) => {
                        self.expr(v)?;
                        self.emit(Op::ListAppend(1));
                    }
                    Arg::Starred(v) => {
                        self.expr(v)?;
                        self.emit(Op::ListExtend(1));
                    }
                    _ => {}
                }
            }
            self.emit(Op::ListToTuple);
            let has_kw = args
                .iter()
                .any(|a| matches!(a, Arg::Keyword(..) | Arg::DoubleStarred(_)));
            if has_kw {
                self.emit(Op::BuildMap(0));
                for a in args {
                    match a {
                        Arg::Keyword(k, v) => {
                            self.load_const(Value::str(&k.name));
                            self.expr(v)?;
                            self.emit(Op::MapAdd(1));
                        }
                        Arg::DoubleStarred(v) => {
                            self.expr(v)?;
                            self.emit(Op::DictMerge(1));
                        }
                        _ => {}
                    }
                }
            }
            self.emit(Op::CallEx(has_kw as u32));
        }
        Ok(())
    }

    fn fstring(&mut self, parts: &'a [FStringPart]) -> CResult {
        let n = self.fstring_parts(parts)?;
        if n != 1 || !matches!(parts.first(), Some(FStringPart::Literal(_))) {
            self.emit(Op::BuildString(n));
        }
        Ok(())
    }

    /// Pushes one string per part; returns how many.
    fn fstring_parts(&mut self, parts: &'a [FStringPart]) -> CResult<u32> {
        let mut n = 0;
        for p in parts {
            match p {
                FStringPart::Literal(s) => {
                    self.load_const(Value::str(s));
                    n += 1;
                }
                FStringPart::Field(f) => {
                    if let Some(text) = &f.debug_text {
                        self.load_const(Value::str(text));
                        n += 1;
                    }
                    self.expr(&f.expr)?;
                    let mut conv = match f.conversion {
                        None => 0,
                        Some('s') => 1,
                        Some('r') => 2,
                        Some('a') => 3,
                        Some(c) => {
                            return Err(CompileError::new(
                                format!("f-string: invalid conversion character '{c}': expected 's', 'r', or 'a'"),
                                f.expr.span,
                            ))
                        }
                    };
                    // `{x=}` defaults to repr unless a spec or conversion is given.
                    if f.debug_text.is_some() && f.conversion.is_none() && f.spec.is_none() {
                        conv = 2;
                    }
                    if let Some(spec) = &f.spec {
                        let k = self.fstring_parts(spec)?;
                        if k != 1 {
                            self.emit(Op::BuildString(k));
                        }
                        conv += 4;
                    }
                    self.emit(Op::FormatValue(conv));
                    n += 1;
                }
            }
        }
        if n == 0 {
            self.load_const(Value::str(""));
            n = 1;
        }
        Ok(n)
    }

    /// Compiles a def or lambda and leaves the function object on the stack.
    pub(super) fn function(
        &mut self,
        name: &str,
        params: &'a Parameters,
        body: FunctionBody<'a>,
        span: Span,
    ) -> CResult {
        // Defaults are evaluated where the function is defined.
        let positional: Vec<&Param> = params.posonly.iter().chain(&params.args).collect();
        let defaults: Vec<&Expr> = positional.iter().filter_map(|p| p.default.as_ref()).collect();
        let kwdefaults: Vec<(&Ident, &Expr)> = params
            .kwonly
            .iter()
            .filter_map(|p| p.default.as_ref().map(|d| (&p.name, d)))
            .collect();
        if let Some(i) = positional.iter().position(|p| p.default.is_some()) {
            if let Some(bad) = positional[i..].iter().find(|p| p.default.is_none()) {
                return Err(CompileError::new(
                    "non-default argument follows default argument",
                    bad.name.span,
                ));
            }
        }
        for d in &defaults {
            self.expr(d)?;
        }
        if !defaults.is_empty() {
            self.emit(Op::BuildTuple(defaults.len() as u32));
        }
        for (k, v) in &kwdefaults {
            self.load_const(Value::str(&k.name));
            self.expr(v)?;
        }
        if !kwdefaults.is_empty() {
            self.emit(Op::BuildMap(kwdefaults.len() as u32));
        }
        let scope = self.table.scope_for(span, ScopeKind::Function);
        let qualname = self.child_qualname(name);
        let line = self.line_of(span);
        self.push_unit(scope, name, &qualname, line);
        {
            let u = self.unit();
            u.posonly_count = params.posonly.len() as u32;
            u.arg_count = (params.posonly.len() + params.args.len()) as u32;
            u.kwonly_count = params.kwonly.len() as u32;
            u.flags.has_varargs = params.vararg.is_some();
            u.flags.has_varkw = params.kwarg.is_some();
            u.flags.has_defaults = !defaults.is_empty();
            u.flags.has_kwdefaults = !kwdefaults.is_empty();
        }
        match body {
            FunctionBody::Stmts(stmts) => {
                self.body_with_docstring(stmts)?;
                // The implicit `return None` belongs to the last line, as in CPython.
                match stmts.last() {
                    Some(Stmt {
                        kind: StmtKind::Return(_),
                        ..
                    }) => {}
                    Some(last) => {
                        self.set_span(last.span);
                        self.emit_return_none();
                    }
                    None => self.emit_return_none(),
                }
            }
            FunctionBody::Lambda(e) => {
                self.expr(e)?;
                self.emit(Op::Return);
            }
        }
        let code = self.pop_unit();
        let u = self.unit();
        u.functions.push(code);
        let k = (u.functions.len() - 1) as u32;
        self.emit(Op::MakeFunction(k));
        Ok(())
    }

    fn comprehension(&mut self, span: Span, kind: Comp<'a>, generators: &'a [Comprehension]) -> CResult {
        let Some(first) = generators.first() else {
            return Err(CompileError::new("comprehension without 'for'", span));
        };
        let scope = self.table.scope_for(span, ScopeKind::Comprehension);
        let name = match kind {
            Comp::List(_) => "<listcomp>",
            Comp::Set(_) => "<setcomp>",
            Comp::Dict(..) => "<dictcomp>",
            Comp::Gen(_) => "<genexpr>",
        };
        let qualname = self.child_qualname(name);
        let line = self.line_of(span);
        self.push_unit(scope, name, &qualname, line);
        self.unit().arg_count = 1;
        match kind {
            Comp::List(_) => {
                self.emit(Op::BuildList(0));
            }
            Comp::Set(_) => {
                self.emit(Op::BuildSet(0));
            }
            Comp::Dict(..) => {
                self.emit(Op::BuildMap(0));
            }
            Comp::Gen(_) => {}
        }
        let mut loops = Vec::new();
        for (i, g) in generators.iter().enumerate() {
            if i == 0 {
                self.emit(Op::LoadFast(0));
            } else {
                self.expr(&g.iter)?;
                self.emit(Op::GetIter);
            }
            let start = self.here();
            let for_iter = self.emit(Op::ForIter(0));
            self.assign(&g.target)?;
            let mut skips = Vec::new();
            for cond in &g.ifs {
                self.expr(cond)?;
                // Filtered-out items go through the back-edge too, so the eval breaker is polled.
                skips.push(self.emit(Op::PopJumpIfFalse(0)));
            }
            loops.push((start, for_iter, skips));
        }
        // Depth from the top of the stack to the collection, after popping the new item.
        let depth = generators.len() as u32 + 1;
        match kind {
            Comp::List(elt) => {
                self.expr(elt)?;
                self.emit(Op::ListAppend(depth));
            }
            Comp::Set(elt) => {
                self.expr(elt)?;
                self.emit(Op::SetAdd(depth));
            }
            Comp::Dict(k, v) => {
                self.expr(k)?;
                self.expr(v)?;
                self.emit(Op::MapAdd(depth));
            }
            Comp::Gen(elt) => {
                self.expr(elt)?;
                self.emit(Op::YieldValue);
                self.emit(Op::PopTop);
            }
        }
        for (start, for_iter, skips) in loops.into_iter().rev() {
            for j in skips {
                self.patch_here(j);
            }
            self.emit(Op::JumpBack(start as u32));
            self.patch_here(for_iter);
        }
        match kind {
            Comp::Gen(_) => self.emit_return_none(),
            _ => {
                self.emit(Op::Return);
            }
        }
        let code = self.pop_unit();
        let u = self.unit();
        u.functions.push(code);
        let k = (u.functions.len() - 1) as u32;
        self.emit(Op::MakeFunction(k));
        self.expr(&first.iter)?;
        self.emit(Op::GetIter);
        self.emit(Op::Call(1));
        Ok(())
    }
}

#[derive(Clone, Copy)]
enum Comp<'a> {
    List(&'a Expr),
    Set(&'a Expr),
    Dict(&'a Expr, &'a Expr),
    Gen(&'a Expr),
}

fn has_starred(items: &[Expr]) -> bool {
    items.iter().any(|i| matches!(i.kind, ExprKind::Starred(_)))
}
