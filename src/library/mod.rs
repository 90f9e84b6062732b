//! Standard-library modules written in Python and embedded in the binary: `threading`,
//! `queue`, `concurrent.futures` and `multiprocessing`. As in CPython (Lib/threading.py on
//! top of Modules/_threadmodule.c), they are built on `_thread`, so every blocking wait of
//! theirs ends in one Rust lock primitive that releases the interpreter lock and knows about
//! deadlocks; `multiprocessing` and ProcessPoolExecutor also stand on `_gilsim_process`,
//! whose waits on pipes and processes release the lock too.

use std::path::Path;
use std::sync::{Arc, LazyLock};

use parking_lot::Mutex;

use crate::compile::CompiledModule;

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
        "from multiprocessing import (Pool, ThreadPool, ApplyResult, AsyncResult, MapResult,\n\
         RemoteTraceback, mapstar, starmapstar, INIT, RUN, CLOSE, TERMINATE)\n",
    ),
    // Lib/multiprocessing/dummy: multiprocessing's API over threads.
    (
        "multiprocessing.dummy",
        "multiprocessing/dummy/__init__.py",
        "from multiprocessing import ThreadPool as _ThreadPool, cpu_count\n\
         from threading import Lock, RLock, Semaphore, BoundedSemaphore, Condition, Event, Barrier\n\
         from threading import current_thread as current_process, Thread as Process\n\
         from queue import Queue\n\
         def Pool(processes=None, initializer=None, initargs=()):\n\
         \x20   return _ThreadPool(processes, initializer, initargs)\n",
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

fn entry(name: &str) -> Option<&'static (&'static str, &'static str, &'static str)> {
    SOURCES.iter().find(|(n, _, _)| *n == name)
}

/// The source file of library module `name`, as tracebacks name it.
fn library_source(name: &str) -> Option<Arc<SourceFile>> {
    entry(name).map(|&(_, file, text)| source_file(file, text))
}

pub fn is_library_module(name: &str) -> bool {
    SOURCES.iter().any(|(n, _, _)| *n == name)
}

/// Runs the embedded module `name`, if there is one.
pub fn load(vm: &mut Vm, name: &str) -> Option<PyResult<Arc<Module>>> {
    let &(_, file, text) = entry(name)?;
    Some(load_source(vm, name, file, text))
}

fn load_source(vm: &mut Vm, name: &str, file: &str, text: &str) -> PyResult<Arc<Module>> {
    let compiled = match compiled(name) {
        Some(c) => c,
        None => {
            let c = compile(file, text)?;
            remember(name, &c);
            c
        }
    };
    match crate::driver::run_module_code(vm, name, &compiled) {
        Ok(m) => Ok(m),
        Err(e) => {
            vm.interp.modules.lock().remove(name);
            Err(e)
        }
    }
}

fn source_file(file: &str, text: &str) -> Arc<SourceFile> {
    SourceFile::new(format!("{LIBRARY_PREFIX}{file}"), text)
}

fn compile(file: &str, text: &str) -> PyResult<CompiledModule> {
    let src = source_file(file, text);
    // A syntax error here is a bug in gilsim itself; report it like any other.
    crate::driver::compile_source(&src, false).map_err(|d| {
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
    })
}

// ---- compiled once per process ----
//
// Compiling the library is most of what importing it costs (about 1 ms per 250 lines).
// Code objects are immutable, so every interpreter of a process (the simulated worker
// processes of a deterministic run) shares one compilation, and a real worker process gets
// its parent's as an image (src/compile/image.rs) before it imports anything: CPython's
// workers read `.pyc` files instead.

/// Library modules compiled in this process, in the order they were first imported.
static COMPILED: LazyLock<Mutex<Vec<(&'static str, CompiledModule)>>> = LazyLock::new(Default::default);

/// The last image built, and how many modules it holds.
static IMAGE: LazyLock<Mutex<(usize, Arc<Vec<u8>>)>> = LazyLock::new(Default::default);

fn compiled(name: &str) -> Option<CompiledModule> {
    COMPILED.lock().iter().find(|(n, _)| *n == name).map(|(_, c)| c.clone())
}

fn remember(name: &str, c: &CompiledModule) {
    let Some(&(static_name, _, _)) = entry(name) else {
        return;
    };
    let mut all = COMPILED.lock();
    if !all.iter().any(|(n, _)| *n == name) {
        all.push((static_name, c.clone()));
    }
}

/// The library modules compiled so far in this process, as an image for a worker.
pub fn image() -> Arc<Vec<u8>> {
    let all = COMPILED.lock().clone();
    let mut cached = IMAGE.lock();
    if cached.0 != all.len() {
        let modules = all.iter().filter_map(|(name, c)| {
            let &(_, _, text) = entry(name)?;
            Some((*name, text, c))
        });
        // Every constant the compiler emits can be encoded; if that ever stops being true,
        // the worker compiles for itself.
        *cached = (
            all.len(),
            Arc::new(crate::compile::image::encode(modules).unwrap_or_default()),
        );
    }
    cached.1.clone()
}

/// Takes the compiled modules of a parent's image; returns how many. An empty image is
/// nothing to take.
pub fn preload(image: &[u8]) -> Result<usize, String> {
    if image.is_empty() {
        return Ok(0);
    }
    let modules = crate::compile::image::decode(image, library_source)?;
    let n = modules.len();
    for (name, c) in modules {
        remember(&name, &c);
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_library_module_goes_through_an_image_unchanged() {
        let mut all = Vec::new();
        for &(name, file, text) in SOURCES {
            let c = compile(file, text).unwrap_or_else(|e| panic!("{name}: {e:?}"));
            all.push((name, text, c));
        }
        let bytes = crate::compile::image::encode(all.iter().map(|(n, t, c)| (*n, *t, c))).expect("encodes");
        let decoded = crate::compile::image::decode(&bytes, |name| {
            SOURCES
                .iter()
                .find(|(n, _, _)| *n == name)
                .map(|&(_, f, t)| source_file(f, t))
        })
        .expect("decodes");
        assert_eq!(decoded.len(), SOURCES.len());
        for ((name, _, original), (decoded_name, decoded)) in all.iter().zip(&decoded) {
            assert_eq!(name, decoded_name);
            assert_eq!(
                crate::compile::dis::disassemble(&decoded.code, &decoded.global_names),
                crate::compile::dis::disassemble(&original.code, &original.global_names),
                "{name}"
            );
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
