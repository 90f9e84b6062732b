//! Instructions and code objects.
//!
//! Each instruction's doc gives its operand and stack effect, `[..., a, b] -> [..., r]`.

use std::sync::Arc;

use crate::syntax::ast::{BinOp, CmpOp, Span};
use crate::syntax::source::SourceFile;
use crate::vm::value::Value;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Op {
    Nop,
    /// `[] -> [consts[k]]`
    LoadConst(u32),
    /// `[] -> [locals[i]]`; UnboundLocalError if unset.
    LoadFast(u32),
    /// `[v] -> []`, `locals[i] = v`
    StoreFast(u32),
    /// `[] -> []`, unsets `locals[i]`.
    DeleteFast(u32),
    /// `[] -> [cells[i].value]` (cell variables first, then free variables).
    LoadDeref(u32),
    /// `[v] -> []`
    StoreDeref(u32),
    DeleteDeref(u32),
    /// `[] -> [module global slot g]`, falling back to built-ins; NameError if neither.
    LoadGlobal(u32),
    /// `[v] -> []`
    StoreGlobal(u32),
    DeleteGlobal(u32),
    /// Class bodies: `[] -> [namespace[names[n]] or global or built-in]`.
    LoadName(u32),
    /// `[v] -> []`, into the class namespace.
    StoreName(u32),
    DeleteName(u32),
    /// `[obj] -> [obj.names[n]]`
    LoadAttr(u32),
    /// `[v, obj] -> []`, `obj.names[n] = v`
    StoreAttr(u32),
    /// `[] -> [locals[l].names[n]]`: `LoadFast` + `LoadAttr` without copying the local.
    LoadFastAttr(u16, u16),
    /// `[v] -> []`, `locals[l].names[n] = v`: `LoadFast` + `StoreAttr` fused.
    StoreFastAttr(u16, u16),
    /// `[obj] -> []`
    DeleteAttr(u32),
    /// `[obj] -> [func, obj]` when `names[n]` is a plain method found on the class, else
    /// `[obj.names[n], NULL]`. Paired with `CallMethod`.
    LoadMethod(u32),
    /// `[f, a1..an] -> [f(a1..an)]`
    Call(u32),
    /// `[f|attr, self|NULL, a1..an] -> [result]`
    CallMethod(u32),
    /// `[f, a1..an, names] -> [result]`: the last `len(names)` arguments are keywords.
    CallKw(u32),
    /// `[f, args_tuple] -> [r]`, or with operand 1: `[f, args_tuple, kwargs_dict] -> [r]`.
    CallEx(u32),
    /// `[v] -> ` returns `v` to the caller.
    Return,
    /// `[v] -> []`
    PopTop,
    /// `[a] -> [a, a]`
    DupTop,
    /// `[a, b] -> [a, b, a, b]`
    DupTop2,
    /// `[a, b] -> [b, a]`
    RotTwo,
    /// `[a, b, c] -> [c, a, b]`
    RotThree,
    /// `[a, b, c, d] -> [d, a, b, c]`
    RotFour,
    /// `[v] -> [-v]`
    UnaryNeg,
    UnaryPos,
    UnaryNot,
    UnaryInvert,
    /// `[a, b] -> [a op b]`
    Binary(BinOp),
    /// `[a, b] -> [a op= b]` (in place for mutable containers).
    Inplace(BinOp),
    /// `[a, b] -> [a cmp b]`
    Compare(CmpOp),
    /// `[c, i] -> [c[i]]`
    BinarySubscr,
    /// `[v, c, i] -> []`, `c[i] = v`
    StoreSubscr,
    /// `[c, i] -> []`
    DeleteSubscr,
    /// `[lo, hi] -> [slice]` (operand 2) or `[lo, hi, step] -> [slice]` (operand 3).
    BuildSlice(u32),
    /// `[v1..vn] -> [(v1..vn)]`
    BuildTuple(u32),
    /// `[v1..vn] -> [[v1..vn]]`
    BuildList(u32),
    /// `[v1..vn] -> [{v1..vn}]`
    BuildSet(u32),
    /// `[k1, v1 .. kn, vn] -> [{k1: v1 ..}]`
    BuildMap(u32),
    /// `[s1..sn] -> [s1 + .. + sn]` for f-strings.
    BuildString(u32),
    /// `[list, x1..x(d-1), v] -> [list, x1..x(d-1)]`, `list.append(v)` (comprehensions).
    ListAppend(u32),
    /// `[set, .., v] -> [set, ..]`
    SetAdd(u32),
    /// `[dict, .., k, v] -> [dict, ..]`
    MapAdd(u32),
    /// `[list, .., it] -> [list, ..]`, `list.extend(it)`
    ListExtend(u32),
    /// `[set, .., it] -> [set, ..]`
    SetUpdate(u32),
    /// `[dict, .., m] -> [dict, ..]`; with `**m` in a call, duplicate keys are a TypeError.
    DictUpdate(u32),
    DictMerge(u32),
    /// `[list] -> [tuple(list)]`
    ListToTuple,
    /// `[seq] -> [vn .. v1]` (so the first target is stored first); ValueError on length mismatch.
    UnpackSequence(u32),
    /// `[seq] -> [after.., list, before..]`, operand `before | after << 16` for `a, *b, c = seq`.
    UnpackEx(u32),
    /// `[obj] -> [iter(obj)]`
    GetIter,
    /// `[it] -> [it, next(it)]`, or pops `it` and jumps to the target when exhausted.
    ForIter(u32),
    /// Unconditional forward jump.
    Jump(u32),
    /// Loop back-edge: also where the running thread polls the eval breaker.
    JumpBack(u32),
    /// `[v] -> []`, jump if falsy.
    PopJumpIfFalse(u32),
    /// `[v] -> []`, jump if truthy.
    PopJumpIfTrue(u32),
    /// `[v] -> [v]` and jump if falsy, else `[v] -> []`.
    JumpIfFalseOrPop(u32),
    /// `[v] -> [v]` and jump if truthy, else `[v] -> []`.
    JumpIfTrueOrPop(u32),
    /// Pushes an exception handler block at the target, recording the stack depth.
    SetupFinally(u32),
    /// Like `SetupFinally`, but the recorded depth excludes the `__enter__` result on top.
    SetupWith(u32),
    /// Pops the innermost handler block.
    PopBlock,
    /// Ends an `except` clause: pops its handler block and the "currently handled" exception.
    PopExcept,
    /// `[exc] -> ` re-raises `exc` without adding a traceback entry.
    Reraise,
    /// Operand 0: bare `raise`; 1: `[exc] ->`; 2: `[exc, cause] ->`.
    Raise(u32),
    /// `[exc, type] -> [exc, matches]`
    CheckExcMatch,
    /// `[] -> [AssertionError]`
    LoadAssertionError,
    /// `[ctx] -> [ctx.__exit__, ctx.__enter__()]`
    BeforeWith,
    /// `[exit, exc] -> [exit, exc, exit(type(exc), exc, tb)]`
    WithExceptStart,
    /// `[(defaults), (kwdefaults)] -> [function]` for `functions[k]`; which of the optional
    /// operands are present is recorded in that code object's flags.
    MakeFunction(u32),
    /// `[body_func, name, base1..basen] -> [class]`
    BuildClass(u32),
    /// `[] -> [module]` for `import names[n]` (binds the top package for dotted names).
    ImportName(u32),
    /// `[module] -> [module, module.names[n]]`; ImportError if missing.
    ImportFrom(u32),
    /// `[module] -> []`, copies its public names into the globals.
    ImportStar,
    /// `[v] -> [format(v)]` with conversion: 0 none, 1 str, 2 repr, 3 ascii; +4 if a format
    /// spec is on the stack: `[v, spec] -> [format(v, spec)]`.
    FormatValue(u32),
    /// `[v] -> [sent]`: suspends the generator, handing `v` to its consumer.
    YieldValue,
    /// `[it] -> [it]` and `yield from` the sub-iterator, leaving its return value:
    /// `[it, v] -> ` … see the VM.
    YieldFrom,
    /// `[] -> [locals dict]` (class bodies and `locals()`).
    LoadLocals,

    // ---- Superinstructions: only in `Code::quick`, never emitted or disassembled ----
    // Each one does the work of the instruction in its slot and of the one after it (which
    // is still there, so a jump to it runs it alone), then skips that one.
    /// `LoadFast(a); LoadFast(b)`.
    LoadFastLoadFast(u16, u16),
    /// `LoadFast(a); LoadConst(k)`.
    LoadFastLoadConst(u16, u16),
    /// `StoreFast(a); LoadFast(b)`.
    StoreFastLoadFast(u16, u16),
    /// `Binary(op)` or `Inplace(op)` (the flag), then `StoreFast(a)`.
    BinaryStoreFast(BinOp, bool, u16),
    /// `Compare(op); PopJumpIfFalse(t)`.
    CompareJumpIfFalse(CmpOp, u32),
    /// `Compare(op); PopJumpIfTrue(t)`.
    CompareJumpIfTrue(CmpOp, u32),
}

/// How an operand of a jump is patched after emission.
impl Op {
    pub fn jump_target(&self) -> Option<u32> {
        let mut op = *self;
        op.jump_target_mut().map(|t| *t)
    }

    pub fn set_jump_target(&mut self, target: u32) {
        if let Some(t) = self.jump_target_mut() {
            *t = target;
        }
    }

    fn jump_target_mut(&mut self) -> Option<&mut u32> {
        use Op::*;
        match self {
            ForIter(t)
            | Jump(t)
            | JumpBack(t)
            | PopJumpIfFalse(t)
            | PopJumpIfTrue(t)
            | JumpIfFalseOrPop(t)
            | JumpIfTrueOrPop(t)
            | SetupFinally(t)
            | SetupWith(t)
            | CompareJumpIfFalse(_, t)
            | CompareJumpIfTrue(_, t) => Some(t),
            _ => None,
        }
    }
}

/// Flags describing how a code object is called.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CodeFlags {
    pub is_generator: bool,
    pub has_varargs: bool,
    pub has_varkw: bool,
    /// `MakeFunction` pops a defaults tuple.
    pub has_defaults: bool,
    /// `MakeFunction` pops a keyword-only defaults dict.
    pub has_kwdefaults: bool,
    /// A class body: names live in a namespace, not in slots.
    pub is_class_body: bool,
    /// Module-level code.
    pub is_module: bool,
}

/// A compiled function body, class body or module.
pub struct Code {
    pub name: Arc<str>,
    pub qualname: Arc<str>,
    pub ops: Vec<Op>,
    /// `ops` with superinstructions (see `quicken`), which the uncounted dispatch loop runs.
    /// Same length and indices as `ops`, so spans, jumps and handlers apply to both.
    pub quick: Vec<Op>,
    /// The source span of each instruction (parallel to `ops`), for tracebacks and `dis`.
    pub spans: Vec<Span>,
    pub consts: Vec<Value>,
    /// Code objects of the functions, lambdas, comprehensions and class bodies defined here.
    pub functions: Vec<Arc<Code>>,
    /// Attribute and namespace names used by `LoadAttr`, `LoadName`, imports…
    pub names: Vec<Arc<str>>,
    /// Local variable names; the first `argcount + kwonlycount (+ varargs) (+ varkw)` are
    /// parameters, in that order.
    pub varnames: Vec<Arc<str>>,
    /// Names of cell variables (locals captured by inner functions), then free variables.
    pub cellvars: Vec<Arc<str>>,
    pub freevars: Vec<Arc<str>>,
    /// For each free variable, the index in the *defining* frame's cells to capture.
    pub closure_sources: Vec<u32>,
    /// For each cell variable that is also a parameter, `(cell index, local index)`, so the
    /// argument is moved into its cell on entry.
    pub cell_params: Vec<(u32, u32)>,
    pub posonly_count: u32,
    /// Positional parameters, including positional-only ones.
    pub arg_count: u32,
    pub kwonly_count: u32,
    pub flags: CodeFlags,
    pub source: Arc<SourceFile>,
    /// Line of the `def`/`class`, for `dis` headers.
    pub first_line: u32,
    pub docstring: Option<Arc<str>>,
}

impl Code {
    /// The 1-based source line of the instruction at `ip`.
    pub fn line_of(&self, ip: usize) -> usize {
        let span = self.spans.get(ip).or(self.spans.last()).copied().unwrap_or_default();
        self.source.line_of(span.start)
    }

    pub fn filename(&self) -> &str {
        &self.source.name
    }

    pub fn total_params(&self) -> usize {
        self.arg_count as usize
            + self.kwonly_count as usize
            + self.flags.has_varargs as usize
            + self.flags.has_varkw as usize
    }
}

impl std::fmt::Debug for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<code object {}>", self.qualname)
    }
}

// The dispatch loop copies an instruction per step: keep it one machine word.
const _: () = assert!(std::mem::size_of::<Op>() == 8);
