//! The format-spec mini-language (`format(x, ".2f")`, f-string specs) and `%` formatting.

use crate::vm::errors::value_error;
use crate::vm::value::Value;
use crate::vm::vm::Vm;
use crate::vm::PyResult;

/// `format(v, spec)` for built-in values.
pub fn format_with_spec(vm: &mut Vm, v: &Value, spec: &str) -> PyResult<String> {
    if spec.is_empty() {
        return vm.str(v);
    }
    Err(value_error(format!("Invalid format specifier '{}'", spec)))
}

/// `fmt % args`
pub fn percent_format(_vm: &mut Vm, fmt: &str, _args: &Value) -> PyResult<String> {
    Ok(fmt.to_string())
}
