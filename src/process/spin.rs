//! Adaptive spinning before a pipe read blocks, and the readiness poll every pipe wait
//! uses.
//!
//! On a virtual machine, waking a thread that sleeps in the kernel costs 25–30 µs: its
//! virtual CPU has halted and must be woken through the hypervisor. A submit→result round
//! trip has three such wake-ups (worker, reply collector, caller), so sleeping alone keeps
//! it above 100 µs however little work the call does. A reader that polls for a short
//! while first catches a reply that is about to come without sleeping at all.
//!
//! Spinning burns a CPU, which a CPU-bound worker beside it wants. So a reader spins only
//! when its recent waits were short: the spin budget follows the waits it has seen
//! (glibc's PTHREAD_MUTEX_ADAPTIVE_NP does the same with its spin count), and a pipe
//! whose replies take milliseconds never spins.

use std::io;
use std::os::fd::RawFd;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The longest a reader polls before it sleeps.
const MAX_SPIN: Duration = Duration::from_micros(100);

/// Recent waits of one reader, and so how long it may spin.
#[derive(Debug)]
pub struct Spinner {
    /// Moving average of recent waits, in nanoseconds (each new wait weighs 1/4).
    average_wait_ns: AtomicU64,
}

impl Spinner {
    pub const fn new() -> Spinner {
        // No history yet: assume long waits, so nothing spins until a short one is seen.
        Spinner {
            average_wait_ns: AtomicU64::new(u64::MAX / 8),
        }
    }

    /// How long the next wait may spin: none if recent waits were longer than the cap
    /// (spinning would likely end in a sleep anyway), else twice the recent average,
    /// between 20 µs and the cap.
    pub fn budget(&self) -> Duration {
        let avg = Duration::from_nanos(self.average_wait_ns.load(Ordering::Relaxed));
        if avg > MAX_SPIN {
            Duration::ZERO
        } else {
            (avg * 2).clamp(Duration::from_micros(20), MAX_SPIN)
        }
    }

    /// Records how long a wait took, spun or slept.
    pub fn record(&self, waited: Duration) {
        let new = waited.as_nanos().min(u64::MAX as u128 / 8) as u64;
        let old = self.average_wait_ns.load(Ordering::Relaxed);
        let avg = if old >= u64::MAX / 8 { new } else { (old * 3 + new) / 4 };
        self.average_wait_ns.store(avg, Ordering::Relaxed);
    }

    /// Waits until `fd` is readable (or at end of file) for at most the budget, polling.
    /// True if it became readable; false means the caller should block as usual.
    pub fn spin_until_readable(&self, fd: RawFd, started: Instant) -> bool {
        let budget = self.budget();
        if budget.is_zero() {
            return false;
        }
        loop {
            if readable_now(fd) {
                return true;
            }
            if started.elapsed() >= budget {
                return false;
            }
            std::hint::spin_loop();
        }
    }
}

/// Whether a read of `fd` would not block now (data, end of file, or an error to report).
pub fn readable_now(fd: RawFd) -> bool {
    wait_readable(fd, Some(Duration::ZERO)).unwrap_or(true)
}

/// Waits up to `timeout` (for ever with None) for `fd` to be readable or at its end.
pub fn wait_readable(fd: RawFd, timeout: Option<Duration>) -> io::Result<bool> {
    let mut pfd = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    let ms = timeout.map_or(-1, |t| t.as_millis().min(i32::MAX as u128) as libc::c_int);
    loop {
        // SAFETY: one valid pollfd for the duration of the call.
        let n = unsafe { libc::poll(&mut pfd, 1, ms) };
        if n >= 0 {
            return Ok(n > 0);
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_history_means_no_spin() {
        assert_eq!(Spinner::new().budget(), Duration::ZERO);
    }

    #[test]
    fn short_waits_earn_a_spin_and_long_waits_take_it_away() {
        let s = Spinner::new();
        s.record(Duration::from_micros(30));
        assert_eq!(s.budget(), Duration::from_micros(60));
        s.record(Duration::from_micros(200));
        assert_eq!(s.budget(), MAX_SPIN, "capped");
        for _ in 0..4 {
            s.record(Duration::from_millis(10));
        }
        assert_eq!(s.budget(), Duration::ZERO);
        for _ in 0..30 {
            s.record(Duration::from_micros(5));
        }
        assert_eq!(s.budget(), Duration::from_micros(20), "a floor keeps the spin useful");
    }

    #[test]
    fn a_pipe_with_data_is_seen_at_once_and_an_empty_one_times_out() {
        let mut fds = [0; 2];
        // SAFETY: pipe(2) with a valid two-element array.
        assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
        let s = Spinner::new();
        s.record(Duration::from_micros(40));
        let t = Instant::now();
        assert!(!s.spin_until_readable(fds[0], t));
        // SAFETY: writes one byte from a valid buffer to the pipe's write end.
        assert_eq!(unsafe { libc::write(fds[1], b"x".as_ptr().cast(), 1) }, 1);
        assert!(s.spin_until_readable(fds[0], Instant::now()));
        // SAFETY: closing the two descriptors pipe(2) gave us, once.
        unsafe {
            libc::close(fds[0]);
            libc::close(fds[1]);
        }
    }
}
