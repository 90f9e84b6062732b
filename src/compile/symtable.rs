//! Scope analysis: decides, before code generation, whether each name in each scope is a
//! fast local, a cell (captured by an inner function), a free variable, a global, or a class
//! namespace entry. Mirrors CPython's Python/symtable.c in outline.

use std::collections::HashMap;

use indexmap::{IndexMap, IndexSet};

use super::CompileError;
use crate::syntax::ast::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeKind {
    Module,
    Function,
    Class,
    /// Comprehensions and generator expressions: functions with one parameter `.0`.
    Comprehension,
}

/// Where a name lives, as seen from one scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameScope {
    /// A fast local slot.
    Local,
    /// A local captured by an inner scope.
    Cell,
    /// Captured from an enclosing function scope.
    Free,
    /// A module global (declared or implicit).
    Global,
    /// A class-body namespace entry (falls back to globals, then built-ins).
    ClassName,
}

#[derive(Default, Clone, Copy, Debug)]
struct SymFlags {
    assigned: bool,
    param: bool,
    used: bool,
    global: bool,
    nonlocal: bool,
}

pub type ScopeId = usize;

#[derive(Debug)]
pub struct Scope {
    pub kind: ScopeKind,
    pub name: String,
    pub parent: Option<ScopeId>,
    symbols: IndexMap<String, SymFlags>,
    /// Parameter names in calling order.
    pub params: Vec<String>,
    pub resolved: HashMap<String, NameScope>,
    pub varnames: Vec<String>,
    pub cellvars: IndexSet<String>,
    pub freevars: IndexSet<String>,
    pub is_generator: bool,
    /// Span of the first `nonlocal`/`global` problem found, reported after analysis.
    decl_span: HashMap<String, Span>,
}

impl Scope {
    fn new(kind: ScopeKind, name: &str, parent: Option<ScopeId>) -> Scope {
        Scope {
            kind,
            name: name.to_string(),
            parent,
            symbols: IndexMap::new(),
            params: Vec::new(),
            resolved: HashMap::new(),
            varnames: Vec::new(),
            cellvars: IndexSet::new(),
            freevars: IndexSet::new(),
            is_generator: false,
            decl_span: HashMap::new(),
        }
    }

    /// True if this scope binds `name` itself (so inner functions may capture it).
    fn binds(&self, name: &str) -> bool {
        self.symbols
            .get(name)
            .map(|f| (f.assigned || f.param) && !f.global && !f.nonlocal)
            .unwrap_or(false)
    }

    pub fn lookup(&self, name: &str) -> NameScope {
        match self.resolved.get(name) {
            Some(s) => *s,
            None => match self.kind {
                ScopeKind::Class => NameScope::ClassName,
                _ => NameScope::Global,
            },
        }
    }

    /// Index of a cell or free variable in the frame's cell array.
    pub fn cell_index(&self, name: &str) -> Option<u32> {
        if let Some(i) = self.cellvars.get_index_of(name) {
            return Some(i as u32);
        }
        self.freevars
            .get_index_of(name)
            .map(|i| (self.cellvars.len() + i) as u32)
    }
}

pub struct SymbolTable {
    pub scopes: Vec<Scope>,
    /// The scope introduced by each def/lambda/class/comprehension node, by its span.
    by_span: HashMap<(u32, u32, u8), ScopeId>,
    /// Every name that is a module global in some scope, in first-seen order.
    pub global_names: IndexSet<String>,
}

/// A discriminator so a class and a function at the same span cannot collide.
fn kind_tag(kind: ScopeKind) -> u8 {
    kind as u8
}

impl SymbolTable {
    pub fn scope_for(&self, span: Span, kind: ScopeKind) -> ScopeId {
        self.by_span[&(span.start, span.end, kind_tag(kind))]
    }
}

struct Builder {
    scopes: Vec<Scope>,
    by_span: HashMap<(u32, u32, u8), ScopeId>,
    current: ScopeId,
    errors: Vec<CompileError>,
}

pub fn analyze(module: &Module) -> Result<SymbolTable, CompileError> {
    let mut b = Builder {
        scopes: vec![Scope::new(ScopeKind::Module, "<module>", None)],
        by_span: HashMap::new(),
        current: 0,
        errors: Vec::new(),
    };
    b.stmts(&module.body);
    if let Some(e) = b.errors.into_iter().next() {
        return Err(e);
    }
    let mut table = SymbolTable {
        scopes: b.scopes,
        by_span: b.by_span,
        global_names: IndexSet::new(),
    };
    resolve(&mut table)?;
    Ok(table)
}

impl Builder {
    fn scope(&mut self) -> &mut Scope {
        &mut self.scopes[self.current]
    }

    fn flags(&mut self, name: &str) -> &mut SymFlags {
        self.scope().symbols.entry(name.to_string()).or_default()
    }

    fn bind(&mut self, name: &str) {
        self.flags(name).assigned = true;
    }

    fn use_name(&mut self, name: &str) {
        self.flags(name).used = true;
    }

    fn push_scope(&mut self, kind: ScopeKind, name: &str, span: Span) -> ScopeId {
        let id = self.scopes.len();
        self.scopes.push(Scope::new(kind, name, Some(self.current)));
        self.by_span
            .insert((span.start, span.end, kind_tag(kind)), id);
        let prev = self.current;
        self.current = id;
        prev
    }

    fn stmts(&mut self, body: &[Stmt]) {
        for s in body {
            self.stmt(s);
        }
    }

    fn stmt(&mut self, s: &Stmt) {
        match &s.kind {
            StmtKind::Expr(e) => self.expr(e),
            StmtKind::Assign { targets, value } => {
                self.expr(value);
                for t in targets {
                    self.target(t);
                }
            }
            StmtKind::AugAssign { target, value, .. } => {
                self.expr(value);
                if let ExprKind::Name(n) = &target.kind {
                    self.use_name(n);
                }
                self.target(target);
            }
            StmtKind::AnnAssign {
                target,
                annotation,
                value,
            } => {
                if let Some(v) = value {
                    self.expr(v);
                    self.target(target);
                } else if !matches!(target.kind, ExprKind::Name(_)) {
                    self.expr(target);
                }
                if self.scope().kind != ScopeKind::Function {
                    self.expr(annotation);
                }
            }
            StmtKind::If { test, body, orelse } | StmtKind::While { test, body, orelse } => {
                self.expr(test);
                self.stmts(body);
                self.stmts(orelse);
            }
            StmtKind::For {
                target,
                iter,
                body,
                orelse,
            } => {
                self.expr(iter);
                self.target(target);
                self.stmts(body);
                self.stmts(orelse);
            }
            StmtKind::Break | StmtKind::Continue | StmtKind::Pass => {}
            StmtKind::Return(v) => {
                if let Some(v) = v {
                    self.expr(v);
                }
            }
            StmtKind::FunctionDef {
                name,
                params,
                body,
                decorators,
                returns,
                ..
            } => {
                for d in decorators {
                    self.expr(d);
                }
                self.param_defaults(params);
                if let Some(r) = returns {
                    self.expr(r);
                }
                self.bind(&name.name);
                let prev = self.push_scope(ScopeKind::Function, &name.name, s.span);
                self.params(params);
                self.stmts(body);
                self.current = prev;
            }
            StmtKind::ClassDef {
                name,
                bases,
                keywords,
                body,
                decorators,
            } => {
                for d in decorators {
                    self.expr(d);
                }
                for b in bases {
                    self.expr(b);
                }
                for (_, v) in keywords {
                    self.expr(v);
                }
                self.bind(&name.name);
                let prev = self.push_scope(ScopeKind::Class, &name.name, s.span);
                self.stmts(body);
                self.current = prev;
            }
            StmtKind::Global(names) | StmtKind::Nonlocal(names) => {
                let is_global = matches!(s.kind, StmtKind::Global(_));
                let kind = self.scope().kind;
                for n in names {
                    if !is_global && kind == ScopeKind::Module {
                        self.errors.push(CompileError::new(
                            "nonlocal declaration not allowed at module level",
                            s.span,
                        ));
                        return;
                    }
                    let f = *self.flags(&n.name);
                    if f.param {
                        let what = if is_global { "global" } else { "nonlocal" };
                        self.errors.push(CompileError::new(
                            format!("name '{}' is parameter and {}", n.name, what),
                            n.span,
                        ));
                        continue;
                    }
                    if f.assigned || f.used {
                        let what = if is_global { "global" } else { "nonlocal" };
                        let verb = if f.assigned { "assigned to" } else { "used" };
                        self.errors.push(CompileError::new(
                            format!("name '{}' is {} before {} declaration", n.name, verb, what),
                            n.span,
                        ));
                        continue;
                    }
                    let span = n.span;
                    let flags = self.flags(&n.name);
                    if is_global {
                        flags.global = true;
                    } else {
                        flags.nonlocal = true;
                    }
                    self.scope().decl_span.insert(n.name.clone(), span);
                }
            }
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finalbody,
            } => {
                self.stmts(body);
                for h in handlers {
                    if let Some(t) = &h.typ {
                        self.expr(t);
                    }
                    if let Some(n) = &h.name {
                        self.bind(&n.name);
                    }
                    self.stmts(&h.body);
                }
                self.stmts(orelse);
                self.stmts(finalbody);
            }
            StmtKind::Raise { exc, cause } => {
                if let Some(e) = exc {
                    self.expr(e);
                }
                if let Some(c) = cause {
                    self.expr(c);
                }
            }
            StmtKind::With { items, body, .. } => {
                for item in items {
                    self.expr(&item.context);
                    if let Some(t) = &item.target {
                        self.target(t);
                    }
                }
                self.stmts(body);
            }
            StmtKind::Import(aliases) => {
                for a in aliases {
                    match &a.asname {
                        Some(n) => self.bind(&n.name),
                        None => {
                            let top = a.name.split('.').next().unwrap_or(&a.name).to_string();
                            self.bind(&top);
                        }
                    }
                }
            }
            StmtKind::ImportFrom { names, star, .. } => {
                if *star && self.scope().kind != ScopeKind::Module {
                    self.errors.push(CompileError::new(
                        "import * only allowed at module level",
                        s.span,
                    ));
                }
                for a in names {
                    let n = a
                        .asname
                        .as_ref()
                        .map(|n| n.name.clone())
                        .unwrap_or(a.name.clone());
                    self.bind(&n);
                }
            }
            StmtKind::Delete(targets) => {
                for t in targets {
                    self.target(t);
                }
            }
            StmtKind::Assert { test, msg } => {
                self.expr(test);
                if let Some(m) = msg {
                    self.expr(m);
                }
            }
        }
    }

    fn param_defaults(&mut self, params: &Parameters) {
        let all = params
            .posonly
            .iter()
            .chain(&params.args)
            .chain(&params.vararg)
            .chain(&params.kwonly)
            .chain(&params.kwarg);
        for p in all {
            if let Some(d) = &p.default {
                self.expr(d);
            }
            if let Some(a) = &p.annotation {
                self.expr(a);
            }
        }
    }

    fn params(&mut self, params: &Parameters) {
        let order = params
            .posonly
            .iter()
            .chain(&params.args)
            .chain(&params.vararg)
            .chain(&params.kwonly)
            .chain(&params.kwarg);
        for p in order {
            if self.scope().params.contains(&p.name.name) {
                self.errors.push(CompileError::new(
                    format!(
                        "duplicate argument '{}' in function definition",
                        p.name.name
                    ),
                    p.name.span,
                ));
            }
            self.scope().params.push(p.name.name.clone());
            let f = self.flags(&p.name.name);
            f.param = true;
        }
    }

    /// An assignment (or `del`) target.
    fn target(&mut self, t: &Expr) {
        match &t.kind {
            ExprKind::Name(n) => self.bind(n),
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                for i in items {
                    self.target(i);
                }
            }
            ExprKind::Starred(inner) => self.target(inner),
            _ => self.expr(t),
        }
    }

    fn comprehension(&mut self, span: Span, generators: &[Comprehension], elts: &[&Expr]) {
        // The first iterable is evaluated in the enclosing scope.
        if let Some(first) = generators.first() {
            self.expr(&first.iter);
        }
        let prev = self.push_scope(ScopeKind::Comprehension, "<comprehension>", span);
        self.scope().params.push(".0".into());
        self.flags(".0").param = true;
        for (i, g) in generators.iter().enumerate() {
            if i > 0 {
                self.expr(&g.iter);
            }
            self.target(&g.target);
            for cond in &g.ifs {
                self.expr(cond);
            }
        }
        for e in elts {
            self.expr(e);
        }
        self.current = prev;
    }

    fn expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Name(n) => self.use_name(n),
            ExprKind::Constant(_) => {}
            ExprKind::FString(parts) => self.fstring_parts(parts),
            ExprKind::Unary { operand, .. } => self.expr(operand),
            ExprKind::Binary { left, right, .. } => {
                self.expr(left);
                self.expr(right);
            }
            ExprKind::BoolOp { values, .. } => {
                for v in values {
                    self.expr(v);
                }
            }
            ExprKind::Compare { left, ops } => {
                self.expr(left);
                for (_, r) in ops {
                    self.expr(r);
                }
            }
            ExprKind::IfExp { test, body, orelse } => {
                self.expr(test);
                self.expr(body);
                self.expr(orelse);
            }
            ExprKind::Lambda { params, body } => {
                self.param_defaults(params);
                let prev = self.push_scope(ScopeKind::Function, "<lambda>", e.span);
                self.params(params);
                self.expr(body);
                self.current = prev;
            }
            ExprKind::NamedExpr { target, value } => {
                self.expr(value);
                // PEP 572: inside a comprehension the target binds in the enclosing scope.
                let mut sid = self.current;
                while self.scopes[sid].kind == ScopeKind::Comprehension {
                    let parent = self.scopes[sid].parent.unwrap_or(0);
                    self.scopes[sid]
                        .symbols
                        .entry(target.name.clone())
                        .or_default()
                        .used = true;
                    sid = parent;
                }
                self.scopes[sid]
                    .symbols
                    .entry(target.name.clone())
                    .or_default()
                    .assigned = true;
            }
            ExprKind::Call { func, args } => {
                self.expr(func);
                for a in args {
                    match a {
                        Arg::Positional(v) | Arg::Starred(v) | Arg::DoubleStarred(v) => {
                            self.expr(v)
                        }
                        Arg::Keyword(_, v) => self.expr(v),
                    }
                }
            }
            ExprKind::Attribute { value, .. } => self.expr(value),
            ExprKind::Subscript { value, index } => {
                self.expr(value);
                self.expr(index);
            }
            ExprKind::Slice { lower, upper, step } => {
                for p in [lower, upper, step].into_iter().flatten() {
                    self.expr(p);
                }
            }
            ExprKind::Starred(v) | ExprKind::Await(v) | ExprKind::YieldFrom(v) => {
                if matches!(e.kind, ExprKind::YieldFrom(_)) {
                    self.mark_generator(e.span);
                }
                self.expr(v)
            }
            ExprKind::Tuple(items) | ExprKind::List(items) | ExprKind::Set(items) => {
                for i in items {
                    self.expr(i);
                }
            }
            ExprKind::Dict(items) => {
                for i in items {
                    match i {
                        DictItem::KeyValue(k, v) => {
                            self.expr(k);
                            self.expr(v);
                        }
                        DictItem::Unpack(v) => self.expr(v),
                    }
                }
            }
            ExprKind::ListComp { elt, generators }
            | ExprKind::SetComp { elt, generators }
            | ExprKind::GeneratorExp { elt, generators } => {
                self.comprehension(e.span, generators, &[elt]);
                if matches!(e.kind, ExprKind::GeneratorExp { .. }) {
                    let id = self.by_span
                        [&(e.span.start, e.span.end, kind_tag(ScopeKind::Comprehension))];
                    self.scopes[id].is_generator = true;
                }
            }
            ExprKind::DictComp {
                key,
                value,
                generators,
            } => {
                self.comprehension(e.span, generators, &[key, value]);
            }
            ExprKind::Yield(v) => {
                self.mark_generator(e.span);
                if let Some(v) = v {
                    self.expr(v);
                }
            }
        }
    }

    fn mark_generator(&mut self, span: Span) {
        match self.scope().kind {
            ScopeKind::Function => self.scope().is_generator = true,
            ScopeKind::Comprehension => self
                .errors
                .push(CompileError::new("'yield' inside list comprehension", span)),
            _ => self
                .errors
                .push(CompileError::new("'yield' outside function", span)),
        }
    }

    fn fstring_parts(&mut self, parts: &[FStringPart]) {
        for p in parts {
            if let FStringPart::Field(f) = p {
                self.expr(&f.expr);
                if let Some(spec) = &f.spec {
                    self.fstring_parts(spec);
                }
            }
        }
    }
}

/// Second pass: resolve every name in every scope.
fn resolve(table: &mut SymbolTable) -> Result<(), CompileError> {
    let n = table.scopes.len();
    // Free-variable requests: (requesting scope, name).
    let mut requests: Vec<(ScopeId, String, Option<Span>)> = Vec::new();
    for id in 0..n {
        let scope = &table.scopes[id];
        let mut resolved = HashMap::new();
        for (name, f) in &scope.symbols {
            let r = match scope.kind {
                ScopeKind::Module => NameScope::Global,
                _ if f.global => NameScope::Global,
                _ if f.nonlocal => {
                    requests.push((id, name.clone(), scope.decl_span.get(name).copied()));
                    NameScope::Free
                }
                ScopeKind::Class => {
                    if f.assigned {
                        NameScope::ClassName
                    } else {
                        // A read-only name in a class body may come from an enclosing function.
                        requests.push((id, name.clone(), None));
                        NameScope::ClassName
                    }
                }
                _ if f.assigned || f.param => NameScope::Local,
                _ => {
                    requests.push((id, name.clone(), None));
                    NameScope::Global
                }
            };
            resolved.insert(name.clone(), r);
        }
        table.scopes[id].resolved = resolved;
    }
    for (id, name, decl) in requests {
        // Walk outwards to the nearest function scope that binds the name.
        let mut path = Vec::new();
        let mut cur = table.scopes[id].parent;
        let mut found = None;
        while let Some(p) = cur {
            let s = &table.scopes[p];
            if s.kind == ScopeKind::Module {
                break;
            }
            if s.kind != ScopeKind::Class && s.binds(&name) {
                found = Some(p);
                break;
            }
            path.push(p);
            cur = s.parent;
        }
        match found {
            Some(def) => {
                table.scopes[def]
                    .resolved
                    .insert(name.clone(), NameScope::Cell);
                table.scopes[def].cellvars.insert(name.clone());
                for p in path {
                    let s = &mut table.scopes[p];
                    if !s.resolved.contains_key(&name) || s.kind == ScopeKind::Class {
                        if s.kind != ScopeKind::Class || !s.binds(&name) {
                            s.resolved.insert(name.clone(), NameScope::Free);
                        }
                        s.freevars.insert(name.clone());
                    }
                }
                let s = &mut table.scopes[id];
                s.resolved.insert(name.clone(), NameScope::Free);
                s.freevars.insert(name.clone());
            }
            None => {
                if let Some(span) = decl {
                    return Err(CompileError::new(
                        format!("no binding for nonlocal '{}' found", name),
                        span,
                    ));
                }
                // Stays global (or a class-namespace lookup that falls back to globals).
            }
        }
    }
    // A name that is a cell in its defining scope may also have been recorded as Free by a
    // nested request passing through; definers win.
    for s in table.scopes.iter_mut() {
        let cells: Vec<String> = s.cellvars.iter().cloned().collect();
        for c in cells {
            s.resolved.insert(c.clone(), NameScope::Cell);
            s.freevars.shift_remove(&c);
        }
    }
    // Lay out locals and collect module globals.
    for id in 0..n {
        let s = &mut table.scopes[id];
        let mut varnames: Vec<String> = s.params.clone();
        if s.kind == ScopeKind::Function || s.kind == ScopeKind::Comprehension {
            let names: Vec<String> = s.symbols.keys().cloned().collect();
            for name in names {
                let r = s.resolved[&name];
                if r == NameScope::Local && !varnames.contains(&name) {
                    varnames.push(name);
                }
            }
        }
        s.varnames = varnames;
        let globals: Vec<String> = s
            .symbols
            .keys()
            .filter(|n| {
                matches!(
                    s.resolved.get(*n),
                    Some(NameScope::Global) | Some(NameScope::ClassName)
                )
            })
            .cloned()
            .collect();
        for g in globals {
            table.global_names.insert(g);
        }
    }
    Ok(())
}
