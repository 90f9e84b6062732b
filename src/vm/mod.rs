//! The virtual machine: values and objects, frames, the dispatch loop, calls, operators,
//! attributes, iteration, exceptions and tracebacks.

#[macro_use]
mod macros;
pub mod attr;
pub mod call;
pub mod dict;
pub mod errors;
pub mod format;
pub mod frame;
pub mod generator;
pub mod import;
pub mod interp;
pub mod iter;
pub(crate) mod method_cache;
pub mod module;
pub mod objects;
mod operands;
pub mod ops;
mod run;
pub mod stdout;
pub mod subscript;
pub mod suggestions;
pub mod traceback;
mod transfer;
pub mod types;
mod unwind;
pub mod value;
#[allow(clippy::module_inception)]
pub mod vm;

pub use errors::PyErr;
pub use value::Value;

/// Every fallible VM operation returns this; the error is a Python exception object.
pub type PyResult<T> = Result<T, PyErr>;
