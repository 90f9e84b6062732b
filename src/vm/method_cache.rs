//! A per-thread cache of class attribute lookups, after CPython's type attribute cache
//! (Objects/typeobject.c `_PyType_Lookup` and its `method_cache`): a small direct-mapped
//! table keyed by (class, name) pointers and validated by the class epoch, so the method
//! and `__init__` lookups of a hot loop skip the MRO walk and its hashing.
//!
//! Each `Vm` owns one, so there is no sharing and no locking. An entry holds strong
//! references to its class and name: an address in the table can never be reused by a
//! different object while the entry exists.

use std::sync::Arc;

use super::objects::{class_epoch, Class};
use super::value::Value;

/// Entries in the table (a power of two). CPython uses 4096; programs in this subset touch
/// far fewer (class, name) pairs.
const SIZE: usize = 1024;

struct Entry {
    class: Arc<Class>,
    name: Arc<str>,
    epoch: u64,
    /// `None` caches "not found" too (a `__getattr__` probe, a shadowing check).
    value: Option<Value>,
}

pub struct MethodCache {
    entries: Box<[Option<Entry>]>,
}

impl Default for MethodCache {
    fn default() -> Self {
        MethodCache {
            entries: (0..SIZE).map(|_| None).collect(),
        }
    }
}

#[inline]
fn slot(class: &Arc<Class>, name: &Arc<str>) -> usize {
    // Both are heap addresses (aligned to at least 8): drop the low bits, mix, fold.
    let c = Arc::as_ptr(class) as usize >> 4;
    let n = Arc::as_ptr(name) as *const u8 as usize >> 3;
    (c ^ n.wrapping_mul(0x9E37_79B9)) & (SIZE - 1)
}

impl MethodCache {
    /// `class.lookup(name)`, from the table when the class epoch has not moved since.
    #[inline]
    pub fn lookup(&mut self, class: &Arc<Class>, name: &Arc<str>) -> Option<Value> {
        let epoch = class_epoch();
        let i = slot(class, name);
        if let Some(e) = &self.entries[i] {
            if e.epoch == epoch && Arc::ptr_eq(&e.class, class) && std::ptr::eq(Arc::as_ptr(&e.name), Arc::as_ptr(name))
            {
                return e.value.clone();
            }
        }
        let value = class.lookup(name);
        self.entries[i] = Some(Entry {
            class: class.clone(),
            name: name.clone(),
            epoch,
            value: value.clone(),
        });
        value
    }

    /// Forgets every entry (the references it holds keep classes alive).
    pub fn clear(&mut self) {
        self.entries.iter_mut().for_each(|e| *e = None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vm::objects::new_attr_map;

    fn class_with(name: &str, attrs: &[(&str, i64)]) -> Arc<Class> {
        let mut dict = new_attr_map();
        for (k, v) in attrs {
            dict.insert(Arc::from(*k), Value::Int(*v));
        }
        Arc::new(Class {
            name: Arc::from(name),
            qualname: Arc::from(name),
            module: Arc::from("test"),
            base: None,
            mro: Vec::new(),
            dict: parking_lot::RwLock::new(dict),
            builtin: None,
            is_exception: false,
            attr_flags: Default::default(),
        })
    }

    #[test]
    fn a_cached_lookup_sees_a_later_class_change() {
        let c = class_with("C", &[("x", 1)]);
        let name: Arc<str> = Arc::from("x");
        let mut cache = MethodCache::default();
        assert!(matches!(cache.lookup(&c, &name), Some(Value::Int(1))));
        assert!(matches!(cache.lookup(&c, &name), Some(Value::Int(1))));
        c.set_class_attr("x", Value::Int(2));
        assert!(matches!(cache.lookup(&c, &name), Some(Value::Int(2))));
        assert!(c.del_class_attr("x"));
        assert!(cache.lookup(&c, &name).is_none());
    }

    #[test]
    fn classes_and_names_that_collide_do_not_mix() {
        let mut cache = MethodCache::default();
        let names: Vec<Arc<str>> = (0..3000).map(|i| Arc::from(format!("n{i}"))).collect();
        let classes: Vec<Arc<Class>> = (0..3).map(|i| class_with(&format!("C{i}"), &[("n7", i)])).collect();
        for _ in 0..2 {
            for (ci, c) in classes.iter().enumerate() {
                for (ni, n) in names.iter().enumerate() {
                    let got = cache.lookup(c, n);
                    if ni == 7 {
                        assert!(matches!(got, Some(Value::Int(v)) if v == ci as i64));
                    } else {
                        assert!(got.is_none());
                    }
                }
            }
        }
        // The same text under another pointer is a miss that still finds the attribute.
        let other: Arc<str> = Arc::from("n7");
        assert!(matches!(cache.lookup(&classes[2], &other), Some(Value::Int(2))));
    }
}
