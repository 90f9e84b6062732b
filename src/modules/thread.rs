//! `_thread` (Modules/_threadmodule.c): starting threads, the lock and the re-entrant lock.
//! `threading`, `queue` and `concurrent.futures` are written in Python on top of it, as in
//! CPython, so every blocking wait of theirs ends in `LockCore::acquire`.
//!
//! gilsim extras, which the Python library calls when present: `_set_name` (the thread's
//! name for statistics and reports) and `_format_exception` (traceback text for
//! `threading.excepthook`).

use std::sync::{Arc, LazyLock};
use std::time::Duration;

use super::{arity, native_class, native_module};
use crate::builtins::args::{only_kwargs, param};
use crate::threads::lock::{LockCore, LockKind};
use crate::threads::spawn::start_thread;
use crate::vm::errors::{type_error, value_error, PyErr};
use crate::vm::objects::{Args, BuiltinFunction, Class, Module, NativeObj};
use crate::vm::ops::as_f64;
use crate::vm::types::{exc, type_name};
use crate::vm::value::Value;
use crate::vm::vm::Vm;
use crate::vm::PyResult;

/// `_thread.TIMEOUT_MAX` as CPython reports it on Linux (PY_TIMEOUT_MAX in seconds).
const TIMEOUT_MAX: f64 = 9223372036.0;

pub(super) fn create(_vm: &mut Vm) -> PyResult<Arc<Module>> {
    Ok(native_module(
        "_thread",
        FUNCTIONS,
        vec![
            ("LockType", Value::Class(LOCK_CLASS.clone())),
            ("RLock", Value::Builtin(&RLOCK_NEW)),
            ("TIMEOUT_MAX", Value::Float(TIMEOUT_MAX)),
            ("error", Value::Class(exc().runtime_error.clone())),
        ],
    ))
}

static FUNCTIONS: &[&BuiltinFunction] = &[
    &START_NEW_THREAD,
    &START_NEW,
    &ALLOCATE_LOCK,
    &ALLOCATE,
    &GET_IDENT,
    &GET_NATIVE_ID,
    &COUNT,
    &SET_SENTINEL,
    &SET_NAME,
    &FORMAT_EXCEPTION,
    &TRACE_TASK,
];

builtin!(START_NEW_THREAD, "start_new_thread", start_new_thread);
builtin!(START_NEW, "start_new", start_new_thread);
builtin!(ALLOCATE_LOCK, "allocate_lock", allocate_lock);
builtin!(ALLOCATE, "allocate", allocate_lock);
builtin!(GET_IDENT, "get_ident", get_ident);
builtin!(GET_NATIVE_ID, "get_native_id", get_native_id);
builtin!(COUNT, "_count", count);
builtin!(SET_SENTINEL, "_set_sentinel", set_sentinel);
builtin!(SET_NAME, "_set_name", set_name);
builtin!(FORMAT_EXCEPTION, "_format_exception", format_exception);
builtin!(TRACE_TASK, "_trace_task", trace_task);

/// `_trace_task(stage, task_id)`: an executor task was submitted (0), started (1) or
/// finished (2) — an event for `gilsim trace`, nothing otherwise.
fn trace_task(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "_trace_task", 2, 2)?;
    if crate::trace::recorder::enabled() {
        let stage = crate::builtins::args::index_i64(&args.pos[0])?;
        let id = crate::builtins::args::index_i64(&args.pos[1])?.max(0) as u64;
        let kind = match stage {
            0 => crate::trace::EventKind::TaskSubmit(id),
            1 => crate::trace::EventKind::TaskStart(id),
            _ => crate::trace::EventKind::TaskDone(id),
        };
        vm.trace(kind);
    }
    Ok(Value::None)
}

fn start_new_thread(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "start_new_thread", 2, 3)?;
    let func = args.pos[0].clone();
    if !crate::builtins::functions::introspection::is_callable(vm, &func)? {
        return Err(type_error("first arg must be callable"));
    }
    let pos = match &args.pos[1] {
        Value::Tuple(t) => t.to_vec(),
        _ => return Err(type_error("2nd arg must be a tuple")),
    };
    let kw = match args.pos.get(2) {
        None => Vec::new(),
        Some(Value::Dict(d)) => {
            let mut kw = Vec::new();
            let items: Vec<(Value, Value)> = d.map.lock().iter().map(|(k, v)| (k.value.clone(), v.clone())).collect();
            for (k, v) in items {
                match k {
                    Value::Str(s) => kw.push((Arc::from(s.as_str()), v)),
                    _ => return Err(type_error("keywords must be strings")),
                }
            }
            kw
        }
        Some(_) => return Err(type_error("optional 3rd arg must be a dictionary")),
    };
    let ident = start_thread(vm, func, pos, kw)?;
    Ok(Value::from(ident as i64))
}

fn get_ident(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "get_ident", 0, 0)?;
    // SAFETY: pthread_self has no preconditions.
    Ok(Value::from(unsafe { libc::pthread_self() } as i64))
}

fn get_native_id(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "get_native_id", 0, 0)?;
    Ok(Value::from(
        vm.thread.native_id.load(std::sync::atomic::Ordering::Relaxed) as i64,
    ))
}

/// The number of threads started by `_thread` that are still running (the main thread
/// excluded, as in CPython).
fn count(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "_count", 0, 0)?;
    Ok(Value::from(vm.interp.threads.live_count().saturating_sub(1) as i64))
}

/// A lock held by the calling thread and released when the thread ends; `Thread.join`
/// waits on it (CPython's `_tstate_lock`).
fn set_sentinel(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "_set_sentinel", 0, 0)?;
    let lock = LockCore::new(LockKind::Plain);
    lock.take_for(vm.thread.id);
    vm.thread.sentinels.lock().push(lock.clone());
    Ok(lock_value(lock, &LOCK_CLASS))
}

fn set_name(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "_set_name", 1, 1)?;
    let name = vm.str(&args.pos[0])?;
    *vm.thread.name.lock() = Arc::from(name);
    Ok(Value::None)
}

fn format_exception(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "_format_exception", 1, 1)?;
    let err = PyErr::from_value(args.pos[0].clone())?;
    Ok(Value::string(vm.format_exception(&err)))
}

// ---- the lock types ----

static LOCK_CLASS: LazyLock<Arc<Class>> = LazyLock::new(|| native_class("lock", "_thread", LOCK_METHODS));
static RLOCK_CLASS: LazyLock<Arc<Class>> = LazyLock::new(|| native_class("RLock", "_thread", RLOCK_METHODS));

static LOCK_METHODS: &[&BuiltinFunction] = &[
    &ACQUIRE,
    &ACQUIRE_LOCK,
    &RELEASE,
    &RELEASE_LOCK,
    &LOCKED,
    &LOCKED_LOCK,
    &ENTER,
    &EXIT,
    &LOCK_REPR,
];
static RLOCK_METHODS: &[&BuiltinFunction] = &[
    &ACQUIRE,
    &RELEASE,
    &ENTER,
    &EXIT,
    &IS_OWNED,
    &RELEASE_SAVE,
    &ACQUIRE_RESTORE,
    &RLOCK_REPR,
];

builtin!(ACQUIRE, "acquire", acquire);
builtin!(ACQUIRE_LOCK, "acquire_lock", acquire);
builtin!(RELEASE, "release", release);
builtin!(RELEASE_LOCK, "release_lock", release);
builtin!(LOCKED, "locked", locked);
builtin!(LOCKED_LOCK, "locked_lock", locked);
builtin!(ENTER, "__enter__", enter);
builtin!(EXIT, "__exit__", exit);
builtin!(LOCK_REPR, "__repr__", lock_repr);
builtin!(RLOCK_REPR, "__repr__", rlock_repr);
builtin!(IS_OWNED, "_is_owned", is_owned);
builtin!(RELEASE_SAVE, "_release_save", release_save);
builtin!(ACQUIRE_RESTORE, "_acquire_restore", acquire_restore);
builtin!(RLOCK_NEW, "RLock", rlock_new);

fn lock_value(lock: Arc<LockCore>, class: &Arc<Class>) -> Value {
    Value::Native(Arc::new(NativeObj {
        class: class.clone(),
        data: Box::new(lock),
    }))
}

fn allocate_lock(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "allocate_lock", 0, 0)?;
    Ok(lock_value(user_lock(vm, LockKind::Plain), &LOCK_CLASS))
}

fn rlock_new(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "RLock", 0, 0)?;
    Ok(lock_value(user_lock(vm, LockKind::Reentrant), &RLOCK_CLASS))
}

/// A new lock; traces follow its acquires and releases if the program made it itself
/// (`threading.Lock()`, `threading.RLock()`), not the library for a Condition, an Event
/// or a Queue (their waits are traced all the same).
fn user_lock(vm: &Vm, kind: LockKind) -> Arc<LockCore> {
    let lock = LockCore::new(kind);
    if crate::trace::recorder::enabled() && vm.made_by_user(&["RLock"]) {
        lock.trace_operations();
    }
    lock
}

/// The lock behind `self` (`args.pos[0]`).
fn this(args: &Args<'_>, method: &str) -> PyResult<Arc<LockCore>> {
    match args.pos.first() {
        Some(Value::Native(n)) => match n.data.downcast_ref::<Arc<LockCore>>() {
            Some(l) => Ok(l.clone()),
            None => Err(type_error(format!(
                "descriptor '{method}' requires a '_thread.lock' object but received a '{}'",
                n.class.name
            ))),
        },
        Some(other) => Err(type_error(format!(
            "descriptor '{method}' requires a '_thread.lock' object but received a '{}'",
            type_name(other)
        ))),
        None => Err(type_error(format!("descriptor '{method}' needs an argument"))),
    }
}

/// `acquire(blocking=True, timeout=-1)` (Modules/_threadmodule.c lock_acquire_parse_args).
fn acquire(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let lock = this(&args, "acquire")?;
    only_kwargs("acquire", &args, &["blocking", "timeout"])?;
    if args.pos.len() > 3 {
        return Err(type_error(format!(
            "acquire() takes at most 2 arguments ({} given)",
            args.pos.len() - 1
        )));
    }
    let blocking = match param(&args, 1, "blocking") {
        Some(v) => vm.truthy(v)?,
        None => true,
    };
    let timeout = match param(&args, 2, "timeout") {
        None => -1.0,
        Some(v) => match as_f64(v) {
            Some(r) => r?,
            None => {
                return Err(type_error(format!(
                    "'{}' object cannot be interpreted as an integer or float",
                    type_name(v)
                )))
            }
        },
    };
    if !blocking && timeout != -1.0 {
        return Err(value_error("can't specify a timeout for a non-blocking call"));
    }
    if timeout < 0.0 && timeout != -1.0 {
        return Err(value_error("timeout value must be positive"));
    }
    if timeout > TIMEOUT_MAX {
        return Err(crate::vm::errors::overflow_error("timeout value is too large"));
    }
    let timeout = (timeout >= 0.0).then(|| Duration::from_secs_f64(timeout));
    Ok(Value::Bool(lock.acquire(vm, blocking, timeout)?))
}

fn release(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let lock = this(&args, "release")?;
    // A waiter wakes from now: in virtual time, now includes what this thread just ran.
    vm.sync_clock();
    lock.release(vm.thread.id)?;
    if lock.traced() {
        vm.trace(crate::trace::EventKind::LockRelease(lock.id));
    }
    Ok(Value::None)
}

fn locked(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    Ok(Value::Bool(this(&args, "locked")?.locked()))
}

fn enter(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let lock = this(&args, "__enter__")?;
    Ok(Value::Bool(lock.acquire(vm, true, None)?))
}

fn exit(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let lock = this(&args, "__exit__")?;
    // A waiter wakes from now: in virtual time, now includes what this thread just ran.
    vm.sync_clock();
    lock.release(vm.thread.id)?;
    if lock.traced() {
        vm.trace(crate::trace::EventKind::LockRelease(lock.id));
    }
    Ok(Value::None)
}

fn is_owned(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    Ok(Value::Bool(this(&args, "_is_owned")?.is_owned_by(vm.thread.id)))
}

/// RLock `_release_save`: returns `(count, owner)` for `_acquire_restore`.
fn release_save(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    vm.sync_clock();
    let (count, owner) = this(&args, "_release_save")?.release_all(vm.thread.id)?;
    Ok(Value::tuple(vec![Value::from(count as i64), Value::from(owner as i64)]))
}

fn acquire_restore(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let lock = this(&args, "_acquire_restore")?;
    let count = match args.pos.get(1) {
        Some(Value::Tuple(t)) if t.len() == 2 => match &t[0] {
            Value::Int(n) if *n > 0 => *n as u32,
            _ => 1,
        },
        _ => return Err(type_error("_acquire_restore() argument must be a (count, owner) tuple")),
    };
    lock.acquire(vm, true, None)?;
    lock.restore_count(count);
    Ok(Value::None)
}

fn lock_repr(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let lock = this(&args, "__repr__")?;
    let state = if lock.locked() { "locked" } else { "unlocked" };
    Ok(Value::string(format!(
        "<{state} _thread.lock object at {:#x}>",
        args.pos[0].id()
    )))
}

fn rlock_repr(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let lock = this(&args, "__repr__")?;
    let (state, owner, count) = lock.describe();
    Ok(Value::string(format!(
        "<{state} _thread.RLock object owner={owner} count={count} at {:#x}>",
        args.pos[0].id()
    )))
}
