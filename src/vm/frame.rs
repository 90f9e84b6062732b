//! Frames: one activation of a code object. Frames live on the heap (a `Vec` per thread),
//! never as Rust stack frames, so generators can suspend them and deep recursion is a
//! RecursionError rather than a crash.
//!
//! All frames of a thread share one value stack (`Vm::stack`), as CPython 3.11's frames
//! share a data stack: a frame's locals start at `base`, its operand stack follows them, and
//! a call's arguments are already in place as the callee's first locals.

use std::sync::Arc;

use super::objects::{AttrMap, Cell, Function, Generator};
use super::value::Value;
use crate::compile::bytecode::Code;

/// An entry of the frame's block stack (CPython ≤3.10's SETUP_FINALLY / except-handler blocks).
#[derive(Clone, Copy, Debug)]
pub struct Block {
    pub kind: BlockKind,
    /// Operand stack depth to restore, relative to the frame's `base`.
    pub level: u32,
    pub handler: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    /// A `try` body (or `with` body): an exception jumps to `handler`.
    Try,
    /// Inside an `except`/`finally` handler: unwinding it restores the previous exception.
    ExceptHandler,
}

/// What happens when the frame returns or yields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrameKind {
    /// A Python call from bytecode: the result is pushed on the caller's stack.
    Normal,
    /// Entered from Rust (`Vm::run_frame`): returning ends that dispatch loop.
    Boundary,
    /// A generator resumed by `ForIter` in the caller; exhaustion jumps to `exit`.
    GenForIter { exit: u32 },
    /// A generator resumed from Rust (`next()`, `send()`, `throw()`).
    GenBoundary,
    /// A generator consumed whole by Rust code (`Vm::for_each`): at each `yield` the
    /// dispatch loop hands the value out and the frame stays where it is, so nothing is
    /// suspended and resumed per item.
    GenConsumer,
    /// A generator resumed by `YieldFrom` in the caller.
    GenYieldFrom,
}

pub struct Frame {
    /// The function being run; module and class bodies run as functions too. Its code and
    /// globals are the frame's (one reference count per call instead of three).
    pub func: Arc<Function>,
    pub ip: usize,
    /// Index in the thread's value stack of local 0.
    pub base: usize,
    /// Stack length to restore when the frame is gone (below `base` when the callable and
    /// its arguments sat there).
    pub ret_to: usize,
    pub cells: Vec<Arc<Cell>>,
    pub blocks: Vec<Block>,
    /// Class bodies keep their names here instead of in slots.
    pub namespace: Option<Box<AttrMap>>,
    pub kind: FrameKind,
    /// The generator this frame belongs to.
    pub generator: Option<Arc<Generator>>,
    /// For `__init__` run by `Class(...)`: the new instance, which the call returns.
    pub init_self: Option<Value>,
}

impl Frame {
    pub fn new(func: Arc<Function>, base: usize) -> Frame {
        Frame {
            func,
            ip: 0,
            base,
            ret_to: base,
            cells: Vec::new(),
            blocks: Vec::new(),
            namespace: None,
            kind: FrameKind::Normal,
            generator: None,
            init_self: None,
        }
    }

    /// The code being run.
    #[inline(always)]
    pub fn code(&self) -> &Arc<Code> {
        &self.func.code
    }

    /// The 1-based line of the instruction being executed.
    pub fn current_line(&self) -> usize {
        self.code().line_of(self.ip.saturating_sub(1))
    }

    /// Index in the value stack where the operand stack starts.
    #[inline]
    pub fn stack_base(&self) -> usize {
        self.base + self.code().varnames.len()
    }
}
