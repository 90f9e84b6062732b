//! Methods of the built-in types, installed in their class dicts. Each takes `self` as
//! `args.pos[0]`.

use crate::vm::objects::{Args, BuiltinFunction, BuiltinType};
use crate::vm::value::Value;
use crate::vm::vm::Vm;
use crate::vm::PyResult;

/// The methods installed on the class of built-in type `kind`.
pub fn type_methods(kind: BuiltinType) -> Vec<(&'static str, Value)> {
    let table: &[&'static BuiltinFunction] = match kind {
        BuiltinType::Object => &[&OBJECT_INIT],
        BuiltinType::Exception => &[&OBJECT_INIT],
        _ => &[],
    };
    table.iter().map(|f| (f.name, Value::Builtin(f))).collect()
}

/// `object.__init__`: accepts and ignores its arguments (the instance already exists).
pub static OBJECT_INIT: BuiltinFunction = BuiltinFunction {
    name: "__init__",
    func: object_init,
};
fn object_init(_vm: &mut Vm, _args: Args<'_>) -> PyResult<Value> {
    Ok(Value::None)
}
