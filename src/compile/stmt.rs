//! Code generation for statements, including the unwinding that `break`, `continue` and
//! `return` do through `try`, `with` and loops (CPython's compiler_unwind_fblock).

use std::sync::Arc;

use super::bytecode::Op;
use super::symtable::ScopeKind;
use super::{CResult, CompileError, Compiler, FBlock};
use crate::syntax::ast::*;
use crate::vm::value::Value;

impl<'a> Compiler<'a> {
    /// A module, function or class body: a leading string literal becomes the docstring.
    pub(super) fn body_with_docstring(&mut self, body: &'a [Stmt]) -> CResult {
        if let Some(Stmt {
            kind:
                StmtKind::Expr(Expr {
                    kind: ExprKind::Constant(Constant::Str(s)),
                    ..
                }),
            ..
        }) = body.first()
        {
            self.unit().docstring = Some(Arc::from(s.as_str()));
        }
        self.stmts(body)
    }

    pub(super) fn stmts(&mut self, body: &'a [Stmt]) -> CResult {
        for s in body {
            self.stmt(s)?;
        }
        Ok(())
    }

    fn stmt(&mut self, s: &'a Stmt) -> CResult {
        let saved = self.set_span(s.span);
        let r = self.stmt_inner(s);
        self.set_span(saved);
        r
    }

    fn stmt_inner(&mut self, s: &'a Stmt) -> CResult {
        match &s.kind {
            StmtKind::Expr(e) => {
                self.expr(e)?;
                self.emit(Op::PopTop);
            }
            StmtKind::Assign { targets, value } => {
                self.expr(value)?;
                for (i, t) in targets.iter().enumerate() {
                    if i + 1 < targets.len() {
                        self.emit(Op::DupTop);
                    }
                    self.assign(t)?;
                }
            }
            StmtKind::AugAssign { target, op, value } => self.aug_assign(target, *op, value)?,
            StmtKind::AnnAssign { target, value, .. } => {
                if let Some(v) = value {
                    self.expr(v)?;
                    self.assign(target)?;
                }
            }
            StmtKind::If { test, body, orelse } => {
                self.expr(test)?;
                let to_else = self.emit(Op::PopJumpIfFalse(0));
                self.stmts(body)?;
                if orelse.is_empty() {
                    self.patch_here(to_else);
                } else {
                    let to_end = self.emit(Op::Jump(0));
                    self.patch_here(to_else);
                    self.stmts(orelse)?;
                    self.patch_here(to_end);
                }
            }
            StmtKind::While { test, body, orelse } => {
                let start = self.here();
                self.expr(test)?;
                let to_else = self.emit(Op::PopJumpIfFalse(0));
                self.unit().fblocks.push(FBlock::WhileLoop {
                    start,
                    breaks: Vec::new(),
                });
                self.stmts(body)?;
                self.emit(Op::JumpBack(start as u32));
                let Some(FBlock::WhileLoop { breaks, .. }) = self.unit().fblocks.pop() else {
                    unreachable!("loop block mismatch")
                };
                self.patch_here(to_else);
                self.stmts(orelse)?;
                for b in breaks {
                    self.patch_here(b);
                }
            }
            StmtKind::For {
                target,
                iter,
                body,
                orelse,
            } => {
                self.expr(iter)?;
                self.emit(Op::GetIter);
                let start = self.here();
                let for_iter = self.emit(Op::ForIter(0));
                self.unit().fblocks.push(FBlock::ForLoop {
                    start,
                    breaks: Vec::new(),
                });
                self.assign(target)?;
                self.stmts(body)?;
                self.emit(Op::JumpBack(start as u32));
                let Some(FBlock::ForLoop { breaks, .. }) = self.unit().fblocks.pop() else {
                    unreachable!("loop block mismatch")
                };
                self.patch_here(for_iter);
                self.stmts(orelse)?;
                for b in breaks {
                    self.patch_here(b);
                }
            }
            StmtKind::Break => self.break_stmt(s.span)?,
            StmtKind::Continue => self.continue_stmt(s.span)?,
            StmtKind::Pass => {}
            StmtKind::Return(value) => {
                if !self.in_function() {
                    return Err(CompileError::new("'return' outside function", s.span));
                }
                if let Some(v) = value {
                    self.expr(v)?;
                } else {
                    self.load_const(Value::None);
                }
                self.unwind_all(true)?;
                self.emit(Op::Return);
            }
            StmtKind::FunctionDef {
                name,
                params,
                body,
                decorators,
                is_async,
                ..
            } => {
                if *is_async {
                    return Err(CompileError::new("async functions are not supported by gilsim", s.span));
                }
                for d in decorators {
                    self.expr(d)?;
                }
                self.function(&name.name, params, FunctionBody::Stmts(body), s.span)?;
                for _ in decorators {
                    self.emit(Op::Call(1));
                }
                self.store_name(&name.name);
            }
            StmtKind::ClassDef {
                name,
                bases,
                keywords,
                body,
                decorators,
            } => {
                if let Some((k, _)) = keywords.first() {
                    return Err(CompileError::new(
                        format!("class keyword argument '{}' is not supported by gilsim", k.name),
                        k.span,
                    ));
                }
                for d in decorators {
                    self.expr(d)?;
                }
                self.class_body(&name.name, body, s.span)?;
                self.load_const(Value::str(&name.name));
                for b in bases {
                    self.expr(b)?;
                }
                self.emit(Op::BuildClass(bases.len() as u32));
                for _ in decorators {
                    self.emit(Op::Call(1));
                }
                self.store_name(&name.name);
            }
            StmtKind::Global(_) | StmtKind::Nonlocal(_) => {}
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finalbody,
            } => {
                if finalbody.is_empty() {
                    self.try_except(body, handlers, orelse)?;
                } else {
                    self.try_finally(body, handlers, orelse, finalbody)?;
                }
            }
            StmtKind::Raise { exc, cause } => match (exc, cause) {
                (None, _) => {
                    self.emit(Op::Raise(0));
                }
                (Some(e), None) => {
                    self.expr(e)?;
                    self.emit(Op::Raise(1));
                }
                (Some(e), Some(c)) => {
                    self.expr(e)?;
                    self.expr(c)?;
                    self.emit(Op::Raise(2));
                }
            },
            StmtKind::With { items, body, is_async } => {
                if *is_async {
                    return Err(CompileError::new("async with is not supported by gilsim", s.span));
                }
                self.with(items, body)?;
            }
            StmtKind::Import(aliases) => {
                for a in aliases {
                    let saved = self.set_span(a.span);
                    let idx = self.name_index(&a.name);
                    match &a.asname {
                        Some(asname) => {
                            self.emit(Op::ImportName(idx));
                            self.store_name(&asname.name);
                        }
                        None => {
                            let top = a.name.split('.').next().unwrap_or(&a.name).to_string();
                            if top != a.name {
                                // Load the whole dotted path, then bind its top package.
                                self.emit(Op::ImportName(idx));
                                self.emit(Op::PopTop);
                            }
                            let top_idx = self.name_index(&top);
                            self.emit(Op::ImportName(top_idx));
                            self.store_name(&top);
                        }
                    }
                    self.set_span(saved);
                }
            }
            StmtKind::ImportFrom {
                module,
                names,
                level,
                star,
            } => {
                if *level > 0 {
                    return Err(CompileError::new(
                        "relative imports are not supported by gilsim",
                        s.span,
                    ));
                }
                let idx = self.name_index(module);
                self.emit(Op::ImportName(idx));
                if *star {
                    self.emit(Op::ImportStar);
                } else {
                    for a in names {
                        let saved = self.set_span(a.span);
                        let n = self.name_index(&a.name);
                        self.emit(Op::ImportFrom(n));
                        let bound = a.asname.as_ref().map(|i| i.name.as_str()).unwrap_or(&a.name);
                        self.store_name(bound);
                        self.set_span(saved);
                    }
                    self.emit(Op::PopTop);
                }
            }
            StmtKind::Delete(targets) => {
                for t in targets {
                    self.delete(t)?;
                }
            }
            StmtKind::Assert { test, msg } => {
                self.expr(test)?;
                let ok = self.emit(Op::PopJumpIfTrue(0));
                self.emit(Op::LoadAssertionError);
                if let Some(m) = msg {
                    self.expr(m)?;
                    self.emit(Op::Call(1));
                }
                self.emit(Op::Raise(1));
                self.patch_here(ok);
            }
        }
        Ok(())
    }

    // ---- assignment ----

    /// Stores the value on top of the stack into `target`.
    pub(super) fn assign(&mut self, target: &'a Expr) -> CResult {
        let saved = self.set_span(target.span);
        match &target.kind {
            ExprKind::Name(n) => self.store_name(n),
            ExprKind::Attribute { value, attr } => {
                let i = self.name_index(&attr.name);
                if let Some((l, n)) = self.fused_attr(value, i) {
                    self.emit(Op::StoreFastAttr(l, n));
                    self.set_span(saved);
                    return Ok(());
                }
                self.expr(value)?;
                self.emit(Op::StoreAttr(i));
            }
            ExprKind::Subscript { value, index } => {
                self.expr(value)?;
                self.expr(index)?;
                self.emit(Op::StoreSubscr);
            }
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                let star = items.iter().position(|e| matches!(e.kind, ExprKind::Starred(_)));
                match star {
                    None => {
                        self.emit(Op::UnpackSequence(items.len() as u32));
                    }
                    Some(i) => {
                        if items.iter().filter(|e| matches!(e.kind, ExprKind::Starred(_))).count() > 1 {
                            return Err(CompileError::new(
                                "multiple starred expressions in assignment",
                                target.span,
                            ));
                        }
                        let before = i as u32;
                        let after = (items.len() - i - 1) as u32;
                        if before > 0xffff || after > 0xffff {
                            return Err(CompileError::new(
                                "too many expressions in star-unpacking assignment",
                                target.span,
                            ));
                        }
                        self.emit(Op::UnpackEx(before | after << 16));
                    }
                }
                for item in items {
                    match &item.kind {
                        ExprKind::Starred(inner) => self.assign(inner)?,
                        _ => self.assign(item)?,
                    }
                }
            }
            ExprKind::Starred(_) => {
                return Err(CompileError::new(
                    "starred assignment target must be in a list or tuple",
                    target.span,
                ))
            }
            _ => {
                return Err(CompileError::new(
                    format!("cannot assign to {}", crate::syntax::expr_name(target)),
                    target.span,
                ))
            }
        }
        self.set_span(saved);
        Ok(())
    }

    fn aug_assign(&mut self, target: &'a Expr, op: BinOp, value: &'a Expr) -> CResult {
        match &target.kind {
            ExprKind::Name(n) => {
                self.load_name(n);
                self.expr(value)?;
                self.emit(Op::Inplace(op));
                self.store_name(n);
            }
            ExprKind::Attribute { value: obj, attr } => {
                let i = self.name_index(&attr.name);
                if let Some((l, n)) = self.fused_attr(obj, i) {
                    self.emit(Op::LoadFastAttr(l, n));
                    self.expr(value)?;
                    self.emit(Op::Inplace(op));
                    self.emit(Op::StoreFastAttr(l, n));
                    return Ok(());
                }
                self.expr(obj)?;
                self.emit(Op::DupTop);
                self.emit(Op::LoadAttr(i));
                self.expr(value)?;
                self.emit(Op::Inplace(op));
                self.emit(Op::RotTwo);
                self.emit(Op::StoreAttr(i));
            }
            ExprKind::Subscript { value: obj, index } => {
                self.expr(obj)?;
                self.expr(index)?;
                self.emit(Op::DupTop2);
                self.emit(Op::BinarySubscr);
                self.expr(value)?;
                self.emit(Op::Inplace(op));
                self.emit(Op::RotThree);
                self.emit(Op::StoreSubscr);
            }
            _ => {
                return Err(CompileError::new(
                    format!(
                        "'{}' is an illegal expression for augmented assignment",
                        crate::syntax::expr_name(target)
                    ),
                    target.span,
                ))
            }
        }
        Ok(())
    }

    fn delete(&mut self, target: &'a Expr) -> CResult {
        let saved = self.set_span(target.span);
        match &target.kind {
            ExprKind::Name(n) => self.delete_name(n),
            ExprKind::Attribute { value, attr } => {
                self.expr(value)?;
                let i = self.name_index(&attr.name);
                self.emit(Op::DeleteAttr(i));
            }
            ExprKind::Subscript { value, index } => {
                self.expr(value)?;
                self.expr(index)?;
                self.emit(Op::DeleteSubscr);
            }
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                for i in items {
                    self.delete(i)?;
                }
            }
            _ => {
                return Err(CompileError::new(
                    format!("cannot delete {}", crate::syntax::expr_name(target)),
                    target.span,
                ))
            }
        }
        self.set_span(saved);
        Ok(())
    }

    // ---- loops and unwinding ----

    fn break_stmt(&mut self, span: Span) -> CResult {
        let Some(depth) = self.innermost_loop() else {
            return Err(CompileError::new("'break' outside loop", span));
        };
        self.unwind_to(depth, false)?;
        if matches!(self.unit().fblocks[depth], FBlock::ForLoop { .. }) {
            self.emit(Op::PopTop);
        }
        let j = self.emit(Op::Jump(0));
        match &mut self.unit().fblocks[depth] {
            FBlock::ForLoop { breaks, .. } | FBlock::WhileLoop { breaks, .. } => breaks.push(j),
            _ => unreachable!("innermost_loop returned a loop"),
        }
        Ok(())
    }

    fn continue_stmt(&mut self, span: Span) -> CResult {
        let Some(depth) = self.innermost_loop() else {
            return Err(CompileError::new("'continue' not properly in loop", span));
        };
        self.unwind_to(depth, false)?;
        let start = match &self.unit().fblocks[depth] {
            FBlock::ForLoop { start, .. } | FBlock::WhileLoop { start, .. } => *start,
            _ => unreachable!("innermost_loop returned a loop"),
        };
        self.emit(Op::JumpBack(start as u32));
        Ok(())
    }

    fn innermost_loop(&mut self) -> Option<usize> {
        self.unit()
            .fblocks
            .iter()
            .rposition(|b| matches!(b, FBlock::ForLoop { .. } | FBlock::WhileLoop { .. }))
    }

    /// Emits the cleanup for every block above `depth` (exclusive), innermost first.
    fn unwind_to(&mut self, depth: usize, preserve_tos: bool) -> CResult {
        let mut i = self.unit().fblocks.len();
        while i > depth + 1 {
            i -= 1;
            self.unwind_block(i, preserve_tos)?;
        }
        Ok(())
    }

    /// Cleanup for every block, for `return`.
    fn unwind_all(&mut self, preserve_tos: bool) -> CResult {
        let mut i = self.unit().fblocks.len();
        while i > 0 {
            i -= 1;
            self.unwind_block(i, preserve_tos)?;
        }
        Ok(())
    }

    fn unwind_block(&mut self, i: usize, preserve_tos: bool) -> CResult {
        let block = self.unit().fblocks[i].clone();
        match block {
            FBlock::WhileLoop { .. } => {}
            FBlock::ForLoop { .. } => {
                if preserve_tos {
                    self.emit(Op::RotTwo);
                }
                self.emit(Op::PopTop);
            }
            FBlock::TryBody => {
                self.emit(Op::PopBlock);
            }
            FBlock::FinallyTry { body } => {
                self.emit(Op::PopBlock);
                // The finally body runs outside its own block: a `break` in it must not
                // unwind it again.
                let saved: Vec<FBlock<'a>> = self.unit().fblocks.drain(i..).collect();
                let r = self.stmts(body);
                self.unit().fblocks.extend(saved);
                r?;
            }
            FBlock::FinallyOnException => {
                self.emit(Op::PopExcept);
                if preserve_tos {
                    self.emit(Op::RotTwo);
                }
                self.emit(Op::PopTop);
            }
            FBlock::Handler { name } => {
                self.emit(Op::PopExcept);
                if let Some(n) = name {
                    self.clear_handler_name(&n);
                }
            }
            FBlock::With => {
                self.emit(Op::PopBlock);
                if preserve_tos {
                    self.emit(Op::RotTwo);
                }
                self.call_exit_normally();
            }
        }
        Ok(())
    }

    /// `[exit] -> []`: calls `exit(None, None, None)`.
    fn call_exit_normally(&mut self) {
        self.load_const(Value::None);
        self.emit(Op::DupTop);
        self.emit(Op::DupTop);
        self.emit(Op::Call(3));
        self.emit(Op::PopTop);
    }

    /// `except E as name:` unbinds `name` afterwards, as CPython does.
    fn clear_handler_name(&mut self, name: &str) {
        self.load_const(Value::None);
        self.store_name(name);
        self.delete_name(name);
    }

    // ---- try / with ----

    fn try_except(&mut self, body: &'a [Stmt], handlers: &'a [ExceptHandler], orelse: &'a [Stmt]) -> CResult {
        let setup = self.emit(Op::SetupFinally(0));
        self.unit().fblocks.push(FBlock::TryBody);
        self.stmts(body)?;
        self.unit().fblocks.pop();
        self.emit(Op::PopBlock);
        self.stmts(orelse)?;
        let mut to_end = vec![self.emit(Op::Jump(0))];
        self.patch_here(setup);
        // The exception is on the stack; the VM has pushed an except-handler block.
        for h in handlers {
            let saved = self.set_span(h.span);
            let mut next = None;
            if let Some(t) = &h.typ {
                // CheckExcMatch peeks at the exception below the type.
                self.expr(t)?;
                self.emit(Op::CheckExcMatch);
                next = Some(self.emit(Op::PopJumpIfFalse(0)));
            }
            match &h.name {
                Some(n) => self.store_name(&n.name),
                None => {
                    self.emit(Op::PopTop);
                }
            }
            let name = h.name.as_ref().map(|n| n.name.clone());
            self.unit().fblocks.push(FBlock::Handler { name: name.clone() });
            self.stmts(&h.body)?;
            self.unit().fblocks.pop();
            self.emit(Op::PopExcept);
            if let Some(n) = &name {
                self.clear_handler_name(n);
            }
            to_end.push(self.emit(Op::Jump(0)));
            if let Some(j) = next {
                self.patch_here(j);
            }
            self.set_span(saved);
        }
        // No clause matched: re-raise, keeping the traceback.
        self.emit(Op::Reraise);
        for j in to_end {
            self.patch_here(j);
        }
        Ok(())
    }

    fn try_finally(
        &mut self,
        body: &'a [Stmt],
        handlers: &'a [ExceptHandler],
        orelse: &'a [Stmt],
        finalbody: &'a [Stmt],
    ) -> CResult {
        let setup = self.emit(Op::SetupFinally(0));
        self.unit().fblocks.push(FBlock::FinallyTry { body: finalbody });
        if handlers.is_empty() {
            self.stmts(body)?;
            self.stmts(orelse)?;
        } else {
            self.try_except(body, handlers, orelse)?;
        }
        self.unit().fblocks.pop();
        self.emit(Op::PopBlock);
        self.stmts(finalbody)?;
        let to_end = self.emit(Op::Jump(0));
        self.patch_here(setup);
        self.unit().fblocks.push(FBlock::FinallyOnException);
        self.stmts(finalbody)?;
        self.unit().fblocks.pop();
        self.emit(Op::Reraise);
        self.patch_here(to_end);
        Ok(())
    }

    fn with(&mut self, items: &'a [WithItem], body: &'a [Stmt]) -> CResult {
        let Some((item, rest)) = items.split_first() else {
            return self.stmts(body);
        };
        self.expr(&item.context)?;
        self.emit(Op::BeforeWith);
        let setup = self.emit(Op::SetupWith(0));
        match &item.target {
            Some(t) => self.assign(t)?,
            None => {
                self.emit(Op::PopTop);
            }
        }
        self.unit().fblocks.push(FBlock::With);
        self.with(rest, body)?;
        self.unit().fblocks.pop();
        self.emit(Op::PopBlock);
        self.call_exit_normally();
        let to_end = self.emit(Op::Jump(0));
        // Exception path: [exit, exc]
        self.patch_here(setup);
        self.emit(Op::WithExceptStart);
        let suppress = self.emit(Op::PopJumpIfTrue(0));
        self.emit(Op::Reraise);
        self.patch_here(suppress);
        self.emit(Op::PopTop);
        self.emit(Op::PopExcept);
        self.emit(Op::PopTop);
        self.patch_here(to_end);
        Ok(())
    }

    // ---- classes ----

    fn class_body(&mut self, name: &str, body: &'a [Stmt], span: Span) -> CResult {
        let scope = self.table.scope_for(span, ScopeKind::Class);
        let qualname = self.child_qualname(name);
        let line = self.line_of(span);
        self.push_unit(scope, name, &qualname, line);
        self.unit().flags.is_class_body = true;
        self.body_with_docstring(body)?;
        if let Some(doc) = self.unit().docstring.clone() {
            self.load_const(Value::str(&doc));
            let i = self.name_index("__doc__");
            self.emit(Op::StoreName(i));
        }
        self.emit(Op::LoadLocals);
        self.emit(Op::Return);
        let code = self.pop_unit();
        let u = self.unit();
        u.functions.push(code);
        let k = (u.functions.len() - 1) as u32;
        self.emit(Op::MakeFunction(k));
        Ok(())
    }

    /// The qualified name of a definition nested in the current unit.
    pub(super) fn child_qualname(&mut self, name: &str) -> String {
        let u = self.units.last().expect("a code unit is open");
        let s = &self.table.scopes[u.scope];
        match s.kind {
            ScopeKind::Module => name.to_string(),
            ScopeKind::Class => format!("{}.{}", u.qualname, name),
            _ => format!("{}.<locals>.{}", u.qualname, name),
        }
    }
}

/// The body of a function being compiled.
pub(super) enum FunctionBody<'a> {
    Stmts(&'a [Stmt]),
    Lambda(&'a Expr),
}
