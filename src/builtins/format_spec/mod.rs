//! The format-spec mini-language (`format(x, ".2f")`, f-string specs) and `%` formatting.

mod float;
mod percent;
mod spec;
#[cfg(test)]
mod tests;

pub use percent::percent_format;

/// Widths and numeric precisions beyond this would only exhaust memory, and are refused as
/// MemoryError (what CPython raises when it cannot allocate the result).
const MAX_WIDTH: usize = 1 << 28;

use crate::vm::errors::type_error;
use crate::vm::types::type_name;
use crate::vm::value::Value;
use crate::vm::vm::Vm;
use crate::vm::PyResult;

/// `format(v, spec)` for built-in values (`__format__` of int, bool, float, str and object).
pub fn format_with_spec(vm: &mut Vm, v: &Value, spec: &str) -> PyResult<String> {
    if spec.is_empty() {
        return vm.str(v);
    }
    match v {
        Value::Int(i) => spec::format_int(spec::IntArg::Small(*i), spec, "int"),
        Value::BigInt(b) => spec::format_int(spec::IntArg::Big(b), spec, "int"),
        // bool inherits int.__format__: a non-empty spec formats the number.
        Value::Bool(b) => spec::format_int(spec::IntArg::Small(*b as i64), spec, "bool"),
        Value::Float(x) => spec::format_float(*x, spec),
        Value::Str(s) => spec::format_str(s.as_str(), spec),
        // object.__format__
        other => Err(type_error(format!(
            "unsupported format string passed to {}.__format__",
            type_name(other)
        ))),
    }
}
