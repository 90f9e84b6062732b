//! Size limits for results whose size the program chooses (`'a'.center(10**10)`,
//! `random.choices(x, k=10**12)`, `s.replace('a', big)`).
//!
//! CPython attempts such allocations and raises MemoryError when malloc fails. In Rust a
//! failed allocation aborts the process, and with overcommit a huge one "succeeds" until the
//! OOM killer arrives, so results are measured before they are built and anything over the
//! cap is refused as a bare MemoryError, which is what CPython reports on a smaller machine.

use crate::vm::errors::{memory_error, overflow_error};
use crate::vm::value::Value;
use crate::vm::PyResult;

/// The largest result, in bytes, a built-in will build: the same 4 GiB the VM allows for
/// sequence repetition (`vm::ops::check_size`).
pub const MAX_RESULT_BYTES: usize = 1 << 32;

/// Refuses a result of `count` items of `item_bytes` bytes each (overflow included).
pub fn check_result_size(count: usize, item_bytes: usize) -> PyResult<()> {
    match count.checked_mul(item_bytes) {
        Some(total) if total <= MAX_RESULT_BYTES => Ok(()),
        _ => Err(memory_error("")),
    }
}

/// `a + b` bytes, refused when over the cap.
pub fn add_sizes(a: usize, b: usize) -> PyResult<usize> {
    match a.checked_add(b) {
        Some(total) if total <= MAX_RESULT_BYTES => Ok(total),
        _ => Err(memory_error("")),
    }
}

/// An integer argument CPython converts to a C `int` (`tabsize`, `getrandbits`' `k`…),
/// with CPython's OverflowError when it does not fit.
pub fn c_int(v: &Value) -> PyResult<i32> {
    // Objects/longobject.c _PyLong_AsInt: one message for both directions.
    let too_large = || overflow_error("Python int too large to convert to C int");
    match v {
        Value::BigInt(_) => Err(too_large()),
        v => i32::try_from(super::args::index_i64(v)?).map_err(|_| too_large()),
    }
}

/// The largest int result, in bits, a built-in will compute (`math.factorial`, `math.perm`…):
/// the same 64 Mbit the VM allows for `**` (`vm::ops`), beyond which the computation would
/// run for minutes and then exhaust memory.
pub const MAX_INT_BITS: u64 = 64 * 1024 * 1024;

/// Refuses an int result estimated at `bits` bits.
pub fn check_int_bits(bits: f64) -> PyResult<()> {
    if bits <= MAX_INT_BITS as f64 {
        Ok(())
    } else {
        Err(memory_error(""))
    }
}
