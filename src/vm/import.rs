//! `import`: built-in modules first, then `name.py` beside the main script. Each module is
//! loaded once per interpreter and cached in `sys.modules`.

use std::sync::Arc;

use super::errors::{import_error, PyErr};
use super::objects::Module;
use super::types::exc;
use super::value::Value;
use super::vm::Vm;
use super::PyResult;

impl Vm {
    /// Imports `name` (possibly dotted) and returns the module it names.
    pub fn import_module(&mut self, name: &str) -> PyResult<Arc<Module>> {
        // While an import is running, its module is in sys.modules half-initialised: only
        // the importing thread may see it then (a circular import); others wait for the lock.
        if !self.interp.import_lock.locked() {
            if let Some(m) = self.interp.modules.lock().get(name) {
                return Ok(m.clone());
            }
        }
        let lock = self.interp.import_lock.clone();
        lock.acquire(self, true, None)?;
        let result = self.import_module_locked(name);
        // The lock is ours (re-entrant, taken above), so releasing it cannot fail.
        self.sync_clock();
        let _ = lock.release(self.thread.id);
        result
    }

    /// The import itself, with the import lock held: another thread may have finished
    /// importing `name` while this one waited for the lock.
    fn import_module_locked(&mut self, name: &str) -> PyResult<Arc<Module>> {
        if let Some(m) = self.interp.modules.lock().get(name) {
            return Ok(m.clone());
        }
        if let Some(m) = crate::modules::create(self, name) {
            let m = m?;
            self.interp.modules.lock().insert(name.to_string(), m.clone());
            return Ok(m);
        }
        if let Some(m) = crate::library::load(self, name) {
            let m = m?;
            self.bind_submodule(name, &m)?;
            return Ok(m);
        }
        let rel: std::path::PathBuf = name.split('.').collect();
        let path = self.interp.script_dir.join(rel).with_extension("py");
        if path.is_file() {
            return crate::driver::import_file(self, name, &path);
        }
        Err(PyErr::new(
            &exc().module_not_found_error,
            format!("No module named '{}'", name),
        ))
    }

    /// `import a.b` makes `b` an attribute of package `a`, importing `a` first.
    fn bind_submodule(&mut self, name: &str, m: &Arc<Module>) -> PyResult<()> {
        if let Some((parent, child)) = name.rsplit_once('.') {
            let p = self.import_module(parent)?;
            p.set(child, Value::Module(m.clone()));
        }
        Ok(())
    }

    /// `from module import name`
    pub fn import_from(&mut self, module: &Value, name: &str) -> PyResult<Value> {
        match self.getattr_opt(module, name)? {
            Some(v) => Ok(v),
            None => {
                // A submodule that has not been imported yet (`from os import path`).
                if let Value::Module(m) = module {
                    let full = format!("{}.{}", m.name, name);
                    if let Ok(sub) = self.import_module(&full) {
                        return Ok(Value::Module(sub));
                    }
                    let location = if crate::modules::is_builtin_module(&m.name) {
                        "unknown location".to_string()
                    } else if let Some(loc) = crate::library::location(&m.name) {
                        loc
                    } else {
                        self.interp
                            .script_dir
                            .join(format!("{}.py", m.name))
                            .display()
                            .to_string()
                    };
                    return Err(import_error(format!(
                        "cannot import name '{}' from '{}' ({})",
                        name, m.name, location
                    )));
                }
                Err(import_error(format!("cannot import name '{}'", name)))
            }
        }
    }
}
