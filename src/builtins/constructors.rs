//! Calling built-in types: `int(x)`, `str(x)`, `list(it)`…

use std::sync::Arc;

use crate::vm::errors::type_error;
use crate::vm::objects::{Args, BuiltinType, Class};
use crate::vm::value::Value;
use crate::vm::vm::Vm;
use crate::vm::PyResult;

pub fn construct(
    vm: &mut Vm,
    class: &Arc<Class>,
    kind: BuiltinType,
    args: Args<'_>,
) -> PyResult<Value> {
    match kind {
        BuiltinType::Str => match args.pos {
            [] => Ok(Value::str("")),
            [v] => vm.str(v).map(Value::string),
            _ => Err(type_error("str() takes at most 1 argument")),
        },
        BuiltinType::List => match args.pos {
            [] => Ok(Value::list(Vec::new())),
            [v] => vm.collect(v).map(Value::list),
            _ => Err(type_error("list expected at most 1 argument")),
        },
        BuiltinType::Super => vm.explicit_super(args),
        _ => Err(type_error(format!(
            "cannot create '{}' instances",
            class.name
        ))),
    }
}
