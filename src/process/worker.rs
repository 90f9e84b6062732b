//! The worker's side: `gilsim __worker … SCRIPT`. It imports the script as `__mp_main__`
//! (Lib/multiprocessing/spawn.py `prepare` → `_fixup_main_from_path`), so top-level code
//! runs again and `if __name__ == "__main__":` guards matter, then serves requests until
//! its request pipe closes (Lib/multiprocessing/pool.py `worker`,
//! Lib/concurrent/futures/process.py `_process_worker`).
//!
//! Its own interpreter, lock and threads: nothing is shared with the parent but what the
//! requests carry.

use std::fs::File;
use std::io::{self, BufReader, BufWriter};
use std::os::fd::{AsRawFd, FromRawFd, RawFd};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use super::codec::{decode, encode, Wire};
use super::protocol::{read_frame, write_frame, Reply, Request, WorkerStats};
use super::spin::Spinner;
use super::{ProcessInfo, PROCESS};
use crate::gil::Release;
use crate::vm::errors::PyErr;
use crate::vm::interp::{InterpSettings, Interpreter};
use crate::vm::objects::Args;
use crate::vm::types::exc;
use crate::vm::value::Value;
use crate::vm::vm::Vm;

/// The worker's command line (the hidden `__worker` subcommand).
#[derive(Clone, Debug)]
pub struct WorkerArgs {
    pub script: PathBuf,
    pub name: String,
    pub role: String,
    pub reply_fd: RawFd,
    pub settings: InterpSettings,
    pub args: Vec<String>,
    pub fork_like: bool,
}

/// Runs a worker to its end; returns the process exit code.
pub fn run(args: WorkerArgs) -> i32 {
    crate::clock::init();
    let started = crate::clock::now();
    let _ = PROCESS.set(ProcessInfo::new(&args.name, &args.role, args.fork_like));
    let (requests, replies) = match take_pipes(args.reply_fd) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("gilsim: a worker process needs the pipes its parent gives it ({e})");
            return 70;
        }
    };
    let mut requests = BufReader::new(requests);
    let replies = BufWriter::new(replies);
    match read_frame::<Request>(&mut requests) {
        Ok(Some(Request::Preload { image })) => {
            if let Err(e) = crate::library::preload(&image) {
                // Not fatal: the worker compiles the library itself, only slower.
                eprintln!("gilsim: a worker could not use its parent's compiled library ({e})");
            }
        }
        // The parent is gone before saying anything.
        Ok(None) => return 1,
        Ok(Some(other)) => {
            eprintln!("gilsim: a worker process expected its parent's library first, not {other:?}");
            return 70;
        }
        Err(e) => {
            eprintln!("gilsim: a worker process could not read from its parent ({e})");
            return 70;
        }
    }

    let src = match crate::driver::read_source(&args.script) {
        Ok(s) => s,
        Err(msg) => {
            eprintln!("{msg}");
            return 1;
        }
    };
    let compiled = match crate::driver::compile_source(&src, false) {
        Ok(c) => c,
        Err(d) => {
            eprint!("{}", d.rendered);
            return 1;
        }
    };
    let script_dir = args.script.parent().map(|p| p.to_path_buf()).unwrap_or_default();
    let mut argv = vec![args.script.display().to_string()];
    argv.extend(args.args.iter().cloned());
    let interp = Interpreter::with_settings(
        argv,
        script_dir,
        crate::vm::stdout::Stdout::process(),
        args.settings.clone(),
    );
    let mut vm = Vm::new(interp.clone());
    vm.gil_take();
    let mut pipes = Pipes {
        requests,
        replies,
        request_waits: Spinner::new(),
    };
    let code = serve(&mut vm, &compiled, &args.name, std::process::id(), started, &mut pipes);
    vm.end_thread();
    code
}

/// Where a worker's requests come from and where its replies go: its pipes, or (a
/// simulated process in a deterministic run) the scheduler's channels.
pub trait Transport {
    /// The next request; None when the parent has closed the way in or is gone.
    fn next_request(&mut self, vm: &mut Vm) -> Option<Request>;
    /// Sends a reply; false if the parent can no longer hear it.
    fn reply(&mut self, vm: &mut Vm, reply: Reply) -> bool;
}

struct Pipes {
    requests: BufReader<File>,
    replies: BufWriter<File>,
    /// How long recent requests took to come: whether a read spins before it sleeps.
    request_waits: Spinner,
}

impl Transport for Pipes {
    fn next_request(&mut self, vm: &mut Vm) -> Option<Request> {
        let (requests, waits) = (&mut self.requests, &self.request_waits);
        let read = || {
            let started = Instant::now();
            if requests.buffer().is_empty() {
                waits.spin_until_readable(requests.get_ref().as_raw_fd(), started);
            }
            let request = read_frame::<Request>(requests);
            waits.record(started.elapsed());
            request
        };
        match vm.allow_threads(Release::Io, read) {
            Ok(Some(r)) => Some(r),
            // End of file: the parent closed the pipe or died.
            Ok(None) | Err(_) => None,
        }
    }

    fn reply(&mut self, vm: &mut Vm, reply: Reply) -> bool {
        let replies = &mut self.replies;
        vm.allow_threads(Release::Io, || write_frame(replies, &reply)).is_ok()
    }
}

/// A worker's life once its interpreter exists: imports the script as `__mp_main__`, says
/// it is ready, serves requests until told to stop, and winds down (the caller then ends
/// the thread). Returns the exit code. `started` is when the worker started, on the run's
/// clock (`crate::clock`).
pub fn serve(
    vm: &mut Vm,
    compiled: &crate::compile::CompiledModule,
    name: &str,
    pid: u32,
    started: std::time::Duration,
    transport: &mut dyn Transport,
) -> i32 {
    let interp = vm.interp.clone();
    // What the import prints is held back until we know whether this was a fork-like start.
    interp.stdout.hold();
    let imported = crate::driver::run_module_code(vm, "__mp_main__", compiled);
    let main = match imported {
        Ok(main) => {
            interp.stdout.release(true);
            main
        }
        Err(e) if e.is_instance_of(&exc().bootstrap_stop) => {
            // The script started this worker with the fork method: stop importing where
            // the parent did, with the definitions made so far, and print nothing of it, as
            // a forked child would (Lib/multiprocessing/popen_fork.py). Unlike a real fork,
            // the script's earlier top-level work ran again.
            interp.stdout.release(false);
            let module = interp.modules.lock().get("__mp_main__").cloned();
            match module {
                Some(m) => m,
                None => return wind_down(vm, 1),
            }
        }
        Err(e) => {
            // Bootstrapping failed: the parent sees the replies end before `Ready`.
            interp.stdout.release(true);
            let code = crate::driver::exit_code_for(vm, &e);
            return wind_down(vm, code);
        }
    };
    // Pickled references to `__main__` find the script here too.
    interp.modules.lock().insert("__main__".to_string(), main);
    if let Some(p) = super::info(&interp) {
        p.inheriting.store(false, std::sync::atomic::Ordering::Relaxed);
    }
    vm.sync_clock();
    let startup_us = crate::clock::now().saturating_sub(started).as_micros() as u64;
    if !transport.reply(vm, Reply::Ready { pid, startup_us }) {
        return wind_down(vm, 1);
    }
    while let Some(req) = transport.next_request(vm) {
        let reply = match req {
            Request::Call { id, func, args, kwargs } => match call(vm, func, args, kwargs) {
                Ok(v) => match encode(vm, &v) {
                    Ok(value) => Reply::Ok { id, value },
                    Err(e) => error_reply(vm, id, &e),
                },
                Err(e) => error_reply(vm, id, &e),
            },
            Request::Run {
                func,
                args: run_args,
                kwargs,
            } => {
                let code = match call(vm, func, run_args, kwargs) {
                    Ok(_) => 0,
                    Err(e) if e.is_instance_of(&exc().system_exit) => crate::driver::exit_code_for(vm, &e),
                    Err(e) => {
                        // BaseProcess._bootstrap: "Process NAME:" and the traceback.
                        vm.interp.flush_stdout();
                        let report = vm.format_exception(&e);
                        eprint!("Process {name}:\n{report}");
                        1
                    }
                };
                return wind_down(vm, code);
            }
            Request::Stats => Reply::Stats(stats(vm, pid, startup_us)),
            // Only meaningful before the script is imported (see `run`).
            Request::Preload { .. } => continue,
            Request::Shutdown => break,
        };
        vm.interp.flush_stdout();
        if !transport.reply(vm, reply) {
            break;
        }
    }
    wind_down(vm, 0)
}

/// The request pipe (our standard input, which then becomes /dev/null as in
/// `BaseProcess._bootstrap`) and the reply pipe.
fn take_pipes(reply_fd: RawFd) -> io::Result<(File, File)> {
    // SAFETY: fcntl on a descriptor number only queries or sets flags; a closed number is
    // an EBADF error, checked here before the descriptor is adopted.
    if reply_fd <= 2 || unsafe { libc::fcntl(reply_fd, libc::F_SETFD, libc::FD_CLOEXEC) } != 0 {
        return Err(io::Error::other(format!("no reply pipe at descriptor {reply_fd}")));
    }
    // SAFETY: duplicating descriptor 0 (open: the parent gives us a pipe there) yields a new
    // descriptor that nothing else owns.
    let req = unsafe { libc::fcntl(0, libc::F_DUPFD_CLOEXEC, 3) };
    if req < 0 {
        return Err(io::Error::last_os_error());
    }
    let devnull = File::open("/dev/null")?;
    {
        use std::os::fd::AsRawFd;
        // SAFETY: dup2 between two open descriptors; descriptor 0 is replaced atomically.
        if unsafe { libc::dup2(devnull.as_raw_fd(), 0) } < 0 {
            return Err(io::Error::last_os_error());
        }
    }
    // SAFETY: `req` was just created above and `reply_fd` was checked open and is ours: the
    // parent passed it to this process alone, and nothing else in it uses that number.
    Ok(unsafe { (File::from_raw_fd(req), File::from_raw_fd(reply_fd)) })
}

/// Calls `func(*args, **kwargs)`, all decoded in this interpreter.
fn call(vm: &mut Vm, func: Wire, args: Vec<Wire>, kwargs: Vec<(String, Wire)>) -> Result<Value, PyErr> {
    let f = decode(vm, func)?;
    let pos = args.into_iter().map(|a| decode(vm, a)).collect::<Result<Vec<_>, _>>()?;
    let mut kw = Vec::with_capacity(kwargs.len());
    for (k, v) in kwargs {
        kw.push((Arc::<str>::from(k.as_str()), decode(vm, v)?));
    }
    vm.call_with(&f, Args { pos: &pos, kw: &kw })
}

/// The reply for an exception: the exception itself if it can travel, else one that can
/// (its class with `str(exc)` as the only argument, or a RuntimeError), plus its traceback
/// text (`_ExceptionWithTraceback` in Lib/concurrent/futures/process.py).
fn error_reply(vm: &mut Vm, id: u64, e: &PyErr) -> Reply {
    let traceback = vm.format_exception(e);
    let exc_wire = match encode(vm, &e.value()) {
        Ok(w) => w,
        Err(_) => {
            let msg = vm.str(&e.value()).unwrap_or_default();
            let fallback = PyErr::new(e.class(), msg.clone());
            encode(vm, &fallback.value()).unwrap_or(Wire::Exception {
                module: "builtins".into(),
                qualname: "RuntimeError".into(),
                args: vec![Wire::Str(msg)],
                attrs: Vec::new(),
            })
        }
    };
    Reply::Err {
        id,
        exc: exc_wire,
        traceback,
    }
}

/// Waits for the program's non-daemon threads, flushes, and returns `code`.
fn wind_down(vm: &mut Vm, mut code: i32) -> i32 {
    let threading = vm.interp.modules.lock().get("threading").cloned();
    if let Some(f) = threading.and_then(|m| m.get("_shutdown")) {
        if !vm.interp.threads.deadlocked() {
            if let Err(e) = vm.call_with(&f, Args { pos: &[], kw: &[] }) {
                let c = crate::driver::exit_code_for(vm, &e);
                if code == 0 {
                    code = c;
                }
            }
        }
    }
    vm.interp.threads.begin_finalizing();
    vm.interp.flush_stdout();
    code
}

/// This process's figures for the `--processes N` summary.
fn stats(vm: &Vm, pid: u32, startup_us: u64) -> WorkerStats {
    let threads = vm.interp.threads.all();
    let cpu = if crate::clock::is_virtual() {
        // In virtual time a process computes exactly while its threads hold its lock.
        threads.iter().map(|t| t.stats.lock().held).sum()
    } else {
        super::process_cpu_time()
    };
    let mut s = WorkerStats {
        pid,
        startup_us,
        cpu_us: cpu.as_micros() as u64,
        threads: threads.len() as u32,
        ..Default::default()
    };
    for t in &threads {
        let st = t.stats.lock();
        s.held_us += st.held.as_micros() as u64;
        s.waiting_us += st.waiting.as_micros() as u64;
        s.blocked_us += st.blocked.as_micros() as u64;
    }
    let c = vm.interp.gil.stats().snapshot();
    s.switches = c.switches;
    s.forced_drops = c.forced_drops;
    s.longest_hold_us = c.longest_hold.as_micros() as u64;
    s
}
