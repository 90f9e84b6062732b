//! `BaseException` methods (Objects/exceptions.c): `__init__` stores `args`, `__str__` and
//! `__repr__` render them.

use crate::vm::errors::type_error;
use crate::vm::objects::{Args, BuiltinFunction, Instance};
use crate::vm::types::exc;
use crate::vm::value::Value;
use crate::vm::vm::Vm;
use crate::vm::PyResult;

pub static EXC_INIT: BuiltinFunction = BuiltinFunction {
    name: "__init__",
    func: exc_init,
};
pub static EXC_STR: BuiltinFunction = BuiltinFunction {
    name: "__str__",
    func: exc_str,
};
pub static EXC_REPR: BuiltinFunction = BuiltinFunction {
    name: "__repr__",
    func: exc_repr,
};
pub static WITH_TRACEBACK: BuiltinFunction = BuiltinFunction {
    name: "with_traceback",
    func: with_traceback,
};
pub static ADD_NOTE: BuiltinFunction = BuiltinFunction {
    name: "add_note",
    func: add_note,
};

pub static METHODS: &[&BuiltinFunction] = &[&EXC_INIT, &EXC_STR, &EXC_REPR, &WITH_TRACEBACK, &ADD_NOTE];

fn this<'a>(args: &Args<'a>, method: &str) -> PyResult<&'a std::sync::Arc<Instance>> {
    match args.pos.first() {
        Some(Value::Instance(i)) if i.exc.is_some() => Ok(i),
        _ => Err(type_error(format!(
            "descriptor '{}' requires a 'BaseException' object but received another type",
            method
        ))),
    }
}

fn exc_args(inst: &Instance) -> Vec<Value> {
    inst.exc.as_ref().map(|st| st.lock().args.clone()).unwrap_or_default()
}

/// `BaseException.__init__(self, *args)`
fn exc_init(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let inst = this(&args, "__init__")?;
    if !args.kw.is_empty() {
        return Err(type_error(format!("{}() takes no keyword arguments", inst.class.name)));
    }
    if let Some(st) = &inst.exc {
        st.lock().args = args.pos.get(1..).unwrap_or(&[]).to_vec();
    }
    Ok(Value::None)
}

/// `BaseException.__str__` (KeyError shows the repr of its one argument).
fn exc_str(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let inst = this(&args, "__str__")?;
    let a = exc_args(inst);
    let is_key_error = inst.class.is_subclass(&exc().key_error);
    Ok(Value::string(match a.as_slice() {
        [] => String::new(),
        [one] if is_key_error => vm.repr(one)?,
        [one] => vm.str(one)?,
        _ => vm.repr(&Value::tuple(a))?,
    }))
}

/// `BaseException.__repr__`: `Name(args…)`.
pub fn exception_repr(vm: &mut Vm, v: &Value) -> PyResult<String> {
    let Value::Instance(inst) = v else {
        return vm.repr(v);
    };
    let a = exc_args(inst);
    let name = inst.class.name.clone();
    Ok(match a.as_slice() {
        [one] => format!("{}({})", name, vm.repr(one)?),
        _ => format!("{}{}", name, vm.repr(&Value::tuple(a))?),
    })
}

fn exc_repr(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    this(&args, "__repr__")?;
    exception_repr(vm, &args.pos[0]).map(Value::string)
}

fn with_traceback(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    this(&args, "with_traceback")?;
    Ok(args.pos[0].clone())
}

fn add_note(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let inst = this(&args, "add_note")?;
    let rest = crate::builtins::args::method_args("BaseException.add_note", &args, 1, 1)?;
    let note = match &rest[0] {
        Value::Str(s) => s.as_str().to_string(),
        other => {
            return Err(type_error(format!(
                "note must be a str, not '{}'",
                crate::vm::types::type_name(other)
            )))
        }
    };
    let _ = vm;
    if let Some(st) = &inst.exc {
        let mut st = st.lock();
        st.note = Some(match st.note.take() {
            Some(prev) => format!("{}\n{}", prev, note),
            None => note,
        });
    }
    Ok(Value::None)
}
