//! Standard-library modules written in Python and embedded in the binary: `threading`,
//! `queue`, `concurrent.futures` and `multiprocessing`. As in CPython (Lib/threading.py on
//! top of Modules/_threadmodule.c), they are built on `_thread`, so every blocking wait of
//! theirs ends in one Rust lock primitive that releases the interpreter lock and knows about
//! deadlocks; `multiprocessing` and ProcessPoolExecutor also stand on `_gilsim_process`,
//! whose waits on pipes and processes release the lock too.

use std::path::Path;
use std::sync::Arc;

use crate::syntax::source::SourceFile;
use crate::threads::site::LIBRARY_PREFIX;
use crate::vm::errors::PyErr;
use crate::vm::objects::Module;
use crate::vm::types::exc;
use crate::vm::vm::Vm;
use crate::vm::PyResult;

/// (module name, file name under `<gilsim>/`, source).
const SOURCES: &[(&str, &str, &str)] = &[
    ("threading", "threading.py", include_str!("threading.py")),
    ("queue", "queue.py", include_str!("queue.py")),
    ("concurrent", "concurrent/__init__.py", ""),
    (
        "concurrent.futures",
        "concurrent/futures.py",
        include_str!("futures.py"),
    ),
    (
        "concurrent.futures.process",
        "concurrent/futures/process.py",
        "from concurrent.futures import (ProcessPoolExecutor, BrokenProcessPool, _RemoteTraceback,\n\
         _process_chunk, _chain_from_iterable_of_lists)\n",
    ),
    (
        "concurrent.futures.thread",
        "concurrent/futures/thread.py",
        "from concurrent.futures import ThreadPoolExecutor, BrokenThreadPool\n",
    ),
    (
        "multiprocessing",
        "multiprocessing/__init__.py",
        include_str!("multiprocessing.py"),
    ),
    // CPython's submodules, where programs import some names from.
    (
        "multiprocessing.pool",
        "multiprocessing/pool.py",
        "from multiprocessing import (Pool, ApplyResult, AsyncResult, MapResult, RemoteTraceback,\n\
         mapstar, starmapstar, INIT, RUN, CLOSE, TERMINATE)\n",
    ),
    (
        "multiprocessing.context",
        "multiprocessing/context.py",
        "from multiprocessing import ProcessError, BufferTooShort, TimeoutError, AuthenticationError\n",
    ),
    (
        "multiprocessing.process",
        "multiprocessing/process.py",
        "from multiprocessing import Process as BaseProcess, current_process, active_children, parent_process\n",
    ),
];

pub fn is_library_module(name: &str) -> bool {
    SOURCES.iter().any(|(n, _, _)| *n == name)
}

/// Runs the embedded module `name`, if there is one.
pub fn load(vm: &mut Vm, name: &str) -> Option<PyResult<Arc<Module>>> {
    let &(_, file, text) = SOURCES.iter().find(|(n, _, _)| *n == name)?;
    Some(load_source(vm, name, file, text))
}

fn load_source(vm: &mut Vm, name: &str, file: &str, text: &str) -> PyResult<Arc<Module>> {
    let src = SourceFile::new(format!("{LIBRARY_PREFIX}{file}"), text);
    // A syntax error here is a bug in gilsim itself; report it like any other.
    let compiled = crate::driver::compile_source(&src, false).map_err(|d| {
        PyErr::new(
            &exc().syntax_error,
            format!(
                "{} ({}{}, line {})",
                d.first.message,
                LIBRARY_PREFIX,
                file,
                src.line_of(d.first.span.start)
            ),
        )
    })?;
    match crate::driver::run_module_code(vm, name, &compiled) {
        Ok(m) => Ok(m),
        Err(e) => {
            vm.interp.modules.lock().remove(name);
            Err(e)
        }
    }
}

/// Where a library file would be, for messages that name a module's location.
pub fn location(name: &str) -> Option<String> {
    SOURCES
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, f, _)| Path::new(LIBRARY_PREFIX).join(f).display().to_string())
}
