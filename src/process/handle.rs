//! A worker process as its parent holds it: a real OS process (`spawn.rs`), or, in a
//! deterministic run, a simulated one inside this process (`src/deterministic/process.rs`).
//! Both speak the same requests and replies; only how a wait blocks differs.

use std::sync::Arc;
use std::time::Duration;

use super::protocol::Request;
use super::spawn::{Received, Spec, WorkerProcess};
use crate::deterministic::process::{Popped, SimWorker};
use crate::gil::Release;
use crate::vm::errors::PyErr;
use crate::vm::types::exc;
use crate::vm::vm::Vm;
use crate::vm::PyResult;

#[derive(Clone)]
pub enum Handle {
    Os(Arc<WorkerProcess>),
    Sim(Arc<SimWorker>),
}

impl Handle {
    /// Starts the worker `spec` describes: simulated in a deterministic run, else a process.
    pub fn start(vm: &mut Vm, spec: &Spec) -> PyResult<Handle> {
        if let Some(s) = crate::deterministic::active() {
            if !spec.inherit.is_empty() {
                return Err(PyErr::new(
                    &exc().runtime_error,
                    "gilsim: --deterministic does not simulate Pipe or Queue between processes yet",
                ));
            }
            return Ok(Handle::Sim(SimWorker::start(
                vm,
                s,
                &spec.name,
                &spec.role,
                &spec.script,
                spec.fork_like,
            )?));
        }
        let w = vm
            .allow_threads(Release::Io, || WorkerProcess::spawn(spec))
            .map_err(|e| PyErr::new(&exc().os_error, format!("cannot start a worker process: {e}")))?;
        vm.trace(crate::trace::EventKind::ProcessSpawn(w.pid));
        Ok(Handle::Os(w))
    }

    pub fn pid(&self) -> u32 {
        match self {
            Handle::Os(w) => w.pid,
            Handle::Sim(w) => w.pid,
        }
    }

    /// Sends a request; Ok(false) if the worker has gone.
    pub fn send(&self, vm: &mut Vm, req: Request) -> PyResult<bool> {
        let w = match self {
            Handle::Sim(w) => return Ok(w.send(vm, req)),
            Handle::Os(w) => w,
        };
        match vm.allow_threads(Release::Io, || w.send(&req)) {
            Ok(()) => Ok(true),
            // The worker has gone: the caller learns it from recv() (end of file).
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(false),
            Err(e) => Err(PyErr::new(&exc().os_error, e.to_string())),
        }
    }

    /// The next reply, waiting at most `timeout`.
    pub fn recv(&self, vm: &mut Vm, timeout: Option<Duration>) -> PyResult<Received> {
        match self {
            Handle::Os(w) => vm
                .allow_threads(Release::Io, || w.recv(timeout))
                .map_err(|e| PyErr::new(&exc().os_error, format!("reading from worker process {}: {e}", w.pid))),
            Handle::Sim(w) => Ok(match w.recv(vm, timeout)? {
                Popped::Item(reply) => Received::Reply(reply),
                Popped::Closed => Received::Eof,
                Popped::Timeout => Received::Timeout,
            }),
        }
    }

    /// No more requests.
    pub fn close(&self, vm: &mut Vm) {
        match self {
            Handle::Os(w) => w.close(),
            Handle::Sim(w) => w.close(vm),
        }
    }

    pub fn kill(&self, vm: &mut Vm) {
        match self {
            Handle::Os(w) => vm.allow_threads(Release::Join, || w.kill()),
            Handle::Sim(w) => w.terminate(vm),
        }
    }

    pub fn terminate(&self, vm: &mut Vm) {
        match self {
            Handle::Os(w) => w.terminate(),
            Handle::Sim(w) => w.terminate(vm),
        }
    }

    pub fn poll(&self) -> Option<i32> {
        match self {
            Handle::Os(w) => w.poll(),
            Handle::Sim(w) => w.poll(),
        }
    }

    /// Waits for the worker to end: its exit code, or None at the timeout.
    pub fn wait(&self, vm: &mut Vm, timeout: Option<Duration>) -> PyResult<Option<i32>> {
        match self {
            Handle::Os(w) => {
                let code = vm.allow_threads(Release::Join, || w.wait(timeout));
                if code.is_some() {
                    vm.trace(crate::trace::EventKind::ProcessExit(w.pid));
                }
                Ok(code)
            }
            Handle::Sim(w) => w.wait(vm, timeout),
        }
    }
}
