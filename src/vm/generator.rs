//! Generator methods that reach into a suspended frame: `send`, `throw`, `close`
//! (Objects/genobject.c gen_send_ex, gen_throw, gen_close).

use std::sync::Arc;

use super::errors::{runtime_error, stop_iteration, type_error, PyErr};
use super::frame::FrameKind;
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

impl Vm {
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
