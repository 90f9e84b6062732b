//! Generator methods that reach into a suspended frame: `send`, `throw`, `close`
//! (Objects/genobject.c gen_send_ex, gen_throw, gen_close).

use std::cell::RefCell;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use parking_lot::Mutex;

use super::errors::{runtime_error, stop_iteration, type_error, PyErr};
use super::frame::{Frame, FrameKind};
use super::objects::{Args, BuiltinFunction, Generator};
use super::types::exc;
use super::value::Value;
use super::vm::{GenStep, Vm};
use super::PyResult;

fn this(args: &Args<'_>, name: &str) -> PyResult<Arc<Generator>> {
    match args.pos.first() {
        Some(Value::Generator(g)) => Ok(g.clone()),
        _ => Err(type_error(format!(
            "descriptor '{}' requires a 'generator' object",
            name
        ))),
    }
}

thread_local! {
    /// Suspended generators that died with a `try`/`with` open in their frame, waiting for
    /// this thread's VM to run their cleanup (CPython runs it at once, at refcount zero; we
    /// run it at the next eval-breaker poll, which comes within one call or loop iteration).
    static DEAD_GENERATORS: RefCell<Vec<(Frame, Vec<Value>, Arc<str>)>> = const { RefCell::new(Vec::new()) };
    /// The eval breaker of this thread's VM, to ask it to run that cleanup.
    static BREAKER: RefCell<Option<Arc<AtomicU32>>> = const { RefCell::new(None) };
}

/// Called once per VM thread.
pub(super) fn register_breaker(b: &Arc<AtomicU32>) {
    let _ = BREAKER.try_with(|slot| *slot.borrow_mut() = Some(b.clone()));
}

impl Drop for Generator {
    fn drop(&mut self) {
        let st = self.state.get_mut();
        if st.finished || st.running {
            return;
        }
        let Some(frame) = st.frame.take() else {
            return;
        };
        // Only a started generator inside a try/with has cleanup to run (gen_close would
        // otherwise just mark it finished).
        if frame.ip == 0 || frame.blocks.is_empty() {
            return;
        }
        let values = std::mem::take(&mut st.values);
        let name = self.name.clone();
        let queued = DEAD_GENERATORS
            .try_with(|q| q.borrow_mut().push((frame, values, name)))
            .is_ok();
        if queued {
            let _ = BREAKER.try_with(|b| {
                if let Some(b) = &*b.borrow() {
                    b.fetch_or(super::vm::breaker::FINALIZE, Ordering::Relaxed);
                }
            });
        }
    }
}

impl Vm {
    /// Runs the cleanup of generators that died suspended: `close()`, and CPython's
    /// "Exception ignored in" report for whatever escapes it.
    pub fn finalize_dead_generators(&mut self) {
        loop {
            let Some((frame, values, name)) = DEAD_GENERATORS.try_with(|q| q.borrow_mut().pop()).ok().flatten() else {
                return;
            };
            let gen = Arc::new(Generator {
                state: Mutex::new(super::objects::GenState {
                    frame: Some(frame),
                    values,
                    running: false,
                    finished: false,
                }),
                name,
            });
            let err = PyErr::with_args(&exc().generator_exit, Vec::new());
            let outcome = self.throw_into_generator(&gen, err);
            let escaped = match outcome {
                Ok(GenStep::Return(_)) => None,
                Ok(GenStep::Yield(_)) => Some(runtime_error("generator ignored GeneratorExit")),
                Err(e) if e.is_instance_of(&exc().generator_exit) || e.is_instance_of(&exc().stop_iteration) => None,
                Err(e) => Some(e),
            };
            {
                // Whatever happened, it is finished now (and must not be queued again).
                let mut st = gen.state.lock();
                st.finished = true;
                st.frame = None;
            }
            if let Some(e) = escaped {
                // Reported from where the program was when the generator died.
                if let Some(f) = self.frames.last() {
                    let entry = super::objects::TracebackEntry {
                        code: f.code().clone(),
                        ip: f.ip.saturating_sub(1),
                    };
                    e.state().traceback.push(entry);
                }
                self.interp.flush_stdout();
                let report = self.format_exception(&e);
                eprint!(
                    "Exception ignored in: <generator object {} at {:#x}>\n{}",
                    gen.name,
                    Arc::as_ptr(&gen) as usize,
                    report
                );
            }
        }
    }

    /// Raises `err` inside the generator at its suspension point.
    pub fn throw_into_generator(&mut self, gen: &Arc<Generator>, err: PyErr) -> PyResult<GenStep> {
        {
            let mut st = gen.state.lock();
            if st.running {
                return Err(super::errors::value_error("generator already executing"));
            }
            let started = st.frame.as_ref().map(|f| f.ip > 0).unwrap_or(false);
            if st.finished || !started {
                // Finished, or never started: it ends without running and re-raises.
                st.finished = true;
                st.frame = None;
                return Err(err);
            }
        }
        self.enter_native()?;
        let r = match self.take_generator_frame(gen.clone(), Value::None) {
            Ok(Some(mut f)) => {
                // The exception takes the place of the value `yield` would have received.
                self.stack.pop();
                f.kind = FrameKind::GenBoundary;
                self.frames.push(f);
                match self.unwind_from_here(err) {
                    Ok(()) => self.run(),
                    Err(e) => Err(e),
                }
            }
            Ok(None) => Err(err),
            Err(e) => Err(e),
        };
        self.leave_native();
        match r? {
            super::vm::RunExit::Yield(v) => Ok(GenStep::Yield(v)),
            super::vm::RunExit::Return(v) => Ok(GenStep::Return(v)),
        }
    }
}

pub static GEN_SEND: BuiltinFunction = BuiltinFunction {
    name: "send",
    func: gen_send,
};
fn gen_send(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let gen = this(&args, "send")?;
    let v = args.pos.get(1).cloned().unwrap_or(Value::None);
    match vm.resume_generator(&gen, v)? {
        GenStep::Yield(v) => Ok(v),
        GenStep::Return(v) => Err(stop_iteration(if v.is_none() { None } else { Some(v) })),
    }
}

pub static GEN_NEXT: BuiltinFunction = BuiltinFunction {
    name: "__next__",
    func: gen_next,
};
fn gen_next(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let gen = this(&args, "__next__")?;
    match vm.resume_generator(&gen, Value::None)? {
        GenStep::Yield(v) => Ok(v),
        GenStep::Return(v) => Err(stop_iteration(if v.is_none() { None } else { Some(v) })),
    }
}

pub static GEN_ITER: BuiltinFunction = BuiltinFunction {
    name: "__iter__",
    func: gen_iter,
};
fn gen_iter(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    Ok(Value::Generator(this(&args, "__iter__")?))
}

pub static GEN_THROW: BuiltinFunction = BuiltinFunction {
    name: "throw",
    func: gen_throw,
};
fn gen_throw(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let gen = this(&args, "throw")?;
    let Some(typ) = args.pos.get(1) else {
        return Err(type_error("throw expected at least 1 argument, got 0"));
    };
    let err = match (typ, args.pos.get(2)) {
        (Value::Class(c), Some(v)) if !v.is_none() => {
            let inst = vm.instantiate(&c.clone(), Args::positional(std::slice::from_ref(v)))?;
            PyErr::from_value(inst)?
        }
        (Value::Class(c), _) if c.is_exception => vm.make_exception(typ.clone())?,
        (Value::Instance(i), _) if i.exc.is_some() => vm.make_exception(typ.clone())?,
        (other, _) => {
            return Err(type_error(format!(
                "exceptions must be classes or instances deriving from BaseException, not {}",
                super::types::type_name(other)
            )))
        }
    };
    match vm.throw_into_generator(&gen, err)? {
        GenStep::Yield(v) => Ok(v),
        GenStep::Return(v) => Err(stop_iteration(if v.is_none() { None } else { Some(v) })),
    }
}

pub static GEN_CLOSE: BuiltinFunction = BuiltinFunction {
    name: "close",
    func: gen_close,
};
fn gen_close(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let gen = this(&args, "close")?;
    let err = PyErr::with_args(&exc().generator_exit, Vec::new());
    match vm.throw_into_generator(&gen, err) {
        Ok(GenStep::Yield(_)) => Err(runtime_error("generator ignored GeneratorExit")),
        Ok(GenStep::Return(_)) => Ok(Value::None),
        Err(e) if e.is_instance_of(&exc().generator_exit) || e.is_instance_of(&exc().stop_iteration) => Ok(Value::None),
        Err(e) => Err(e),
    }
}

/// The methods of generator objects.
pub static METHODS: &[&BuiltinFunction] = &[&GEN_SEND, &GEN_NEXT, &GEN_ITER, &GEN_THROW, &GEN_CLOSE];
