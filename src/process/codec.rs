//! Values crossing a process boundary: [`Value`] ⇄ [`Wire`], a serde enum the protocol
//! frames with postcard. It plays the part of pickle in CPython's multiprocessing.
//!
//! What travels by value: None, bool, int (big ones as signed little-endian bytes), float,
//! str, bytes, list, tuple, dict, set, frozenset, range, exceptions (class, args and
//! attributes) and instances of classes defined at a module's top level (class and
//! attributes; `__init__` is not run again, as pickle's `copyreg.__newobj__`). What
//! travels by reference: functions and classes, as module + qualified name, looked up
//! again on the other side (`Lib/pickle.py` `save_global`); bound methods as receiver +
//! name. Everything else (locks, generators, files, modules, lambdas, nested functions)
//! raises the error CPython's pickle raises for it.
//!
//! Pickle keeps a memo and so copes with cycles; this codec does not: a value that
//! contains itself is a ValueError, and nesting deeper than [`MAX_DEPTH`] is CPython's
//! RecursionError. Both keep encoding and decoding bounded.

use std::sync::{Arc, LazyLock};

use num_bigint::BigInt;
use serde::{Deserialize, Serialize};

use crate::vm::dict::{new_dict_storage, new_set_storage, Key};
use crate::vm::errors::{new_exception_instance, type_error, PyErr};
use crate::vm::objects::{Class, DictObj, Instance, InstanceDict, RangeObj, SetObj};
use crate::vm::types::{exc, make_class, type_name};
use crate::vm::value::Value;
use crate::vm::vm::Vm;
use crate::vm::PyResult;

/// The deepest nesting that travels (CPython's pickle stops at the recursion limit, 1000).
pub const MAX_DEPTH: usize = 500;

/// A value on the wire.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub enum Wire {
    None,
    Bool(bool),
    Int(i64),
    /// An int beyond 64 bits: two's complement, little-endian.
    BigInt(Vec<u8>),
    Float(f64),
    Str(String),
    Bytes(Vec<u8>),
    List(Vec<Wire>),
    Tuple(Vec<Wire>),
    Dict(Vec<(Wire, Wire)>),
    Set(Vec<Wire>),
    FrozenSet(Vec<Wire>),
    Range(i64, i64, i64),
    Ellipsis,
    /// A function or class, by reference.
    Global {
        module: String,
        qualname: String,
    },
    /// A built-in function (`print`, `len`…), by name.
    Builtin(String),
    /// `receiver.name`, a bound method.
    Method(Box<Wire>, String),
    Instance {
        module: String,
        qualname: String,
        attrs: Vec<(String, Wire)>,
    },
    Exception {
        module: String,
        qualname: String,
        args: Vec<Wire>,
        attrs: Vec<(String, Wire)>,
    },
}

/// `_pickle.PicklingError` (a subclass of `_pickle.PickleError`, an Exception).
pub static PICKLING_ERROR: LazyLock<Arc<Class>> = LazyLock::new(|| {
    let base = make_class(
        "PickleError",
        "_pickle",
        Some(&exc().exception),
        Default::default(),
        None,
    );
    make_class("PicklingError", "_pickle", Some(&base), Default::default(), None)
});

/// Encodes `v` for another process.
pub fn encode(vm: &mut Vm, v: &Value) -> PyResult<Wire> {
    Encoder { vm, open: Vec::new() }.value(v)
}

/// Decodes a value received from another process.
pub fn decode(vm: &mut Vm, w: Wire) -> PyResult<Value> {
    Decoder { vm }.value(w, 0)
}

struct Encoder<'a> {
    vm: &'a mut Vm,
    /// Identities of the containers being encoded, outermost first: the path to the value
    /// at hand, so that its length is the depth and a repeat is a cycle.
    open: Vec<usize>,
}

impl Encoder<'_> {
    fn value(&mut self, v: &Value) -> PyResult<Wire> {
        Ok(match v {
            Value::None => Wire::None,
            Value::Bool(b) => Wire::Bool(*b),
            Value::Int(i) => Wire::Int(*i),
            Value::BigInt(b) => Wire::BigInt(b.to_signed_bytes_le()),
            Value::Float(f) => Wire::Float(*f),
            Value::Str(s) => Wire::Str(s.as_str().to_string()),
            Value::Bytes(b) => Wire::Bytes(b.to_vec()),
            Value::Ellipsis => Wire::Ellipsis,
            Value::Range(r) => Wire::Range(r.start, r.stop, r.step),
            Value::Tuple(items) => {
                let items = items.clone();
                Wire::Tuple(self.nested(v, |e| e.items(&items))?)
            }
            Value::List(l) => {
                let items = l.items.lock().clone();
                Wire::List(self.nested(v, |e| e.items(&items))?)
            }
            Value::Set(s) => {
                let items: Vec<Value> = s.set.lock().iter().map(|k| k.value.clone()).collect();
                let frozen = s.frozen;
                let items = self.nested(v, |e| e.items(&items))?;
                if frozen {
                    Wire::FrozenSet(items)
                } else {
                    Wire::Set(items)
                }
            }
            Value::Dict(d) => {
                let pairs: Vec<(Value, Value)> =
                    d.map.lock().iter().map(|(k, v)| (k.value.clone(), v.clone())).collect();
                Wire::Dict(self.nested(v, |e| {
                    pairs
                        .iter()
                        .map(|(k, v)| Ok((e.value(k)?, e.value(v)?)))
                        .collect::<PyResult<Vec<_>>>()
                })?)
            }
            Value::Function(f) => {
                let qualname = f.code.qualname.to_string();
                let module = f.globals.name.to_string();
                self.global(v, module, qualname)?
            }
            Value::Class(c) => {
                if c.builtin.is_some() && c.module.as_ref() == "builtins" {
                    Wire::Global {
                        module: "builtins".into(),
                        qualname: c.name.to_string(),
                    }
                } else {
                    self.global(v, c.module.to_string(), c.qualname.to_string())?
                }
            }
            Value::Builtin(b) => match crate::builtins::lookup_builtin(b.name) {
                Some(Value::Builtin(same)) if std::ptr::eq(same, *b) => Wire::Builtin(b.name.to_string()),
                // A method of a built-in type (`list.__add__`, `str.upper`), by qualified
                // name, as pickle reduces method descriptors to `getattr(type, name)`.
                _ => match builtin_method_owner(b) {
                    Some(owner) => Wire::Global {
                        module: "builtins".into(),
                        qualname: format!("{owner}.{}", b.name),
                    },
                    // A module's function (`math.sqrt`, `os.getpid`): by module and name, as
                    // pickle saves built-in functions (Lib/pickle.py `save_global`).
                    None => match builtin_module_owner(self.vm, b) {
                        Some(module) => Wire::Global {
                            module,
                            qualname: b.name.to_string(),
                        },
                        None => return Err(cannot_pickle("builtin_function_or_method")),
                    },
                },
            },
            Value::BoundMethod(m) => {
                let name = match self.vm.getattr(&m.func, "__name__")? {
                    Value::Str(s) => s.as_str().to_string(),
                    _ => return Err(cannot_pickle("method")),
                };
                let receiver = m.receiver.clone();
                Wire::Method(Box::new(self.nested(v, |e| e.value(&receiver))?), name)
            }
            Value::Instance(i) => {
                let class = i.class.clone();
                if let Wire::Global { module, qualname } = self.global(
                    &Value::Class(class.clone()),
                    class.module.to_string(),
                    class.qualname.to_string(),
                )? {
                    let attrs: Vec<(String, Value)> =
                        i.dict.lock().iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
                    let args = i.exc.as_ref().map(|st| st.lock().args.clone());
                    self.nested(v, |e| {
                        let attrs = attrs
                            .iter()
                            .map(|(k, v)| Ok((k.clone(), e.value(v)?)))
                            .collect::<PyResult<Vec<_>>>()?;
                        Ok(match &args {
                            Some(args) => Wire::Exception {
                                module,
                                qualname,
                                args: e.items(args)?,
                                attrs,
                            },
                            None => Wire::Instance {
                                module,
                                qualname,
                                attrs,
                            },
                        })
                    })?
                } else {
                    return Err(cannot_pickle(type_name(v)));
                }
            }
            Value::Native(n) => {
                let name = if matches!(&*n.class.module, "builtins" | "") {
                    n.class.name.to_string()
                } else {
                    format!("{}.{}", n.class.module, n.class.name)
                };
                return Err(cannot_pickle(&name));
            }
            other => return Err(cannot_pickle(type_name(other))),
        })
    }

    fn items(&mut self, items: &[Value]) -> PyResult<Vec<Wire>> {
        items.iter().map(|x| self.value(x)).collect()
    }

    /// Encodes the parts of container `v`, one level deeper.
    fn nested<T>(&mut self, v: &Value, f: impl FnOnce(&mut Self) -> PyResult<T>) -> PyResult<T> {
        let id = v.id();
        if self.open.contains(&id) {
            return Err(PyErr::new(
                &exc().value_error,
                format!(
                    "cannot send a {} that contains itself to another process (gilsim's pickle keeps no memo)",
                    type_name(v)
                ),
            ));
        }
        if self.open.len() >= MAX_DEPTH {
            return Err(PyErr::new(
                &exc().recursion_error,
                "maximum recursion depth exceeded while pickling an object",
            ));
        }
        self.open.push(id);
        let r = f(self);
        self.open.pop();
        r
    }

    /// A function or class by reference: it must be found again under its module and
    /// qualified name (pickle.py `save_global`, `whichmodule`, `_getattribute`).
    fn global(&mut self, v: &Value, module: String, qualname: String) -> PyResult<Wire> {
        if qualname.contains("<locals>") {
            return Err(PyErr::new(
                &exc().attribute_error,
                format!("Can't pickle local object '{qualname}'"),
            ));
        }
        let found = if module == "builtins" {
            crate::builtins::lookup_builtin(&qualname)
        } else {
            match find_module(self.vm, &module) {
                Some(m) => lookup_qualname(self.vm, &Value::Module(m), &qualname),
                None => None,
            }
        };
        let shown = if module == "__mp_main__" {
            "__main__"
        } else {
            module.as_str()
        };
        match found {
            Some(f) if f.is(v) => Ok(Wire::Global { module, qualname }),
            Some(_) => {
                let repr = self.vm.repr(v)?;
                Err(PyErr::new(
                    &PICKLING_ERROR,
                    format!("Can't pickle {repr}: it's not the same object as {shown}.{qualname}"),
                ))
            }
            None => {
                let repr = self.vm.repr(v)?;
                Err(PyErr::new(
                    &PICKLING_ERROR,
                    format!("Can't pickle {repr}: attribute lookup {qualname} on {shown} failed"),
                ))
            }
        }
    }
}

/// The built-in type whose method `b` is, if any.
fn builtin_method_owner(b: &'static crate::vm::objects::BuiltinFunction) -> Option<&'static str> {
    let t = crate::vm::types::types();
    [
        (&t.list, "list"),
        (&t.dict, "dict"),
        (&t.str_, "str"),
        (&t.tuple, "tuple"),
        (&t.set, "set"),
        (&t.frozenset, "frozenset"),
        (&t.int, "int"),
        (&t.float, "float"),
        (&t.bytes, "bytes"),
    ]
    .into_iter()
    .find(|(class, _)| {
        class
            .dict
            .read()
            .get(b.name)
            .is_some_and(|v| matches!(v, Value::Builtin(m) if std::ptr::eq(*m, b)))
    })
    .map(|(_, name)| name)
}

/// The imported module that has `b` as the attribute of its name, if any.
fn builtin_module_owner(vm: &Vm, b: &'static crate::vm::objects::BuiltinFunction) -> Option<String> {
    let modules = vm.interp.modules.lock();
    let mut owners: Vec<&String> = modules
        .iter()
        .filter(|(_, m)| matches!(m.get(b.name), Some(Value::Builtin(f)) if std::ptr::eq(f, b)))
        .map(|(name, _)| name)
        .collect();
    // Several modules may re-export it (`from math import sqrt` in a script): the shortest
    // name is the library module itself, and the choice does not depend on map order.
    owners.sort_by_key(|n| (n.starts_with('_'), n.len(), n.to_string()));
    owners.first().map(|n| n.to_string())
}

#[cold]
fn cannot_pickle(type_name: &str) -> PyErr {
    type_error(format!("cannot pickle '{type_name}' object"))
}

/// A module already loaded, by name. The main script is `__main__` in the parent and
/// `__mp_main__` in a worker; either name finds it on both sides, as CPython aliases them
/// (Lib/multiprocessing/spawn.py `_fixup_main_from_path`, Lib/multiprocessing/__init__.py).
fn find_module(vm: &mut Vm, name: &str) -> Option<Arc<crate::vm::objects::Module>> {
    let modules = vm.interp.modules.lock();
    let name = match name {
        "__main__" | "__mp_main__" => {
            return modules.get("__main__").or_else(|| modules.get("__mp_main__")).cloned();
        }
        // gilsim keeps these in one module each; CPython's classes name the submodule.
        "concurrent.futures.process" | "concurrent.futures._base" | "concurrent.futures.thread" => "concurrent.futures",
        "multiprocessing.pool" | "multiprocessing.context" | "multiprocessing.process" => "multiprocessing",
        other => other,
    };
    modules.get(name).cloned()
}

/// `getattr` along a dotted qualified name (`Class.method`).
fn lookup_qualname(vm: &mut Vm, root: &Value, qualname: &str) -> Option<Value> {
    let mut cur = root.clone();
    for part in qualname.split('.') {
        cur = vm.getattr_opt(&cur, part).ok().flatten()?;
    }
    Some(cur)
}

struct Decoder<'a> {
    vm: &'a mut Vm,
}

impl Decoder<'_> {
    fn value(&mut self, w: Wire, depth: usize) -> PyResult<Value> {
        if depth > MAX_DEPTH + 1 {
            return Err(PyErr::new(
                &exc().recursion_error,
                "maximum recursion depth exceeded while unpickling an object",
            ));
        }
        let d = depth + 1;
        Ok(match w {
            Wire::None => Value::None,
            Wire::Bool(b) => Value::Bool(b),
            Wire::Int(i) => Value::Int(i),
            Wire::BigInt(bytes) => Value::from_bigint(BigInt::from_signed_bytes_le(&bytes)),
            Wire::Float(f) => Value::Float(f),
            Wire::Str(s) => Value::string(s),
            Wire::Bytes(b) => Value::Bytes(Arc::new(b)),
            Wire::Ellipsis => Value::Ellipsis,
            Wire::Range(start, stop, step) => {
                if step == 0 {
                    return Err(PyErr::new(&exc().value_error, "range() arg 3 must not be zero"));
                }
                Value::Range(Arc::new(RangeObj { start, stop, step }))
            }
            Wire::List(items) => Value::list(self.items(items, d)?),
            Wire::Tuple(items) => Value::tuple(self.items(items, d)?),
            Wire::Set(items) => self.set(items, false, d)?,
            Wire::FrozenSet(items) => self.set(items, true, d)?,
            Wire::Dict(pairs) => {
                let mut map = new_dict_storage();
                for (k, v) in pairs {
                    let k = self.value(k, d)?;
                    let v = self.value(v, d)?;
                    map.insert(Key::new(k)?, v);
                }
                Value::Dict(Arc::new(DictObj::new(map)))
            }
            Wire::Global { module, qualname } => self.global(&module, &qualname)?,
            Wire::Builtin(name) => crate::builtins::lookup_builtin(&name).ok_or_else(|| {
                PyErr::new(
                    &exc().attribute_error,
                    format!("module 'builtins' has no attribute '{name}'"),
                )
            })?,
            Wire::Method(receiver, name) => {
                let receiver = self.value(*receiver, d)?;
                self.vm.getattr(&receiver, &name)?
            }
            Wire::Instance {
                module,
                qualname,
                attrs,
            } => {
                let class = self.class(&module, &qualname)?;
                let mut dict = InstanceDict::default();
                for (k, v) in attrs {
                    dict.insert(Arc::from(k.as_str()), self.value(v, d)?);
                }
                if class.is_exception {
                    let inst = new_exception_instance(&class, Vec::new());
                    *inst.dict.lock() = dict;
                    Value::Instance(inst)
                } else {
                    Value::Instance(Arc::new(Instance {
                        class,
                        dict: parking_lot::Mutex::new(dict),
                        exc: None,
                    }))
                }
            }
            Wire::Exception {
                module,
                qualname,
                args,
                attrs,
            } => {
                let class = self.class(&module, &qualname)?;
                if !class.is_exception {
                    return Err(type_error(format!("{qualname} is not an exception class")));
                }
                let args = self.items(args, d)?;
                let mut values = Vec::with_capacity(attrs.len());
                for (k, v) in attrs {
                    values.push((Arc::<str>::from(k.as_str()), self.value(v, d)?));
                }
                let inst = new_exception_instance(&class, args);
                let mut dict = inst.dict.lock();
                for (k, v) in values {
                    dict.insert(k, v);
                }
                drop(dict);
                Value::Instance(inst)
            }
        })
    }

    fn items(&mut self, items: Vec<Wire>, depth: usize) -> PyResult<Vec<Value>> {
        items.into_iter().map(|x| self.value(x, depth)).collect()
    }

    fn set(&mut self, items: Vec<Wire>, frozen: bool, depth: usize) -> PyResult<Value> {
        let mut set = new_set_storage();
        for x in items {
            set.insert(Key::new(self.value(x, depth)?)?);
        }
        Ok(Value::Set(Arc::new(SetObj::new(set, frozen))))
    }

    /// A function or class by module and qualified name, importing the module if needed
    /// (pickle.py `find_class`).
    fn global(&mut self, module: &str, qualname: &str) -> PyResult<Value> {
        if module == "builtins" {
            if let Some(v) = crate::builtins::lookup_builtin(qualname) {
                return Ok(v);
            }
            if let Some((owner, name)) = qualname.split_once('.') {
                if let Some(t) = crate::builtins::lookup_builtin(owner) {
                    return self.vm.getattr(&t, name);
                }
            }
        }
        let m = match find_module(self.vm, module) {
            Some(m) => m,
            None => self.vm.import_module(module)?,
        };
        lookup_qualname(self.vm, &Value::Module(m), qualname).ok_or_else(|| {
            let shown = if module == "__mp_main__" { "__main__" } else { module };
            PyErr::new(
                &exc().attribute_error,
                format!("Can't get attribute '{qualname}' on <module '{shown}'>"),
            )
        })
    }

    fn class(&mut self, module: &str, qualname: &str) -> PyResult<Arc<Class>> {
        if module == "builtins" {
            if let Some(c) = exc().all.iter().find(|c| c.name.as_ref() == qualname) {
                return Ok(c.clone());
            }
        }
        match self.global(module, qualname)? {
            Value::Class(c) => Ok(c),
            other => Err(type_error(format!(
                "{module}.{qualname} is a '{}', not a class",
                type_name(&other)
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_round_trips_through_postcard() {
        let w = Wire::List(vec![
            Wire::Int(-3),
            Wire::BigInt(BigInt::from(7u8).pow(40).to_signed_bytes_le()),
            Wire::Dict(vec![(
                Wire::Str("k".into()),
                Wire::Tuple(vec![Wire::None, Wire::Float(0.5)]),
            )]),
        ]);
        let bytes = postcard::to_stdvec(&w).expect("encodes");
        let back: Wire = postcard::from_bytes(&bytes).expect("decodes");
        assert_eq!(w, back);
    }
}
