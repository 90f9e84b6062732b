//! The `time` module: wall, monotonic and CPU clocks, and `sleep`.

use std::sync::{Arc, LazyLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::{arity, native_module};
use crate::vm::errors::{overflow_error, value_error};
use crate::vm::objects::{Args, BuiltinFunction, Module};
use crate::vm::value::Value;
use crate::vm::vm::Vm;
use crate::vm::PyResult;

pub(super) fn create(_vm: &mut Vm) -> PyResult<Arc<Module>> {
    LazyLock::force(&EPOCH);
    Ok(native_module("time", FUNCTIONS, vec![]))
}

static FUNCTIONS: &[&BuiltinFunction] = &[
    &TIME,
    &TIME_NS,
    &PERF_COUNTER,
    &PERF_COUNTER_NS,
    &MONOTONIC,
    &MONOTONIC_NS,
    &PROCESS_TIME,
    &PROCESS_TIME_NS,
    &THREAD_TIME,
    &THREAD_TIME_NS,
    &SLEEP,
];

macro_rules! clock {
    ($static:ident, $name:literal, $f:ident, $body:expr) => {
        fn $f(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
            arity(&args, concat!("time.", $name), 0, 0)?;
            let body: fn(&mut Vm) -> Value = $body;
            Ok(body(vm))
        }
        static $static: BuiltinFunction = BuiltinFunction {
            name: $name,
            func: $f,
        };
    };
}

/// The origin of the monotonic clocks (any fixed point works: only differences matter).
static EPOCH: LazyLock<Instant> = LazyLock::new(Instant::now);

fn since_unix_epoch(vm: &mut Vm) -> Duration {
    if crate::clock::is_virtual() {
        return Duration::from_secs(crate::deterministic::EPOCH_SECS) + virtual_now(vm);
    }
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default()
}

fn monotonic_duration(vm: &mut Vm) -> Duration {
    if crate::clock::is_virtual() {
        return virtual_now(vm);
    }
    EPOCH.elapsed()
}

/// A deterministic run's virtual time, counting this thread's instructions so far.
fn virtual_now(vm: &mut Vm) -> Duration {
    vm.sync_clock();
    crate::clock::now()
}

/// CPU time in a deterministic run: a thread computes exactly while it holds the lock.
fn virtual_cpu_time(vm: &mut Vm, whole_process: bool) -> Duration {
    let now = virtual_now(vm);
    let current = now.saturating_sub(vm.hold_start);
    if !whole_process {
        return vm.thread.stats.lock().held + current;
    }
    let held: Duration = vm.interp.threads.all().iter().map(|t| t.stats.lock().held).sum();
    held + current
}

fn process_cpu(vm: &mut Vm) -> Duration {
    if crate::clock::is_virtual() {
        return virtual_cpu_time(vm, true);
    }
    cpu_time(libc::CLOCK_PROCESS_CPUTIME_ID)
}

fn thread_cpu(vm: &mut Vm) -> Duration {
    if crate::clock::is_virtual() {
        return virtual_cpu_time(vm, false);
    }
    cpu_time(libc::CLOCK_THREAD_CPUTIME_ID)
}

fn ns(d: Duration) -> Value {
    Value::from(d.as_nanos().min(i64::MAX as u128) as i64)
}

clock!(TIME, "time", time, |vm| Value::Float(
    since_unix_epoch(vm).as_secs_f64()
));
clock!(TIME_NS, "time_ns", time_ns, |vm| ns(since_unix_epoch(vm)));
clock!(PERF_COUNTER, "perf_counter", perf_counter, |vm| Value::Float(
    monotonic_duration(vm).as_secs_f64()
));
clock!(PERF_COUNTER_NS, "perf_counter_ns", perf_counter_ns, |vm| ns(
    monotonic_duration(vm)
));
clock!(MONOTONIC, "monotonic", monotonic, |vm| Value::Float(
    monotonic_duration(vm).as_secs_f64()
));
clock!(MONOTONIC_NS, "monotonic_ns", monotonic_ns, |vm| ns(monotonic_duration(
    vm
)));
clock!(PROCESS_TIME, "process_time", process_time, |vm| Value::Float(
    process_cpu(vm).as_secs_f64()
));
clock!(PROCESS_TIME_NS, "process_time_ns", process_time_ns, |vm| ns(
    process_cpu(vm)
));
clock!(THREAD_TIME, "thread_time", thread_time, |vm| Value::Float(
    thread_cpu(vm).as_secs_f64()
));
clock!(THREAD_TIME_NS, "thread_time_ns", thread_time_ns, |vm| ns(thread_cpu(
    vm
)));

/// CPU time of the process or the calling thread (`clock_gettime`); zero if unavailable.
fn cpu_time(clock: libc::clockid_t) -> Duration {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid, exclusively borrowed timespec that outlives the call, and
    // clock_gettime writes only into it; the clock ids passed are constants libc defines.
    let rc = unsafe { libc::clock_gettime(clock, &mut ts) };
    if rc != 0 {
        return Duration::ZERO;
    }
    Duration::new(ts.tv_sec.max(0) as u64, ts.tv_nsec.clamp(0, 999_999_999) as u32)
}

fn sleep(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "time.sleep", 1, 1)?;
    let nanos = timeout_nanos(&args.pos[0])?;
    if nanos < 0 {
        return Err(value_error("sleep length must be non-negative"));
    }
    if crate::process::replaying_fork(&vm.interp) {
        return Ok(Value::None);
    }
    block_for(vm, Duration::from_nanos(nanos as u64))?;
    Ok(Value::None)
}

/// Python/pytime.c `_PyTime_FromObject` with `_PyTime_ROUND_TIMEOUT`: seconds as
/// nanoseconds in an i64, floats rounded away from zero, with CPython's errors.
fn timeout_nanos(v: &Value) -> PyResult<i64> {
    match v {
        Value::Float(secs) => {
            if secs.is_nan() {
                return Err(value_error("Invalid value NaN (not a number)"));
            }
            let ns = secs * 1e9;
            let ns = if ns < 0.0 { ns.floor() } else { ns.ceil() };
            // i64::MIN as f64 is exact; the upper bound is exclusive, as in CPython.
            if !(i64::MIN as f64 <= ns && ns < -(i64::MIN as f64)) {
                return Err(overflow_error("timestamp out of range for platform time_t"));
            }
            Ok(ns as i64)
        }
        _ => {
            let too_large = || overflow_error("timestamp too large to convert to C _PyTime_t");
            let secs = match v {
                Value::BigInt(_) => return Err(too_large()),
                v => crate::builtins::args::index_i64(v)?,
            };
            secs.checked_mul(1_000_000_000).ok_or_else(too_large)
        }
    }
}

/// The one place `time.sleep` blocks, without the interpreter lock so other threads run
/// meanwhile (Modules/timemodule.c pysleep: Py_BEGIN_ALLOW_THREADS around the wait). In the
/// main thread Ctrl-C ends the sleep with KeyboardInterrupt (pysleep's EINTR path calls
/// PyErr_CheckSignals).
pub(super) fn block_for(vm: &mut Vm, d: Duration) -> PyResult<()> {
    if let Some(s) = crate::deterministic::active() {
        return sleep_virtual(vm, s, d);
    }
    if vm.thread.id != 1 {
        vm.allow_threads(crate::gil::Release::Sleep, || std::thread::sleep(d));
        return Ok(());
    }
    let deadline = std::time::Instant::now().checked_add(d);
    let mut left = d;
    loop {
        let interrupted = vm.allow_threads(crate::gil::Release::Sleep, || crate::signals::sleep_interruptible(left));
        if !interrupted {
            return Ok(());
        }
        if let Some(e) = crate::signals::take_interrupt() {
            return Err(e);
        }
        // Already raised at a poll on the way back: sleep out the rest, as pysleep does
        // when the signal handlers raise nothing.
        match deadline {
            Some(at) => left = at.saturating_duration_since(std::time::Instant::now()),
            None => left = d,
        }
        if left.is_zero() {
            return Ok(());
        }
    }
}

static SLEEP: BuiltinFunction = BuiltinFunction {
    name: "sleep",
    func: sleep,
};

/// `time.sleep` in a deterministic run: the scheduler wakes the thread when virtual time
/// reaches the end of the sleep (jumping ahead if every thread sleeps).
fn sleep_virtual(vm: &mut Vm, s: &crate::deterministic::Scheduler, d: Duration) -> PyResult<()> {
    use crate::trace::EventKind;
    vm.sync_clock();
    let until = s.now_ns().saturating_add(d.as_nanos().min(u64::MAX as u128) as u64);
    vm.trace(EventKind::SleepBegin);
    loop {
        let wake = vm.det_block(s, crate::gil::Release::Sleep, None, Some(until));
        if wake == crate::deterministic::Wake::Interrupted {
            if let Some(e) = crate::signals::take_interrupt() {
                return Err(e);
            }
            if s.now_ns() < until {
                continue;
            }
        }
        break;
    }
    vm.trace(EventKind::SleepEnd);
    Ok(())
}
