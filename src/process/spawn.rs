//! The parent's side of a worker process: starting it, its two pipes, and ending it.
//!
//! A worker is this same binary started again (`/proc/self/exe`, else
//! `std::env::current_exe()`) as
//! `gilsim __worker … SCRIPT`, CPython's spawn start method (Lib/multiprocessing/spawn.py,
//! popen_spawn_posix.py). Its standard output and error stay the parent's, so what the
//! program prints in a worker reaches the terminal as it does under CPython. The protocol
//! therefore uses two other channels: requests go down the worker's standard input (the
//! worker moves that pipe aside and puts /dev/null in its place, as
//! `BaseProcess._bootstrap` does), and replies come back on a second pipe whose write end
//! the worker inherits under the descriptor number given by `--reply-fd`.
//!
//! A worker never outlives its parent. It asks the kernel for SIGKILL when the parent dies
//! (`PR_SET_PDEATHSIG`, which even a SIGKILLed parent triggers), and it exits when its
//! request pipe reaches end of file. The death signal fires when the *thread* that forked
//! the worker ends, so every worker is started by one spawner thread that lives as long as
//! the process. The parent kills and reaps a worker whose handle is dropped, and
//! [`kill_all`] ends those still running when the program finishes.

use std::fs::File;
use std::io;
use std::os::fd::{FromRawFd, OwnedFd, RawFd};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, OnceLock, Weak};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender};
use parking_lot::Mutex;

use super::protocol::{read_frame, write_frame, Reply, Request};
use crate::vm::interp::InterpSettings;

/// How deep workers may start workers: a guard against runaway recursion that the
/// bootstrapping check (`_check_not_importing_main`) does not catch.
pub const MAX_DEPTH: u32 = 4;

/// What a new worker is.
#[derive(Clone, Debug)]
pub struct Spec {
    /// `current_process().name` in the worker.
    pub name: String,
    /// `pool`, `process` or `replica`.
    pub role: String,
    /// The main script, imported as `__mp_main__`.
    pub script: PathBuf,
    /// `sys.argv[1:]` in the worker.
    pub args: Vec<String>,
    pub settings: InterpSettings,
    /// Started with the fork method (see `ProcessInfo::fork_like`).
    pub fork_like: bool,
    /// Descriptors the worker inherits under the same numbers (the ends of
    /// `multiprocessing.Pipe` and `Queue` passed to `Process`).
    pub inherit: Vec<RawFd>,
}

/// A running (or finished) worker process.
pub struct WorkerProcess {
    pub pid: u32,
    pub started: Instant,
    child: Mutex<Child>,
    requests: Mutex<Option<ChildStdin>>,
    replies: Mutex<File>,
    /// How long recent replies took to come: whether `recv` spins before it sleeps.
    reply_waits: super::spin::Spinner,
    exit: Mutex<Option<i32>>,
}

/// What [`WorkerProcess::recv`] found.
pub enum Received {
    Reply(Reply),
    /// The worker closed its end: it exited or was killed.
    Eof,
    Timeout,
}

/// Workers still running, so that [`kill_all`] can end them.
static LIVE: Mutex<Vec<Weak<WorkerProcess>>> = Mutex::new(Vec::new());

type SpawnJob = (Command, Sender<io::Result<Child>>);

/// The thread that starts every worker (see the module doc: PR_SET_PDEATHSIG follows the
/// forking thread).
fn spawner() -> &'static Sender<SpawnJob> {
    static SPAWNER: OnceLock<Sender<SpawnJob>> = OnceLock::new();
    SPAWNER.get_or_init(|| {
        let (tx, rx): (Sender<SpawnJob>, Receiver<SpawnJob>) = crossbeam_channel::unbounded();
        let started = std::thread::Builder::new()
            .name("gilsim-spawner".into())
            .spawn(move || {
                for (mut cmd, reply) in rx.iter() {
                    let _ = reply.send(cmd.spawn());
                }
                // The sender lives in a static: the loop above never ends while the process runs.
                loop {
                    std::thread::park();
                }
            });
        if let Err(e) = started {
            eprintln!("gilsim: cannot start the process spawner thread: {e}");
        }
        tx
    })
}

/// The current depth of worker nesting (0 in the program's own process).
pub fn depth() -> u32 {
    std::env::var("GILSIM_WORKER_DEPTH")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// A pipe whose both ends are close-on-exec and above the standard descriptors.
fn pipe() -> io::Result<(OwnedFd, OwnedFd)> {
    let mut fds: [RawFd; 2] = [0; 2];
    // SAFETY: `fds` is a valid, writable array of two descriptors.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: pipe2 succeeded, so both descriptors are open and owned by nobody else.
    let (r, w) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    Ok((above_stdio(r)?, above_stdio(w)?))
}

/// If the parent ran with a standard descriptor closed, a pipe could land on 0–2, where
/// the child's stdio set-up would overwrite it: move it up.
fn above_stdio(fd: OwnedFd) -> io::Result<OwnedFd> {
    use std::os::fd::AsRawFd;
    if fd.as_raw_fd() > 2 {
        return Ok(fd);
    }
    // SAFETY: fcntl(F_DUPFD_CLOEXEC) on an open descriptor; the result is a new descriptor.
    let new = unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_DUPFD_CLOEXEC, 3) };
    if new < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `new` was just returned by fcntl and is owned by nobody else.
    Ok(unsafe { OwnedFd::from_raw_fd(new) })
}

/// Sends the worker the library this process has compiled (the first request, see
/// `worker::run`). The pipe is grown first so the write completes at once instead of
/// waiting for the worker to exec and read it. A worker that is already gone fails the
/// write: it is then found dead like any other.
fn send_library(pipe: &mut std::process::ChildStdin) {
    use std::os::fd::AsRawFd;
    let image = crate::library::image();
    // SAFETY: F_SETPIPE_SZ on a pipe descriptor we own; failure only leaves the pipe small.
    unsafe {
        libc::fcntl(
            pipe.as_raw_fd(),
            libc::F_SETPIPE_SZ,
            (image.len() + 4096).min(1 << 20) as libc::c_int,
        );
    }
    let _ = super::protocol::write_frame(pipe, &Request::Preload { image: image.to_vec() });
}

impl WorkerProcess {
    /// Starts a worker. It imports the script and then sends [`Reply::Ready`].
    pub fn spawn(spec: &Spec) -> io::Result<Arc<WorkerProcess>> {
        use std::os::fd::AsRawFd;
        let exe = std::env::current_exe()?;
        let (reply_read, reply_write) = pipe()?;
        let reply_fd = reply_write.as_raw_fd();
        let s = &spec.settings;
        // /proc/self/exe is the very file this process runs, even if the binary on disk was
        // replaced since (a rebuild): a worker always speaks its parent's protocol.
        let self_exe = std::path::Path::new("/proc/self/exe");
        let mut cmd = if self_exe.exists() {
            let mut c = Command::new(self_exe);
            c.arg0(&exe);
            c
        } else {
            Command::new(&exe)
        };
        cmd.arg("__worker")
            .arg("--name")
            .arg(&spec.name)
            .arg("--role")
            .arg(&spec.role)
            .arg("--reply-fd")
            .arg(reply_fd.to_string())
            .arg("--gil")
            .arg(s.policy.name())
            .arg("--switch-interval-us")
            .arg(s.switch_interval_us.to_string())
            .arg("--check-interval")
            .arg(s.check_interval.to_string())
            .arg("--max-threads")
            .arg(s.max_threads.to_string())
            .args(spec.fork_like.then_some("--fork-like"))
            .arg(&spec.script)
            .arg("--")
            .args(&spec.args)
            .env("GILSIM_WORKER_DEPTH", (depth() + 1).to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::inherit())
            .stderr(Stdio::inherit());
        let parent = std::process::id() as libc::pid_t;
        let inherit = spec.inherit.clone();
        // SAFETY: the closure runs in the child between fork and exec, where only
        // async-signal-safe functions may be called. It calls only fcntl, prctl, getppid
        // and _exit, all async-signal-safe, allocates nothing (the descriptor list was
        // built before the fork and is only read), takes no locks, and touches only data
        // moved into it. Clearing FD_CLOEXEC changes the child's descriptor table only:
        // the parent's copies stay close-on-exec.
        unsafe {
            cmd.pre_exec(move || {
                if libc::fcntl(reply_fd, libc::F_SETFD, 0) != 0 {
                    return Err(io::Error::last_os_error());
                }
                for &fd in &inherit {
                    if libc::fcntl(fd, libc::F_SETFD, 0) != 0 {
                        return Err(io::Error::last_os_error());
                    }
                }
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong, 0, 0, 0) != 0 {
                    return Err(io::Error::last_os_error());
                }
                // The parent may have died before the death signal was armed.
                if libc::getppid() != parent {
                    libc::_exit(1);
                }
                Ok(())
            });
        }
        let (tx, rx) = crossbeam_channel::bounded(1);
        spawner()
            .send((cmd, tx))
            .map_err(|_| io::Error::other("the process spawner thread is gone"))?;
        let mut child = rx
            .recv()
            .map_err(|_| io::Error::other("the process spawner thread is gone"))??;
        // Our copy of the write end must go, or the reply pipe never reaches end of file.
        drop(reply_write);
        let mut requests = child.stdin.take();
        if let Some(pipe) = requests.as_mut() {
            send_library(pipe);
        }
        let worker = Arc::new(WorkerProcess {
            pid: child.id(),
            started: Instant::now(),
            child: Mutex::new(child),
            requests: Mutex::new(requests),
            replies: Mutex::new(File::from(reply_read)),
            reply_waits: super::spin::Spinner::new(),
            exit: Mutex::new(None),
        });
        let mut live = LIVE.lock();
        live.retain(|w| w.strong_count() > 0);
        live.push(Arc::downgrade(&worker));
        Ok(worker)
    }

    /// Sends a request. A worker that has gone is a BrokenPipe error.
    pub fn send(&self, req: &Request) -> io::Result<()> {
        let mut requests = self.requests.lock();
        match requests.as_mut() {
            Some(w) => write_frame(w, req),
            None => Err(io::ErrorKind::BrokenPipe.into()),
        }
    }

    /// Waits up to `timeout` (for ever with `None`) for the next reply.
    pub fn recv(&self, timeout: Option<Duration>) -> io::Result<Received> {
        use std::os::fd::AsRawFd;
        let mut replies = self.replies.lock();
        let started = Instant::now();
        let fd = replies.as_raw_fd();
        if let (false, Some(t)) = (self.reply_waits.spin_until_readable(fd, started), timeout) {
            if !super::spin::wait_readable(fd, Some(t.saturating_sub(started.elapsed())))? {
                return Ok(Received::Timeout);
            }
        }
        match read_frame::<Reply>(&mut *replies) {
            Ok(Some(r)) => {
                self.reply_waits.record(started.elapsed());
                Ok(Received::Reply(r))
            }
            Ok(None) => Ok(Received::Eof),
            // A worker killed in the middle of a frame.
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Ok(Received::Eof),
            Err(e) => Err(e),
        }
    }

    /// Closes the request pipe: the worker finishes and exits.
    pub fn close(&self) {
        self.requests.lock().take();
    }

    /// SIGKILL (`Process.kill()`, `Pool.terminate()`), then reaps the process.
    pub fn kill(&self) {
        self.close();
        let mut child = self.child.lock();
        if self.exit.lock().is_none() {
            let _ = child.kill();
            if let Ok(status) = child.wait() {
                *self.exit.lock() = Some(exit_code(status));
            }
        }
    }

    /// SIGTERM (`Process.terminate()`).
    pub fn terminate(&self) {
        if self.exit.lock().is_none() {
            // SAFETY: kill(2) with a pid we started and have not reaped yet (the exit code
            // is unset), so the pid cannot have been reused.
            unsafe {
                libc::kill(self.pid as libc::pid_t, libc::SIGTERM);
            }
        }
    }

    /// The exit code if the worker has ended (negative: the signal that ended it).
    pub fn poll(&self) -> Option<i32> {
        if let Some(c) = *self.exit.lock() {
            return Some(c);
        }
        let mut child = self.child.lock();
        match child.try_wait() {
            Ok(Some(status)) => {
                let c = exit_code(status);
                *self.exit.lock() = Some(c);
                Some(c)
            }
            _ => None,
        }
    }

    /// Waits up to `timeout` (for ever with `None`) for the worker to exit. The wait is
    /// on a pidfd, which becomes readable when the process exits, so no lock is held
    /// meanwhile (another thread may kill or poll the worker); where pidfds are missing
    /// (Linux before 5.3) it polls.
    pub fn wait(&self, timeout: Option<Duration>) -> Option<i32> {
        let deadline = timeout.map(|t| Instant::now() + t);
        let pidfd = self.pidfd();
        let mut pause = Duration::from_micros(100);
        loop {
            if let Some(c) = self.poll() {
                return Some(c);
            }
            let now = Instant::now();
            let left = match deadline {
                Some(d) if now >= d => return None,
                Some(d) => Some(d - now),
                None => None,
            };
            match &pidfd {
                Some(fd) => {
                    use std::os::fd::AsRawFd;
                    let mut pfd = libc::pollfd {
                        fd: fd.as_raw_fd(),
                        events: libc::POLLIN,
                        revents: 0,
                    };
                    // At most a second per poll: a signal or a missed wake-up costs little.
                    let ms = left.map_or(1000, |l| l.as_millis().clamp(1, 1000) as libc::c_int);
                    // SAFETY: one valid pollfd for the duration of the call.
                    unsafe { libc::poll(&mut pfd, 1, ms) };
                }
                None => {
                    std::thread::sleep(left.map_or(pause, |l| pause.min(l)));
                    pause = (pause * 2).min(Duration::from_millis(10));
                }
            }
        }
    }

    /// A pidfd for the worker (pidfd_open(2)), while it has not been reaped.
    fn pidfd(&self) -> Option<OwnedFd> {
        let _child = self.child.lock();
        if self.exit.lock().is_some() {
            return None;
        }
        // SAFETY: pidfd_open takes a pid and flags and returns a new descriptor or -1. The
        // pid is our unreaped child (the child lock is held and no exit code is recorded),
        // so it names this worker and no other process.
        let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, self.pid as libc::pid_t, 0) };
        if fd < 0 {
            return None;
        }
        // SAFETY: the syscall returned a fresh descriptor owned by nobody else.
        Some(unsafe { OwnedFd::from_raw_fd(fd as RawFd) })
    }
}

impl Drop for WorkerProcess {
    fn drop(&mut self) {
        if self.poll().is_none() {
            self.kill();
        }
    }
}

/// CPython's `Popen.returncode`: the exit status, or minus the signal number.
fn exit_code(status: std::process::ExitStatus) -> i32 {
    match (status.code(), status.signal()) {
        (Some(c), _) => c,
        (None, Some(s)) => -s,
        (None, None) => -1,
    }
}

/// Kills and reaps every worker still running (the end of the program).
pub fn kill_all() {
    let live: Vec<Arc<WorkerProcess>> = LIVE.lock().drain(..).filter_map(|w| w.upgrade()).collect();
    for w in live {
        w.kill();
    }
}
