//! `_gilsim_process`: the native layer under `multiprocessing` and
//! `concurrent.futures.ProcessPoolExecutor` (both written in Python in `src/library/`).
//! It starts worker processes (`src/process/spawn.rs`) and moves calls and results
//! through their pipes; every wait gives up the interpreter lock.
//!
//! - `start(name, role, fds=())` → a worker handle (it inherits `fds`), with `call(id, func, args, kwargs)`,
//!   `run(func, args, kwargs)`, `recv(timeout=None)`, `close()`, `kill()`, `terminate()`,
//!   `poll()`, `wait(timeout=None)` and `pid()`. `recv` returns `("ready", seconds)`,
//!   `("ok", id, value)`, `("err", id, exc, traceback_text)`, `("eof",)` or `("timeout",)`.
//! - `info()`: `(name, role)` in a worker, None in the program's own process.
//! - `chain(exc, cause)`: sets `exc.__cause__` (the remote traceback), returns `exc`.
//! - `cpu_count()`; `importing_main()`: true while a worker imports the main script.
//! - `channel_*`: the descriptors under Pipe and Queue (`process_channel.rs`), and a
//!   queue's item count (`process_count.rs`).

use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, OnceLock};

use super::process_channel::timeout_arg;
use super::{arity, native_class, native_module};
use crate::builtins::args::param;
use crate::process::codec::{decode, encode, Wire};
use crate::process::handle::Handle;
use crate::process::protocol::{Reply, Request};
use crate::process::spawn::{Received, Spec, MAX_DEPTH};
use crate::vm::errors::{type_error, value_error, PyErr};
use crate::vm::objects::{Args, BuiltinFunction, Class, Module, NativeObj};
use crate::vm::types::{exc, type_name};
use crate::vm::value::Value;
use crate::vm::vm::Vm;
use crate::vm::PyResult;

/// The main script as an absolute path, fixed when the program first imports this
/// module: a later change of directory must not change which file workers import.
static SCRIPT: OnceLock<PathBuf> = OnceLock::new();

fn script_path(vm: &Vm) -> Option<PathBuf> {
    let first = vm.interp.argv.first()?;
    let path = Path::new(first);
    Some(
        SCRIPT
            .get_or_init(|| std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()))
            .clone(),
    )
}

pub(super) fn create(vm: &mut Vm) -> PyResult<Arc<Module>> {
    script_path(vm);
    Ok(native_module(
        "_gilsim_process",
        FUNCTIONS,
        vec![("Worker", Value::Class(WORKER_CLASS.clone()))],
    ))
}

static FUNCTIONS: &[&BuiltinFunction] = &[
    &START,
    &INFO,
    &CHAIN,
    &CPU_COUNT,
    &IMPORTING_MAIN,
    &DETERMINISTIC,
    &super::process_channel::PIPE,
    &super::process_channel::LOCK_FILE,
    &super::process_channel::SEND,
    &super::process_channel::RECV,
    &super::process_channel::POLL,
    &super::process_channel::CLOSE,
    &super::process_channel::LOCK,
    &super::process_channel::UNLOCK,
    &super::process_count::COUNT,
    &super::process_count::TAKE_SLOT,
];

builtin!(START, "start", start);
builtin!(INFO, "info", info);
builtin!(CHAIN, "chain", chain);
builtin!(CPU_COUNT, "cpu_count", cpu_count);
builtin!(IMPORTING_MAIN, "importing_main", importing_main);
builtin!(DETERMINISTIC, "deterministic", deterministic);

static WORKER_CLASS: LazyLock<Arc<Class>> = LazyLock::new(|| native_class("Worker", "_gilsim_process", WORKER_METHODS));

static WORKER_METHODS: &[&BuiltinFunction] = &[&CALL, &RUN, &RECV, &CLOSE, &KILL, &TERMINATE, &POLL, &WAIT, &PID];

builtin!(CALL, "call", call);
builtin!(RUN, "run", run);
builtin!(RECV, "recv", recv);
builtin!(CLOSE, "close", close);
builtin!(KILL, "kill", kill);
builtin!(TERMINATE, "terminate", terminate);
builtin!(POLL, "poll", poll);
builtin!(WAIT, "wait", wait);
builtin!(PID, "pid", pid);

/// `start(name, role, inherit=None, method='spawn')`: a new worker process running this
/// program's script. `method` is the start method the program asked for.
fn start(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "start", 2, 4)?;
    let inherit = match args.pos.get(2) {
        None | Some(Value::None) => Vec::new(),
        Some(v) => super::process_channel::fd_list(vm, v)?,
    };
    let name = vm.str(&args.pos[0])?;
    let role = vm.str(&args.pos[1])?;
    let method = match args.pos.get(3) {
        Some(v) => vm.str(v)?,
        None => "spawn".to_string(),
    };
    if crate::process::importing_main(&vm.interp) {
        // A worker re-running the script has reached the point where its parent started
        // it. Under spawn that is CPython's bootstrapping error. A forked child would never
        // run this code, because it starts as a copy of its parent at this very point, so
        // the worker stops importing here and has the state that copy would have
        // (src/process/worker.rs `serve`).
        if method == "fork" {
            return Err(PyErr::new(&exc().bootstrap_stop, ""));
        }
        return Err(PyErr::new(&exc().runtime_error, crate::process::BOOTSTRAP_ERROR));
    }
    if crate::process::spawn::depth() >= MAX_DEPTH {
        return Err(PyErr::new(
            &exc().runtime_error,
            format!("gilsim: worker processes may nest at most {MAX_DEPTH} deep"),
        ));
    }
    let Some(script) = script_path(vm) else {
        return Err(PyErr::new(
            &exc().runtime_error,
            "no main script to start a worker with",
        ));
    };
    // popen_fork.Popen.__init__ flushes the standard streams before every start, so
    // that what the parent printed comes before what the child prints.
    vm.interp.flush_stdout();
    let spec = Spec {
        name,
        role,
        script,
        args: vm.interp.argv.iter().skip(1).cloned().collect(),
        settings: vm.interp.settings.clone(),
        inherit,
        fork_like: method == "fork",
    };
    Ok(handle_value(Handle::start(vm, &spec)?))
}

fn handle_value(h: Handle) -> Value {
    Value::Native(Arc::new(NativeObj {
        class: WORKER_CLASS.clone(),
        data: Box::new(h),
    }))
}

fn info(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "info", 0, 0)?;
    Ok(match crate::process::info(&vm.interp) {
        Some(p) => Value::tuple(vec![Value::str(&p.name), Value::str(&p.role)]),
        None => Value::None,
    })
}

/// `deterministic()`: whether this run is scheduled in virtual time (`--deterministic`).
fn deterministic(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "deterministic", 0, 0)?;
    Ok(Value::Bool(crate::deterministic::active().is_some()))
}

fn chain(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "chain", 2, 2)?;
    let e = PyErr::from_value(args.pos[0].clone())?;
    let cause = args.pos[1].clone();
    if !cause.is_none() {
        PyErr::from_value(cause.clone())?;
    }
    let mut st = e.state();
    st.cause = if cause.is_none() { None } else { Some(cause) };
    st.suppress_context = true;
    drop(st);
    Ok(args.pos[0].clone())
}

/// True while this worker still imports the main script (CPython's `_inheriting`).
fn importing_main(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "importing_main", 0, 0)?;
    Ok(Value::Bool(crate::process::importing_main(&vm.interp)))
}

fn cpu_count(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "cpu_count", 0, 0)?;
    Ok(Value::from(crate::deterministic::cpu_count().unwrap_or(1)))
}

/// The worker behind `self`.
fn this(args: &Args<'_>, method: &str) -> PyResult<Handle> {
    match args.pos.first() {
        Some(Value::Native(n)) => match n.data.downcast_ref::<Handle>() {
            Some(w) => Ok(w.clone()),
            None => Err(type_error(format!(
                "descriptor '{method}' requires a '_gilsim_process.Worker' object"
            ))),
        },
        Some(other) => Err(type_error(format!(
            "descriptor '{method}' requires a '_gilsim_process.Worker' object but received a '{}'",
            type_name(other)
        ))),
        None => Err(type_error(format!("descriptor '{method}' needs an argument"))),
    }
}

/// A call ready for the wire: function, positional and keyword arguments.
type EncodedCall = (Wire, Vec<Wire>, Vec<(String, Wire)>);

/// Encodes `(func, args, kwargs)`; what cannot travel raises here, in the caller.
fn encode_call(vm: &mut Vm, func: &Value, args: &Value, kwargs: &Value) -> PyResult<EncodedCall> {
    let func = encode(vm, func)?;
    let pos = match args {
        Value::Tuple(t) => t.iter().map(|a| encode(vm, a)).collect::<PyResult<Vec<_>>>()?,
        Value::List(l) => {
            let items = l.items.lock().clone();
            items.iter().map(|a| encode(vm, a)).collect::<PyResult<Vec<_>>>()?
        }
        other => return Err(type_error(format!("args must be a tuple, not {}", type_name(other)))),
    };
    let kw = match kwargs {
        Value::None => Vec::new(),
        Value::Dict(d) => {
            let pairs: Vec<(Value, Value)> = d.map.lock().iter().map(|(k, v)| (k.value.clone(), v.clone())).collect();
            let mut kw = Vec::with_capacity(pairs.len());
            for (k, v) in pairs {
                let Value::Str(k) = k else {
                    return Err(type_error("keywords must be strings"));
                };
                kw.push((k.as_str().to_string(), encode(vm, &v)?));
            }
            kw
        }
        other => return Err(type_error(format!("kwargs must be a dict, not {}", type_name(other)))),
    };
    Ok((func, pos, kw))
}

fn send(vm: &mut Vm, w: &Handle, req: Request) -> PyResult<Value> {
    Ok(Value::Bool(w.send(vm, req)?))
}

/// `call(id, func, args, kwargs)`: sends a call; False if the worker has gone.
fn call(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let w = this(&args, "call")?;
    arity(&args, "call", 5, 5)?;
    let id = match &args.pos[1] {
        Value::Int(i) if *i >= 0 => *i as u64,
        _ => return Err(value_error("call id must be a non-negative int")),
    };
    let (func, pos, kwargs) = encode_call(vm, &args.pos[2], &args.pos[3], &args.pos[4])?;
    send(
        vm,
        &w,
        Request::Call {
            id,
            func,
            args: pos,
            kwargs,
        },
    )
}

/// `run(func, args, kwargs)`: the process's whole life (`Process.start()`).
fn run(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let w = this(&args, "run")?;
    arity(&args, "run", 4, 4)?;
    let (func, pos, kwargs) = encode_call(vm, &args.pos[1], &args.pos[2], &args.pos[3])?;
    send(
        vm,
        &w,
        Request::Run {
            func,
            args: pos,
            kwargs,
        },
    )
}

/// `recv(timeout=None)`: the next reply, decoded.
fn recv(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let w = this(&args, "recv")?;
    let timeout = timeout_arg(param(&args, 1, "timeout"))?;
    let got = w.recv(vm, timeout)?;
    Ok(match got {
        Received::Timeout => Value::tuple(vec![Value::str("timeout")]),
        Received::Eof => Value::tuple(vec![Value::str("eof")]),
        Received::Reply(Reply::Ready { startup_us, .. }) => {
            Value::tuple(vec![Value::str("ready"), Value::Float(startup_us as f64 / 1e6)])
        }
        Received::Reply(Reply::Ok { id, value }) => match decode(vm, value) {
            Ok(v) => Value::tuple(vec![Value::str("ok"), Value::from(id as i64), v]),
            Err(e) => Value::tuple(vec![
                Value::str("err"),
                Value::from(id as i64),
                e.value(),
                Value::str(""),
            ]),
        },
        Received::Reply(Reply::Err { id, exc, traceback }) => {
            let (e, tb) = match decode(vm, exc) {
                Ok(e) if matches!(&e, Value::Instance(i) if i.exc.is_some()) => (e, traceback),
                Ok(_) => (
                    PyErr::new(
                        &crate::vm::types::exc().runtime_error,
                        "a worker raised a non-exception",
                    )
                    .value(),
                    traceback,
                ),
                // The class is not known here: keep the message, say why.
                Err(e) => (e.value(), traceback),
            };
            Value::tuple(vec![Value::str("err"), Value::from(id as i64), e, Value::string(tb)])
        }
        Received::Reply(Reply::Stats(_)) => Value::tuple(vec![Value::str("stats")]),
    })
}

fn close(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    this(&args, "close")?.close(vm);
    Ok(Value::None)
}

fn kill(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    this(&args, "kill")?.kill(vm);
    Ok(Value::None)
}

fn terminate(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    this(&args, "terminate")?.terminate(vm);
    Ok(Value::None)
}

fn exit_value(code: Option<i32>) -> Value {
    code.map(|c| Value::from(c as i64)).unwrap_or(Value::None)
}

fn poll(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    Ok(exit_value(this(&args, "poll")?.poll()))
}

/// `wait(timeout=None)`: the exit code, or None if the worker still runs at the timeout.
fn wait(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    let w = this(&args, "wait")?;
    let timeout = timeout_arg(param(&args, 1, "timeout"))?;
    Ok(exit_value(w.wait(vm, timeout)?))
}

fn pid(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    Ok(Value::from(this(&args, "pid")?.pid() as i64))
}
