//! Frames: one activation of a code object. Frames live on the heap (a `Vec` per thread),
//! never as Rust stack frames, so generators can suspend them and deep recursion is a
//! RecursionError rather than a crash.

use std::sync::Arc;

use super::objects::{AttrMap, Cell, Function, Generator, Module};
use super::value::Value;
use crate::compile::bytecode::Code;

/// An entry of the frame's block stack (CPython ≤3.10's SETUP_FINALLY / except-handler blocks).
#[derive(Clone, Copy, Debug)]
pub struct Block {
    pub kind: BlockKind,
    /// Stack depth to restore when the block is unwound.
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
    /// A generator resumed from Rust (`next()`, `send()`, `yield from` in native code).
    GenBoundary,
    /// A generator resumed by `YieldFrom` in the caller.
    GenYieldFrom,
}

pub struct Frame {
    pub code: Arc<Code>,
    pub ip: usize,
    pub locals: Vec<Option<Value>>,
    pub cells: Vec<Arc<Cell>>,
    pub stack: Vec<Value>,
    pub blocks: Vec<Block>,
    pub globals: Arc<Module>,
    /// The function being run (for `super()`), if any.
    pub func: Option<Arc<Function>>,
    /// Class bodies keep their names here instead of in slots.
    pub namespace: Option<Box<AttrMap>>,
    pub kind: FrameKind,
    /// The generator this frame belongs to.
    pub generator: Option<Arc<Generator>>,
}

impl Frame {
    pub fn new(code: Arc<Code>, globals: Arc<Module>, locals: Vec<Option<Value>>, stack: Vec<Value>) -> Frame {
        Frame {
            code,
            ip: 0,
            locals,
            cells: Vec::new(),
            stack,
            blocks: Vec::new(),
            globals,
            func: None,
            namespace: None,
            kind: FrameKind::Normal,
            generator: None,
        }
    }

    /// The 1-based line of the instruction being executed.
    pub fn current_line(&self) -> usize {
        self.code.line_of(self.ip.saturating_sub(1))
    }
}
