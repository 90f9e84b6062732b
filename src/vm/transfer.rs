//! Control moving between frames inside one dispatch loop: calls that push a frame (the
//! arguments already lie where the callee's locals go), returns, and generator suspension.

use std::sync::{Arc, LazyLock};

use crate::compile::bytecode::Code;

use super::errors::type_error;
use super::frame::{Frame, FrameKind};
use super::objects::{Args, Function};
use super::types::type_name;
use super::value::Value;
use super::vm::{CallTarget, RunExit, Vm};
use super::PyResult;
use smallvec::SmallVec;

/// The name `Class(...)` looks up, interned once so the method cache can key on it.
static INIT: LazyLock<Arc<str>> = LazyLock::new(|| Arc::from("__init__"));

/// No `*args`, `**kwargs` or keyword-only parameters, and not a generator: positional
/// arguments bind to the first locals one to one.
#[inline]
fn plain_positional(code: &Code) -> bool {
    code.kwonly_count == 0 && !code.flags.has_varargs && !code.flags.has_varkw && !code.flags.is_generator
}

/// For a call with `nargs` positional arguments and no keywords that leaves only defaulted
/// parameters unfilled (`put(item)` of `def put(self, item, block=True, timeout=None)`),
/// how many defaults to append; None when the call needs the general binder.
#[inline]
fn missing_defaults(func: &Function, nargs: usize) -> Option<usize> {
    let code = &func.code;
    let missing = (code.arg_count as usize).checked_sub(nargs)?;
    (missing <= func.defaults.len() && plain_positional(code)).then_some(missing)
}

impl Vm {
    /// A generator frame suspends: its frame and values go back into its generator. A
    /// generator driven by `yield from` passes the value on: its delegating generator
    /// suspends too, at its `YieldFrom`, and so on up the chain.
    pub(super) fn suspend_generator(&mut self, value: Value) -> Option<RunExit> {
        loop {
            if self.frames.last().map(|f| f.kind) == Some(FrameKind::GenConsumer) {
                // Consumed from Rust: hand the value out, keep the frame in place.
                return Some(RunExit::Yield(value));
            }
            let mut frame = self.frames.pop().expect("generator frame");
            let kind = frame.kind;
            let gen = frame.generator.take().expect("yield outside a generator frame");
            frame.kind = FrameKind::Normal;
            self.release_generator_stack(&gen, Some(frame));
            match kind {
                FrameKind::GenBoundary | FrameKind::GenConsumer => return Some(RunExit::Yield(value)),
                // The delegating frame is now on top, positioned at its YieldFrom with the
                // sub-generator on its stack: it yields the same value.
                FrameKind::GenYieldFrom => continue,
                FrameKind::GenForIter { .. } | FrameKind::Normal | FrameKind::Boundary => {
                    self.stack.push(value);
                    return None;
                }
            }
        }
    }

    /// A frame returns `value`. Returns `Some` when the dispatch loop must exit.
    #[inline]
    pub(super) fn return_from_frame(&mut self, value: Value) -> PyResult<Option<RunExit>> {
        let frame = self.frames.pop().expect("returning frame");
        match &frame.generator {
            Some(gen) => self.release_generator_stack(gen, None),
            None => self.stack.truncate(frame.ret_to),
        }
        if let Some(inst) = frame.init_self {
            if !value.is_none() {
                return Err(type_error(format!(
                    "__init__() should return None, not '{}'",
                    type_name(&value)
                )));
            }
            self.stack.push(inst);
            return Ok(None);
        }
        match frame.kind {
            FrameKind::Normal => {
                self.stack.push(value);
                Ok(None)
            }
            FrameKind::Boundary | FrameKind::GenBoundary | FrameKind::GenConsumer => Ok(Some(RunExit::Return(value))),
            FrameKind::GenForIter { exit } => {
                // Exhausted inside a for loop: drop the iterator and leave the loop.
                self.stack.pop();
                frame!(self).ip = exit as usize;
                Ok(None)
            }
            FrameKind::GenYieldFrom => {
                // `yield from` finished: replace the sub-iterator with its return value.
                self.stack.pop();
                self.stack.push(value);
                frame!(self).ip += 1;
                Ok(None)
            }
        }
    }

    /// The frame of `func` over arguments that already lie at `base` as its first locals,
    /// followed by its last `missing` defaults: the rest of its locals are made unbound, and
    /// its cells attached.
    #[inline]
    fn frame_in_place(&mut self, func: Arc<Function>, base: usize, ret_to: usize, missing: usize) -> Frame {
        if missing > 0 {
            let d = &func.defaults;
            self.stack.extend_from_slice(&d[d.len() - missing..]);
        }
        self.stack.resize(base + func.code.varnames.len(), Value::Null);
        let mut frame = Frame::new(func, base);
        frame.ret_to = ret_to;
        if !frame.code().cellvars.is_empty() || !frame.func.closure.is_empty() {
            self.attach_cells(&mut frame);
        }
        frame
    }

    /// Pushes a call's frame (fast path) or runs a non-Python callable and pushes its result.
    /// `callee_at` is the stack index of the callable; arguments follow it.
    #[inline]
    pub(super) fn call_at(&mut self, callee_at: usize, kw: &[(Arc<str>, Value)]) -> PyResult<()> {
        self.call_at_with(callee_at, kw, 0)
    }

    /// `call_at`, also removing `below` stack slots under the callable when the call is done.
    #[inline]
    pub(super) fn call_at_with(&mut self, callee_at: usize, kw: &[(Arc<str>, Value)], below: usize) -> PyResult<()> {
        if let Value::Function(func) = &self.stack[callee_at] {
            let nargs = self.stack.len() - callee_at - 1;
            if kw.is_empty() {
                if let Some(missing) = missing_defaults(func, nargs) {
                    // Fast path: the arguments already sit where the callee's locals go (the
                    // missing ones are its defaults), and the callable's reference moves into
                    // the frame.
                    let Value::Function(func) = std::mem::replace(&mut self.stack[callee_at], Value::Null) else {
                        unreachable!("checked above")
                    };
                    let frame = self.frame_in_place(func, callee_at + 1, callee_at - below, missing);
                    return self.push_frame(frame);
                }
            }
            let func = func.clone();
            let args: SmallVec<[Value; 8]> = self.stack.drain(callee_at + 1..).collect();
            self.stack.truncate(callee_at - below);
            return match self.frame_for_call(&func, &args, kw)? {
                CallTarget::Frame(new) => self.push_frame(new),
                CallTarget::Value(v) => {
                    self.stack.push(v);
                    Ok(())
                }
            };
        }
        if let Value::Class(class) = &self.stack[callee_at] {
            if class.builtin.is_none() && kw.is_empty() {
                let class = class.clone();
                if let Some(Value::Function(init)) = self.method_cache.lookup(&class, &INIT) {
                    // `Class(args)` with a Python __init__: run it in this loop, with the new
                    // instance in the callable's slot as `self`.
                    let inst = super::call::new_instance(&class, &self.stack[callee_at + 1..]);
                    self.stack[callee_at] = inst.clone();
                    let nargs = self.stack.len() - callee_at;
                    if let Some(missing) = missing_defaults(&init, nargs) {
                        let mut frame = self.frame_in_place(init, callee_at, callee_at - below, missing);
                        frame.init_self = Some(inst);
                        return self.push_frame(frame);
                    }
                    let args: SmallVec<[Value; 8]> = self.stack.drain(callee_at..).collect();
                    self.stack.truncate(callee_at - below);
                    match self.frame_for_call(&init, &args, kw)? {
                        CallTarget::Frame(mut new) => {
                            new.init_self = Some(inst);
                            return self.push_frame(new);
                        }
                        CallTarget::Value(_) => {
                            return Err(type_error("__init__() should return None, not 'generator'"));
                        }
                    }
                }
            }
        }
        // Everything else: move the arguments off the stack and lend them to Rust code.
        let args: SmallVec<[Value; 8]> = self.stack.drain(callee_at + 1..).collect();
        let callee = self.stack.pop().expect("callee on the stack");
        self.stack.truncate(callee_at - below);
        let r = self.call_with(&callee, Args::new(&args, kw))?;
        self.stack.push(r);
        Ok(())
    }
}
