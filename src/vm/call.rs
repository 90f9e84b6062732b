//! Calling: binding arguments to parameters (CPython's initialize_locals in
//! Python/ceval.c, with its error messages), bound methods, classes and callable objects.

use std::sync::Arc;

use parking_lot::Mutex;

use super::dict::{new_dict_storage, Key};
use super::errors::{type_error, PyErr};
use super::frame::Frame;
use super::objects::{Args, Cell, Class, DictObj, ExcState, Function, GenState, Generator, Instance};
use super::types::{exc, type_name};
use super::value::Value;
use super::vm::{CallTarget, Vm};
use super::PyResult;

impl Vm {
    /// Binds `pos` and `kw` to `f`'s parameters on top of the value stack and builds its
    /// frame — or, for a generator function, the generator (holding those values).
    pub fn frame_for_call(
        &mut self,
        f: &Arc<Function>,
        pos: &[Value],
        kw: &[(Arc<str>, Value)],
    ) -> PyResult<CallTarget> {
        let code = &f.code;
        let nvars = code.varnames.len();
        let base = self.stack.len();
        let simple = kw.is_empty()
            && pos.len() == code.arg_count as usize
            && code.kwonly_count == 0
            && !code.flags.has_varargs
            && !code.flags.has_varkw;
        if simple {
            self.stack.extend_from_slice(pos);
            self.stack.resize(base + nvars, Value::Null);
        } else {
            self.stack.resize(base + nvars, Value::Null);
            if let Err(e) = bind_arguments(f, pos, kw, &mut self.stack[base..]) {
                self.stack.truncate(base);
                return Err(e);
            }
        }
        let mut frame = Frame::new(f.clone(), base);
        if !code.cellvars.is_empty() || !f.closure.is_empty() {
            self.attach_cells(&mut frame);
        }
        if code.flags.is_generator {
            // A generator owns its value stack from the start (see take_generator_frame).
            let values = self.stack.split_off(base);
            frame.base = 0;
            frame.ret_to = 0;
            return Ok(CallTarget::Value(new_generator(frame, values)));
        }
        Ok(CallTarget::Frame(frame))
    }

    /// Creates the frame's cells, moves captured parameters into them, and appends the
    /// closure's cells.
    pub(super) fn attach_cells(&mut self, frame: &mut Frame) {
        let code = frame.code().clone();
        let mut cells = Vec::with_capacity(code.cellvars.len() + frame.func.closure.len());
        for _ in 0..code.cellvars.len() {
            cells.push(Cell::new(None));
        }
        for &(ci, li) in &code.cell_params {
            let v = std::mem::replace(&mut self.stack[frame.base + li as usize], Value::Null);
            *cells[ci as usize].value.lock() = Some(v);
        }
        cells.extend(frame.func.closure.iter().cloned());
        frame.cells = cells;
    }

    /// Calls everything that is not a plain function or built-in.
    pub(super) fn call_other(&mut self, callee: &Value, args: Args<'_>) -> PyResult<Value> {
        match callee {
            Value::BoundMethod(m) => {
                let mut all = Vec::with_capacity(args.pos.len() + 1);
                all.push(m.receiver.clone());
                all.extend_from_slice(args.pos);
                let func = m.func.clone();
                self.call_with(&func, Args::new(&all, args.kw))
            }
            Value::Class(c) => self.instantiate(c, args),
            Value::StaticMethod(f) => {
                let f = (**f).clone();
                self.call_with(&f, args)
            }
            Value::Instance(_) | Value::Native(_) => {
                let class = super::types::type_of(callee).clone();
                match class.lookup("__call__") {
                    Some(call) => {
                        let mut all = Vec::with_capacity(args.pos.len() + 1);
                        all.push(callee.clone());
                        all.extend_from_slice(args.pos);
                        self.call_with(&call, Args::new(&all, args.kw))
                    }
                    None => Err(not_callable(callee)),
                }
            }
            Value::Function(_) | Value::Builtin(_) => self.call_with(callee, args),
            _ => Err(not_callable(callee)),
        }
    }

    /// `Class(*args, **kw)`: built-in constructors, exceptions, and instances of Python
    /// classes with their `__init__`.
    pub fn instantiate(&mut self, class: &Arc<Class>, args: Args<'_>) -> PyResult<Value> {
        if let Some(kind) = class.builtin {
            if kind != super::objects::BuiltinType::Exception {
                return crate::builtins::construct(self, class, kind, args);
            }
        }
        // Python classes whose nearest built-in ancestor is not object or an exception
        // are rejected when the class is created, so this is a plain instance.
        let inst = new_instance(class, args.pos);
        match class.lookup("__init__") {
            Some(init) if !is_builtin_noop_init(&init) => {
                let mut all = Vec::with_capacity(args.pos.len() + 1);
                all.push(inst.clone());
                all.extend_from_slice(args.pos);
                let r = self.call_with(&init, Args::new(&all, args.kw))?;
                if !r.is_none() {
                    return Err(type_error(format!(
                        "__init__() should return None, not '{}'",
                        type_name(&r)
                    )));
                }
            }
            _ => {
                if !class.is_exception && (!args.pos.is_empty() || !args.kw.is_empty()) {
                    return Err(type_error(format!("{}() takes no arguments", class.name)));
                }
                if class.is_exception && !args.kw.is_empty() {
                    return Err(type_error(format!("{}() takes no keyword arguments", class.name)));
                }
            }
        }
        Ok(inst)
    }
}

/// A new, uninitialised instance of a Python class; exceptions keep their arguments.
pub fn new_instance(class: &Arc<Class>, args: &[Value]) -> Value {
    let exc = class.is_exception.then(|| {
        Mutex::new(ExcState {
            args: args.to_vec(),
            ..Default::default()
        })
    });
    Value::Instance(Arc::new(Instance {
        class: class.clone(),
        dict: Mutex::new(Default::default()),
        exc,
    }))
}

/// `object.__init__` and `BaseException.__init__` do nothing we need to call.
fn is_builtin_noop_init(init: &Value) -> bool {
    matches!(init, Value::Builtin(b) if b.name == "__init__" && std::ptr::eq(b.func as *const (), crate::builtins::methods::OBJECT_INIT.func as *const ()))
}

#[cold]
pub fn not_callable(v: &Value) -> PyErr {
    type_error(format!("'{}' object is not callable", type_name(v)))
}

/// A generator object around a frame that has not started, with its bound locals.
pub fn new_generator(frame: Frame, values: Vec<Value>) -> Value {
    let name = frame.code().name.clone();
    Value::Generator(Arc::new(Generator {
        state: Mutex::new(GenState {
            frame: Some(frame),
            values,
            running: false,
            finished: false,
        }),
        name,
    }))
}

/// The general case of argument binding. Parameter layout in `locals`: positional
/// (`arg_count`), then `*args`, then keyword-only, then `**kwargs`.
fn bind_arguments(f: &Function, pos: &[Value], kw: &[(Arc<str>, Value)], locals: &mut [Value]) -> PyResult<()> {
    let code = &f.code;
    let argcount = code.arg_count as usize;
    let kwonly = code.kwonly_count as usize;
    let has_varargs = code.flags.has_varargs;
    let varargs_slot = argcount;
    let kwonly_start = argcount + has_varargs as usize;
    let varkw_slot = kwonly_start + kwonly;
    let name = &code.qualname;

    let npos = pos.len().min(argcount);
    for (i, v) in pos[..npos].iter().enumerate() {
        locals[i] = v.clone();
    }
    if pos.len() > argcount {
        if has_varargs {
            locals[varargs_slot] = Value::tuple(pos[argcount..].to_vec());
        } else {
            return Err(too_many_positional(f, pos.len(), kw));
        }
    } else if has_varargs {
        locals[varargs_slot] = Value::tuple(Vec::new());
    }
    let mut extra_kw = if code.flags.has_varkw {
        Some(new_dict_storage())
    } else {
        None
    };
    let mut posonly_as_kw = Vec::new();
    for (k, v) in kw {
        let slot = code.varnames[code.posonly_count as usize..argcount]
            .iter()
            .position(|n| n == k)
            .map(|i| i + code.posonly_count as usize)
            .or_else(|| {
                code.varnames[kwonly_start..kwonly_start + kwonly]
                    .iter()
                    .position(|n| n == k)
                    .map(|i| i + kwonly_start)
            });
        match slot {
            Some(s) => {
                if !matches!(locals[s], Value::Null) {
                    return Err(type_error(format!("{name}() got multiple values for argument '{k}'")));
                }
                locals[s] = v.clone();
            }
            None => match &mut extra_kw {
                Some(d) => {
                    d.insert(Key::new(Value::str(k))?, v.clone());
                }
                None => {
                    if code.varnames[..code.posonly_count as usize].iter().any(|n| n == k) {
                        posonly_as_kw.push(k.to_string());
                    } else {
                        return Err(type_error(format!("{name}() got an unexpected keyword argument '{k}'")));
                    }
                }
            },
        }
    }
    if !posonly_as_kw.is_empty() {
        return Err(type_error(format!(
            "{name}() got some positional-only arguments passed as keyword arguments: '{}'",
            posonly_as_kw.join(", ")
        )));
    }
    if let Some(d) = extra_kw {
        locals[varkw_slot] = Value::Dict(Arc::new(DictObj::new(d)));
    }
    // Defaults fill the last positional parameters.
    let first_default = argcount - f.defaults.len();
    let mut missing = Vec::new();
    for i in npos..argcount {
        if matches!(locals[i], Value::Null) {
            if i >= first_default {
                locals[i] = f.defaults[i - first_default].clone();
            } else {
                missing.push(code.varnames[i].to_string());
            }
        }
    }
    if !missing.is_empty() {
        return Err(missing_arguments(name, "positional", &missing));
    }
    let mut missing = Vec::new();
    for i in kwonly_start..kwonly_start + kwonly {
        if matches!(locals[i], Value::Null) {
            let pname = &code.varnames[i];
            match f.kwdefaults.iter().find(|(k, _)| k == pname) {
                Some((_, v)) => locals[i] = v.clone(),
                None => missing.push(pname.to_string()),
            }
        }
    }
    if !missing.is_empty() {
        return Err(missing_arguments(name, "keyword-only", &missing));
    }
    Ok(())
}

#[cold]
fn too_many_positional(f: &Function, given: usize, kw: &[(Arc<str>, Value)]) -> PyErr {
    let code = &f.code;
    let argcount = code.arg_count as usize;
    let required = argcount - f.defaults.len();
    let takes = if f.defaults.is_empty() {
        format!("{} positional argument{}", argcount, plural(argcount))
    } else {
        format!("from {} to {} positional arguments", required, argcount)
    };
    let kwonly_given = kw
        .iter()
        .filter(|(k, _)| {
            let start = argcount + code.flags.has_varargs as usize;
            code.varnames[start..start + code.kwonly_count as usize]
                .iter()
                .any(|n| n == k)
        })
        .count();
    let extra = if kwonly_given > 0 {
        format!(
            " positional argument{} (and {} keyword-only argument{})",
            plural(given),
            kwonly_given,
            plural(kwonly_given)
        )
    } else {
        String::new()
    };
    let verb = if given == 1 && kwonly_given == 0 { "was" } else { "were" };
    type_error(format!(
        "{}() takes {} but {}{} {} given",
        code.qualname, takes, given, extra, verb
    ))
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[cold]
fn missing_arguments(name: &str, kind: &str, missing: &[String]) -> PyErr {
    let quoted: Vec<String> = missing.iter().map(|m| format!("'{m}'")).collect();
    let list = match quoted.len() {
        1 => quoted[0].clone(),
        2 => format!("{} and {}", quoted[0], quoted[1]),
        n => format!("{}, and {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    };
    type_error(format!(
        "{name}() missing {} required {kind} argument{}: {list}",
        missing.len(),
        plural(missing.len())
    ))
}

/// The exception class for `StopIteration` checks in callers.
pub fn is_stop_iteration(e: &PyErr) -> bool {
    e.is_instance_of(&exc().stop_iteration)
}
