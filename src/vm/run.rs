//! The dispatch loop, and exception unwinding through block stacks and frames.
//!
//! Python-to-Python calls push a frame and continue in the same loop; only calls made from
//! Rust (`Vm::run_frame`) enter a nested loop. The eval breaker is polled at backward jumps
//! and function entry, as CPython 3.10+ does (Python/ceval.c `CHECK_EVAL_BREAKER`).

use std::sync::Arc;

use super::dict::{new_dict_storage, new_set_storage, Key};
use super::errors::{name_error, type_error, unbound_local_error, value_error, PyErr};
use super::frame::{Block, BlockKind, Frame, FrameKind};
use super::objects::{new_attr_map, Args, DictObj, Function, IterState, SetObj, SliceObj, TracebackEntry};
use super::ops;
use super::types::{exc, type_name};
use super::value::Value;
use super::vm::{CallTarget, RunExit, Vm};
use super::PyResult;
use crate::compile::bytecode::Op;
use crate::syntax::ast::CmpOp;
use smallvec::SmallVec;

macro_rules! frame {
    ($vm:expr) => {
        $vm.frames.last_mut().expect("dispatch loop without a frame")
    };
}

macro_rules! pop {
    ($vm:expr) => {
        $vm.stack.pop().expect("operand stack underflow")
    };
}

macro_rules! top {
    ($vm:expr) => {
        $vm.stack.last().expect("operand stack underflow")
    };
}

impl Vm {
    /// Runs until the innermost boundary frame returns (or a generator it drives yields).
    pub(super) fn run(&mut self) -> PyResult<RunExit> {
        loop {
            match self.dispatch() {
                Ok(exit) => return Ok(exit),
                Err(err) => self.unwind(err)?,
            }
        }
    }

    /// Finds a handler for `err`: in the current frame's block stack, else in its callers.
    /// Returns `Err` once the error leaves the innermost boundary frame.
    fn unwind(&mut self, err: PyErr) -> PyResult<()> {
        let mut add_tb = !std::mem::take(&mut self.skip_traceback);
        loop {
            let Some(frame) = self.frames.last_mut() else {
                return Err(err);
            };
            if add_tb {
                let mut st = err.state();
                st.traceback.push(TracebackEntry {
                    code: frame.code.clone(),
                    ip: frame.ip.saturating_sub(1),
                });
                if st.traceback.len() == 1 && st.context.is_none() {
                    if let Some(cur) = self.exc_info.last() {
                        if !Arc::ptr_eq(&cur.0, &err.0) {
                            st.context = Some(cur.value());
                        }
                    }
                }
            }
            add_tb = true;
            while let Some(block) = frame.blocks.pop() {
                match block.kind {
                    BlockKind::ExceptHandler => {
                        self.exc_info.pop();
                    }
                    BlockKind::Try => {
                        self.stack.truncate(frame.base + block.level as usize);
                        frame.blocks.push(Block {
                            kind: BlockKind::ExceptHandler,
                            level: block.level,
                            handler: 0,
                        });
                        self.stack.push(err.value());
                        frame.ip = block.handler as usize;
                        self.exc_info.push(err);
                        return Ok(());
                    }
                }
            }
            // No handler here: the frame is done.
            let frame = self.frames.pop().expect("frame present");
            self.stack.truncate(frame.ret_to);
            if let Some(gen) = &frame.generator {
                let mut st = gen.state.lock();
                st.running = false;
                st.finished = true;
            }
            match frame.kind {
                FrameKind::Boundary | FrameKind::GenBoundary => return Err(err),
                FrameKind::Normal | FrameKind::GenForIter { .. } | FrameKind::GenYieldFrom => {}
            }
        }
    }

    /// Starts unwinding `err` from the current frame (used by `generator.throw`).
    pub(super) fn unwind_from_here(&mut self, err: PyErr) -> PyResult<()> {
        self.unwind(err)
    }

    /// A generator frame suspends: its frame and values go back into its generator. A
    /// generator driven by `yield from` passes the value on: its delegating generator
    /// suspends too, at its `YieldFrom`, and so on up the chain.
    fn suspend_generator(&mut self, value: Value) -> Option<RunExit> {
        loop {
            let mut frame = self.frames.pop().expect("generator frame");
            let kind = frame.kind;
            let gen = frame.generator.take().expect("yield outside a generator frame");
            frame.kind = FrameKind::Normal;
            {
                let mut st = gen.state.lock();
                st.running = false;
                st.values.clear();
                st.values.extend(self.stack.drain(frame.base..));
                st.frame = Some(frame);
            }
            match kind {
                FrameKind::GenBoundary => return Some(RunExit::Yield(value)),
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
    fn return_from_frame(&mut self, value: Value) -> PyResult<Option<RunExit>> {
        let frame = self.frames.pop().expect("returning frame");
        self.stack.truncate(frame.ret_to);
        if let Some(gen) = &frame.generator {
            let mut st = gen.state.lock();
            st.running = false;
            st.finished = true;
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
            FrameKind::Boundary | FrameKind::GenBoundary => Ok(Some(RunExit::Return(value))),
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

    /// Pushes a call's frame (fast path) or runs a non-Python callable and pushes its result.
    /// `callee_at` is the stack index of the callable; arguments follow it.
    #[inline]
    fn call_at(&mut self, callee_at: usize, kw: &[(Arc<str>, Value)]) -> PyResult<()> {
        self.call_at_with(callee_at, kw, 0)
    }

    /// `call_at`, also removing `below` stack slots under the callable when the call is done.
    #[inline]
    fn call_at_with(&mut self, callee_at: usize, kw: &[(Arc<str>, Value)], below: usize) -> PyResult<()> {
        if let Value::Function(func) = &self.stack[callee_at] {
            let code = &func.code;
            let nargs = self.stack.len() - callee_at - 1;
            if kw.is_empty()
                && nargs == code.arg_count as usize
                && code.kwonly_count == 0
                && !code.flags.has_varargs
                && !code.flags.has_varkw
                && !code.flags.is_generator
            {
                // Fast path: the arguments already sit where the callee's locals go, and the
                // callable's reference moves into the frame.
                let nvars = code.varnames.len();
                let Value::Function(func) = std::mem::replace(&mut self.stack[callee_at], Value::Null) else {
                    unreachable!("checked above")
                };
                self.stack.resize(callee_at + 1 + nvars, Value::Null);
                let mut frame = Frame::new(func, callee_at + 1);
                frame.ret_to = callee_at - below;
                if !frame.code.cellvars.is_empty() || !frame.func.closure.is_empty() {
                    self.attach_cells(&mut frame);
                }
                return self.push_frame(frame);
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
                if let Some(Value::Function(init)) = class.lookup("__init__") {
                    // `Class(args)` with a Python __init__: run it in this loop, with the new
                    // instance in the callable's slot as `self`.
                    let inst = super::call::new_instance(class, &self.stack[callee_at + 1..]);
                    self.stack[callee_at] = inst.clone();
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

    /// The loop itself.
    fn dispatch(&mut self) -> PyResult<RunExit> {
        loop {
            let f = frame!(self);
            let op = f.code.ops[f.ip];
            f.ip += 1;
            match op {
                Op::Nop => {}
                Op::LoadConst(k) => {
                    let v = f.code.consts[k as usize].clone();
                    self.stack.push(v);
                }
                Op::LoadFast(i) => {
                    let v = self.stack[f.base + i as usize].clone();
                    if let Value::Null = v {
                        return Err(unbound_local(&f.code.varnames[i as usize]));
                    }
                    self.stack.push(v);
                }
                Op::StoreFast(i) => {
                    let v = pop!(self);
                    std::mem::replace(&mut self.stack[f.base + i as usize], v).discard();
                }
                Op::DeleteFast(i) => {
                    let slot = f.base + i as usize;
                    if let Value::Null = std::mem::replace(&mut self.stack[slot], Value::Null) {
                        return Err(unbound_local(&f.code.varnames[i as usize]));
                    }
                }
                Op::LoadDeref(i) => {
                    let v = f.cells[i as usize].value.lock().clone();
                    match v {
                        Some(v) => self.stack.push(v),
                        None => return Err(unbound_deref(f, i)),
                    }
                }
                Op::StoreDeref(i) => {
                    let v = pop!(self);
                    *f.cells[i as usize].value.lock() = Some(v);
                }
                Op::DeleteDeref(i) => {
                    if f.cells[i as usize].value.lock().take().is_none() {
                        return Err(unbound_deref(f, i));
                    }
                }
                Op::LoadGlobal(g) => {
                    let v = {
                        let globals = f.func.globals.globals.read();
                        match &globals.values[g as usize] {
                            Some(v) => Some(v.clone()),
                            None => globals.builtins[g as usize].clone(),
                        }
                    };
                    match v {
                        Some(v) => self.stack.push(v),
                        None => {
                            let name = f.func.globals.slot_name(g as usize);
                            return Err(self.undefined_name(&name));
                        }
                    }
                }
                Op::StoreGlobal(g) => {
                    let v = pop!(self);
                    f.func.globals.globals.write().values[g as usize] = Some(v);
                }
                Op::DeleteGlobal(g) => {
                    let old = f.func.globals.globals.write().values[g as usize].take();
                    if old.is_none() {
                        let name = f.func.globals.slot_name(g as usize);
                        return Err(name_error(format!("name '{}' is not defined", name)));
                    }
                }
                Op::LoadName(n) => {
                    let name = f.code.names[n as usize].clone();
                    let local = f.namespace.as_ref().and_then(|ns| ns.get(&name).cloned());
                    let v = match local {
                        Some(v) => v,
                        None => match f
                            .func
                            .globals
                            .get(&name)
                            .or_else(|| crate::builtins::lookup_builtin(&name))
                        {
                            Some(v) => v,
                            None => return Err(self.undefined_name(&name)),
                        },
                    };
                    self.stack.push(v);
                }
                Op::StoreName(n) => {
                    let v = pop!(self);
                    let name = f.code.names[n as usize].clone();
                    match &mut f.namespace {
                        Some(ns) => {
                            ns.insert(name, v);
                        }
                        None => f.func.globals.set(&name, v),
                    }
                }
                Op::DeleteName(n) => {
                    let name = f.code.names[n as usize].clone();
                    let removed = match &mut f.namespace {
                        Some(ns) => ns.shift_remove(&name).is_some(),
                        None => f.func.globals.delete(&name),
                    };
                    if !removed {
                        return Err(name_error(format!("name '{}' is not defined", name)));
                    }
                }
                Op::LoadAttr(n) => {
                    let obj = pop!(self);
                    // Fast path: a plain instance attribute, found without cloning the name.
                    if let Some(v) = super::attr::instance_attr_fast(&obj, &f.code.names[n as usize]) {
                        self.stack.push(v);
                        continue;
                    }
                    let name = f.code.names[n as usize].clone();
                    let v = self.getattr(&obj, &name)?;
                    self.stack.push(v);
                }
                Op::StoreAttr(n) => {
                    let obj = pop!(self);
                    let v = pop!(self);
                    let v = match super::attr::store_instance_attr_fast(&obj, &f.code.names[n as usize], v) {
                        None => continue,
                        Some(v) => v,
                    };
                    let name = f.code.names[n as usize].clone();
                    self.setattr(&obj, &name, v)?;
                }
                Op::LoadFastAttr(l, n) => {
                    let slot = f.base + l as usize;
                    let name = &f.code.names[n as usize];
                    let fast = match &self.stack[slot] {
                        Value::Null => return Err(unbound_local(&f.code.varnames[l as usize])),
                        obj => super::attr::instance_attr_fast(obj, name),
                    };
                    if let Some(v) = fast {
                        self.stack.push(v);
                        continue;
                    }
                    let obj = self.stack[slot].clone();
                    let name = name.clone();
                    let v = self.getattr(&obj, &name)?;
                    self.stack.push(v);
                }
                Op::StoreFastAttr(l, n) => {
                    let slot = f.base + l as usize;
                    let v = pop!(self);
                    let name = &f.code.names[n as usize];
                    let v = match &self.stack[slot] {
                        Value::Null => return Err(unbound_local(&f.code.varnames[l as usize])),
                        obj => match super::attr::store_instance_attr_fast(obj, name, v) {
                            None => continue,
                            Some(v) => v,
                        },
                    };
                    let obj = self.stack[slot].clone();
                    let name = name.clone();
                    self.setattr(&obj, &name, v)?;
                }
                Op::DeleteAttr(n) => {
                    let name = f.code.names[n as usize].clone();
                    let obj = pop!(self);
                    self.delattr(&obj, &name)?;
                }
                Op::LoadMethod(n) => {
                    let obj = pop!(self);
                    if let Some(func) = super::attr::method_fast(&obj, &f.code.names[n as usize]) {
                        self.stack.push(func);
                        self.stack.push(obj);
                        continue;
                    }
                    if let Value::Module(m) = &obj {
                        // `math.sqrt(x)`: a module attribute, called without self.
                        if let Some(v) = m.get(&f.code.names[n as usize]) {
                            obj.discard();
                            self.stack.push(v);
                            self.stack.push(Value::Null);
                            continue;
                        }
                    }
                    let name = f.code.names[n as usize].clone();
                    match self.lookup_method(&obj, &name)? {
                        Some(func) => {
                            self.stack.push(func);
                            self.stack.push(obj);
                        }
                        None => {
                            let v = self.getattr(&obj, &name)?;
                            self.stack.push(v);
                            self.stack.push(Value::Null);
                        }
                    }
                }
                Op::Call(n) => {
                    let callee_at = self.stack.len() - n as usize - 1;
                    self.call_at(callee_at, &[])?;
                    if self.breaker_set() {
                        self.handle_breaker()?;
                    }
                }
                Op::CallMethod(n) => {
                    let self_at = self.stack.len() - n as usize - 1;
                    if matches!(self.stack[self_at], Value::Null) {
                        // [attr, NULL, args] -> [NULL, attr, args]: call `attr`, and let the
                        // call's cleanup take the NULL too (no shifting of the arguments).
                        self.stack.swap(self_at - 1, self_at);
                        self.call_at_with(self_at, &[], 1)?;
                    } else {
                        self.call_at(self_at - 1, &[])?;
                    }
                    if self.breaker_set() {
                        self.handle_breaker()?;
                    }
                }
                Op::CallKw(n) => {
                    let names = pop!(self);
                    let Value::Tuple(names) = names else {
                        return Err(type_error("keyword names must be a tuple"));
                    };
                    let nkw = names.len();
                    let kwvals: Vec<Value> = self.stack.drain(self.stack.len() - nkw..).collect();
                    let kw: Vec<(Arc<str>, Value)> = names
                        .iter()
                        .zip(kwvals)
                        .map(|(k, v)| match k {
                            Value::Str(s) => (Arc::from(s.as_str()), v),
                            _ => (Arc::from("?"), v),
                        })
                        .collect();
                    let callee_at = self.stack.len() - (n as usize - nkw) - 1;
                    self.call_at(callee_at, &kw)?;
                }
                Op::CallEx(has_kw) => {
                    let kwargs = if has_kw != 0 { Some(pop!(self)) } else { None };
                    let args = pop!(self);
                    let callee = pop!(self);
                    let Value::Tuple(args) = args else {
                        return Err(type_error("argument list must be a tuple"));
                    };
                    let kw = match kwargs {
                        Some(Value::Dict(d)) => {
                            let mut kw = Vec::new();
                            for (k, v) in d.map.lock().iter() {
                                match &k.value {
                                    Value::Str(s) => kw.push((Arc::from(s.as_str()), v.clone())),
                                    _ => return Err(type_error("keywords must be strings")),
                                }
                            }
                            kw
                        }
                        _ => Vec::new(),
                    };
                    self.stack.push(callee);
                    self.stack.extend(args.iter().cloned());
                    let callee_at = self.stack.len() - args.len() - 1;
                    self.call_at(callee_at, &kw)?;
                }
                Op::Return => {
                    let v = pop!(self);
                    if let Some(exit) = self.return_from_frame(v)? {
                        return Ok(exit);
                    }
                }
                Op::PopTop => {
                    pop!(self).discard();
                }
                Op::DupTop => {
                    let v = top!(self).clone();
                    self.stack.push(v);
                }
                Op::DupTop2 => {
                    let n = self.stack.len();
                    let a = self.stack[n - 2].clone();
                    let b = self.stack[n - 1].clone();
                    self.stack.push(a);
                    self.stack.push(b);
                }
                Op::RotTwo => {
                    let n = self.stack.len();
                    self.stack.swap(n - 1, n - 2);
                }
                Op::RotThree => {
                    let v = pop!(self);
                    let n = self.stack.len();
                    self.stack.insert(n - 2, v);
                }
                Op::RotFour => {
                    let v = pop!(self);
                    let n = self.stack.len();
                    self.stack.insert(n - 3, v);
                }
                Op::UnaryNeg => {
                    let v = pop!(self);
                    let r = match v {
                        Value::Int(i) if i != i64::MIN => Value::Int(-i),
                        Value::Float(x) => Value::Float(-x),
                        v => self.unary_op(ops::Unary::Neg, v)?,
                    };
                    self.stack.push(r);
                }
                Op::UnaryPos => {
                    let v = pop!(self);
                    let r = self.unary_op(ops::Unary::Pos, v)?;
                    self.stack.push(r);
                }
                Op::UnaryInvert => {
                    let v = pop!(self);
                    let r = self.unary_op(ops::Unary::Invert, v)?;
                    self.stack.push(r);
                }
                Op::UnaryNot => {
                    let v = pop!(self);
                    let b = match v {
                        Value::Bool(b) => b,
                        v => self.truthy(&v)?,
                    };
                    self.stack.push(Value::Bool(!b));
                }
                Op::Binary(bop) | Op::Inplace(bop) => {
                    let inplace = matches!(op, Op::Inplace(_));
                    let b = pop!(self);
                    let a = pop!(self);
                    // Matching by value: in the fast arms nothing is left to drop.
                    let r = match (a, b) {
                        (Value::Int(x), Value::Int(y)) => match ops::int_fast(bop, x, y) {
                            Some(r) => r,
                            None => self.binary_op(bop, Value::Int(x), Value::Int(y))?,
                        },
                        (Value::Float(x), Value::Float(y)) => match ops::float_fast(bop, x, y) {
                            Some(r) => r,
                            None => self.binary_op(bop, Value::Float(x), Value::Float(y))?,
                        },
                        (Value::Float(x), Value::Int(y)) => match ops::float_fast(bop, x, y as f64) {
                            Some(r) => r,
                            None => self.binary_op(bop, Value::Float(x), Value::Int(y))?,
                        },
                        (Value::Int(x), Value::Float(y)) => match ops::float_fast(bop, x as f64, y) {
                            Some(r) => r,
                            None => self.binary_op(bop, Value::Int(x), Value::Float(y))?,
                        },
                        (a, b) if inplace => self.inplace_op(bop, a, b)?,
                        (a, b) => self.binary_op(bop, a, b)?,
                    };
                    self.stack.push(r);
                }
                Op::Compare(op) => {
                    let b = pop!(self);
                    let a = pop!(self);
                    let r = match (a, b) {
                        (Value::Int(x), Value::Int(y)) if op.is_ordering() => ops::cmp_ints(op, x, y),
                        (Value::Float(x), Value::Float(y)) if op.is_ordering() => ops::cmp_floats(op, x, y),
                        (a, b) => match op {
                            CmpOp::Is => a.is(&b),
                            CmpOp::IsNot => !a.is(&b),
                            CmpOp::In => self.contains(&b, &a)?,
                            CmpOp::NotIn => !self.contains(&b, &a)?,
                            _ => {
                                let v = self.rich_compare(&a, &b, op)?;
                                self.stack.push(v);
                                continue;
                            }
                        },
                    };
                    self.stack.push(Value::Bool(r));
                }
                Op::BinarySubscr => {
                    let i = pop!(self);
                    let c = pop!(self);
                    let r = match (&c, &i) {
                        (Value::List(l), Value::Int(idx)) => {
                            let items = l.items.lock();
                            let n = items.len() as i64;
                            let j = if *idx < 0 { idx + n } else { *idx };
                            if j < 0 || j >= n {
                                return Err(super::errors::index_error("list index out of range"));
                            }
                            items[j as usize].clone()
                        }
                        _ => self.getitem(&c, &i)?,
                    };
                    self.stack.push(r);
                }
                Op::StoreSubscr => {
                    let i = pop!(self);
                    let c = pop!(self);
                    let v = pop!(self);
                    self.setitem(&c, &i, v)?;
                }
                Op::DeleteSubscr => {
                    let i = pop!(self);
                    let c = pop!(self);
                    self.delitem(&c, &i)?;
                }
                Op::BuildSlice(n) => {
                    let step = if n == 3 { pop!(self) } else { Value::None };
                    let stop = pop!(self);
                    let start = pop!(self);
                    self.stack.push(Value::Slice(Arc::new(SliceObj { start, stop, step })));
                }
                Op::BuildTuple(n) => {
                    let items: Vec<Value> = self.stack.drain(self.stack.len() - n as usize..).collect();
                    self.stack.push(Value::tuple(items));
                }
                Op::BuildList(n) => {
                    let items: Vec<Value> = self.stack.drain(self.stack.len() - n as usize..).collect();
                    self.stack.push(Value::list(items));
                }
                Op::BuildSet(n) => {
                    let items: Vec<Value> = self.stack.drain(self.stack.len() - n as usize..).collect();
                    let mut set = new_set_storage();
                    for v in items {
                        set.insert(Key::new(v)?);
                    }
                    self.stack.push(Value::Set(Arc::new(SetObj::new(set, false))));
                }
                Op::BuildMap(n) => {
                    let items: Vec<Value> = self.stack.drain(self.stack.len() - 2 * n as usize..).collect();
                    let mut map = new_dict_storage();
                    let mut it = items.into_iter();
                    while let (Some(k), Some(v)) = (it.next(), it.next()) {
                        map.insert(Key::new(k)?, v);
                    }
                    self.stack.push(Value::Dict(Arc::new(DictObj::new(map))));
                }
                Op::BuildString(n) => {
                    let parts: Vec<Value> = self.stack.drain(self.stack.len() - n as usize..).collect();
                    let mut s = String::new();
                    for p in &parts {
                        if let Value::Str(p) = p {
                            s.push_str(p.as_str());
                        }
                    }
                    self.stack.push(Value::string(s));
                }
                Op::ListAppend(d) => {
                    let v = pop!(self);
                    let at = self.stack.len() - d as usize;
                    match &self.stack[at] {
                        Value::List(l) => l.items.lock().push(v),
                        _ => return Err(type_error("internal: ListAppend target is not a list")),
                    }
                }
                Op::SetAdd(d) => {
                    let v = pop!(self);
                    let at = self.stack.len() - d as usize;
                    let key = Key::new(v)?;
                    match &self.stack[at] {
                        Value::Set(s) => {
                            s.set.lock().insert(key);
                        }
                        _ => return Err(type_error("internal: SetAdd target is not a set")),
                    }
                }
                Op::MapAdd(d) => {
                    let v = pop!(self);
                    let k = pop!(self);
                    let at = self.stack.len() - d as usize;
                    let key = Key::new(k)?;
                    match &self.stack[at] {
                        Value::Dict(m) => {
                            m.map.lock().insert(key, v);
                        }
                        _ => return Err(type_error("internal: MapAdd target is not a dict")),
                    }
                }
                Op::ListExtend(d) => {
                    let it = pop!(self);
                    let at = self.stack.len() - d as usize;
                    let target = self.stack[at].clone();
                    let items = self.collect(&it).map_err(|e| star_error(e, &it))?;
                    if let Value::List(l) = target {
                        l.items.lock().extend(items);
                    }
                }
                Op::SetUpdate(d) => {
                    let it = pop!(self);
                    let at = self.stack.len() - d as usize;
                    let target = self.stack[at].clone();
                    let items = self.collect(&it)?;
                    if let Value::Set(s) = target {
                        let mut keys = Vec::with_capacity(items.len());
                        for v in items {
                            keys.push(Key::new(v)?);
                        }
                        s.set.lock().extend(keys);
                    }
                }
                Op::DictUpdate(d) | Op::DictMerge(d) => {
                    let m = pop!(self);
                    let at = self.stack.len() - d as usize;
                    let target = self.stack[at].clone();
                    let merge = matches!(op, Op::DictMerge(_));
                    let Value::Dict(src) = &m else {
                        return Err(type_error(format!("'{}' object is not a mapping", type_name(&m))));
                    };
                    if let Value::Dict(t) = target {
                        let entries: Vec<(Key, Value)> =
                            src.map.lock().iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                        let mut tm = t.map.lock();
                        for (k, v) in entries {
                            if merge && tm.contains_key(&k) {
                                let key = super::format::repr_const(&k.value);
                                return Err(type_error(format!("got multiple values for keyword argument {}", key)));
                            }
                            tm.insert(k, v);
                        }
                    }
                }
                Op::ListToTuple => {
                    let v = pop!(self);
                    let items = match v {
                        Value::List(l) => std::mem::take(&mut *l.items.lock()),
                        _ => Vec::new(),
                    };
                    self.stack.push(Value::tuple(items));
                }
                Op::UnpackSequence(n) => {
                    let seq = pop!(self);
                    let items: Vec<Value> = match &seq {
                        Value::Tuple(t) => (**t).clone(),
                        Value::List(l) => l.items.lock().clone(),
                        _ => self.collect(&seq).map_err(|e| unpack_error(e, &seq))?,
                    };
                    if items.len() != n as usize {
                        return Err(if items.len() > n as usize {
                            value_error(format!("too many values to unpack (expected {})", n))
                        } else {
                            value_error(format!(
                                "not enough values to unpack (expected {}, got {})",
                                n,
                                items.len()
                            ))
                        });
                    }
                    self.stack.extend(items.into_iter().rev());
                }
                Op::UnpackEx(arg) => {
                    let before = (arg & 0xffff) as usize;
                    let after = (arg >> 16) as usize;
                    let seq = pop!(self);
                    let mut items = self.collect(&seq).map_err(|e| unpack_error(e, &seq))?;
                    if items.len() < before + after {
                        return Err(value_error(format!(
                            "not enough values to unpack (expected at least {}, got {})",
                            before + after,
                            items.len()
                        )));
                    }
                    let tail = items.split_off(items.len() - after);
                    let middle = items.split_off(before);
                    self.stack.extend(tail.into_iter().rev());
                    self.stack.push(Value::list(middle));
                    self.stack.extend(items.into_iter().rev());
                }
                Op::GetIter => {
                    let v = pop!(self);
                    let it = self.get_iter(&v)?;
                    self.stack.push(it);
                }
                Op::ForIter(target) => {
                    let it = top!(self);
                    match it {
                        Value::Iter(obj) => {
                            if let Some(r) = &obj.range {
                                match r.advance() {
                                    Some(i) => self.stack.push(Value::Int(i)),
                                    None => {
                                        pop!(self).discard();
                                        f.ip = target as usize;
                                    }
                                }
                                continue;
                            }
                            let mut st = obj.state.lock();
                            match &mut *st {
                                IterState::Seq {
                                    seq: Value::List(l),
                                    index,
                                } => {
                                    let item = l.items.lock().get(*index).cloned();
                                    match item {
                                        Some(v) => {
                                            *index += 1;
                                            drop(st);
                                            self.stack.push(v);
                                        }
                                        None => {
                                            *st = IterState::Exhausted;
                                            drop(st);
                                            self.stack.pop();
                                            f.ip = target as usize;
                                        }
                                    }
                                    continue;
                                }
                                _ => {}
                            }
                        }
                        Value::Generator(gen) => {
                            let gen = gen.clone();
                            match self.take_generator_frame(&gen, Value::None)? {
                                Some(mut gf) => {
                                    gf.kind = FrameKind::GenForIter { exit: target };
                                    self.push_frame(gf)?;
                                }
                                None => {
                                    let f = frame!(self);
                                    self.stack.pop();
                                    f.ip = target as usize;
                                }
                            }
                            continue;
                        }
                        _ => {}
                    }
                    let it = it.clone();
                    match self.next(&it)? {
                        Some(v) => self.stack.push(v),
                        None => {
                            let f = frame!(self);
                            self.stack.pop();
                            f.ip = target as usize;
                        }
                    }
                }
                Op::Jump(t) => f.ip = t as usize,
                Op::JumpBack(t) => {
                    f.ip = t as usize;
                    if self.breaker_set() {
                        self.handle_breaker()?;
                    }
                }
                Op::PopJumpIfFalse(t) => {
                    let v = pop!(self);
                    let b = match v {
                        Value::Bool(b) => b,
                        v => self.truthy(&v)?,
                    };
                    if !b {
                        frame!(self).ip = t as usize;
                    }
                }
                Op::PopJumpIfTrue(t) => {
                    let v = pop!(self);
                    let b = match v {
                        Value::Bool(b) => b,
                        v => self.truthy(&v)?,
                    };
                    if b {
                        frame!(self).ip = t as usize;
                    }
                }
                Op::JumpIfFalseOrPop(t) => {
                    let v = top!(self).clone();
                    if !self.truthy(&v)? {
                        frame!(self).ip = t as usize;
                    } else {
                        self.stack.pop();
                    }
                }
                Op::JumpIfTrueOrPop(t) => {
                    let v = top!(self).clone();
                    if self.truthy(&v)? {
                        frame!(self).ip = t as usize;
                    } else {
                        self.stack.pop();
                    }
                }
                Op::SetupFinally(t) => {
                    let level = (self.stack.len() - f.base) as u32;
                    f.blocks.push(Block {
                        kind: BlockKind::Try,
                        level,
                        handler: t,
                    });
                }
                Op::SetupWith(t) => {
                    let level = (self.stack.len() - f.base - 1) as u32;
                    f.blocks.push(Block {
                        kind: BlockKind::Try,
                        level,
                        handler: t,
                    });
                }
                Op::PopBlock => {
                    f.blocks.pop();
                }
                Op::PopExcept => {
                    if let Some(b) = f.blocks.pop() {
                        debug_assert_eq!(b.kind, BlockKind::ExceptHandler);
                    }
                    self.exc_info.pop();
                }
                Op::Reraise => {
                    let v = pop!(self);
                    self.skip_traceback = true;
                    return Err(PyErr::from_value(v)?);
                }
                Op::Raise(kind) => return Err(self.raise(kind)?),
                Op::CheckExcMatch => {
                    let t = pop!(self);
                    let e = top!(self).clone();
                    let r = exception_matches(&e, &t)?;
                    self.stack.push(Value::Bool(r));
                }
                Op::LoadAssertionError => self.stack.push(Value::Class(exc().assertion_error.clone())),
                Op::BeforeWith => {
                    let ctx = pop!(self);
                    let exit = match self.lookup_special(&ctx, "__exit__")? {
                        Some(e) => e,
                        None => {
                            return Err(type_error(format!(
                                "'{}' object does not support the context manager protocol",
                                type_name(&ctx)
                            )))
                        }
                    };
                    let enter = match self.lookup_special(&ctx, "__enter__")? {
                        Some(e) => e,
                        None => {
                            return Err(type_error(format!(
                                "'{}' object does not support the context manager protocol",
                                type_name(&ctx)
                            )))
                        }
                    };
                    let res = self.call(&enter, &[])?;
                    self.stack.push(exit);
                    self.stack.push(res);
                }
                Op::WithExceptStart => {
                    let n = self.stack.len();
                    let exit = self.stack[n - 2].clone();
                    let e = self.stack[n - 1].clone();
                    let typ = Value::Class(super::types::type_of(&e).clone());
                    let r = self.call(&exit, &[typ, e, Value::None])?;
                    self.stack.push(r);
                }
                Op::MakeFunction(k) => {
                    let code = f.code.functions[k as usize].clone();
                    let kwdefaults = if code.flags.has_kwdefaults {
                        match pop!(self) {
                            Value::Dict(d) => d
                                .map
                                .lock()
                                .iter()
                                .filter_map(|(k, v)| match &k.value {
                                    Value::Str(s) => Some((Arc::from(s.as_str()), v.clone())),
                                    _ => None,
                                })
                                .collect(),
                            _ => Vec::new(),
                        }
                    } else {
                        Vec::new()
                    };
                    let defaults = if code.flags.has_defaults {
                        match pop!(self) {
                            Value::Tuple(t) => (*t).clone(),
                            _ => Vec::new(),
                        }
                    } else {
                        Vec::new()
                    };
                    let closure = code
                        .closure_sources
                        .iter()
                        .map(|&i| f.cells[i as usize].clone())
                        .collect();
                    let func = Function {
                        globals: f.func.globals.clone(),
                        code,
                        defaults,
                        kwdefaults,
                        closure,
                        owner: Default::default(),
                        dict: parking_lot::Mutex::new(new_attr_map()),
                    };
                    self.stack.push(Value::Function(Arc::new(func)));
                }
                Op::BuildClass(n) => {
                    let bases: Vec<Value> = self.stack.drain(self.stack.len() - n as usize..).collect();
                    let name = pop!(self);
                    let body = pop!(self);
                    let class = self.build_class(body, name, bases)?;
                    self.stack.push(class);
                }
                Op::ImportName(n) => {
                    let name = f.code.names[n as usize].clone();
                    let m = self.import_module(&name)?;
                    self.stack.push(Value::Module(m));
                }
                Op::ImportFrom(n) => {
                    let name = f.code.names[n as usize].clone();
                    let m = top!(self).clone();
                    let v = self.import_from(&m, &name)?;
                    self.stack.push(v);
                }
                Op::ImportStar => {
                    let m = pop!(self);
                    if let Value::Module(m) = m {
                        let globals = f.func.globals.clone();
                        for (k, v) in m.items() {
                            if !k.starts_with('_') {
                                globals.set(&k, v);
                            }
                        }
                    }
                }
                Op::FormatValue(flags) => {
                    let spec = if flags & 4 != 0 { Some(pop!(self)) } else { None };
                    let v = pop!(self);
                    let s = self.format_value(v, flags & 3, spec)?;
                    self.stack.push(s);
                }
                Op::YieldValue => {
                    let v = pop!(self);
                    if let Some(exit) = self.suspend_generator(v) {
                        return Ok(exit);
                    }
                }
                Op::YieldFrom => {
                    let sent = pop!(self);
                    let sub = top!(self).clone();
                    // Re-executed on every resumption until the sub-iterator is exhausted.
                    f.ip -= 1;
                    match &sub {
                        Value::Generator(g) => {
                            let g = g.clone();
                            match self.take_generator_frame(&g, sent)? {
                                Some(mut gf) => {
                                    gf.kind = FrameKind::GenYieldFrom;
                                    self.push_frame(gf)?;
                                }
                                None => {
                                    let f = frame!(self);
                                    self.stack.pop();
                                    self.stack.push(Value::None);
                                    f.ip += 1;
                                }
                            }
                        }
                        _ => match self.next(&sub)? {
                            Some(v) => {
                                if let Some(exit) = self.suspend_generator(v) {
                                    return Ok(exit);
                                }
                            }
                            None => {
                                let f = frame!(self);
                                self.stack.pop();
                                self.stack.push(Value::None);
                                f.ip += 1;
                            }
                        },
                    }
                }
                Op::LoadLocals => {
                    let ns = f.namespace.take().unwrap_or_default();
                    let mut map = new_dict_storage();
                    for (k, v) in ns.into_iter() {
                        map.insert(Key::new(Value::Str(Arc::new(super::objects::PyStr::new(&k))))?, v);
                    }
                    self.stack.push(Value::Dict(Arc::new(DictObj::new(map))));
                }
            }
        }
    }

    /// `raise`, `raise exc`, `raise exc from cause`.
    fn raise(&mut self, kind: u32) -> PyResult<PyErr> {
        match kind {
            0 => match self.exc_info.last() {
                Some(e) => {
                    self.skip_traceback = true;
                    Ok(e.clone())
                }
                None => Err(super::errors::runtime_error("No active exception to reraise")),
            },
            _ => {
                let cause = if kind == 2 { Some(pop!(self)) } else { None };
                let v = pop!(self);
                let err = self.make_exception(v)?;
                if let Some(c) = cause {
                    let c = match c {
                        Value::None => None,
                        c => Some(self.make_exception(c)?.value()),
                    };
                    let mut st = err.state();
                    st.cause = c;
                    st.suppress_context = true;
                }
                Ok(err)
            }
        }
    }

    /// An exception instance from `raise X`: instantiates classes.
    pub fn make_exception(&mut self, v: Value) -> PyResult<PyErr> {
        match &v {
            Value::Class(c) if c.is_exception => {
                let inst = self.instantiate(&c.clone(), Args::positional(&[]))?;
                PyErr::from_value(inst)
            }
            Value::Instance(i) if i.exc.is_some() => PyErr::from_value(v),
            _ => Err(type_error("exceptions must derive from BaseException")),
        }
    }

    /// NameError for `name`, with CPython's "Did you mean" suggestion from the current
    /// frame's locals, its globals and the built-ins.
    #[cold]
    fn undefined_name(&self, name: &str) -> PyErr {
        let err = name_error(format!("name '{}' is not defined", name));
        let mut candidates: Vec<String> = Vec::new();
        if let Some(f) = self.frames.last() {
            let locals = self.stack.get(f.base..f.base + f.code.varnames.len()).unwrap_or(&[]);
            for (n, v) in f.code.varnames.iter().zip(locals) {
                if !matches!(v, Value::Null) {
                    candidates.push(n.to_string());
                }
            }
            candidates.extend(f.code.cellvars.iter().chain(&f.code.freevars).map(|n| n.to_string()));
            candidates.extend(f.func.globals.items().into_iter().map(|(k, _)| k.to_string()));
        }
        candidates.extend(crate::builtins::builtin_names().into_iter().map(|n| n.to_string()));
        err.state().suggestion = super::suggestions::closest(name, candidates.iter().map(|s| s.as_str()));
        err
    }

    /// Called when the eval breaker is set, at backward jumps and calls.
    #[cold]
    pub(super) fn handle_breaker(&mut self) -> PyResult<()> {
        crate::vm::vm::breaker_hook(self)
    }
}

/// Does exception value `e` match the `except` clause type `t` (a class or tuple of them)?
fn exception_matches(e: &Value, t: &Value) -> PyResult<bool> {
    let class = super::types::type_of(e);
    match t {
        Value::Class(c) => {
            if !c.is_exception {
                return Err(type_error(
                    "catching classes that do not inherit from BaseException is not allowed",
                ));
            }
            Ok(class.is_subclass(c))
        }
        Value::Tuple(items) => {
            for i in items.iter() {
                if exception_matches(e, i)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        _ => Err(type_error(
            "catching classes that do not inherit from BaseException is not allowed",
        )),
    }
}

#[cold]
fn unbound_local(name: &str) -> PyErr {
    unbound_local_error(format!(
        "cannot access local variable '{}' where it is not associated with a value",
        name
    ))
}

#[cold]
fn unbound_deref(f: &Frame, i: u32) -> PyErr {
    let ncell = f.code.cellvars.len();
    let name = if (i as usize) < ncell {
        f.code.cellvars[i as usize].clone()
    } else {
        f.code.freevars[i as usize - ncell].clone()
    };
    if (i as usize) < ncell {
        unbound_local(&name)
    } else {
        name_error(format!(
            "cannot access free variable '{}' where it is not associated with a value in enclosing scope",
            name
        ))
    }
}

/// `a, b = 5` reports the non-iterable type as CPython does.
fn unpack_error(e: PyErr, seq: &Value) -> PyErr {
    if e.is_instance_of(&exc().type_error) && !matches!(seq, Value::Instance(_)) {
        return type_error(format!("cannot unpack non-iterable {} object", type_name(seq)));
    }
    e
}

fn star_error(e: PyErr, v: &Value) -> PyErr {
    if e.is_instance_of(&exc().type_error) && !matches!(v, Value::Instance(_)) {
        return type_error(format!("Value after * must be an iterable, not {}", type_name(v)));
    }
    e
}
