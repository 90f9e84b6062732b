//! `PyErr`, the Rust-side carrier of a Python exception, and constructors for the built-in
//! exception types.

use std::sync::Arc;

use parking_lot::{Mutex, MutexGuard};

use super::objects::{Class, ExcState, Instance};
use super::types::exc;
use super::value::Value;

/// A raised Python exception: always an instance of a BaseException subclass.
#[derive(Clone)]
pub struct PyErr(pub Arc<Instance>);

impl PyErr {
    /// A new exception of `class` with one message argument.
    #[cold]
    pub fn new(class: &Arc<Class>, msg: impl Into<String>) -> PyErr {
        PyErr::with_args(class, vec![Value::string(msg.into())])
    }

    #[cold]
    pub fn with_args(class: &Arc<Class>, args: Vec<Value>) -> PyErr {
        PyErr(new_exception_instance(class, args))
    }

    pub fn class(&self) -> &Arc<Class> {
        &self.0.class
    }

    pub fn value(&self) -> Value {
        Value::Instance(self.0.clone())
    }

    pub fn is_instance_of(&self, class: &Class) -> bool {
        self.0.class.is_subclass(class)
    }

    pub fn state(&self) -> MutexGuard<'_, ExcState> {
        // Every PyErr is built from an exception instance, which always has state.
        self.0.exc.as_ref().expect("exception instance without state").lock()
    }

    pub fn args(&self) -> Vec<Value> {
        self.state().args.clone()
    }

    /// Turns a raised value into a PyErr, or a TypeError if it is not an exception.
    pub fn from_value(v: Value) -> Result<PyErr, PyErr> {
        match v {
            Value::Instance(i) if i.exc.is_some() => Ok(PyErr(i)),
            _ => Err(type_error("exceptions must derive from BaseException")),
        }
    }
}

impl std::fmt::Debug for PyErr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PyErr({}: {:?})", self.0.class.name, self.args().len())
    }
}

/// A fresh instance of an exception class with the given `args`.
pub fn new_exception_instance(class: &Arc<Class>, args: Vec<Value>) -> Arc<Instance> {
    Arc::new(Instance {
        class: class.clone(),
        dict: Mutex::new(Default::default()),
        exc: Some(Mutex::new(ExcState {
            args,
            ..Default::default()
        })),
    })
}

macro_rules! constructors {
    ($($fn_name:ident => $field:ident),* $(,)?) => {
        $(
            #[cold]
            pub fn $fn_name(msg: impl Into<String>) -> PyErr {
                PyErr::new(&exc().$field, msg)
            }
        )*
    };
}

constructors! {
    type_error => type_error,
    value_error => value_error,
    index_error => index_error,
    attribute_error => attribute_error,
    name_error => name_error,
    unbound_local_error => unbound_local_error,
    zero_division_error => zero_division_error,
    overflow_error => overflow_error,
    runtime_error => runtime_error,
    recursion_error => recursion_error,
    import_error => import_error,
    module_not_found_error => module_not_found_error,
    not_implemented_error => not_implemented_error,
    assertion_error => assertion_error,
    os_error => os_error,
    memory_error => memory_error,
    system_error => system_error,
}

/// `KeyError(key)`: the key itself is the argument, so `str(e)` is its repr.
#[cold]
pub fn key_error(key: Value) -> PyErr {
    PyErr::with_args(&exc().key_error, vec![key])
}

#[cold]
pub fn stop_iteration(value: Option<Value>) -> PyErr {
    PyErr::with_args(&exc().stop_iteration, value.into_iter().collect())
}
