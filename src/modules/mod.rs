//! Built-in modules, one file each.

use std::sync::Arc;

use crate::vm::objects::Module;
use crate::vm::vm::Vm;
use crate::vm::PyResult;

/// Names of the modules implemented in Rust.
pub const BUILTIN_MODULES: &[&str] = &[];

pub fn is_builtin_module(name: &str) -> bool {
    BUILTIN_MODULES.contains(&name)
}

/// Creates built-in module `name` for this interpreter; `None` if there is no such module.
pub fn create(_vm: &mut Vm, _name: &str) -> Option<PyResult<Arc<Module>>> {
    None
}
