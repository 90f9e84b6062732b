//! The dispatch loop, and exception unwinding through block stacks and frames.
//!
//! Python-to-Python calls push a frame and continue in the same loop; only calls made from
//! Rust (`Vm::run_frame`) enter a nested loop. The eval breaker is polled at backward jumps
//! and function entry, as CPython 3.10+ does (Python/ceval.c `CHECK_EVAL_BREAKER`).

use std::sync::Arc;

use super::dict::{new_dict_storage, new_set_storage, Key};
use super::errors::{name_error, type_error, value_error, PyErr};
use super::frame::{Block, BlockKind, FrameKind};
use super::objects::{new_attr_map, DictObj, Function, IterState, SetObj, SliceObj};
use super::ops;
use super::types::{exc, type_name};
use super::value::Value;
use super::vm::{RunExit, Vm};
use super::PyResult;
use crate::compile::bytecode::Op;

use super::unwind::{exception_matches, star_error, unbound_deref, unbound_local, unpack_error};

impl Vm {
    /// Runs until the innermost boundary frame returns (or a generator it drives yields).
    pub(super) fn run(&mut self) -> PyResult<RunExit> {
        loop {
            let r = if self.tick_period.is_some() {
                self.dispatch::<true>()
            } else {
                self.dispatch::<false>()
            };
            match r {
                Ok(exit) => return Ok(exit),
                Err(err) => self.unwind(err)?,
            }
        }
    }

    /// The loop itself. With `COUNTING`, every instruction is a tick and a tick hook runs
    /// every `tick_period` instructions (the old GIL's check interval); without it the
    /// loop pays nothing for that.
    fn dispatch<const COUNTING: bool>(&mut self) -> PyResult<RunExit> {
        loop {
            if COUNTING {
                self.ticks -= 1;
                if self.ticks <= 0 {
                    self.on_tick()?;
                }
            }
            let f = frame!(self);
            // Counted loops run the original instructions, so every one is a tick.
            let op = if COUNTING {
                f.code().ops[f.ip]
            } else {
                f.code().quick[f.ip]
            };
            f.ip += 1;
            match op {
                Op::Nop => {}
                // Superinstructions (src/compile/quicken.rs): the second half runs with `ip`
                // on the second instruction, so its errors point at the right place.
                Op::LoadFastLoadFast(a, b) => {
                    push_local!(self, f, a);
                    f.ip += 1;
                    push_local!(self, f, b);
                }
                Op::LoadFastLoadConst(a, k) => {
                    push_local!(self, f, a);
                    f.ip += 1;
                    let v = f.code().consts[k as usize].clone();
                    self.stack.push(v);
                }
                Op::StoreFastLoadFast(a, b) => {
                    let v = pop!(self);
                    std::mem::replace(&mut self.stack[f.base + a as usize], v).discard();
                    f.ip += 1;
                    push_local!(self, f, b);
                }
                Op::BinaryStoreFast(bop, inplace, a) => {
                    if let Some(r) = self.peek_arith(bop) {
                        self.pop_two_immediates();
                        let f = frame!(self);
                        f.ip += 1;
                        let slot = f.base + a as usize;
                        std::mem::replace(&mut self.stack[slot], r).discard();
                        continue;
                    }
                    let y = pop!(self);
                    let x = pop!(self);
                    let r = self.binary_values(bop, inplace, x, y)?;
                    let f = frame!(self);
                    f.ip += 1;
                    let slot = f.base + a as usize;
                    std::mem::replace(&mut self.stack[slot], r).discard();
                }
                Op::CompareJumpIfFalse(cmp, t) | Op::CompareJumpIfTrue(cmp, t) => {
                    if let Some(r) = self.peek_compare(cmp) {
                        self.pop_two_immediates();
                        let f = frame!(self);
                        f.ip += 1;
                        if r == matches!(op, Op::CompareJumpIfTrue(..)) {
                            f.ip = t as usize;
                        }
                        continue;
                    }
                    let b = pop!(self);
                    let a = pop!(self);
                    let r = self.compare_values(cmp, a, b)?;
                    frame!(self).ip += 1;
                    let truth = match r {
                        Value::Bool(b) => b,
                        v => self.truthy(&v)?,
                    };
                    if truth == matches!(op, Op::CompareJumpIfTrue(..)) {
                        frame!(self).ip = t as usize;
                    }
                }
                Op::LoadConst(k) => {
                    let v = f.code().consts[k as usize].clone();
                    self.stack.push(v);
                }
                Op::LoadFast(i) => {
                    push_local!(self, f, i);
                }
                Op::StoreFast(i) => {
                    let v = pop!(self);
                    std::mem::replace(&mut self.stack[f.base + i as usize], v).discard();
                }
                Op::DeleteFast(i) => {
                    let slot = f.base + i as usize;
                    if let Value::Null = std::mem::replace(&mut self.stack[slot], Value::Null) {
                        return Err(unbound_local(&f.code().varnames[i as usize]));
                    }
                }
                Op::LoadDeref(i) => {
                    let v = f.cells[i as usize].value.lock().clone();
                    match v {
                        Some(v) => self.stack.push(v),
                        None => return Err(unbound_deref(f, i)),
                    }
                }
                Op::StoreDeref(i) => {
                    let v = pop!(self);
                    *f.cells[i as usize].value.lock() = Some(v);
                }
                Op::DeleteDeref(i) => {
                    if f.cells[i as usize].value.lock().take().is_none() {
                        return Err(unbound_deref(f, i));
                    }
                }
                Op::LoadGlobal(g) => {
                    // Pushed from inside the lookup: an `Option<Value>` carried out of it
                    // would be moved again on the way to the stack.
                    {
                        let globals = f.func.globals.globals.read();
                        if let Some(v) = &globals.values[g as usize] {
                            self.stack.push(v.clone());
                            continue;
                        }
                        if let Some(v) = &globals.builtins[g as usize] {
                            self.stack.push(v.clone());
                            continue;
                        }
                    }
                    let name = f.func.globals.slot_name(g as usize);
                    return Err(self.undefined_name(&name));
                }
                Op::StoreGlobal(g) => {
                    let v = pop!(self);
                    let old = f.func.globals.globals.write().values[g as usize].replace(v);
                    if let Some(old) = old {
                        old.discard();
                        // Rebinding may have dropped a suspended generator: run its cleanup
                        // now, as CPython does at refcount zero (only that, never a switch).
                        self.run_pending_finalizers();
                    }
                }
                Op::DeleteGlobal(g) => {
                    let old = f.func.globals.globals.write().values[g as usize].take();
                    if old.is_none() {
                        let name = f.func.globals.slot_name(g as usize);
                        return Err(name_error(format!("name '{}' is not defined", name)));
                    }
                    drop(old);
                    self.run_pending_finalizers();
                }
                Op::LoadName(n) => {
                    let name = f.code().names[n as usize].clone();
                    let local = f.namespace.as_ref().and_then(|ns| ns.get(&name).cloned());
                    let v = match local {
                        Some(v) => v,
                        None => match f
                            .func
                            .globals
                            .get(&name)
                            .or_else(|| crate::builtins::lookup_builtin(&name))
                        {
                            Some(v) => v,
                            None => return Err(self.undefined_name(&name)),
                        },
                    };
                    self.stack.push(v);
                }
                Op::StoreName(n) => {
                    let v = pop!(self);
                    let name = f.code().names[n as usize].clone();
                    match &mut f.namespace {
                        Some(ns) => {
                            ns.insert(name, v);
                        }
                        None => f.func.globals.set(&name, v),
                    }
                }
                Op::DeleteName(n) => {
                    let name = f.code().names[n as usize].clone();
                    let removed = match &mut f.namespace {
                        Some(ns) => ns.shift_remove(&name).is_some(),
                        None => f.func.globals.delete(&name),
                    };
                    if !removed {
                        return Err(name_error(format!("name '{}' is not defined", name)));
                    }
                }
                Op::LoadAttr(n) => {
                    let obj = pop!(self);
                    // Fast path: a plain instance attribute, found without cloning the name.
                    if let Some(v) = super::attr::instance_attr_fast(&obj, &f.code().names[n as usize]) {
                        self.stack.push(v);
                        continue;
                    }
                    let name = f.code().names[n as usize].clone();
                    let v = self.getattr(&obj, &name)?;
                    self.stack.push(v);
                }
                Op::StoreAttr(n) => {
                    let obj = pop!(self);
                    let v = pop!(self);
                    let v = match super::attr::store_instance_attr_fast(&obj, &f.code().names[n as usize], v) {
                        None => continue,
                        Some(v) => v,
                    };
                    let name = f.code().names[n as usize].clone();
                    self.setattr(&obj, &name, v)?;
                }
                Op::LoadFastAttr(l, n) => {
                    let slot = f.base + l as usize;
                    let name = &f.code().names[n as usize];
                    let fast = match &self.stack[slot] {
                        Value::Null => return Err(unbound_local(&f.code().varnames[l as usize])),
                        obj => super::attr::instance_attr_fast(obj, name),
                    };
                    if let Some(v) = fast {
                        self.stack.push(v);
                        continue;
                    }
                    let obj = self.stack[slot].clone();
                    let name = name.clone();
                    let v = self.getattr(&obj, &name)?;
                    self.stack.push(v);
                }
                Op::StoreFastAttr(l, n) => {
                    let slot = f.base + l as usize;
                    let v = pop!(self);
                    let name = &f.code().names[n as usize];
                    let v = match &self.stack[slot] {
                        Value::Null => return Err(unbound_local(&f.code().varnames[l as usize])),
                        obj => match super::attr::store_instance_attr_fast(obj, name, v) {
                            None => continue,
                            Some(v) => v,
                        },
                    };
                    let obj = self.stack[slot].clone();
                    let name = name.clone();
                    self.setattr(&obj, &name, v)?;
                }
                Op::DeleteAttr(n) => {
                    let name = f.code().names[n as usize].clone();
                    let obj = pop!(self);
                    self.delattr(&obj, &name)?;
                }
                Op::LoadMethod(n) => {
                    let obj = pop!(self);
                    let name = &f.code().names[n as usize];
                    if let Some(func) = super::attr::method_fast(&mut self.method_cache, &obj, name) {
                        self.stack.push(func);
                        self.stack.push(obj);
                        continue;
                    }
                    if let Value::Module(m) = &obj {
                        // `math.sqrt(x)`: a module attribute, called without self.
                        if let Some(v) = m.get(&f.code().names[n as usize]) {
                            obj.discard();
                            self.stack.push(v);
                            self.stack.push(Value::Null);
                            continue;
                        }
                    }
                    let name = f.code().names[n as usize].clone();
                    match self.lookup_method(&obj, &name)? {
                        Some(func) => {
                            self.stack.push(func);
                            self.stack.push(obj);
                        }
                        None => {
                            let v = self.getattr(&obj, &name)?;
                            self.stack.push(v);
                            self.stack.push(Value::Null);
                        }
                    }
                }
                Op::Call(n) => {
                    if self.breaker_set() {
                        self.handle_breaker()?;
                    }
                    let callee_at = self.stack.len() - n as usize - 1;
                    self.call_at(callee_at, &[])?;
                }
                Op::CallMethod(n) => {
                    if self.breaker_set() {
                        self.handle_breaker()?;
                    }
                    let self_at = self.stack.len() - n as usize - 1;
                    if matches!(self.stack[self_at], Value::Null) {
                        // [attr, NULL, args] -> [NULL, attr, args]: call `attr`, and let the
                        // call's cleanup take the NULL too (no shifting of the arguments).
                        self.stack.swap(self_at - 1, self_at);
                        self.call_at_with(self_at, &[], 1)?;
                    } else {
                        self.call_at(self_at - 1, &[])?;
                    }
                }
                Op::CallKw(n) => {
                    let names = pop!(self);
                    let Value::Tuple(names) = names else {
                        return Err(type_error("keyword names must be a tuple"));
                    };
                    let nkw = names.len();
                    let kwvals: Vec<Value> = self.stack.drain(self.stack.len() - nkw..).collect();
                    let kw: Vec<(Arc<str>, Value)> = names
                        .iter()
                        .zip(kwvals)
                        .map(|(k, v)| match k {
                            Value::Str(s) => (Arc::from(s.as_str()), v),
                            _ => (Arc::from("?"), v),
                        })
                        .collect();
                    let callee_at = self.stack.len() - (n as usize - nkw) - 1;
                    self.call_at(callee_at, &kw)?;
                }
                Op::CallEx(has_kw) => {
                    let kwargs = if has_kw != 0 { Some(pop!(self)) } else { None };
                    let args = pop!(self);
                    let callee = pop!(self);
                    let Value::Tuple(args) = args else {
                        return Err(type_error("argument list must be a tuple"));
                    };
                    let kw = match kwargs {
                        Some(Value::Dict(d)) => {
                            let mut kw = Vec::new();
                            for (k, v) in d.map.lock().iter() {
                                match &k.value {
                                    Value::Str(s) => kw.push((Arc::from(s.as_str()), v.clone())),
                                    _ => return Err(type_error("keywords must be strings")),
                                }
                            }
                            kw
                        }
                        _ => Vec::new(),
                    };
                    self.stack.push(callee);
                    self.stack.extend(args.iter().cloned());
                    let callee_at = self.stack.len() - args.len() - 1;
                    self.call_at(callee_at, &kw)?;
                }
                Op::Return => {
                    let v = pop!(self);
                    if let Some(exit) = self.return_from_frame(v)? {
                        return Ok(exit);
                    }
                }
                Op::PopTop => {
                    pop!(self).discard();
                }
                Op::DupTop => {
                    let v = top!(self).clone();
                    self.stack.push(v);
                }
                Op::DupTop2 => {
                    let n = self.stack.len();
                    let a = self.stack[n - 2].clone();
                    let b = self.stack[n - 1].clone();
                    self.stack.push(a);
                    self.stack.push(b);
                }
                Op::RotTwo => {
                    let n = self.stack.len();
                    self.stack.swap(n - 1, n - 2);
                }
                Op::RotThree => {
                    let v = pop!(self);
                    let n = self.stack.len();
                    self.stack.insert(n - 2, v);
                }
                Op::RotFour => {
                    let v = pop!(self);
                    let n = self.stack.len();
                    self.stack.insert(n - 3, v);
                }
                Op::UnaryNeg => {
                    let v = pop!(self);
                    let r = match v {
                        Value::Int(i) if i != i64::MIN => Value::Int(-i),
                        Value::Float(x) => Value::Float(-x),
                        v => self.unary_op(ops::Unary::Neg, v)?,
                    };
                    self.stack.push(r);
                }
                Op::UnaryPos => {
                    let v = pop!(self);
                    let r = self.unary_op(ops::Unary::Pos, v)?;
                    self.stack.push(r);
                }
                Op::UnaryInvert => {
                    let v = pop!(self);
                    let r = self.unary_op(ops::Unary::Invert, v)?;
                    self.stack.push(r);
                }
                Op::UnaryNot => {
                    let v = pop!(self);
                    let b = match v {
                        Value::Bool(b) => b,
                        v => self.truthy(&v)?,
                    };
                    self.stack.push(Value::Bool(!b));
                }
                Op::Binary(bop) | Op::Inplace(bop) => {
                    if let Some(r) = self.peek_arith(bop) {
                        self.pop_two_immediates();
                        self.stack.push(r);
                        continue;
                    }
                    let b = pop!(self);
                    let a = pop!(self);
                    let r = self.binary_values(bop, matches!(op, Op::Inplace(_)), a, b)?;
                    self.stack.push(r);
                }
                Op::Compare(op) => {
                    if let Some(r) = self.peek_compare(op) {
                        self.pop_two_immediates();
                        self.stack.push(Value::Bool(r));
                        continue;
                    }
                    let b = pop!(self);
                    let a = pop!(self);
                    let r = self.compare_values(op, a, b)?;
                    self.stack.push(r);
                }
                Op::BinarySubscr => {
                    let i = pop!(self);
                    let c = pop!(self);
                    let r = match (&c, &i) {
                        (Value::List(l), Value::Int(idx)) => {
                            let items = l.items.lock();
                            let n = items.len() as i64;
                            let j = if *idx < 0 { idx + n } else { *idx };
                            if j < 0 || j >= n {
                                return Err(super::errors::index_error("list index out of range"));
                            }
                            items[j as usize].clone()
                        }
                        _ => self.getitem(&c, &i)?,
                    };
                    self.stack.push(r);
                }
                Op::StoreSubscr => {
                    let i = pop!(self);
                    let c = pop!(self);
                    let v = pop!(self);
                    self.setitem(&c, &i, v)?;
                }
                Op::DeleteSubscr => {
                    let i = pop!(self);
                    let c = pop!(self);
                    self.delitem(&c, &i)?;
                }
                Op::BuildSlice(n) => {
                    let step = if n == 3 { pop!(self) } else { Value::None };
                    let stop = pop!(self);
                    let start = pop!(self);
                    self.stack.push(Value::Slice(Arc::new(SliceObj { start, stop, step })));
                }
                Op::BuildTuple(n) => {
                    let items: Vec<Value> = self.stack.drain(self.stack.len() - n as usize..).collect();
                    self.stack.push(Value::tuple(items));
                }
                Op::BuildList(n) => {
                    let items: Vec<Value> = self.stack.drain(self.stack.len() - n as usize..).collect();
                    self.stack.push(Value::list(items));
                }
                Op::BuildSet(n) => {
                    let items: Vec<Value> = self.stack.drain(self.stack.len() - n as usize..).collect();
                    let mut set = new_set_storage();
                    for v in items {
                        set.insert(Key::new(v)?);
                    }
                    self.stack.push(Value::Set(Arc::new(SetObj::new(set, false))));
                }
                Op::BuildMap(n) => {
                    let items: Vec<Value> = self.stack.drain(self.stack.len() - 2 * n as usize..).collect();
                    let mut map = new_dict_storage();
                    let mut it = items.into_iter();
                    while let (Some(k), Some(v)) = (it.next(), it.next()) {
                        map.insert(Key::new(k)?, v);
                    }
                    self.stack.push(Value::Dict(Arc::new(DictObj::new(map))));
                }
                Op::BuildString(n) => {
                    let parts: Vec<Value> = self.stack.drain(self.stack.len() - n as usize..).collect();
                    let mut s = String::new();
                    for p in &parts {
                        if let Value::Str(p) = p {
                            s.push_str(p.as_str());
                        }
                    }
                    self.stack.push(Value::string(s));
                }
                Op::ListAppend(d) => {
                    let v = pop!(self);
                    let at = self.stack.len() - d as usize;
                    match &self.stack[at] {
                        Value::List(l) => l.items.lock().push(v),
                        _ => return Err(type_error("internal: ListAppend target is not a list")),
                    }
                }
                Op::SetAdd(d) => {
                    let v = pop!(self);
                    let at = self.stack.len() - d as usize;
                    let key = Key::new(v)?;
                    match &self.stack[at] {
                        Value::Set(s) => {
                            s.set.lock().insert(key);
                        }
                        _ => return Err(type_error("internal: SetAdd target is not a set")),
                    }
                }
                Op::MapAdd(d) => {
                    let v = pop!(self);
                    let k = pop!(self);
                    let at = self.stack.len() - d as usize;
                    let key = Key::new(k)?;
                    match &self.stack[at] {
                        Value::Dict(m) => {
                            m.map.lock().insert(key, v);
                        }
                        _ => return Err(type_error("internal: MapAdd target is not a dict")),
                    }
                }
                Op::ListExtend(d) => {
                    let it = pop!(self);
                    let at = self.stack.len() - d as usize;
                    let target = self.stack[at].clone();
                    let items = self.collect(&it).map_err(|e| star_error(e, &it))?;
                    if let Value::List(l) = target {
                        l.items.lock().extend(items);
                    }
                }
                Op::SetUpdate(d) => {
                    let it = pop!(self);
                    let at = self.stack.len() - d as usize;
                    let target = self.stack[at].clone();
                    let items = self.collect(&it)?;
                    if let Value::Set(s) = target {
                        let mut keys = Vec::with_capacity(items.len());
                        for v in items {
                            keys.push(Key::new(v)?);
                        }
                        s.set.lock().extend(keys);
                    }
                }
                Op::DictUpdate(d) | Op::DictMerge(d) => {
                    let m = pop!(self);
                    let at = self.stack.len() - d as usize;
                    let target = self.stack[at].clone();
                    let merge = matches!(op, Op::DictMerge(_));
                    let Value::Dict(src) = &m else {
                        return Err(type_error(format!("'{}' object is not a mapping", type_name(&m))));
                    };
                    if let Value::Dict(t) = target {
                        let entries: Vec<(Key, Value)> =
                            src.map.lock().iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                        let mut tm = t.map.lock();
                        for (k, v) in entries {
                            if merge && tm.contains_key(&k) {
                                let key = super::format::repr_const(&k.value);
                                return Err(type_error(format!("got multiple values for keyword argument {}", key)));
                            }
                            tm.insert(k, v);
                        }
                    }
                }
                Op::ListToTuple => {
                    let v = pop!(self);
                    let items = match v {
                        Value::List(l) => std::mem::take(&mut *l.items.lock()),
                        _ => Vec::new(),
                    };
                    self.stack.push(Value::tuple(items));
                }
                Op::UnpackSequence(n) => {
                    let seq = pop!(self);
                    let items: Vec<Value> = match &seq {
                        Value::Tuple(t) => (**t).clone(),
                        Value::List(l) => l.items.lock().clone(),
                        _ => self.collect(&seq).map_err(|e| unpack_error(e, &seq))?,
                    };
                    if items.len() != n as usize {
                        return Err(if items.len() > n as usize {
                            value_error(format!("too many values to unpack (expected {})", n))
                        } else {
                            value_error(format!(
                                "not enough values to unpack (expected {}, got {})",
                                n,
                                items.len()
                            ))
                        });
                    }
                    self.stack.extend(items.into_iter().rev());
                }
                Op::UnpackEx(arg) => {
                    let before = (arg & 0xffff) as usize;
                    let after = (arg >> 16) as usize;
                    let seq = pop!(self);
                    let mut items = self.collect(&seq).map_err(|e| unpack_error(e, &seq))?;
                    if items.len() < before + after {
                        return Err(value_error(format!(
                            "not enough values to unpack (expected at least {}, got {})",
                            before + after,
                            items.len()
                        )));
                    }
                    let tail = items.split_off(items.len() - after);
                    let middle = items.split_off(before);
                    self.stack.extend(tail.into_iter().rev());
                    self.stack.push(Value::list(middle));
                    self.stack.extend(items.into_iter().rev());
                }
                Op::GetIter => {
                    let v = pop!(self);
                    let it = self.get_iter(&v)?;
                    self.stack.push(it);
                }
                Op::ForIter(target) => {
                    let it = top!(self);
                    match it {
                        Value::Iter(obj) => {
                            if let Some(r) = &obj.range {
                                match r.advance() {
                                    Some(i) => self.stack.push(Value::Int(i)),
                                    None => {
                                        pop!(self).discard();
                                        f.ip = target as usize;
                                    }
                                }
                                continue;
                            }
                            let mut st = obj.state.lock();
                            if let IterState::Seq {
                                seq: Value::List(l),
                                index,
                            } = &mut *st
                            {
                                let item = l.items.lock().get(*index).cloned();
                                match item {
                                    Some(v) => {
                                        *index += 1;
                                        drop(st);
                                        self.stack.push(v);
                                    }
                                    None => {
                                        *st = IterState::Exhausted;
                                        drop(st);
                                        self.stack.pop();
                                        f.ip = target as usize;
                                    }
                                }
                                continue;
                            }
                        }
                        Value::Generator(gen) => {
                            let gen = gen.clone();
                            match self.take_generator_frame(gen, Value::None)? {
                                Some(mut gf) => {
                                    gf.kind = FrameKind::GenForIter { exit: target };
                                    self.frames.push(gf);
                                }
                                None => {
                                    let f = frame!(self);
                                    self.stack.pop();
                                    f.ip = target as usize;
                                }
                            }
                            continue;
                        }
                        _ => {}
                    }
                    let it = it.clone();
                    match self.next(&it)? {
                        Some(v) => self.stack.push(v),
                        None => {
                            let f = frame!(self);
                            self.stack.pop();
                            f.ip = target as usize;
                        }
                    }
                }
                Op::Jump(t) => f.ip = t as usize,
                Op::JumpBack(t) => {
                    // Poll before jumping: an exception raised here (KeyboardInterrupt) is
                    // located at the loop's last line, not at the line before the loop.
                    if self.breaker_set() {
                        self.handle_breaker()?;
                    }
                    frame!(self).ip = t as usize;
                }
                Op::PopJumpIfFalse(t) => {
                    let v = pop!(self);
                    let b = match v {
                        Value::Bool(b) => b,
                        v => self.truthy(&v)?,
                    };
                    if !b {
                        frame!(self).ip = t as usize;
                    }
                }
                Op::PopJumpIfTrue(t) => {
                    let v = pop!(self);
                    let b = match v {
                        Value::Bool(b) => b,
                        v => self.truthy(&v)?,
                    };
                    if b {
                        frame!(self).ip = t as usize;
                    }
                }
                Op::JumpIfFalseOrPop(t) => {
                    let v = top!(self).clone();
                    if !self.truthy(&v)? {
                        frame!(self).ip = t as usize;
                    } else {
                        self.stack.pop();
                    }
                }
                Op::JumpIfTrueOrPop(t) => {
                    let v = top!(self).clone();
                    if self.truthy(&v)? {
                        frame!(self).ip = t as usize;
                    } else {
                        self.stack.pop();
                    }
                }
                Op::SetupFinally(t) => {
                    let level = (self.stack.len() - f.base) as u32;
                    f.blocks.push(Block {
                        kind: BlockKind::Try,
                        level,
                        handler: t,
                    });
                }
                Op::SetupWith(t) => {
                    let level = (self.stack.len() - f.base - 1) as u32;
                    f.blocks.push(Block {
                        kind: BlockKind::Try,
                        level,
                        handler: t,
                    });
                }
                Op::PopBlock => {
                    f.blocks.pop();
                }
                Op::PopExcept => {
                    if let Some(b) = f.blocks.pop() {
                        debug_assert_eq!(b.kind, BlockKind::ExceptHandler);
                    }
                    self.exc_info.pop();
                }
                Op::Reraise => {
                    let v = pop!(self);
                    self.skip_traceback = true;
                    return Err(PyErr::from_value(v)?);
                }
                Op::Raise(kind) => return Err(self.raise(kind)?),
                Op::CheckExcMatch => {
                    let t = pop!(self);
                    let e = top!(self).clone();
                    let r = exception_matches(&e, &t)?;
                    self.stack.push(Value::Bool(r));
                }
                Op::LoadAssertionError => self.stack.push(Value::Class(exc().assertion_error.clone())),
                Op::BeforeWith => {
                    let ctx = pop!(self);
                    let exit = match self.lookup_special(&ctx, "__exit__")? {
                        Some(e) => e,
                        None => {
                            return Err(type_error(format!(
                                "'{}' object does not support the context manager protocol",
                                type_name(&ctx)
                            )))
                        }
                    };
                    let enter = match self.lookup_special(&ctx, "__enter__")? {
                        Some(e) => e,
                        None => {
                            return Err(type_error(format!(
                                "'{}' object does not support the context manager protocol",
                                type_name(&ctx)
                            )))
                        }
                    };
                    let res = self.call(&enter, &[])?;
                    self.stack.push(exit);
                    self.stack.push(res);
                }
                Op::WithExceptStart => {
                    let n = self.stack.len();
                    let exit = self.stack[n - 2].clone();
                    let e = self.stack[n - 1].clone();
                    let typ = Value::Class(super::types::type_of(&e).clone());
                    let r = self.call(&exit, &[typ, e, Value::None])?;
                    self.stack.push(r);
                }
                Op::MakeFunction(k) => {
                    let code = f.code().functions[k as usize].clone();
                    let kwdefaults = if code.flags.has_kwdefaults {
                        match pop!(self) {
                            Value::Dict(d) => d
                                .map
                                .lock()
                                .iter()
                                .filter_map(|(k, v)| match &k.value {
                                    Value::Str(s) => Some((Arc::from(s.as_str()), v.clone())),
                                    _ => None,
                                })
                                .collect(),
                            _ => Vec::new(),
                        }
                    } else {
                        Vec::new()
                    };
                    let defaults = if code.flags.has_defaults {
                        match pop!(self) {
                            Value::Tuple(t) => (*t).clone(),
                            _ => Vec::new(),
                        }
                    } else {
                        Vec::new()
                    };
                    let closure = code
                        .closure_sources
                        .iter()
                        .map(|&i| f.cells[i as usize].clone())
                        .collect();
                    let func = Function {
                        globals: f.func.globals.clone(),
                        code,
                        defaults,
                        kwdefaults,
                        closure,
                        owner: Default::default(),
                        dict: parking_lot::Mutex::new(new_attr_map()),
                    };
                    self.stack.push(Value::Function(Arc::new(func)));
                }
                Op::BuildClass(n) => {
                    let bases: Vec<Value> = self.stack.drain(self.stack.len() - n as usize..).collect();
                    let name = pop!(self);
                    let body = pop!(self);
                    let class = self.build_class(body, name, bases)?;
                    self.stack.push(class);
                }
                Op::ImportName(n) => {
                    let name = f.code().names[n as usize].clone();
                    let m = self.import_module(&name)?;
                    self.stack.push(Value::Module(m));
                }
                Op::ImportFrom(n) => {
                    let name = f.code().names[n as usize].clone();
                    let m = top!(self).clone();
                    let v = self.import_from(&m, &name)?;
                    self.stack.push(v);
                }
                Op::ImportStar => {
                    let m = pop!(self);
                    if let Value::Module(m) = m {
                        let globals = f.func.globals.clone();
                        for (k, v) in m.items() {
                            if !k.starts_with('_') {
                                globals.set(&k, v);
                            }
                        }
                    }
                }
                Op::FormatValue(flags) => {
                    let spec = if flags & 4 != 0 { Some(pop!(self)) } else { None };
                    let v = pop!(self);
                    let s = self.format_value(v, flags & 3, spec)?;
                    self.stack.push(s);
                }
                Op::YieldValue => {
                    let v = pop!(self);
                    if let Some(exit) = self.suspend_generator(v) {
                        return Ok(exit);
                    }
                }
                Op::YieldFrom => {
                    let sent = pop!(self);
                    let sub = top!(self).clone();
                    // Re-executed on every resumption until the sub-iterator is exhausted.
                    f.ip -= 1;
                    match &sub {
                        Value::Generator(g) => {
                            let g = g.clone();
                            match self.take_generator_frame(g, sent)? {
                                Some(mut gf) => {
                                    gf.kind = FrameKind::GenYieldFrom;
                                    self.frames.push(gf);
                                }
                                None => {
                                    let f = frame!(self);
                                    self.stack.pop();
                                    self.stack.push(Value::None);
                                    f.ip += 1;
                                }
                            }
                        }
                        _ => match self.next(&sub)? {
                            Some(v) => {
                                if let Some(exit) = self.suspend_generator(v) {
                                    return Ok(exit);
                                }
                            }
                            None => {
                                let f = frame!(self);
                                self.stack.pop();
                                self.stack.push(Value::None);
                                f.ip += 1;
                            }
                        },
                    }
                }
                Op::LoadLocals => {
                    let ns = f.namespace.take().unwrap_or_default();
                    let mut map = new_dict_storage();
                    for (k, v) in ns.into_iter() {
                        map.insert(Key::new(Value::Str(Arc::new(super::objects::PyStr::new(&k))))?, v);
                    }
                    self.stack.push(Value::Dict(Arc::new(DictObj::new(map))));
                }
            }
        }
    }

    /// Every `tick_period` instructions in counting mode.
    #[cold]
    fn on_tick(&mut self) -> PyResult<()> {
        if let Some(s) = crate::deterministic::active() {
            self.det_tick(s);
        } else {
            let executed = self.tick_budget - self.ticks;
            self.set_tick_budget(self.tick_period.unwrap_or(i64::MAX));
            self.interp.charge_instructions(executed);
            if self.gil.check_interval().is_some() {
                self.gil_tick();
            }
        }
        if self.interp.budget_spent() {
            // From now on every instruction fails, wherever it runs.
            self.set_tick_budget(1);
            let budget = self.interp.settings.instruction_budget.unwrap_or(0);
            return Err(super::errors::runtime_error(format!(
                "instruction budget exhausted ({budget} instructions)"
            )));
        }
        Ok(())
    }

    /// Called when the eval breaker is set, at backward jumps and calls.
    #[cold]
    pub(super) fn handle_breaker(&mut self) -> PyResult<()> {
        crate::vm::vm::breaker_hook(self)
    }
}
