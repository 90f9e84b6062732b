//! Heap objects behind the `Arc`s in [`Value`]: strings, containers, functions, classes,
//! instances, modules, generators and iterators.

use std::any::Any;
use std::sync::atomic::{AtomicI64, AtomicU64, AtomicU8, Ordering};
use std::sync::Arc;

use indexmap::IndexMap;
use parking_lot::{Mutex, RwLock};

use super::dict::{DictStorage, SetStorage};
use super::frame::Frame;
use super::value::Value;
use super::vm::Vm;
use super::PyResult;
use crate::compile::bytecode::Code;

/// Attribute namespaces (class dicts, instance dicts, module dicts by name).
pub type AttrMap = IndexMap<Arc<str>, Value, rustc_hash::FxBuildHasher>;

pub fn new_attr_map() -> AttrMap {
    AttrMap::with_hasher(rustc_hash::FxBuildHasher)
}

/// An instance's attributes: a short vector searched linearly, which beats hashing for the
/// handful of attributes objects usually have. Names usually share the compiler's interned
/// strings, so most comparisons succeed on the pointer.
#[derive(Default, Clone)]
pub struct InstanceDict {
    entries: Vec<(Arc<str>, Value)>,
}

impl InstanceDict {
    #[inline]
    fn position(&self, name: &str) -> Option<usize> {
        // Names are usually the compiler's interned strings: try pointers before text.
        let p = name.as_ptr();
        self.entries
            .iter()
            .position(|(k, _)| k.as_ptr() == p && k.len() == name.len())
            .or_else(|| self.entries.iter().position(|(k, _)| **k == *name))
    }
    #[inline]
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.position(name).map(|i| &self.entries[i].1)
    }
    pub fn get_mut(&mut self, name: &str) -> Option<&mut Value> {
        self.position(name).map(move |i| &mut self.entries[i].1)
    }
    pub fn contains_key(&self, name: &str) -> bool {
        self.position(name).is_some()
    }
    /// Sets `name`; returns the previous value.
    pub fn insert(&mut self, name: Arc<str>, v: Value) -> Option<Value> {
        match self.position(&name) {
            Some(i) => Some(std::mem::replace(&mut self.entries[i].1, v)),
            None => {
                self.entries.push((name, v));
                None
            }
        }
    }
    pub fn shift_remove(&mut self, name: &str) -> Option<Value> {
        self.position(name).map(|i| self.entries.remove(i).1)
    }
    pub fn iter(&self) -> impl Iterator<Item = (&Arc<str>, &Value)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }
    pub fn keys(&self) -> impl Iterator<Item = &Arc<str>> {
        self.entries.iter().map(|(k, _)| k)
    }
    pub fn len(&self) -> usize {
        self.entries.len()
    }
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// An immutable Python `str`. Indexing is by code point; ASCII strings index in O(1).
pub struct PyStr {
    s: Box<str>,
    ascii: bool,
}

impl PyStr {
    pub fn new(s: &str) -> PyStr {
        PyStr {
            ascii: s.is_ascii(),
            s: s.into(),
        }
    }
    #[inline]
    pub fn as_str(&self) -> &str {
        &self.s
    }
    #[inline]
    pub fn is_ascii(&self) -> bool {
        self.ascii
    }
    /// Length in code points, as `len()` reports it.
    pub fn char_len(&self) -> usize {
        if self.ascii {
            self.s.len()
        } else {
            self.s.chars().count()
        }
    }
    /// Byte length.
    pub fn len(&self) -> usize {
        self.s.len()
    }
    pub fn is_empty(&self) -> bool {
        self.s.is_empty()
    }
    /// The code point at index `i` (already normalised to `0..char_len`).
    pub fn char_at(&self, i: usize) -> Option<char> {
        if self.ascii {
            self.s.as_bytes().get(i).map(|&b| b as char)
        } else {
            self.s.chars().nth(i)
        }
    }
}

impl From<String> for PyStr {
    fn from(s: String) -> PyStr {
        PyStr {
            ascii: s.is_ascii(),
            s: s.into_boxed_str(),
        }
    }
}

pub struct ListObj {
    pub items: Mutex<Vec<Value>>,
}

impl ListObj {
    pub fn new(items: Vec<Value>) -> ListObj {
        ListObj {
            items: Mutex::new(items),
        }
    }
}

pub struct DictObj {
    pub map: Mutex<DictStorage>,
}

impl DictObj {
    pub fn new(map: DictStorage) -> DictObj {
        DictObj { map: Mutex::new(map) }
    }
}

pub struct SetObj {
    pub set: Mutex<SetStorage>,
    pub frozen: bool,
}

impl SetObj {
    pub fn new(set: SetStorage, frozen: bool) -> SetObj {
        SetObj {
            set: Mutex::new(set),
            frozen,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RangeObj {
    pub start: i64,
    pub stop: i64,
    pub step: i64,
}

impl RangeObj {
    /// The number of elements, which may exceed what an index can hold
    /// (`range(-2**63, 2**63 - 1)`).
    pub fn len_wide(&self) -> i128 {
        let RangeObj { start, stop, step } = *self;
        let (start, stop, step) = (start as i128, stop as i128, step as i128);
        if step > 0 && start < stop {
            (stop - start - 1) / step + 1
        } else if step < 0 && start > stop {
            (start - stop - 1) / (-step) + 1
        } else {
            0
        }
    }

    /// The number of elements, saturated at `i64::MAX` (callers that report a length use
    /// [`RangeObj::len_wide`] and raise OverflowError, as CPython does).
    pub fn len(&self) -> i64 {
        i64::try_from(self.len_wide()).unwrap_or(i64::MAX)
    }

    /// Element `i` (0 <= i < len), computed wide so no intermediate overflows.
    pub fn get(&self, i: i64) -> i64 {
        (self.start as i128 + i as i128 * self.step as i128) as i64
    }
}

pub struct SliceObj {
    pub start: Value,
    pub stop: Value,
    pub step: Value,
}

/// A variable captured by a closure (CPython's cell object).
pub struct Cell {
    pub value: Mutex<Option<Value>>,
}

impl Cell {
    pub fn new(v: Option<Value>) -> Arc<Cell> {
        Arc::new(Cell { value: Mutex::new(v) })
    }
}

/// A function defined in Python (`def` or `lambda`).
pub struct Function {
    pub code: Arc<Code>,
    pub globals: Arc<Module>,
    /// Defaults for the last positional parameters.
    pub defaults: Vec<Value>,
    /// Defaults for keyword-only parameters, by name.
    pub kwdefaults: Vec<(Arc<str>, Value)>,
    pub closure: Vec<Arc<Cell>>,
    /// The class whose body defined this function, for zero-argument `super()`.
    pub owner: RwLock<Option<std::sync::Weak<Class>>>,
    /// `__name__`, `__doc__` and any attributes a program sets.
    pub dict: Mutex<AttrMap>,
}

impl Function {
    /// The function a module body runs as.
    pub fn for_module(code: Arc<Code>, globals: Arc<Module>) -> Function {
        Function {
            code,
            globals,
            defaults: Vec::new(),
            kwdefaults: Vec::new(),
            closure: Vec::new(),
            owner: RwLock::new(None),
            dict: Mutex::new(new_attr_map()),
        }
    }
}

/// The signature of functions implemented in Rust.
pub type NativeFn = fn(&mut Vm, Args<'_>) -> PyResult<Value>;

/// Arguments passed to a native function.
#[derive(Clone, Copy)]
pub struct Args<'a> {
    pub pos: &'a [Value],
    pub kw: &'a [(Arc<str>, Value)],
}

impl<'a> Args<'a> {
    pub fn new(pos: &'a [Value], kw: &'a [(Arc<str>, Value)]) -> Args<'a> {
        Args { pos, kw }
    }
    pub fn positional(pos: &'a [Value]) -> Args<'a> {
        Args { pos, kw: &[] }
    }
    /// The keyword argument `name`, if given.
    pub fn kwarg(&self, name: &str) -> Option<&'a Value> {
        self.kw.iter().find(|(k, _)| &**k == name).map(|(_, v)| v)
    }
}

/// A function implemented in Rust. Methods of built-in types take `self` as `args.pos[0]`.
pub struct BuiltinFunction {
    pub name: &'static str,
    pub func: NativeFn,
}

pub struct BoundMethod {
    pub receiver: Value,
    pub func: Value,
}

/// Which built-in type a class object stands for; `None` for classes defined in Python.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BuiltinType {
    Object,
    Type,
    NoneType,
    Bool,
    Int,
    Float,
    Str,
    Bytes,
    Tuple,
    List,
    Dict,
    Set,
    FrozenSet,
    Range,
    Slice,
    Function,
    BuiltinFunction,
    Method,
    Module,
    Generator,
    Iterator,
    Property,
    StaticMethod,
    ClassMethod,
    Super,
    Ellipsis,
    NotImplemented,
    /// A class whose instances are `Value::Native` objects (locks, threads, files…).
    Native,
    /// BaseException and its built-in subclasses: instances are `Value::Instance`.
    Exception,
}

pub struct Class {
    pub name: Arc<str>,
    pub qualname: Arc<str>,
    pub module: Arc<str>,
    pub base: Option<Arc<Class>>,
    /// Method resolution order, starting with the base (not self: that would be a cycle).
    pub mro: Vec<Arc<Class>>,
    pub dict: RwLock<AttrMap>,
    pub builtin: Option<BuiltinType>,
    /// True for BaseException and every subclass of it.
    pub is_exception: bool,
    /// Which slow paths attribute access needs for instances of this class, cached and
    /// revalidated against the global class epoch.
    pub attr_flags: AttrFlagsCache,
}

/// Bumped whenever any class dict changes after creation, invalidating every class's cached
/// [`AttrFlags`] (like CPython's type version tags, but global: class mutation is rare).
static CLASS_EPOCH: AtomicU64 = AtomicU64::new(1);

/// The current class epoch: a cached lookup made under another epoch may be stale.
#[inline]
pub fn class_epoch() -> u64 {
    CLASS_EPOCH.load(Ordering::Acquire)
}

/// What `getattr`/`setattr` on an instance must look for beyond the instance dict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AttrFlags {
    /// A property somewhere in the MRO: class lookup must come before the instance dict.
    pub has_property: bool,
    /// A Python-level `__setattr__`.
    pub has_setattr: bool,
}

#[derive(Default)]
pub struct AttrFlagsCache {
    epoch: AtomicU64,
    bits: AtomicU8,
}

impl Class {
    /// Looks `name` up in this class and then along its MRO.
    pub fn lookup(&self, name: &str) -> Option<Value> {
        if let Some(v) = self.dict.read().get(name) {
            return Some(v.clone());
        }
        for c in &self.mro {
            if let Some(v) = c.dict.read().get(name) {
                return Some(v.clone());
            }
        }
        None
    }

    /// The class's attribute-access flags (cheap after the first call).
    pub fn attr_flags(&self) -> AttrFlags {
        let epoch = CLASS_EPOCH.load(Ordering::Acquire);
        let decode = |b: u8| AttrFlags {
            has_property: b & 1 != 0,
            has_setattr: b & 2 != 0,
        };
        if self.attr_flags.epoch.load(Ordering::Acquire) == epoch {
            return decode(self.attr_flags.bits.load(Ordering::Relaxed));
        }
        let mut bits = 0u8;
        for c in std::iter::once(self).chain(self.mro.iter().map(|c| &**c)) {
            let d = c.dict.read();
            if d.values().any(|v| matches!(v, Value::Property(_))) {
                bits |= 1;
            }
            if matches!(d.get("__setattr__"), Some(v) if !matches!(v, Value::Builtin(_))) {
                bits |= 2;
            }
        }
        self.attr_flags.bits.store(bits, Ordering::Relaxed);
        // Store the epoch read before computing: a concurrent change leaves this stale.
        self.attr_flags.epoch.store(epoch, Ordering::Release);
        decode(bits)
    }

    /// Sets a class attribute after creation (`C.x = v`).
    pub fn set_class_attr(&self, name: &str, v: Value) {
        self.dict.write().insert(Arc::from(name), v);
        CLASS_EPOCH.fetch_add(1, Ordering::AcqRel);
    }

    /// Deletes a class attribute; false if it was not there.
    pub fn del_class_attr(&self, name: &str) -> bool {
        let removed = self.dict.write().shift_remove(name).is_some();
        CLASS_EPOCH.fetch_add(1, Ordering::AcqRel);
        removed
    }

    /// True if `self` is `other` or inherits from it.
    pub fn is_subclass(&self, other: &Class) -> bool {
        std::ptr::eq(self, other) || self.mro.iter().any(|c| std::ptr::eq(&**c, other))
    }
}

/// The state every exception instance carries besides its attributes.
#[derive(Default)]
pub struct ExcState {
    pub args: Vec<Value>,
    /// Frames the exception passed through, innermost last as CPython prints them.
    pub traceback: Vec<TracebackEntry>,
    pub context: Option<Value>,
    pub cause: Option<Value>,
    pub suppress_context: bool,
    /// Text appended after the exception line (a remote traceback, a deadlock report…).
    pub note: Option<String>,
    /// A close name for NameError/AttributeError, shown as ". Did you mean: 'x'?" by the
    /// traceback printer (not part of `str(e)`, as in CPython).
    pub suggestion: Option<Suggestion>,
}

/// Where a "Did you mean" suggestion comes from.
#[derive(Clone)]
pub enum Suggestion {
    /// Worked out when raised (a NameError's candidates are the raising frame's names).
    Ready(String),
    /// The attributes of `obj` closest to `name`, searched only when the traceback is
    /// printed, as CPython does (Lib/traceback.py `_compute_suggestion_error`): an
    /// AttributeError that is caught (`hasattr`, `getattr` with a default) costs no search.
    Attribute { obj: Value, name: String },
}

impl Suggestion {
    pub fn resolve(&self) -> Option<String> {
        match self {
            Suggestion::Ready(s) => Some(s.clone()),
            Suggestion::Attribute { obj, name } => {
                let names = super::suggestions::attribute_names(obj);
                super::suggestions::closest(name, names.iter().map(|s| s.as_str()))
            }
        }
    }
}

#[derive(Clone)]
pub struct TracebackEntry {
    pub code: Arc<Code>,
    pub ip: usize,
}

pub struct Instance {
    pub class: Arc<Class>,
    pub dict: Mutex<InstanceDict>,
    /// Present on exception instances.
    pub exc: Option<Mutex<ExcState>>,
}

/// A module: its global variables live in slots resolved at compile time.
pub struct Module {
    pub name: Arc<str>,
    pub globals: RwLock<Globals>,
}

/// Module globals: a name → slot table plus values. Names used by the module's code get slots
/// at compile time, so `LoadGlobal` is an index, not a hash lookup.
pub struct Globals {
    pub names: IndexMap<Arc<str>, usize, rustc_hash::FxBuildHasher>,
    pub values: Vec<Option<Value>>,
    /// For each slot, the built-in of that name (resolved once; built-ins never change).
    pub builtins: Vec<Option<Value>>,
}

pub struct Generator {
    pub state: Mutex<GenState>,
    pub name: Arc<str>,
}

pub struct GenState {
    /// The suspended frame; `None` while running or after it finished.
    pub frame: Option<Frame>,
    /// The suspended frame's part of the value stack (locals, then operands). The vector
    /// keeps its capacity across resumptions, so yielding allocates nothing.
    pub values: Vec<Value>,
    pub running: bool,
    pub finished: bool,
}

/// Built-in iterator objects.
pub struct IterObj {
    pub state: Mutex<IterState>,
    /// Set for range iterators, which step without taking the lock (the hottest loop there
    /// is). A race between threads sharing one iterator can only repeat or skip numbers,
    /// as in free-threaded CPython; memory stays safe.
    pub range: Option<RangeCursor>,
}

pub struct RangeCursor {
    pub next: AtomicI64,
    pub stop: i64,
    pub step: i64,
}

impl RangeCursor {
    /// The next number, or `None` once past the end.
    #[inline(always)]
    pub fn advance(&self) -> Option<i64> {
        let cur = self.next.load(Ordering::Relaxed);
        if (self.step > 0 && cur < self.stop) || (self.step < 0 && cur > self.stop) {
            // Saturating, so a finished cursor stays finished.
            self.next.store(cur.saturating_add(self.step), Ordering::Relaxed);
            Some(cur)
        } else {
            None
        }
    }
}

pub enum IterState {
    Seq {
        seq: Value,
        index: usize,
    },
    Range {
        next: i64,
        stop: i64,
        step: i64,
    },
    Str {
        s: Arc<PyStr>,
        byte_pos: usize,
    },
    /// Dict keys/values/items, with the length seen at creation to detect mutation.
    Dict {
        dict: Arc<DictObj>,
        index: usize,
        len: usize,
        kind: DictIterKind,
    },
    Set {
        set: Arc<SetObj>,
        index: usize,
        len: usize,
    },
    Reversed {
        seq: Value,
        index: usize,
    },
    Enumerate {
        it: Value,
        count: Value,
    },
    Zip {
        its: Vec<Value>,
    },
    Map {
        func: Value,
        its: Vec<Value>,
    },
    Filter {
        func: Value,
        it: Value,
    },
    /// `iter(callable, sentinel)`
    Callable {
        func: Value,
        sentinel: Value,
    },
    Exhausted,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DictIterKind {
    Keys,
    Values,
    Items,
}

pub struct DictView {
    pub dict: Arc<DictObj>,
    pub kind: DictIterKind,
}

pub struct Property {
    pub fget: Value,
    pub fset: Value,
    pub fdel: Value,
}

pub struct SuperObj {
    /// Attribute lookup starts after this class in the MRO of `obj`'s class.
    pub class: Arc<Class>,
    pub obj: Value,
}

/// An object implemented in Rust by a library module.
pub struct NativeObj {
    pub class: Arc<Class>,
    pub data: Box<dyn Any + Send + Sync>,
}
