//! Raising and unwinding: `raise`, handler search through block stacks and frames, and the
//! errors the dispatch loop raises itself.

use std::sync::Arc;

use super::errors::{name_error, type_error, unbound_local_error, PyErr};
use super::frame::{Block, BlockKind, Frame, FrameKind};
use super::objects::{Args, TracebackEntry};
use super::types::{exc, type_name};
use super::value::Value;
use super::vm::Vm;
use super::PyResult;

impl Vm {
    /// Finds a handler for `err`: in the current frame's block stack, else in its callers.
    /// Returns `Err` once the error leaves the innermost boundary frame.
    pub(super) fn unwind(&mut self, mut err: PyErr) -> PyResult<()> {
        let mut add_tb = !std::mem::take(&mut self.skip_traceback);
        loop {
            let Some(frame) = self.frames.last_mut() else {
                return Err(err);
            };
            if add_tb {
                let mut st = err.state();
                st.traceback.push(TracebackEntry {
                    code: frame.code().clone(),
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
                    // A spent instruction budget ends the run: no handler may catch it.
                    BlockKind::Try if self.interp.budget_spent() => {}
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
            match &frame.generator {
                Some(gen) => {
                    self.release_generator_stack(gen, None);
                    // PEP 479: a StopIteration escaping a generator becomes a RuntimeError,
                    // so it cannot silently end the loop that drives the generator.
                    if err.is_instance_of(&exc().stop_iteration) {
                        let inner = err;
                        err = PyErr::new(&exc().runtime_error, "generator raised StopIteration");
                        let mut st = err.state();
                        st.cause = Some(inner.value());
                        st.suppress_context = true;
                        drop(st);
                    }
                }
                None => self.stack.truncate(frame.ret_to),
            }
            match frame.kind {
                FrameKind::Boundary | FrameKind::GenBoundary | FrameKind::GenConsumer => return Err(err),
                FrameKind::Normal | FrameKind::GenForIter { .. } | FrameKind::GenYieldFrom => {}
            }
        }
    }

    /// Starts unwinding `err` from the current frame (used by `generator.throw`).
    pub(super) fn unwind_from_here(&mut self, err: PyErr) -> PyResult<()> {
        self.unwind(err)
    }

    /// `raise`, `raise exc`, `raise exc from cause`.
    pub(super) fn raise(&mut self, kind: u32) -> PyResult<PyErr> {
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
    pub(super) fn undefined_name(&self, name: &str) -> PyErr {
        let err = name_error(format!("name '{}' is not defined", name));
        let mut candidates: Vec<String> = Vec::new();
        if let Some(f) = self.frames.last() {
            let locals = self.stack.get(f.base..f.base + f.code().varnames.len()).unwrap_or(&[]);
            for (n, v) in f.code().varnames.iter().zip(locals) {
                if !matches!(v, Value::Null) {
                    candidates.push(n.to_string());
                }
            }
            candidates.extend(
                f.code()
                    .cellvars
                    .iter()
                    .chain(&f.code().freevars)
                    .map(|n| n.to_string()),
            );
            candidates.extend(f.func.globals.items().into_iter().map(|(k, _)| k.to_string()));
        }
        candidates.extend(crate::builtins::builtin_names().into_iter().map(|n| n.to_string()));
        err.state().suggestion = super::suggestions::closest(name, candidates.iter().map(|s| s.as_str()))
            .map(super::objects::Suggestion::Ready);
        err
    }
}

/// Does exception value `e` match the `except` clause type `t` (a class or tuple of them)?
pub(super) fn exception_matches(e: &Value, t: &Value) -> PyResult<bool> {
    let class = super::types::type_of(e);
    // An explicit work list: `except` tuples may nest as deep as a program likes.
    let mut pending: Vec<&Value> = vec![t];
    while let Some(t) = pending.pop() {
        match t {
            Value::Class(c) if c.is_exception => {
                if class.is_subclass(c) {
                    return Ok(true);
                }
            }
            Value::Tuple(items) => pending.extend(items.iter().rev()),
            _ => {
                return Err(type_error(
                    "catching classes that do not inherit from BaseException is not allowed",
                ))
            }
        }
    }
    Ok(false)
}

#[cold]
pub(super) fn unbound_local(name: &str) -> PyErr {
    unbound_local_error(format!(
        "cannot access local variable '{}' where it is not associated with a value",
        name
    ))
}

#[cold]
pub(super) fn unbound_deref(f: &Frame, i: u32) -> PyErr {
    let ncell = f.code().cellvars.len();
    let name = if (i as usize) < ncell {
        f.code().cellvars[i as usize].clone()
    } else {
        f.code().freevars[i as usize - ncell].clone()
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
pub(super) fn unpack_error(e: PyErr, seq: &Value) -> PyErr {
    if e.is_instance_of(&exc().type_error) && !matches!(seq, Value::Instance(_)) {
        return type_error(format!("cannot unpack non-iterable {} object", type_name(seq)));
    }
    e
}

pub(super) fn star_error(e: PyErr, v: &Value) -> PyErr {
    if e.is_instance_of(&exc().type_error) && !matches!(v, Value::Instance(_)) {
        return type_error(format!("Value after * must be an iterable, not {}", type_name(v)));
    }
    e
}
