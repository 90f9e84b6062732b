//! Attribute access (Objects/object.c `PyObject_GenericGetAttr` in outline: data descriptors
//! on the class, then the instance dict, then class attributes, binding functions to
//! methods), class creation and `super()`.

use std::sync::Arc;

use super::errors::{attribute_error, type_error, PyErr};
use super::frame::Frame;
use super::method_cache::MethodCache;
use super::objects::{new_attr_map, Args, BoundMethod, BuiltinType, Class, SuperObj};
use super::types::{type_name, type_of, types};
use super::value::Value;
use super::vm::Vm;
use super::PyResult;

/// Binds a class attribute found for `obj` (a function becomes a bound method).
fn bind(attr: Value, obj: &Value, class: &Arc<Class>) -> Value {
    match attr {
        Value::Function(_) | Value::Builtin(_) => Value::BoundMethod(Arc::new(BoundMethod {
            receiver: obj.clone(),
            func: attr,
        })),
        Value::ClassMethod(f) => Value::BoundMethod(Arc::new(BoundMethod {
            receiver: Value::Class(class.clone()),
            func: (*f).clone(),
        })),
        Value::StaticMethod(f) => (*f).clone(),
        other => other,
    }
}

/// `obj.name` when it is a plain attribute in an instance dict (no property can intercept).
#[inline]
pub fn instance_attr_fast(obj: &Value, name: &str) -> Option<Value> {
    match obj {
        Value::Instance(inst) if !inst.class.attr_flags().has_property => inst.dict.lock().get(name).cloned(),
        _ => None,
    }
}

/// `obj.name = v` into an instance dict when nothing can intercept it; gives `v` back
/// otherwise.
#[inline]
pub fn store_instance_attr_fast(obj: &Value, name: &Arc<str>, v: Value) -> Option<Value> {
    match obj {
        Value::Instance(inst) => {
            let flags = inst.class.attr_flags();
            if flags.has_property || flags.has_setattr {
                return Some(v);
            }
            let mut d = inst.dict.lock();
            match d.get_mut(name) {
                Some(slot) => std::mem::replace(slot, v).discard(),
                None => {
                    d.insert(name.clone(), v);
                }
            }
            None
        }
        _ => Some(v),
    }
}

/// For `LoadMethod`: a function found on the class of an instance or built-in value, when
/// the instance dict does not shadow it (class lookups go through the thread's method cache).
#[inline]
pub fn method_fast(cache: &mut MethodCache, obj: &Value, name: &Arc<str>) -> Option<Value> {
    let class = match obj {
        Value::Instance(inst) => {
            if inst.dict.lock().contains_key(name) {
                return None;
            }
            &inst.class
        }
        Value::Class(_) | Value::Module(_) | Value::Super(_) | Value::Native(_) => return None,
        _ => type_of(obj),
    };
    match cache.lookup(class, name) {
        Some(f @ (Value::Function(_) | Value::Builtin(_))) => Some(f),
        _ => None,
    }
}

impl Vm {
    pub fn getattr(&mut self, obj: &Value, name: &str) -> PyResult<Value> {
        // An AttributeError raised by a `__getattr__` reaches the caller as it was raised.
        match self.lookup_attr(obj, name, true)? {
            Some(v) => Ok(v),
            None => Err(no_attribute(obj, name)),
        }
    }

    /// Attribute lookup; `Ok(None)` when the attribute does not exist.
    pub fn getattr_opt(&mut self, obj: &Value, name: &str) -> PyResult<Option<Value>> {
        self.lookup_attr(obj, name, false)
    }

    /// Attribute lookup; with `hook_errors`, an AttributeError from the class's
    /// `__getattr__` is returned as an error rather than as "no such attribute".
    fn lookup_attr(&mut self, obj: &Value, name: &str, hook_errors: bool) -> PyResult<Option<Value>> {
        match obj {
            Value::Instance(inst) => {
                if !inst.class.attr_flags().has_property {
                    if let Some(v) = inst.dict.lock().get(name) {
                        return Ok(Some(v.clone()));
                    }
                }
                let class = inst.class.clone();
                let class_attr = class.lookup(name);
                if let Some(Value::Property(p)) = &class_attr {
                    if matches!(p.fget, Value::None) {
                        return Err(attribute_error(format!(
                            "property '{}' of '{}' object has no getter",
                            name, class.name
                        )));
                    }
                    let fget = p.fget.clone();
                    return self.call(&fget, &[obj.clone()]).map(Some);
                }
                if let Some(v) = inst.dict.lock().get(name) {
                    return Ok(Some(v.clone()));
                }
                if let Some(attr) = class_attr {
                    return Ok(Some(bind(attr, obj, &class)));
                }
                if let Some(v) = self.special_instance_attr(obj, name) {
                    return Ok(Some(v));
                }
                self.getattr_hook(&class, obj, name, hook_errors)
            }
            Value::Class(c) => {
                if let Some(attr) = c.lookup(name) {
                    return Ok(Some(match attr {
                        Value::ClassMethod(f) => Value::BoundMethod(Arc::new(BoundMethod {
                            receiver: obj.clone(),
                            func: (*f).clone(),
                        })),
                        Value::StaticMethod(f) => (*f).clone(),
                        other => other,
                    }));
                }
                Ok(match name {
                    "__name__" => Some(Value::str(&c.name)),
                    "__qualname__" => Some(Value::str(&c.qualname)),
                    "__module__" => Some(Value::str(&c.module)),
                    "__doc__" => Some(Value::None),
                    "__bases__" => Some(Value::tuple(c.base.iter().map(|b| Value::Class(b.clone())).collect())),
                    "__base__" => Some(c.base.as_ref().map(|b| Value::Class(b.clone())).unwrap_or(Value::None)),
                    "__mro__" => {
                        let mut v = vec![obj.clone()];
                        v.extend(c.mro.iter().map(|b| Value::Class(b.clone())));
                        Some(Value::tuple(v))
                    }
                    "__class__" => Some(Value::Class(types().type_.clone())),
                    "__dict__" => {
                        let items: Vec<(Value, Value)> =
                            c.dict.read().iter().map(|(k, v)| (Value::str(k), v.clone())).collect();
                        Some(crate::builtins::dict_from_pairs(items)?)
                    }
                    _ => None,
                })
            }
            Value::Module(m) => Ok(match m.get(name) {
                Some(v) => Some(v),
                None => match name {
                    "__name__" => Some(Value::str(&m.name)),
                    "__dict__" => Some(crate::builtins::dict_from_pairs(
                        m.items().into_iter().map(|(k, v)| (Value::str(&k), v)).collect(),
                    )?),
                    _ => None,
                },
            }),
            Value::Super(s) => Ok(self.super_lookup(s, name)),
            _ => {
                let class = type_of(obj).clone();
                if let Some(attr) = class.lookup(name) {
                    if let Value::Property(p) = &attr {
                        let fget = p.fget.clone();
                        return self.call(&fget, &[obj.clone()]).map(Some);
                    }
                    return Ok(Some(bind(attr, obj, &class)));
                }
                if let Some(v) = self.special_builtin_attr(obj, name)? {
                    return Ok(Some(v));
                }
                self.getattr_hook(&class, obj, name, hook_errors)
            }
        }
    }

    /// The class's `__getattr__`, consulted when normal lookup fails; an AttributeError from
    /// it means "no such attribute".
    fn getattr_hook(&mut self, class: &Class, obj: &Value, name: &str, hook_errors: bool) -> PyResult<Option<Value>> {
        let Some(hook) = class.lookup("__getattr__") else {
            return Ok(None);
        };
        match self.call(&hook, &[obj.clone(), Value::str(name)]) {
            Ok(v) => Ok(Some(v)),
            Err(e) if !hook_errors && e.is_instance_of(&super::types::exc().attribute_error) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// `__class__`, `__dict__` and the attributes every exception has.
    fn special_instance_attr(&mut self, obj: &Value, name: &str) -> Option<Value> {
        let Value::Instance(inst) = obj else {
            return None;
        };
        match name {
            "__class__" => Some(Value::Class(inst.class.clone())),
            "__dict__" => {
                let items: Vec<(Value, Value)> = inst
                    .dict
                    .lock()
                    .iter()
                    .map(|(k, v)| (Value::str(k), v.clone()))
                    .collect();
                crate::builtins::dict_from_pairs(items).ok()
            }
            _ => {
                let st = inst.exc.as_ref()?.lock();
                match name {
                    "args" => Some(Value::tuple(st.args.clone())),
                    "__cause__" => Some(st.cause.clone().unwrap_or(Value::None)),
                    "__context__" => Some(st.context.clone().unwrap_or(Value::None)),
                    "__suppress_context__" => Some(Value::Bool(st.suppress_context)),
                    "__traceback__" => Some(Value::None),
                    // StopIteration.value and SystemExit.code are the first argument.
                    "value" if inst.class.is_subclass(&super::types::exc().stop_iteration) => {
                        Some(st.args.first().cloned().unwrap_or(Value::None))
                    }
                    "code" if inst.class.is_subclass(&super::types::exc().system_exit) => Some(match st.args.len() {
                        0 => Value::None,
                        1 => st.args[0].clone(),
                        _ => Value::tuple(st.args.clone()),
                    }),
                    _ => None,
                }
            }
        }
    }

    /// Data attributes of built-in values (`f.__name__`, `r.start`, `x.real`…).
    fn special_builtin_attr(&mut self, obj: &Value, name: &str) -> PyResult<Option<Value>> {
        if name == "__class__" {
            return Ok(Some(Value::Class(type_of(obj).clone())));
        }
        Ok(match obj {
            Value::Function(f) => match name {
                "__name__" => Some(
                    f.dict
                        .lock()
                        .get("__name__")
                        .cloned()
                        .unwrap_or_else(|| Value::str(&f.code.name)),
                ),
                "__qualname__" => Some(
                    f.dict
                        .lock()
                        .get("__qualname__")
                        .cloned()
                        .unwrap_or_else(|| Value::str(&f.code.qualname)),
                ),
                "__module__" => Some(Value::str(&f.globals.name)),
                "__doc__" => Some(
                    f.dict
                        .lock()
                        .get("__doc__")
                        .cloned()
                        .unwrap_or_else(|| f.code.docstring.as_ref().map(|d| Value::str(d)).unwrap_or(Value::None)),
                ),
                "__defaults__" => Some(if f.defaults.is_empty() {
                    Value::None
                } else {
                    Value::tuple(f.defaults.clone())
                }),
                "__dict__" => Some(crate::builtins::dict_from_pairs(
                    f.dict.lock().iter().map(|(k, v)| (Value::str(k), v.clone())).collect(),
                )?),
                _ => f.dict.lock().get(name).cloned(),
            },
            Value::Builtin(b) => match name {
                "__name__" | "__qualname__" => Some(Value::str(b.name)),
                "__doc__" => Some(Value::None),
                _ => None,
            },
            Value::BoundMethod(m) => match name {
                "__self__" => Some(m.receiver.clone()),
                "__func__" => Some(m.func.clone()),
                _ => return self.getattr_opt(&m.func.clone(), name),
            },
            Value::Generator(g) => match name {
                "__name__" | "__qualname__" => Some(Value::str(&g.name)),
                _ => None,
            },
            Value::Range(r) => match name {
                "start" => Some(Value::Int(r.start)),
                "stop" => Some(Value::Int(r.stop)),
                "step" => Some(Value::Int(r.step)),
                _ => None,
            },
            Value::Slice(s) => match name {
                "start" => Some(s.start.clone()),
                "stop" => Some(s.stop.clone()),
                "step" => Some(s.step.clone()),
                _ => None,
            },
            Value::Int(_) | Value::Bool(_) | Value::BigInt(_) => match name {
                "real" | "numerator" => Some(self.unary_op(super::ops::Unary::Pos, obj.clone())?),
                "imag" => Some(Value::Int(0)),
                "denominator" => Some(Value::Int(1)),
                _ => None,
            },
            Value::Float(f) => match name {
                "real" => Some(Value::Float(*f)),
                "imag" => Some(Value::Float(0.0)),
                _ => None,
            },
            Value::Property(p) => match name {
                "fget" => Some(p.fget.clone()),
                "fset" => Some(p.fset.clone()),
                "fdel" => Some(p.fdel.clone()),
                _ => None,
            },
            Value::StaticMethod(f) | Value::ClassMethod(f) => match name {
                "__func__" => Some((**f).clone()),
                _ => None,
            },
            _ => None,
        })
    }

    /// Looks `name` up along `s.obj`'s MRO, after `s.class`.
    fn super_lookup(&mut self, s: &SuperObj, name: &str) -> Option<Value> {
        let start_class = match &s.obj {
            Value::Class(c) => c.clone(),
            other => type_of(other).clone(),
        };
        let mut chain = vec![start_class.clone()];
        chain.extend(start_class.mro.iter().cloned());
        let pos = chain.iter().position(|c| Arc::ptr_eq(c, &s.class))?;
        for c in &chain[pos + 1..] {
            if let Some(attr) = c.dict.read().get(name).cloned() {
                return Some(match (&s.obj, attr) {
                    (Value::Class(_), Value::Function(f)) => Value::Function(f),
                    (obj, attr) => bind(attr, obj, &start_class),
                });
            }
        }
        None
    }

    /// For `LoadMethod`: the function to call with `obj` prepended, when the attribute is a
    /// plain method found on the class (no bound-method object needed).
    pub fn lookup_method(&mut self, obj: &Value, name: &str) -> PyResult<Option<Value>> {
        match obj {
            Value::Instance(inst) => {
                if inst.dict.lock().contains_key(name) {
                    return Ok(None);
                }
                match inst.class.lookup(name) {
                    Some(f @ (Value::Function(_) | Value::Builtin(_))) => Ok(Some(f)),
                    _ => Ok(None),
                }
            }
            Value::Class(_) | Value::Module(_) | Value::Super(_) => Ok(None),
            _ => match type_of(obj).lookup(name) {
                Some(f @ (Value::Function(_) | Value::Builtin(_))) => Ok(Some(f)),
                _ => Ok(None),
            },
        }
    }

    /// A special method looked up on the type, bound to `obj` (`_PyObject_LookupSpecial`).
    pub fn lookup_special(&mut self, obj: &Value, name: &str) -> PyResult<Option<Value>> {
        let class = type_of(obj).clone();
        Ok(class.lookup(name).map(|attr| bind(attr, obj, &class)))
    }

    pub fn setattr(&mut self, obj: &Value, name: &str, v: Value) -> PyResult<()> {
        match obj {
            Value::Instance(inst) => {
                let flags = inst.class.attr_flags();
                if !flags.has_property && !flags.has_setattr {
                    let mut d = inst.dict.lock();
                    match d.get_mut(name) {
                        Some(slot) => *slot = v,
                        None => {
                            d.insert(Arc::from(name), v);
                        }
                    }
                    return Ok(());
                }
                let class = inst.class.clone();
                if let Some(Value::Property(p)) = class.lookup(name) {
                    if matches!(p.fset, Value::None) {
                        return Err(attribute_error(format!(
                            "property '{}' of '{}' object has no setter",
                            name, class.name
                        )));
                    }
                    let fset = p.fset.clone();
                    self.call(&fset, &[obj.clone(), v])?;
                    return Ok(());
                }
                if let Some(hook) = class.lookup("__setattr__") {
                    if !matches!(hook, Value::Builtin(_)) {
                        self.call(&hook, &[obj.clone(), Value::str(name), v])?;
                        return Ok(());
                    }
                }
                inst.dict.lock().insert(Arc::from(name), v);
                Ok(())
            }
            Value::Class(c) => {
                if c.builtin.is_some() {
                    return Err(type_error(format!(
                        "cannot set '{}' attribute of immutable type '{}'",
                        name, c.name
                    )));
                }
                c.set_class_attr(name, v);
                Ok(())
            }
            Value::Module(m) => {
                m.set(name, v);
                Ok(())
            }
            Value::Function(f) => {
                f.dict.lock().insert(Arc::from(name), v);
                Ok(())
            }
            _ => Err(attribute_error(format!(
                "'{}' object has no attribute '{}'",
                type_name(obj),
                name
            ))),
        }
    }

    pub fn delattr(&mut self, obj: &Value, name: &str) -> PyResult<()> {
        let removed = match obj {
            Value::Instance(inst) => {
                if let Some(Value::Property(p)) = inst.class.lookup(name) {
                    let fdel = p.fdel.clone();
                    if !matches!(fdel, Value::None) {
                        self.call(&fdel, &[obj.clone()])?;
                        return Ok(());
                    }
                }
                // A user-defined `__delattr__` (object's own is the dict removal below).
                if let Some(hook) = inst.class.lookup("__delattr__") {
                    if !matches!(hook, Value::Builtin(_)) {
                        self.call(&hook, &[obj.clone(), Value::str(name)])?;
                        return Ok(());
                    }
                }
                inst.dict.lock().shift_remove(name).is_some()
            }
            Value::Class(c) if c.builtin.is_none() => c.del_class_attr(name),
            Value::Module(m) => m.delete(name),
            Value::Function(f) => f.dict.lock().shift_remove(name).is_some(),
            _ => false,
        };
        if removed {
            Ok(())
        } else {
            Err(no_attribute(obj, name))
        }
    }

    /// `class Name(base): body` — runs the body in a fresh namespace and builds the class.
    pub(super) fn build_class(&mut self, body: Value, name: Value, bases: Vec<Value>) -> PyResult<Value> {
        let Value::Function(body) = body else {
            return Err(type_error("class body is not a function"));
        };
        let Value::Str(name) = name else {
            return Err(type_error("class name must be a string"));
        };
        if bases.len() > 1 {
            return Err(type_error(format!(
                "class '{}': gilsim supports single inheritance only ({} bases given)",
                name.as_str(),
                bases.len()
            )));
        }
        let base = match bases.first() {
            None => types().object.clone(),
            Some(Value::Class(c)) => {
                if let Some(kind) = c.builtin {
                    if !matches!(kind, BuiltinType::Object | BuiltinType::Exception) {
                        return Err(type_error(format!(
                            "class '{}': subclassing the built-in type '{}' is not supported by gilsim",
                            name.as_str(),
                            c.name
                        )));
                    }
                }
                c.clone()
            }
            Some(other) => {
                return Err(type_error(format!(
                    "class '{}': base must be a class, not '{}'",
                    name.as_str(),
                    type_name(other)
                )))
            }
        };
        let mut ns = new_attr_map();
        ns.insert(Arc::from("__module__"), Value::str(&body.globals.name));
        ns.insert(Arc::from("__qualname__"), Value::str(&body.code.qualname));
        let mut frame = Frame::new(body.clone(), self.stack.len());
        frame.cells = (0..body.code.cellvars.len())
            .map(|_| super::objects::Cell::new(None))
            .collect();
        frame.cells.extend(body.closure.iter().cloned());
        frame.namespace = Some(Box::new(ns));
        let dict = self.run_frame(frame)?;
        let Value::Dict(dict) = dict else {
            return Err(type_error("class body did not return its namespace"));
        };
        let mut attrs = new_attr_map();
        for (k, v) in dict.map.lock().iter() {
            if let Value::Str(s) = &k.value {
                attrs.insert(Arc::from(s.as_str()), v.clone());
            }
        }
        let module = attrs.get("__module__").and_then(|v| match v {
            Value::Str(s) => Some(s.as_str().to_string()),
            _ => None,
        });
        let module = module.unwrap_or_else(|| body.globals.name.to_string());
        let class = Arc::new(Class {
            name: Arc::from(name.as_str()),
            qualname: body.code.qualname.clone(),
            module: Arc::from(module.as_str()),
            mro: std::iter::once(base.clone()).chain(base.mro.iter().cloned()).collect(),
            is_exception: base.is_exception,
            base: Some(base),
            dict: parking_lot::RwLock::new(attrs),
            builtin: None,
            attr_flags: Default::default(),
        });
        // Methods learn their class, for zero-argument super().
        for v in class.dict.read().values() {
            let f = match v {
                Value::Function(f) => Some(f.clone()),
                Value::ClassMethod(inner) | Value::StaticMethod(inner) => match &**inner {
                    Value::Function(f) => Some(f.clone()),
                    _ => None,
                },
                Value::Property(p) => match &p.fget {
                    Value::Function(f) => Some(f.clone()),
                    _ => None,
                },
                _ => None,
            };
            if let Some(f) = f {
                *f.owner.write() = Some(Arc::downgrade(&class));
            }
            if let Value::Property(p) = v {
                for acc in [&p.fset, &p.fdel] {
                    if let Value::Function(f) = acc {
                        *f.owner.write() = Some(Arc::downgrade(&class));
                    }
                }
            }
        }
        Ok(Value::Class(class))
    }

    /// `super()` with no arguments: the calling method's class and first argument.
    pub fn zero_arg_super(&mut self) -> PyResult<Value> {
        let frame = self
            .frames
            .last()
            .ok_or_else(|| super::errors::runtime_error("super(): no arguments"))?;
        let func = frame.func.clone();
        let class = func
            .owner
            .read()
            .as_ref()
            .and_then(|w| w.upgrade())
            .ok_or_else(|| super::errors::runtime_error("super(): __class__ cell not found"))?;
        if func.code.arg_count == 0 && !func.code.flags.has_varargs {
            return Err(super::errors::runtime_error("super(): no arguments"));
        }
        // The first argument may have been moved into a cell if a closure captures it.
        let first = match self.stack.get(frame.base).cloned() {
            Some(v) if !matches!(v, Value::Null) => v,
            _ => {
                let cell = func.code.cell_params.iter().find(|(_, li)| *li == 0).map(|(ci, _)| *ci);
                match cell
                    .and_then(|ci| frame.cells.get(ci as usize))
                    .and_then(|c| c.value.lock().clone())
                {
                    Some(v) => v,
                    None => return Err(super::errors::runtime_error("super(): arg[0] deleted")),
                }
            }
        };
        Ok(Value::Super(Arc::new(SuperObj { class, obj: first })))
    }

    /// `super(C, obj)`
    pub fn explicit_super(&mut self, args: Args<'_>) -> PyResult<Value> {
        match args.pos {
            [Value::Class(c), obj] => Ok(Value::Super(Arc::new(SuperObj {
                class: c.clone(),
                obj: obj.clone(),
            }))),
            [] => self.zero_arg_super(),
            _ => Err(type_error("super() argument 1 must be a type")),
        }
    }
}

#[cold]
pub fn no_attribute(obj: &Value, name: &str) -> PyErr {
    let err = match obj {
        Value::Class(c) => attribute_error(format!("type object '{}' has no attribute '{}'", c.name, name)),
        Value::Module(m) => attribute_error(format!("module '{}' has no attribute '{}'", m.name, name)),
        _ => attribute_error(format!("'{}' object has no attribute '{}'", type_name(obj), name)),
    };
    err.state().suggestion = Some(super::objects::Suggestion::Attribute {
        obj: obj.clone(),
        name: name.to_string(),
    });
    err
}
