//! Starting a language thread: `_thread.start_new_thread` (Modules/_threadmodule.c
//! thread_PyThread_start_new_thread). Each language thread is an OS thread with its own
//! `Vm` (frames and value stack) sharing the interpreter's modules and objects.

use std::os::unix::thread::JoinHandleExt;
use std::sync::Arc;

use crate::gil::Release;
use crate::vm::errors::runtime_error;
use crate::vm::interp::Interpreter;
use crate::vm::objects::Args;
use crate::vm::types::exc;
use crate::vm::value::Value;
use crate::vm::vm::Vm;
use crate::vm::PyResult;

use super::ThreadState;

/// Stack reserved for each language thread. Only touched pages are committed; deep
/// Rust-level recursion is bounded by `Vm::enter_native` well within it.
pub const THREAD_STACK: usize = 256 << 20;

/// Starts `func(*args, **kwargs)` on a new thread; returns its ident (the pthread id).
pub fn start_thread(vm: &mut Vm, func: Value, args: Vec<Value>, kwargs: Vec<(Arc<str>, Value)>) -> PyResult<u64> {
    let interp = vm.interp.clone();
    let Some(t) = interp.threads.register("Dummy") else {
        return Err(runtime_error(format!(
            "can't start new thread: the limit of {} threads is reached (--max-threads)",
            interp.threads.max_threads
        )));
    };
    *t.name.lock() = Arc::from(format!("Dummy-{}", t.id));
    // A deterministic run: the new thread wants the lock from now, in the creator's order.
    let det = crate::deterministic::active();
    if let Some(s) = det {
        vm.sync_clock();
        s.register(&t, None);
    }
    let thread = t.clone();
    let spawned = std::thread::Builder::new()
        .name(format!("gilsim-{}", t.id))
        .stack_size(THREAD_STACK)
        .spawn(move || thread_main(interp, thread, func, args, kwargs));
    match spawned {
        Ok(handle) => {
            let ident = handle.as_pthread_t() as u64;
            t.ident.store(ident, std::sync::atomic::Ordering::Relaxed);
            Ok(ident)
        }
        Err(e) => {
            if let Some(s) = det {
                s.forget(&t);
            }
            vm.interp.threads.unregister(&t);
            Err(runtime_error(format!("can't start new thread: {e}")))
        }
    }
}

fn thread_main(
    interp: Arc<Interpreter>,
    t: Arc<ThreadState>,
    func: Value,
    args: Vec<Value>,
    kwargs: Vec<(Arc<str>, Value)>,
) {
    t.bind_os_thread();
    let mut vm = Vm::for_thread(interp, t.clone());
    vm.gil_take();
    vm.trace(crate::trace::EventKind::ThreadStart);
    let result = vm.call_with(
        &func,
        Args {
            pos: &args,
            kw: &kwargs,
        },
    );
    if let Err(e) = result {
        // threading.Thread reports its own exceptions; this is for bare _thread use
        // (Modules/_threadmodule.c thread_run: "Exception ignored in thread started by").
        if !e.is_instance_of(&exc().system_exit) {
            let what = vm.repr(&func).unwrap_or_default();
            let report = vm.format_exception(&e);
            vm.interp.flush_stdout();
            eprint!("Exception ignored in thread started by: {what}\n{report}");
        }
    }
    drop((func, args, kwargs));
    vm.run_pending_finalizers();
    vm.end_thread();
}

impl Vm {
    /// The thread's last steps: its statistics, its sentinels (which `join` waits on), and
    /// the interpreter lock, dropped for good.
    pub fn end_thread(&mut self) {
        let t = self.thread.clone();
        self.trace(crate::trace::EventKind::ThreadExit);
        {
            self.sync_clock();
            let mut s = t.stats.lock();
            // In virtual time a thread computes exactly while it holds the lock.
            s.cpu = if crate::clock::is_virtual() {
                s.held + crate::clock::now().saturating_sub(self.hold_start)
            } else {
                ThreadState::own_cpu_time()
            };
            s.ended = Some(crate::clock::now());
        }
        self.sync_clock();
        for s in std::mem::take(&mut *t.sentinels.lock()) {
            s.force_release();
        }
        self.interp.threads.unregister(&t);
        self.gil_drop(Release::Exit);
    }
}
