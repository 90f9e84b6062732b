//! The value representation: a 16-byte enum whose heap variants are `Arc`s, so every value
//! is `Send + Sync` and can be shared between the interpreter's OS threads.
//!
//! Mutable containers guard their contents with their own `parking_lot` lock, so even with
//! the interpreter lock switched off (`--gil off`, PEP 703) a list or dict cannot be
//! corrupted: the worst a race can do is what it does in free-threaded CPython.

use std::sync::Arc;

use num_bigint::BigInt;

use super::objects::{
    BoundMethod, BuiltinFunction, Class, DictObj, DictView, Function, Generator, Instance, IterObj, ListObj, Module,
    NativeObj, Property, PyStr, RangeObj, SetObj, SliceObj, SuperObj,
};

pub enum Value {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// An int that does not fit in 64 bits. Invariant: never holds a value that fits in `i64`.
    BigInt(Arc<BigInt>),
    Str(Arc<PyStr>),
    Bytes(Arc<Vec<u8>>),
    Tuple(Arc<Vec<Value>>),
    List(Arc<ListObj>),
    Dict(Arc<DictObj>),
    Set(Arc<SetObj>),
    Range(Arc<RangeObj>),
    Slice(Arc<SliceObj>),
    Function(Arc<Function>),
    Builtin(&'static BuiltinFunction),
    BoundMethod(Arc<BoundMethod>),
    Class(Arc<Class>),
    Instance(Arc<Instance>),
    Module(Arc<Module>),
    Generator(Arc<Generator>),
    Iter(Arc<IterObj>),
    /// `dict.keys()` / `values()` / `items()`.
    DictView(Arc<DictView>),
    Property(Arc<Property>),
    StaticMethod(Arc<Value>),
    ClassMethod(Arc<Value>),
    Super(Arc<SuperObj>),
    /// Objects implemented in Rust by library modules (locks, threads, files…).
    Native(Arc<NativeObj>),
    Ellipsis,
    NotImplemented,
    /// Internal marker on the operand stack ("no self" for `CallMethod`); never visible to
    /// programs, like CPython's NULL.
    Null,
}

impl Clone for Value {
    /// Immediates are copied inline; only heap values take the out-of-line path that bumps
    /// a reference count. (The derived clone is a jump table call for every push.)
    ///
    /// Both paths copy the value whole, in one 16-byte move. Rebuilding it field by field
    /// (`Value::Int(*i)`) writes the tag and the payload separately, and the 16-byte load
    /// that moves it on, a few instructions later, then cannot be forwarded from the store
    /// buffer: a stall on nearly every push of the dispatch loop.
    #[inline(always)]
    fn clone(&self) -> Value {
        if self.is_immediate() {
            // SAFETY: an immediate owns nothing (ints, floats, bools, None, the Null marker,
            // `&'static` built-ins): its bits are a valid, independent value, as for `Copy`.
            unsafe { std::ptr::read(self) }
        } else {
            self.clone_heap()
        }
    }
}

impl Value {
    #[inline(never)]
    fn clone_heap(&self) -> Value {
        use Value::*;
        // Take one more reference for the copy, then copy the bits (what `Arc::clone` does,
        // with the value moved whole).
        match self {
            None | Bool(_) | Int(_) | Float(_) | Builtin(_) | Ellipsis | NotImplemented | Null => {}
            BigInt(a) => std::mem::forget(a.clone()),
            Str(a) => std::mem::forget(a.clone()),
            Bytes(a) => std::mem::forget(a.clone()),
            Tuple(a) => std::mem::forget(a.clone()),
            List(a) => std::mem::forget(a.clone()),
            Dict(a) => std::mem::forget(a.clone()),
            Set(a) => std::mem::forget(a.clone()),
            Range(a) => std::mem::forget(a.clone()),
            Slice(a) => std::mem::forget(a.clone()),
            Function(a) => std::mem::forget(a.clone()),
            BoundMethod(a) => std::mem::forget(a.clone()),
            Class(a) => std::mem::forget(a.clone()),
            Instance(a) => std::mem::forget(a.clone()),
            Module(a) => std::mem::forget(a.clone()),
            Generator(a) => std::mem::forget(a.clone()),
            Iter(a) => std::mem::forget(a.clone()),
            DictView(a) => std::mem::forget(a.clone()),
            Property(a) => std::mem::forget(a.clone()),
            StaticMethod(a) => std::mem::forget(a.clone()),
            ClassMethod(a) => std::mem::forget(a.clone()),
            Super(a) => std::mem::forget(a.clone()),
            Native(a) => std::mem::forget(a.clone()),
        }
        // SAFETY: every heap variant holds one `Arc`, whose count was just raised for this
        // copy, so the copy owns its reference and dropping both is balanced; the other
        // variants own nothing.
        unsafe { std::ptr::read(self) }
    }

    /// True for values that own no heap reference (dropping them is a no-op).
    #[inline(always)]
    pub fn is_immediate(&self) -> bool {
        matches!(
            self,
            Value::Int(_) | Value::Float(_) | Value::Bool(_) | Value::None | Value::Null | Value::Builtin(_)
        )
    }

    /// Drops a value, skipping the out-of-line drop glue for immediates (hot paths).
    #[inline(always)]
    pub fn discard(self) {
        if self.is_immediate() {
            std::mem::forget(self);
        } else {
            drop(self);
        }
    }

    #[inline]
    pub fn str(s: &str) -> Value {
        Value::Str(Arc::new(PyStr::new(s)))
    }

    #[inline]
    pub fn string(s: String) -> Value {
        Value::Str(Arc::new(PyStr::from(s)))
    }

    pub fn tuple(items: Vec<Value>) -> Value {
        Value::Tuple(Arc::new(items))
    }

    pub fn list(items: Vec<Value>) -> Value {
        Value::List(Arc::new(ListObj::new(items)))
    }

    /// An int from a big integer, normalised to `Int` when it fits.
    pub fn from_bigint(b: BigInt) -> Value {
        use num_traits::ToPrimitive;
        match b.to_i64() {
            Some(i) => Value::Int(i),
            None => Value::BigInt(Arc::new(b)),
        }
    }

    #[inline]
    pub fn is_none(&self) -> bool {
        matches!(self, Value::None)
    }

    /// Identity, as `is` compares: same object, or same immediate value.
    pub fn is(&self, other: &Value) -> bool {
        use Value::*;
        match (self, other) {
            (None, None) | (Ellipsis, Ellipsis) | (NotImplemented, NotImplemented) => true,
            (Bool(a), Bool(b)) => a == b,
            // Small ints are cached in CPython (-5..=256); others compare by value here,
            // which matches CPython for constants within one code object.
            (Int(a), Int(b)) => a == b,
            // Floats are immediates here; two NaNs are never the same object.
            (Float(a), Float(b)) => a.to_bits() == b.to_bits() && !a.is_nan(),
            (BigInt(a), BigInt(b)) => Arc::ptr_eq(a, b),
            (Str(a), Str(b)) => Arc::ptr_eq(a, b) || (a.len() <= 1 && a.as_str() == b.as_str()),
            (Bytes(a), Bytes(b)) => Arc::ptr_eq(a, b),
            (Tuple(a), Tuple(b)) => Arc::ptr_eq(a, b) || (a.is_empty() && b.is_empty()),
            (List(a), List(b)) => Arc::ptr_eq(a, b),
            (Dict(a), Dict(b)) => Arc::ptr_eq(a, b),
            (Set(a), Set(b)) => Arc::ptr_eq(a, b),
            (Range(a), Range(b)) => Arc::ptr_eq(a, b),
            (Slice(a), Slice(b)) => Arc::ptr_eq(a, b),
            (Function(a), Function(b)) => Arc::ptr_eq(a, b),
            (Builtin(a), Builtin(b)) => std::ptr::eq(*a, *b),
            (BoundMethod(a), BoundMethod(b)) => Arc::ptr_eq(a, b),
            (Class(a), Class(b)) => Arc::ptr_eq(a, b),
            (Instance(a), Instance(b)) => Arc::ptr_eq(a, b),
            (Module(a), Module(b)) => Arc::ptr_eq(a, b),
            (Generator(a), Generator(b)) => Arc::ptr_eq(a, b),
            (Iter(a), Iter(b)) => Arc::ptr_eq(a, b),
            (DictView(a), DictView(b)) => Arc::ptr_eq(a, b),
            (Property(a), Property(b)) => Arc::ptr_eq(a, b),
            (StaticMethod(a), StaticMethod(b)) => Arc::ptr_eq(a, b),
            (ClassMethod(a), ClassMethod(b)) => Arc::ptr_eq(a, b),
            (Super(a), Super(b)) => Arc::ptr_eq(a, b),
            (Native(a), Native(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }

    /// A stable address-like number for `id()` and default reprs.
    pub fn id(&self) -> usize {
        use Value::*;
        fn p<T: ?Sized>(a: &Arc<T>) -> usize {
            Arc::as_ptr(a) as *const u8 as usize
        }
        match self {
            None => 0x1000,
            Bool(b) => 0x1010 + *b as usize * 16,
            Ellipsis => 0x1040,
            NotImplemented => 0x1050,
            Null => 0x1060,
            Int(i) => 0x10_0000_0000usize.wrapping_add((*i as usize).wrapping_mul(32)),
            Float(f) => f.to_bits() as usize,
            BigInt(a) => p(a),
            Str(a) => p(a),
            Bytes(a) => p(a),
            Tuple(a) => p(a),
            List(a) => p(a),
            Dict(a) => p(a),
            Set(a) => p(a),
            Range(a) => p(a),
            Slice(a) => p(a),
            Function(a) => p(a),
            Builtin(a) => *a as *const _ as usize,
            BoundMethod(a) => p(a),
            Class(a) => p(a),
            Instance(a) => p(a),
            Module(a) => p(a),
            Generator(a) => p(a),
            Iter(a) => p(a),
            DictView(a) => p(a),
            Property(a) => p(a),
            StaticMethod(a) => p(a),
            ClassMethod(a) => p(a),
            Super(a) => p(a),
            Native(a) => p(a),
        }
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Value {
        Value::Int(i)
    }
}

impl From<usize> for Value {
    fn from(i: usize) -> Value {
        match i64::try_from(i) {
            Ok(i) => Value::Int(i),
            Err(_) => Value::from_bigint(BigInt::from(i)),
        }
    }
}

impl From<f64> for Value {
    fn from(f: f64) -> Value {
        Value::Float(f)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::str(s)
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::string(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_is_two_words() {
        assert_eq!(std::mem::size_of::<Value>(), 16);
        assert_eq!(std::mem::size_of::<Option<Value>>(), 16);
        assert_eq!(std::mem::size_of::<crate::vm::PyResult<Value>>(), 16);
    }

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn value_is_send_and_sync() {
        assert_send_sync::<Value>();
    }
}
