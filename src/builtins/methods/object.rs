//! `object` methods: the defaults every class inherits (Objects/typeobject.c).

use std::sync::Arc;

use crate::builtins::args::method_args;
use crate::syntax::ast::CmpOp;
use crate::vm::errors::type_error;
use crate::vm::objects::{Args, BuiltinFunction};
use crate::vm::types::{type_name, type_of};
use crate::vm::value::Value;
use crate::vm::vm::Vm;
use crate::vm::PyResult;

/// `object.__init__`: accepts and ignores its arguments (the instance already exists).
pub static OBJECT_INIT: BuiltinFunction = BuiltinFunction {
    name: "__init__",
    func: object_init,
};
pub static OBJECT_REPR: BuiltinFunction = BuiltinFunction {
    name: "__repr__",
    func: object_repr,
};
pub static OBJECT_STR: BuiltinFunction = BuiltinFunction {
    name: "__str__",
    func: object_str,
};
pub static OBJECT_EQ: BuiltinFunction = BuiltinFunction {
    name: "__eq__",
    func: object_eq,
};
pub static OBJECT_NE: BuiltinFunction = BuiltinFunction {
    name: "__ne__",
    func: object_ne,
};
pub static OBJECT_HASH: BuiltinFunction = BuiltinFunction {
    name: "__hash__",
    func: object_hash,
};
pub static OBJECT_SETATTR: BuiltinFunction = BuiltinFunction {
    name: "__setattr__",
    func: object_setattr,
};
pub static OBJECT_DELATTR: BuiltinFunction = BuiltinFunction {
    name: "__delattr__",
    func: object_delattr,
};
pub static OBJECT_FORMAT: BuiltinFunction = BuiltinFunction {
    name: "__format__",
    func: object_format,
};

pub static METHODS: &[&BuiltinFunction] = &[
    &OBJECT_INIT,
    &OBJECT_REPR,
    &OBJECT_STR,
    &OBJECT_EQ,
    &OBJECT_NE,
    &OBJECT_HASH,
    &OBJECT_SETATTR,
    &OBJECT_DELATTR,
    &OBJECT_FORMAT,
];

fn this<'a>(args: &Args<'a>, method: &str) -> PyResult<&'a Value> {
    args.pos
        .first()
        .ok_or_else(|| type_error(format!("descriptor '{}' of 'object' object needs an argument", method)))
}

fn object_init(_vm: &mut Vm, _args: Args<'_>) -> PyResult<Value> {
    Ok(Value::None)
}

/// `object.__repr__`: `<module.Qualname object at 0x…>`, never a subclass's `__repr__`.
fn object_repr(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let v = this(&args, "__repr__")?;
    method_args("object.__repr__", &args, 0, 0)?;
    Ok(Value::string(match v {
        Value::Instance(inst) if inst.exc.is_none() => {
            let c = &inst.class;
            format!("<{}.{} object at {:#x}>", c.module, c.qualname, v.id())
        }
        Value::Instance(_) => super::exception::exception_repr(vm, v)?,
        other => vm.repr(other)?,
    }))
}

/// `object.__str__`: `type(self).__repr__(self)`.
fn object_str(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let v = this(&args, "__str__")?;
    method_args("object.__str__", &args, 0, 0)?;
    vm.repr(v).map(Value::string)
}

fn object_eq(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let v = this(&args, "__eq__")?;
    let rest = method_args("object.__eq__", &args, 1, 1)?;
    Ok(if v.is(&rest[0]) {
        Value::Bool(true)
    } else {
        Value::NotImplemented
    })
}

/// `object.__ne__`: inverts `__eq__` unless it is NotImplemented.
fn object_ne(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let v = this(&args, "__ne__")?;
    let rest = method_args("object.__ne__", &args, 1, 1)?;
    let eq = match type_of(v).lookup("__eq__") {
        Some(f) if !matches!(f, Value::Builtin(b) if std::ptr::eq(b, &OBJECT_EQ)) => {
            vm.call(&f, &[v.clone(), rest[0].clone()])?
        }
        Some(_) | None => {
            if matches!(v, Value::Instance(_)) {
                if v.is(&rest[0]) {
                    Value::Bool(true)
                } else {
                    Value::NotImplemented
                }
            } else {
                vm.rich_compare(v, &rest[0], CmpOp::Eq)?
            }
        }
    };
    if matches!(eq, Value::NotImplemented) {
        return Ok(eq);
    }
    Ok(Value::Bool(!vm.truthy(&eq)?))
}

fn object_hash(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let v = this(&args, "__hash__")?;
    method_args("object.__hash__", &args, 0, 0)?;
    match v {
        Value::Instance(_) => crate::vm::dict::py_hash(v).map(Value::Int),
        other => crate::builtins::functions::hash_value(vm, other).map(Value::Int),
    }
}

fn attr_name(v: &Value) -> PyResult<&str> {
    match v {
        Value::Str(s) => Ok(s.as_str()),
        other => Err(type_error(format!(
            "attribute name must be string, not '{}'",
            type_name(other)
        ))),
    }
}

/// `object.__setattr__`: stores in the instance dict, bypassing any `__setattr__` override
/// (but honouring properties).
fn object_setattr(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let v = this(&args, "__setattr__")?;
    let rest = crate::builtins::args::clinic_args("__setattr__", &args, 2, 2)?;
    let name = attr_name(&rest[0])?;
    match v {
        Value::Instance(inst) => {
            if let Some(Value::Property(_)) = inst.class.lookup(name) {
                vm.setattr(v, name, rest[1].clone())?;
            } else {
                inst.dict.lock().insert(Arc::from(name), rest[1].clone());
            }
        }
        other => vm.setattr(other, name, rest[1].clone())?,
    }
    Ok(Value::None)
}

fn object_delattr(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let v = this(&args, "__delattr__")?;
    let rest = method_args("object.__delattr__", &args, 1, 1)?;
    let name = attr_name(&rest[0])?;
    vm.delattr(v, name)?;
    Ok(Value::None)
}

fn object_format(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let v = this(&args, "__format__")?;
    let rest = method_args("object.__format__", &args, 1, 1)?;
    let spec = match &rest[0] {
        Value::Str(s) => s.as_str(),
        other => {
            return Err(type_error(format!(
                "__format__() argument must be str, not {}",
                type_name(other)
            )))
        }
    };
    if matches!(v, Value::Instance(_)) {
        if !spec.is_empty() {
            return Err(type_error(format!(
                "unsupported format string passed to {}.__format__",
                type_name(v)
            )));
        }
        return vm.str(v).map(Value::string);
    }
    vm.format(v, spec).map(Value::string)
}
