//! The exceptions of files and descriptors, worded as CPython words them: the OSError
//! subclass an errno maps to (Objects/exceptions.c `_PyExc_InitState`'s errnomap),
//! "[Errno N] strerror: 'name'" texts (`OSError_str`), io.UnsupportedOperation, and the
//! messages each I/O class gives for a closed file.

use std::sync::Arc;

use crate::vm::errors::PyErr;
use crate::vm::objects::Class;
use crate::vm::types::exc;
use crate::vm::value::Value;
use crate::vm::vm::Vm;

/// The errno of the last failed system call on this thread.
pub(crate) fn last_errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(libc::EIO)
}

/// The C library's text for `errno` ("No such file or directory").
pub(crate) fn strerror(errno: i32) -> String {
    let mut buf = [0u8; 256];
    // SAFETY: `buf` is a live, exclusively borrowed buffer of `buf.len()` bytes; the XSI
    // strerror_r (which the libc crate binds on Linux) writes at most that many bytes,
    // NUL terminator included, and keeps no pointer to it after returning.
    let rc = unsafe { libc::strerror_r(errno, buf.as_mut_ptr().cast(), buf.len()) };
    match std::ffi::CStr::from_bytes_until_nul(&buf) {
        Ok(s) if rc == 0 => s.to_string_lossy().into_owned(),
        _ => format!("Unknown error {errno}"),
    }
}

/// The OSError subclass CPython raises for `errno`.
fn class_for_errno(errno: i32) -> &'static Arc<Class> {
    let e = exc();
    match errno {
        libc::EAGAIN | libc::EALREADY | libc::EINPROGRESS => &e.blocking_io_error,
        libc::EPIPE | libc::ESHUTDOWN => &e.broken_pipe_error,
        libc::ECHILD => &e.child_process_error,
        libc::ECONNABORTED => &e.connection_aborted_error,
        libc::ECONNREFUSED => &e.connection_refused_error,
        libc::ECONNRESET => &e.connection_reset_error,
        libc::EEXIST => &e.file_exists_error,
        libc::ENOENT => &e.file_not_found_error,
        libc::EISDIR => &e.is_a_directory_error,
        libc::ENOTDIR => &e.not_a_directory_error,
        libc::EINTR => &e.interrupted_error,
        libc::EACCES | libc::EPERM => &e.permission_error,
        libc::ESRCH => &e.process_lookup_error,
        libc::ETIMEDOUT => &e.timeout_error,
        _ => &e.os_error,
    }
}

/// `OSError(errno, strerror[, filename])` as CPython builds it from a failed call
/// (`PyErr_SetFromErrnoWithFilenameObject`). `str(e)` and tracebacks read
/// "[Errno 2] No such file or directory: 'x.txt'"; `errno`, `strerror` and `filename` are
/// attributes. (gilsim's exceptions render from `args`, so `args` holds that one message
/// rather than CPython's `(errno, strerror)`.)
#[cold]
pub(crate) fn os_error(vm: &mut Vm, errno: i32, filename: Option<&Value>) -> PyErr {
    let text = strerror(errno);
    let msg = match filename {
        Some(name) => match vm.repr(name) {
            Ok(r) => format!("[Errno {errno}] {text}: {r}"),
            Err(e) => return e,
        },
        None => format!("[Errno {errno}] {text}"),
    };
    let err = PyErr::new(class_for_errno(errno), msg);
    {
        let mut d = err.0.dict.lock();
        d.insert(Arc::from("errno"), Value::Int(errno as i64));
        d.insert(Arc::from("strerror"), Value::string(text));
        d.insert(Arc::from("filename"), filename.cloned().unwrap_or(Value::None));
        d.insert(Arc::from("filename2"), Value::None);
    }
    err
}

/// An OSError with a message of its own (no errno), e.g. "telling position disabled".
#[cold]
pub(crate) fn plain_os_error(msg: &str) -> PyErr {
    PyErr::new(&exc().os_error, msg)
}

/// `io.UnsupportedOperation(msg)`.
#[cold]
pub(crate) fn unsupported(msg: &str) -> PyErr {
    PyErr::new(&exc().unsupported_operation, msg)
}

#[cold]
pub(crate) fn value_error(msg: impl Into<String>) -> PyErr {
    crate::vm::errors::value_error(msg)
}
