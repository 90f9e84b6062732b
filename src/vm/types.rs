//! The built-in type objects (`int`, `str`, `list`…) and the built-in exception hierarchy.
//! They are created once per process and never change, so every interpreter shares them.

use std::sync::{Arc, LazyLock};

use parking_lot::RwLock;

use super::objects::{new_attr_map, AttrMap, BuiltinType, Class};
use super::value::Value;

pub struct BuiltinTypes {
    pub object: Arc<Class>,
    pub type_: Arc<Class>,
    pub none: Arc<Class>,
    pub bool_: Arc<Class>,
    pub int: Arc<Class>,
    pub float: Arc<Class>,
    pub str_: Arc<Class>,
    pub bytes: Arc<Class>,
    pub tuple: Arc<Class>,
    pub list: Arc<Class>,
    pub dict: Arc<Class>,
    pub set: Arc<Class>,
    pub frozenset: Arc<Class>,
    pub range: Arc<Class>,
    pub slice: Arc<Class>,
    pub function: Arc<Class>,
    pub builtin_function: Arc<Class>,
    pub method: Arc<Class>,
    pub module: Arc<Class>,
    pub generator: Arc<Class>,
    pub iterator: Arc<Class>,
    /// Iterator classes by the name CPython gives them (`type(enumerate(x)).__name__`).
    pub iterators: Vec<(&'static str, Arc<Class>)>,
    pub dict_keys: Arc<Class>,
    pub dict_values: Arc<Class>,
    pub dict_items: Arc<Class>,
    pub property: Arc<Class>,
    pub staticmethod: Arc<Class>,
    pub classmethod: Arc<Class>,
    pub super_: Arc<Class>,
    pub ellipsis: Arc<Class>,
    pub not_implemented: Arc<Class>,
}

/// The built-in exception classes, named as in Python.
pub struct ExcTypes {
    pub base_exception: Arc<Class>,
    pub system_exit: Arc<Class>,
    pub keyboard_interrupt: Arc<Class>,
    pub generator_exit: Arc<Class>,
    pub exception: Arc<Class>,
    pub stop_iteration: Arc<Class>,
    pub arithmetic_error: Arc<Class>,
    pub zero_division_error: Arc<Class>,
    pub overflow_error: Arc<Class>,
    pub floating_point_error: Arc<Class>,
    pub assertion_error: Arc<Class>,
    pub attribute_error: Arc<Class>,
    pub buffer_error: Arc<Class>,
    pub eof_error: Arc<Class>,
    pub import_error: Arc<Class>,
    pub module_not_found_error: Arc<Class>,
    pub lookup_error: Arc<Class>,
    pub index_error: Arc<Class>,
    pub key_error: Arc<Class>,
    pub memory_error: Arc<Class>,
    pub name_error: Arc<Class>,
    pub unbound_local_error: Arc<Class>,
    pub os_error: Arc<Class>,
    pub file_not_found_error: Arc<Class>,
    pub file_exists_error: Arc<Class>,
    pub permission_error: Arc<Class>,
    pub is_a_directory_error: Arc<Class>,
    pub not_a_directory_error: Arc<Class>,
    pub blocking_io_error: Arc<Class>,
    pub interrupted_error: Arc<Class>,
    pub child_process_error: Arc<Class>,
    pub process_lookup_error: Arc<Class>,
    pub timeout_error: Arc<Class>,
    pub broken_pipe_error: Arc<Class>,
    pub connection_error: Arc<Class>,
    pub connection_aborted_error: Arc<Class>,
    pub connection_refused_error: Arc<Class>,
    pub connection_reset_error: Arc<Class>,
    /// `io.UnsupportedOperation`: an OSError and a ValueError at once, as in CPython. Not a
    /// built-in name (so not in `all`).
    pub unsupported_operation: Arc<Class>,
    pub runtime_error: Arc<Class>,
    pub recursion_error: Arc<Class>,
    pub not_implemented_error: Arc<Class>,
    pub syntax_error: Arc<Class>,
    pub indentation_error: Arc<Class>,
    pub tab_error: Arc<Class>,
    pub system_error: Arc<Class>,
    pub type_error: Arc<Class>,
    pub value_error: Arc<Class>,
    pub unicode_error: Arc<Class>,
    pub unicode_decode_error: Arc<Class>,
    pub unicode_encode_error: Arc<Class>,
    pub warning: Arc<Class>,
    /// gilsim's own: every live thread is blocked and nothing can wake any of them.
    pub deadlock_error: Arc<Class>,
    /// gilsim's own, never seen by programs: a worker started with the fork method reached
    /// the point where its parent started it (src/process/worker.rs).
    pub bootstrap_stop: Arc<Class>,
    /// Every built-in exception class by name, for the builtins module.
    pub all: Vec<Arc<Class>>,
}

const ITERATOR_NAMES: &[&str] = &[
    "list_iterator",
    "tuple_iterator",
    "bytes_iterator",
    "range_iterator",
    "str_ascii_iterator",
    "dict_keyiterator",
    "dict_valueiterator",
    "dict_itemiterator",
    "set_iterator",
    "list_reverseiterator",
    "enumerate",
    "zip",
    "map",
    "filter",
    "callable_iterator",
];

static TYPES: LazyLock<BuiltinTypes> = LazyLock::new(build_types);
static EXC: LazyLock<ExcTypes> = LazyLock::new(build_exceptions);

pub fn types() -> &'static BuiltinTypes {
    &TYPES
}

pub fn exc() -> &'static ExcTypes {
    &EXC
}

/// A new class object for a built-in type, with its methods installed.
pub fn new_builtin_class(name: &str, base: Option<&Arc<Class>>, kind: BuiltinType) -> Arc<Class> {
    let mut dict = new_attr_map();
    for (name, v) in crate::builtins::methods::type_methods(kind) {
        dict.insert(Arc::from(name), v);
    }
    make_class(name, "builtins", base, dict, Some(kind))
}

/// Builds a class object; the MRO is the base followed by the base's MRO.
pub fn make_class(
    name: &str,
    module: &str,
    base: Option<&Arc<Class>>,
    dict: AttrMap,
    builtin: Option<BuiltinType>,
) -> Arc<Class> {
    let mut mro = Vec::new();
    if let Some(b) = base {
        mro.push(b.clone());
        mro.extend(b.mro.iter().cloned());
    }
    let is_exception = base.map(|b| b.is_exception).unwrap_or(false) || builtin == Some(BuiltinType::Exception);
    Arc::new(Class {
        name: Arc::from(name),
        qualname: Arc::from(name),
        module: Arc::from(module),
        base: base.cloned(),
        mro,
        dict: RwLock::new(dict),
        builtin,
        is_exception,
        attr_flags: Default::default(),
    })
}

fn build_types() -> BuiltinTypes {
    use BuiltinType as B;
    let object = new_builtin_class("object", None, B::Object);
    let o = Some(&object);
    let int = new_builtin_class("int", o, B::Int);
    BuiltinTypes {
        type_: new_builtin_class("type", o, B::Type),
        none: new_builtin_class("NoneType", o, B::NoneType),
        bool_: new_builtin_class("bool", Some(&int), B::Bool),
        float: new_builtin_class("float", o, B::Float),
        str_: new_builtin_class("str", o, B::Str),
        bytes: new_builtin_class("bytes", o, B::Bytes),
        tuple: new_builtin_class("tuple", o, B::Tuple),
        list: new_builtin_class("list", o, B::List),
        dict: new_builtin_class("dict", o, B::Dict),
        set: new_builtin_class("set", o, B::Set),
        frozenset: new_builtin_class("frozenset", o, B::FrozenSet),
        range: new_builtin_class("range", o, B::Range),
        slice: new_builtin_class("slice", o, B::Slice),
        function: new_builtin_class("function", o, B::Function),
        builtin_function: new_builtin_class("builtin_function_or_method", o, B::BuiltinFunction),
        method: new_builtin_class("method", o, B::Method),
        module: new_builtin_class("module", o, B::Module),
        generator: new_builtin_class("generator", o, B::Generator),
        iterator: new_builtin_class("iterator", o, B::Iterator),
        iterators: ITERATOR_NAMES
            .iter()
            .map(|n| (*n, new_builtin_class(n, o, B::Iterator)))
            .collect(),
        dict_keys: new_builtin_class("dict_keys", o, B::Iterator),
        dict_values: new_builtin_class("dict_values", o, B::Iterator),
        dict_items: new_builtin_class("dict_items", o, B::Iterator),
        property: new_builtin_class("property", o, B::Property),
        staticmethod: new_builtin_class("staticmethod", o, B::StaticMethod),
        classmethod: new_builtin_class("classmethod", o, B::ClassMethod),
        super_: new_builtin_class("super", o, B::Super),
        ellipsis: new_builtin_class("ellipsis", o, B::Ellipsis),
        not_implemented: new_builtin_class("NotImplementedType", o, B::NotImplemented),
        int,
        object,
    }
}

fn build_exceptions() -> ExcTypes {
    let mut all: Vec<Arc<Class>> = Vec::new();
    let mut mk = |name: &str, base: Option<&Arc<Class>>| {
        let base = base.cloned().unwrap_or_else(|| types().object.clone());
        let c = new_builtin_class(name, Some(&base), BuiltinType::Exception);
        all.push(c.clone());
        c
    };
    let base_exception = mk("BaseException", None);
    let be = Some(&base_exception);
    let system_exit = mk("SystemExit", be);
    let keyboard_interrupt = mk("KeyboardInterrupt", be);
    let generator_exit = mk("GeneratorExit", be);
    let exception = mk("Exception", be);
    let e = Some(&exception);
    let stop_iteration = mk("StopIteration", e);
    let arithmetic_error = mk("ArithmeticError", e);
    let zero_division_error = mk("ZeroDivisionError", Some(&arithmetic_error));
    let overflow_error = mk("OverflowError", Some(&arithmetic_error));
    let floating_point_error = mk("FloatingPointError", Some(&arithmetic_error));
    let assertion_error = mk("AssertionError", e);
    let attribute_error = mk("AttributeError", e);
    let buffer_error = mk("BufferError", e);
    let eof_error = mk("EOFError", e);
    let import_error = mk("ImportError", e);
    let module_not_found_error = mk("ModuleNotFoundError", Some(&import_error));
    let lookup_error = mk("LookupError", e);
    let index_error = mk("IndexError", Some(&lookup_error));
    let key_error = mk("KeyError", Some(&lookup_error));
    let memory_error = mk("MemoryError", e);
    let name_error = mk("NameError", e);
    let unbound_local_error = mk("UnboundLocalError", Some(&name_error));
    let os_error = mk("OSError", e);
    let file_not_found_error = mk("FileNotFoundError", Some(&os_error));
    let file_exists_error = mk("FileExistsError", Some(&os_error));
    let permission_error = mk("PermissionError", Some(&os_error));
    let is_a_directory_error = mk("IsADirectoryError", Some(&os_error));
    let not_a_directory_error = mk("NotADirectoryError", Some(&os_error));
    let blocking_io_error = mk("BlockingIOError", Some(&os_error));
    let interrupted_error = mk("InterruptedError", Some(&os_error));
    let child_process_error = mk("ChildProcessError", Some(&os_error));
    let process_lookup_error = mk("ProcessLookupError", Some(&os_error));
    let timeout_error = mk("TimeoutError", Some(&os_error));
    let connection_error = mk("ConnectionError", Some(&os_error));
    let broken_pipe_error = mk("BrokenPipeError", Some(&connection_error));
    let connection_aborted_error = mk("ConnectionAbortedError", Some(&connection_error));
    let connection_refused_error = mk("ConnectionRefusedError", Some(&connection_error));
    let connection_reset_error = mk("ConnectionResetError", Some(&connection_error));
    let runtime_error = mk("RuntimeError", e);
    let recursion_error = mk("RecursionError", Some(&runtime_error));
    let not_implemented_error = mk("NotImplementedError", Some(&runtime_error));
    let syntax_error = mk("SyntaxError", e);
    let indentation_error = mk("IndentationError", Some(&syntax_error));
    let tab_error = mk("TabError", Some(&indentation_error));
    let system_error = mk("SystemError", e);
    let type_error = mk("TypeError", e);
    let value_error = mk("ValueError", e);
    let unicode_error = mk("UnicodeError", Some(&value_error));
    let unicode_decode_error = mk("UnicodeDecodeError", Some(&unicode_error));
    let unicode_encode_error = mk("UnicodeEncodeError", Some(&unicode_error));
    let unsupported_operation = unsupported_operation_class(&os_error, &value_error);
    let warning = mk("Warning", e);
    let deadlock_error = mk("DeadlockError", Some(&runtime_error));
    // Not in `all`: no program can name it.
    let bootstrap_stop = new_builtin_class("_BootstrapStop", Some(&base_exception), BuiltinType::Exception);
    ExcTypes {
        base_exception,
        system_exit,
        keyboard_interrupt,
        generator_exit,
        exception,
        stop_iteration,
        arithmetic_error,
        zero_division_error,
        overflow_error,
        floating_point_error,
        assertion_error,
        attribute_error,
        buffer_error,
        eof_error,
        import_error,
        module_not_found_error,
        lookup_error,
        index_error,
        key_error,
        memory_error,
        name_error,
        unbound_local_error,
        os_error,
        file_not_found_error,
        file_exists_error,
        permission_error,
        is_a_directory_error,
        not_a_directory_error,
        blocking_io_error,
        interrupted_error,
        child_process_error,
        process_lookup_error,
        timeout_error,
        broken_pipe_error,
        connection_error,
        connection_aborted_error,
        connection_refused_error,
        connection_reset_error,
        unsupported_operation,
        runtime_error,
        recursion_error,
        not_implemented_error,
        syntax_error,
        indentation_error,
        tab_error,
        system_error,
        type_error,
        value_error,
        unicode_error,
        unicode_decode_error,
        unicode_encode_error,
        warning,
        deadlock_error,
        bootstrap_stop,
        all,
    }
}

/// `io.UnsupportedOperation` (Modules/_io/_iomodule.c): CPython derives it from both OSError
/// and ValueError. Programs cannot declare multiple inheritance in gilsim, but a built-in
/// class can carry the linearised MRO, so `except OSError` and `except ValueError` both
/// catch it; `__bases__` shows only OSError.
fn unsupported_operation_class(os_error: &Arc<Class>, value_error: &Arc<Class>) -> Arc<Class> {
    let mut mro = vec![os_error.clone(), value_error.clone()];
    // Both share the tail Exception, BaseException, object.
    mro.extend(value_error.mro.iter().cloned());
    let mut dict = new_attr_map();
    for (name, v) in crate::builtins::methods::type_methods(BuiltinType::Exception) {
        dict.insert(Arc::from(name), v);
    }
    Arc::new(Class {
        name: Arc::from("UnsupportedOperation"),
        qualname: Arc::from("UnsupportedOperation"),
        module: Arc::from("io"),
        base: Some(os_error.clone()),
        mro,
        dict: RwLock::new(dict),
        builtin: Some(BuiltinType::Exception),
        is_exception: true,
        attr_flags: Default::default(),
    })
}

/// The class of any value.
pub fn type_of(v: &Value) -> &Arc<Class> {
    let t = types();
    match v {
        Value::None => &t.none,
        Value::Bool(_) => &t.bool_,
        Value::Int(_) | Value::BigInt(_) => &t.int,
        Value::Float(_) => &t.float,
        Value::Str(_) => &t.str_,
        Value::Bytes(_) => &t.bytes,
        Value::Tuple(_) => &t.tuple,
        Value::List(_) => &t.list,
        Value::Dict(_) => &t.dict,
        Value::Set(s) => {
            if s.frozen {
                &t.frozenset
            } else {
                &t.set
            }
        }
        Value::Range(_) => &t.range,
        Value::Slice(_) => &t.slice,
        Value::Function(_) => &t.function,
        Value::Builtin(_) => &t.builtin_function,
        Value::BoundMethod(_) => &t.method,
        Value::Class(_) => &t.type_,
        Value::Instance(i) => &i.class,
        Value::Module(_) => &t.module,
        Value::Generator(_) => &t.generator,
        Value::Iter(it) if it.range.is_some() => t
            .iterators
            .iter()
            .find(|(n, _)| *n == "range_iterator")
            .map(|(_, c)| c)
            .unwrap_or(&t.iterator),
        Value::Iter(it) => {
            use super::objects::IterState as S;
            let name = match &*it.state.lock() {
                S::Seq {
                    seq: Value::List(_), ..
                } => "list_iterator",
                S::Seq {
                    seq: Value::Tuple(_), ..
                } => "tuple_iterator",
                S::Seq {
                    seq: Value::Bytes(_), ..
                } => "bytes_iterator",
                S::Range { .. } => "range_iterator",
                S::Str { .. } => "str_ascii_iterator",
                S::Dict {
                    kind: super::objects::DictIterKind::Keys,
                    ..
                } => "dict_keyiterator",
                S::Dict {
                    kind: super::objects::DictIterKind::Values,
                    ..
                } => "dict_valueiterator",
                S::Dict {
                    kind: super::objects::DictIterKind::Items,
                    ..
                } => "dict_itemiterator",
                S::Set { .. } => "set_iterator",
                S::Reversed { .. } => "list_reverseiterator",
                S::Enumerate { .. } => "enumerate",
                S::Zip { .. } => "zip",
                S::Map { .. } => "map",
                S::Filter { .. } => "filter",
                S::Callable { .. } => "callable_iterator",
                S::Seq { .. } | S::Exhausted => "iterator",
            };
            t.iterators
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, c)| c)
                .unwrap_or(&t.iterator)
        }
        Value::DictView(d) => match d.kind {
            super::objects::DictIterKind::Keys => &t.dict_keys,
            super::objects::DictIterKind::Values => &t.dict_values,
            super::objects::DictIterKind::Items => &t.dict_items,
        },
        Value::Property(_) => &t.property,
        Value::StaticMethod(_) => &t.staticmethod,
        Value::ClassMethod(_) => &t.classmethod,
        Value::Super(_) => &t.super_,
        Value::Native(n) => &n.class,
        Value::Ellipsis => &t.ellipsis,
        Value::NotImplemented | Value::Null => &t.not_implemented,
    }
}

/// `type(v).__name__`
pub fn type_name(v: &Value) -> &str {
    &type_of(v).name
}

/// `isinstance(v, cls)` where `cls` is a class or a (possibly nested) tuple of classes.
pub fn isinstance(v: &Value, cls: &Value) -> super::PyResult<bool> {
    let class = type_of(v);
    let mut pending: Vec<&Value> = vec![cls];
    while let Some(c) = pending.pop() {
        match c {
            Value::Class(c) => {
                if class.is_subclass(c) {
                    return Ok(true);
                }
            }
            Value::Tuple(items) => pending.extend(items.iter().rev()),
            _ => {
                return Err(super::errors::type_error(
                    "isinstance() arg 2 must be a type, a tuple of types, or a union",
                ))
            }
        }
    }
    Ok(false)
}
