//! Built-ins that look at objects and namespaces: `isinstance`, `issubclass`, `callable`,
//! `getattr` and friends, `vars`, `dir`, `globals`, `locals`.

use std::collections::BTreeSet;

use crate::builtins::args::{check_args, check_count, no_kwargs};
use crate::vm::errors::{attribute_error, recursion_error, type_error};
use crate::vm::objects::{Args, BuiltinFunction, Class};
use crate::vm::types::{exc, type_name, type_of};
use crate::vm::value::Value;
use crate::vm::vm::Vm;
use crate::vm::PyResult;

pub static ISINSTANCE: BuiltinFunction = BuiltinFunction {
    name: "isinstance",
    func: isinstance,
};
fn isinstance(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    check_args("isinstance", &args, 2, 2)?;
    let class = type_of(&args.pos[0]);
    let found = any_class(vm, &args.pos[1], "__instancecheck__", |c| class.is_subclass(c))?;
    match found {
        Some(b) => Ok(Value::Bool(b)),
        None => Err(type_error(
            "isinstance() arg 2 must be a type, a tuple of types, or a union",
        )),
    }
}

pub static ISSUBCLASS: BuiltinFunction = BuiltinFunction {
    name: "issubclass",
    func: issubclass,
};
fn issubclass(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    check_args("issubclass", &args, 2, 2)?;
    let Value::Class(c) = &args.pos[0] else {
        return Err(type_error("issubclass() arg 1 must be a class"));
    };
    match any_class(vm, &args.pos[1], "__subclasscheck__", |k| c.is_subclass(k))? {
        Some(b) => Ok(Value::Bool(b)),
        None => Err(type_error(
            "issubclass() arg 2 must be a class, a tuple of classes, or a union",
        )),
    }
}

/// Whether `test` holds for `cls` or any class in it, when `cls` is a class or a (nested)
/// tuple of classes; `None` on reaching something else first. Objects/abstract.c
/// object_recursive_isinstance guards each tuple level with Py_EnterRecursiveCall, so
/// nesting past the recursion limit is a RecursionError; the walk keeps its own stack so
/// Rust's is never at risk.
fn any_class(vm: &Vm, cls: &Value, check: &str, test: impl Fn(&Class) -> bool) -> PyResult<Option<bool>> {
    let limit = vm.interp.recursion_limit();
    let mut stack: Vec<(&Value, usize)> = vec![(cls, 0)];
    while let Some((v, depth)) = stack.pop() {
        match v {
            Value::Class(k) => {
                if test(k) {
                    return Ok(Some(true));
                }
            }
            Value::Tuple(items) => {
                if depth >= limit {
                    return Err(recursion_error(format!(
                        "maximum recursion depth exceeded in {}",
                        check
                    )));
                }
                // Reversed, so items are tried (and rejected) in order.
                stack.extend(items.iter().rev().map(|i| (i, depth + 1)));
            }
            _ => return Ok(None),
        }
    }
    Ok(Some(false))
}

pub static CALLABLE: BuiltinFunction = BuiltinFunction {
    name: "callable",
    func: callable,
};
fn callable(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    check_args("callable", &args, 1, 1)?;
    is_callable(vm, &args.pos[0]).map(Value::Bool)
}

pub fn is_callable(vm: &mut Vm, v: &Value) -> PyResult<bool> {
    Ok(match v {
        Value::Function(_) | Value::Builtin(_) | Value::BoundMethod(_) | Value::Class(_) | Value::StaticMethod(_) => {
            true
        }
        Value::Instance(_) | Value::Native(_) => vm.lookup_special(v, "__call__")?.is_some(),
        _ => false,
    })
}

fn attr_name<'a>(_fname: &str, v: &'a Value) -> PyResult<&'a str> {
    match v {
        Value::Str(s) => Ok(s.as_str()),
        other => Err(attr_name_error(other)),
    }
}

#[cold]
fn attr_name_error(v: &Value) -> crate::vm::errors::PyErr {
    type_error(format!("attribute name must be string, not '{}'", type_name(v)))
}

pub static GETATTR: BuiltinFunction = BuiltinFunction {
    name: "getattr",
    func: getattr,
};
fn getattr(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    no_kwargs("getattr", &args)?;
    check_count("getattr", args.pos.len(), 2, 3)?;
    let name = match &args.pos[1] {
        Value::Str(s) => s.as_str(),
        other => return Err(attr_name_error(other)),
    };
    match args.pos.get(2) {
        None => vm.getattr(&args.pos[0], name),
        Some(default) => match vm.getattr(&args.pos[0], name) {
            Ok(v) => Ok(v),
            Err(e) if e.is_instance_of(&exc().attribute_error) => Ok(default.clone()),
            Err(e) => Err(e),
        },
    }
}

pub static HASATTR: BuiltinFunction = BuiltinFunction {
    name: "hasattr",
    func: hasattr,
};
fn hasattr(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    check_args("hasattr", &args, 2, 2)?;
    let name = match &args.pos[1] {
        Value::Str(s) => s.as_str(),
        other => return Err(attr_name_error(other)),
    };
    match vm.getattr(&args.pos[0], name) {
        Ok(_) => Ok(Value::Bool(true)),
        Err(e) if e.is_instance_of(&exc().attribute_error) => Ok(Value::Bool(false)),
        Err(e) => Err(e),
    }
}

pub static SETATTR: BuiltinFunction = BuiltinFunction {
    name: "setattr",
    func: setattr,
};
fn setattr(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    check_args("setattr", &args, 3, 3)?;
    let name = attr_name("setattr", &args.pos[1])?;
    vm.setattr(&args.pos[0], name, args.pos[2].clone())?;
    Ok(Value::None)
}

pub static DELATTR: BuiltinFunction = BuiltinFunction {
    name: "delattr",
    func: delattr,
};
fn delattr(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    check_args("delattr", &args, 2, 2)?;
    let name = attr_name("delattr", &args.pos[1])?;
    vm.delattr(&args.pos[0], name)?;
    Ok(Value::None)
}

pub static VARS: BuiltinFunction = BuiltinFunction {
    name: "vars",
    func: vars,
};
fn vars(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    check_args("vars", &args, 0, 1)?;
    match args.pos.first() {
        None => locals_dict(vm),
        Some(v) => match vm.getattr_opt(v, "__dict__")? {
            Some(d) => Ok(d),
            None => Err(type_error("vars() argument must have __dict__ attribute")),
        },
    }
}

pub static DIR: BuiltinFunction = BuiltinFunction { name: "dir", func: dir };
fn dir(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    check_args("dir", &args, 0, 1)?;
    let Some(obj) = args.pos.first() else {
        let d = locals_dict(vm)?;
        let mut names = vm.collect(&d)?;
        crate::builtins::functions::sorting::sort_values(vm, &mut names, None, false)?;
        return Ok(Value::list(names));
    };
    if let Some(f) = vm.lookup_special(obj, "__dir__")? {
        if !matches!(f, Value::Builtin(_)) {
            let r = vm.call(&f, &[])?;
            let mut names = vm.collect(&r)?;
            crate::builtins::functions::sorting::sort_values(vm, &mut names, None, false)?;
            return Ok(Value::list(names));
        }
    }
    let mut names: BTreeSet<String> = BTreeSet::new();
    let add_class = |names: &mut BTreeSet<String>, c: &Class| {
        names.extend(c.dict.read().keys().map(|k| k.to_string()));
        for b in &c.mro {
            names.extend(b.dict.read().keys().map(|k| k.to_string()));
        }
    };
    match obj {
        Value::Module(m) => names.extend(m.items().into_iter().map(|(k, _)| k.to_string())),
        Value::Class(c) => {
            add_class(&mut names, c);
            names.extend(["__class__", "__doc__", "__module__", "__name__", "__qualname__"].map(String::from));
        }
        Value::Instance(inst) => {
            names.extend(inst.dict.lock().keys().map(|k| k.to_string()));
            add_class(&mut names, &inst.class);
            names.extend(["__class__", "__dict__", "__doc__", "__module__"].map(String::from));
        }
        other => {
            add_class(&mut names, type_of(other));
            names.insert("__class__".to_string());
        }
    }
    Ok(Value::list(names.into_iter().map(Value::string).collect()))
}

pub static GLOBALS: BuiltinFunction = BuiltinFunction {
    name: "globals",
    func: globals,
};
fn globals(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    check_args("globals", &args, 0, 0)?;
    let Some(frame) = vm.frames.last() else {
        return Err(attribute_error("globals(): no current frame"));
    };
    let items = frame.func.globals.items();
    crate::builtins::dict_from_pairs(items.into_iter().map(|(k, v)| (Value::str(&k), v)).collect())
}

pub static LOCALS: BuiltinFunction = BuiltinFunction {
    name: "locals",
    func: locals,
};
fn locals(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    check_args("locals", &args, 0, 0)?;
    locals_dict(vm)
}

/// A snapshot of the calling frame's local variables (module globals at module level).
fn locals_dict(vm: &mut Vm) -> PyResult<Value> {
    let Some(frame) = vm.frames.last() else {
        return crate::builtins::dict_from_pairs(Vec::new());
    };
    if let Some(ns) = &frame.namespace {
        let pairs = ns.iter().map(|(k, v)| (Value::str(k), v.clone())).collect();
        return crate::builtins::dict_from_pairs(pairs);
    }
    if frame.code().flags.is_module {
        let items = frame.func.globals.items();
        return crate::builtins::dict_from_pairs(items.into_iter().map(|(k, v)| (Value::str(&k), v)).collect());
    }
    let mut pairs = Vec::new();
    for (i, name) in frame.code().varnames.iter().enumerate() {
        match vm.stack.get(frame.base + i) {
            Some(Value::Null) | None => {}
            Some(v) => pairs.push((Value::str(name), v.clone())),
        }
    }
    let cell_names = frame.code().cellvars.iter().chain(frame.code().freevars.iter());
    for (name, cell) in cell_names.zip(frame.cells.iter()) {
        if let Some(v) = cell.value.lock().clone() {
            pairs.push((Value::str(name), v));
        }
    }
    crate::builtins::dict_from_pairs(pairs)
}
