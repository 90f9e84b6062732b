//! AST to bytecode: scope analysis ([`symtable`]), code generation for statements
//! ([`stmt`]) and expressions ([`expr`]), and the disassembler ([`dis`]).

pub mod bytecode;
pub mod dis;
mod expr;
pub mod image;
mod quicken;
mod stmt;
pub mod symtable;

use std::collections::HashMap;
use std::sync::Arc;

use bytecode::{Code, CodeFlags, Op};
use symtable::{NameScope, ScopeId, ScopeKind, SymbolTable};

use crate::syntax::ast::{Module, Span, Stmt};
use crate::syntax::source::SourceFile;
use crate::vm::value::Value;

/// A compile-time error (CPython reports these as SyntaxError).
#[derive(Debug, Clone, PartialEq)]
pub struct CompileError {
    pub message: String,
    pub span: Span,
}

impl CompileError {
    pub fn new(message: impl Into<String>, span: Span) -> CompileError {
        CompileError {
            message: message.into(),
            span,
        }
    }
}

/// The result of compiling one file.
#[derive(Clone)]
pub struct CompiledModule {
    pub code: Arc<Code>,
    /// Names of the module's global slots, in slot order.
    pub global_names: Arc<Vec<Arc<str>>>,
}

pub fn compile_module(module: &Module, source: &Arc<SourceFile>) -> Result<CompiledModule, CompileError> {
    let table = symtable::analyze(module)?;
    let global_names: Vec<Arc<str>> = table.global_names.iter().map(|s| Arc::from(s.as_str())).collect();
    let mut c = Compiler {
        global_index: global_names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.to_string(), i as u32))
            .collect(),
        global_names,
        table: &table,
        source: source.clone(),
        units: Vec::new(),
        interned: HashMap::new(),
    };
    c.push_unit(0, "<module>", "<module>", 1);
    c.unit().flags.is_module = true;
    c.body_with_docstring(&module.body)?;
    if let Some(last) = module.body.last() {
        c.set_span(last.span);
    }
    c.emit_return_none();
    let code = c.pop_unit();
    Ok(CompiledModule {
        code,
        global_names: Arc::new(c.global_names),
    })
}

/// Where `break`, `continue` and `return` must clean up on their way out.
#[derive(Clone)]
enum FBlock<'a> {
    /// A `for` loop keeps its iterator on the stack.
    ForLoop {
        start: usize,
        breaks: Vec<usize>,
    },
    WhileLoop {
        start: usize,
        breaks: Vec<usize>,
    },
    /// Inside `try:` of a try/except: one handler block is pushed.
    TryBody,
    /// Inside `try:` of a try/finally: leaving runs the finally body.
    FinallyTry {
        body: &'a [Stmt],
    },
    /// Running the finally body on the exception path: the exception is on the stack.
    FinallyOnException,
    /// Inside an `except` clause.
    Handler {
        name: Option<String>,
    },
    /// Inside a `with` body: `__exit__` is on the stack.
    With,
}

/// Constants that are deduplicated within a code object.
#[derive(PartialEq, Eq, Hash)]
enum ConstKey {
    None,
    Bool(bool),
    Int(i64),
    Str(String),
}

struct Unit<'a> {
    scope: ScopeId,
    name: String,
    qualname: String,
    ops: Vec<Op>,
    spans: Vec<Span>,
    consts: Vec<Value>,
    const_keys: HashMap<ConstKey, u32>,
    functions: Vec<Arc<Code>>,
    names: Vec<Arc<str>>,
    name_index: HashMap<String, u32>,
    varnames: Vec<Arc<str>>,
    fblocks: Vec<FBlock<'a>>,
    span: Span,
    flags: CodeFlags,
    first_line: u32,
    docstring: Option<Arc<str>>,
    posonly_count: u32,
    arg_count: u32,
    kwonly_count: u32,
}

pub(crate) struct Compiler<'a> {
    table: &'a SymbolTable,
    source: Arc<SourceFile>,
    global_names: Vec<Arc<str>>,
    global_index: HashMap<String, u32>,
    units: Vec<Unit<'a>>,
    interned: HashMap<String, Arc<str>>,
}

type CResult<T = ()> = Result<T, CompileError>;

impl<'a> Compiler<'a> {
    fn intern(&mut self, s: &str) -> Arc<str> {
        if let Some(a) = self.interned.get(s) {
            return a.clone();
        }
        let a: Arc<str> = Arc::from(s);
        self.interned.insert(s.to_string(), a.clone());
        a
    }

    fn unit(&mut self) -> &mut Unit<'a> {
        self.units.last_mut().expect("a code unit is open")
    }

    fn scope(&self) -> &'a symtable::Scope {
        let id = self.units.last().expect("a code unit is open").scope;
        &self.table.scopes[id]
    }

    fn push_unit(&mut self, scope: ScopeId, name: &str, qualname: &str, first_line: u32) {
        let s = &self.table.scopes[scope];
        let varnames: Vec<Arc<str>> = s.varnames.iter().map(|v| self.intern(v)).collect();
        let span = self.units.last().map(|u| u.span).unwrap_or_default();
        self.units.push(Unit {
            scope,
            name: name.to_string(),
            qualname: qualname.to_string(),
            ops: Vec::new(),
            spans: Vec::new(),
            consts: Vec::new(),
            const_keys: HashMap::new(),
            functions: Vec::new(),
            names: Vec::new(),
            name_index: HashMap::new(),
            varnames,
            fblocks: Vec::new(),
            span,
            flags: CodeFlags {
                is_generator: s.is_generator,
                ..Default::default()
            },
            first_line,
            docstring: None,
            posonly_count: 0,
            arg_count: 0,
            kwonly_count: 0,
        });
    }

    fn pop_unit(&mut self) -> Arc<Code> {
        let u = self.units.pop().expect("a code unit is open");
        let s = &self.table.scopes[u.scope];
        let cellvars: Vec<Arc<str>> = s.cellvars.iter().map(|v| self.intern(v)).collect();
        let freevars: Vec<Arc<str>> = s.freevars.iter().map(|v| self.intern(v)).collect();
        // Free variables are captured from the enclosing unit's cells.
        let closure_sources = match self.units.last() {
            Some(parent) => {
                let ps = &self.table.scopes[parent.scope];
                s.freevars.iter().map(|v| ps.cell_index(v).unwrap_or(0)).collect()
            }
            None => Vec::new(),
        };
        let cell_params = s
            .cellvars
            .iter()
            .enumerate()
            .filter_map(|(ci, name)| s.params.iter().position(|p| p == name).map(|pi| (ci as u32, pi as u32)))
            .collect();
        Arc::new(Code {
            name: self.intern(&u.name),
            qualname: self.intern(&u.qualname),
            quick: quicken::quicken(&u.ops),
            ops: u.ops,
            spans: u.spans,
            consts: u.consts,
            functions: u.functions,
            names: u.names,
            varnames: u.varnames,
            cellvars,
            freevars,
            closure_sources,
            cell_params,
            posonly_count: u.posonly_count,
            arg_count: u.arg_count,
            kwonly_count: u.kwonly_count,
            flags: u.flags,
            source: self.source.clone(),
            first_line: u.first_line,
            docstring: u.docstring,
        })
    }

    // ---- emission helpers ----

    fn emit(&mut self, op: Op) -> usize {
        let u = self.unit();
        u.ops.push(op);
        u.spans.push(u.span);
        u.ops.len() - 1
    }

    fn here(&mut self) -> usize {
        self.unit().ops.len()
    }

    /// Points the jump at `at` to the current position.
    fn patch_here(&mut self, at: usize) {
        let target = self.here() as u32;
        self.unit().ops[at].set_jump_target(target);
    }

    fn set_span(&mut self, span: Span) -> Span {
        std::mem::replace(&mut self.unit().span, span)
    }

    fn line_of(&self, span: Span) -> u32 {
        self.source.line_of(span.start) as u32
    }

    fn const_index(&mut self, v: Value) -> u32 {
        // Identical simple constants share a slot.
        let key = match &v {
            Value::None => Some(ConstKey::None),
            Value::Bool(b) => Some(ConstKey::Bool(*b)),
            Value::Int(i) => Some(ConstKey::Int(*i)),
            Value::Str(s) => Some(ConstKey::Str(s.as_str().to_string())),
            _ => None,
        };
        let u = self.unit();
        if let Some(k) = &key {
            if let Some(&i) = u.const_keys.get(k) {
                return i;
            }
        }
        u.consts.push(v);
        let i = (u.consts.len() - 1) as u32;
        if let Some(k) = key {
            u.const_keys.insert(k, i);
        }
        i
    }

    fn load_const(&mut self, v: Value) {
        let k = self.const_index(v);
        self.emit(Op::LoadConst(k));
    }

    fn name_index(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.unit().name_index.get(name) {
            return i;
        }
        let a = self.intern(name);
        let u = self.unit();
        u.names.push(a);
        let i = (u.names.len() - 1) as u32;
        u.name_index.insert(name.to_string(), i);
        i
    }

    fn global_slot(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.global_index.get(name) {
            return i;
        }
        let a = self.intern(name);
        self.global_names.push(a);
        let i = (self.global_names.len() - 1) as u32;
        self.global_index.insert(name.to_string(), i);
        i
    }

    fn emit_return_none(&mut self) {
        self.load_const(Value::None);
        self.emit(Op::Return);
    }

    // ---- names ----

    fn load_name(&mut self, name: &str) {
        let op = match self.scope().lookup(name) {
            NameScope::Local => Op::LoadFast(self.local_index(name)),
            NameScope::Cell | NameScope::Free => Op::LoadDeref(self.scope().cell_index(name).unwrap_or(0)),
            NameScope::Global => Op::LoadGlobal(self.global_slot(name)),
            NameScope::ClassName => Op::LoadName(self.name_index(name)),
        };
        self.emit(op);
    }

    fn store_name(&mut self, name: &str) {
        let op = match self.scope().lookup(name) {
            NameScope::Local => Op::StoreFast(self.local_index(name)),
            NameScope::Cell | NameScope::Free => Op::StoreDeref(self.scope().cell_index(name).unwrap_or(0)),
            NameScope::Global => Op::StoreGlobal(self.global_slot(name)),
            NameScope::ClassName => Op::StoreName(self.name_index(name)),
        };
        self.emit(op);
    }

    fn delete_name(&mut self, name: &str) {
        let op = match self.scope().lookup(name) {
            NameScope::Local => Op::DeleteFast(self.local_index(name)),
            NameScope::Cell | NameScope::Free => Op::DeleteDeref(self.scope().cell_index(name).unwrap_or(0)),
            NameScope::Global => Op::DeleteGlobal(self.global_slot(name)),
            NameScope::ClassName => Op::DeleteName(self.name_index(name)),
        };
        self.emit(op);
    }

    fn local_index(&mut self, name: &str) -> u32 {
        let u = self.unit();
        match u.varnames.iter().position(|v| &**v == name) {
            Some(i) => i as u32,
            None => {
                let a: Arc<str> = Arc::from(name);
                u.varnames.push(a);
                (u.varnames.len() - 1) as u32
            }
        }
    }

    /// Operands for the `*FastAttr` superinstructions when `obj` is a plain fast local and
    /// both indexes fit in 16 bits.
    fn fused_attr(&mut self, obj: &crate::syntax::ast::Expr, name_index: u32) -> Option<(u16, u16)> {
        let crate::syntax::ast::ExprKind::Name(n) = &obj.kind else {
            return None;
        };
        if self.scope().lookup(n) != NameScope::Local {
            return None;
        }
        let local = self.local_index(n);
        Some((u16::try_from(local).ok()?, u16::try_from(name_index).ok()?))
    }

    fn in_function(&self) -> bool {
        matches!(self.scope().kind, ScopeKind::Function | ScopeKind::Comprehension)
    }
}
