//! Module objects: globals in compile-time slots, with a by-name view for `import`,
//! `from m import x`, `getattr(module, name)` and class-body lookups.

use std::sync::Arc;

use parking_lot::RwLock;

use super::objects::{Globals, Module};
use super::value::Value;

impl Module {
    /// A module whose code uses the given global slot names.
    pub fn new(name: &str, global_names: &[Arc<str>]) -> Arc<Module> {
        let mut g = Globals {
            names: Default::default(),
            values: Vec::with_capacity(global_names.len()),
            builtins: Vec::with_capacity(global_names.len()),
        };
        for n in global_names {
            g.add_slot(n.clone());
        }
        Arc::new(Module {
            name: Arc::from(name),
            globals: RwLock::new(g),
        })
    }

    /// A module implemented in Rust, from its attributes.
    pub fn new_native(name: &str, entries: Vec<(&str, Value)>) -> Arc<Module> {
        let m = Module::new(name, &[]);
        for (k, v) in entries {
            m.set(k, v);
        }
        m
    }

    pub fn get(&self, name: &str) -> Option<Value> {
        let g = self.globals.read();
        g.names.get(name).and_then(|&i| g.values[i].clone())
    }

    pub fn set(&self, name: &str, v: Value) {
        let mut g = self.globals.write();
        let slot = match g.names.get(name) {
            Some(&i) => i,
            None => g.add_slot(Arc::from(name)),
        };
        g.values[slot] = Some(v);
    }

    /// Removes a binding; false if it was not bound.
    pub fn delete(&self, name: &str) -> bool {
        let mut g = self.globals.write();
        match g.names.get(name).copied() {
            Some(i) => g.values[i].take().is_some(),
            None => false,
        }
    }

    /// Unbinds every global (interpreter shutdown), dropping the values outside the lock.
    pub fn clear(&self) {
        let old: Vec<Option<Value>> = {
            let mut g = self.globals.write();
            g.values.iter_mut().map(|v| v.take()).collect()
        };
        drop(old);
    }

    /// Every bound name with its value, in slot order.
    pub fn items(&self) -> Vec<(Arc<str>, Value)> {
        let g = self.globals.read();
        g.names
            .iter()
            .filter_map(|(n, &i)| g.values[i].as_ref().map(|v| (n.clone(), v.clone())))
            .collect()
    }

    /// The name of global slot `g`.
    pub fn slot_name(&self, slot: usize) -> Arc<str> {
        let g = self.globals.read();
        g.names
            .get_index(slot)
            .map(|(n, _)| n.clone())
            .unwrap_or_else(|| Arc::from("?"))
    }
}

impl Globals {
    fn add_slot(&mut self, name: Arc<str>) -> usize {
        let builtin = crate::builtins::lookup_builtin(&name);
        let (i, _) = self.names.insert_full(name, self.values.len());
        if i == self.values.len() {
            self.values.push(None);
            self.builtins.push(builtin);
        }
        i
    }
}
