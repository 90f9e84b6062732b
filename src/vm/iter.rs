//! The iteration protocol: `iter()`, `next()`, and collecting an iterable into a `Vec`.

use std::sync::Arc;

use parking_lot::Mutex;

use super::errors::{runtime_error, type_error};
use super::objects::{DictIterKind, IterObj, IterState};
use super::types::{exc, type_name};
use super::value::Value;
use super::vm::{GenStep, Vm};
use super::PyResult;

pub fn new_iter(state: IterState) -> Value {
    let range = match state {
        IterState::Range { next, stop, step } => Some(super::objects::RangeCursor {
            next: std::sync::atomic::AtomicI64::new(next),
            stop,
            step,
        }),
        _ => None,
    };
    Value::Iter(Arc::new(IterObj {
        state: Mutex::new(state),
        range,
    }))
}

impl Vm {
    /// `iter(v)`
    pub fn get_iter(&mut self, v: &Value) -> PyResult<Value> {
        Ok(match v {
            Value::List(_) | Value::Tuple(_) | Value::Bytes(_) => new_iter(IterState::Seq {
                seq: v.clone(),
                index: 0,
            }),
            Value::Str(s) => new_iter(IterState::Str {
                s: s.clone(),
                byte_pos: 0,
            }),
            Value::Range(r) => new_iter(IterState::Range {
                next: r.start,
                stop: r.stop,
                step: r.step,
            }),
            Value::Dict(d) => {
                let len = d.map.lock().len();
                new_iter(IterState::Dict {
                    dict: d.clone(),
                    index: 0,
                    len,
                    kind: DictIterKind::Keys,
                })
            }
            Value::DictView(view) => {
                let len = view.dict.map.lock().len();
                new_iter(IterState::Dict {
                    dict: view.dict.clone(),
                    index: 0,
                    len,
                    kind: view.kind,
                })
            }
            Value::Set(s) => {
                let len = s.set.lock().len();
                new_iter(IterState::Set {
                    set: s.clone(),
                    index: 0,
                    len,
                })
            }
            Value::Iter(_) | Value::Generator(_) => v.clone(),
            Value::Instance(_) | Value::Native(_) => {
                if let Some(f) = self.lookup_special(v, "__iter__")? {
                    let it = self.call(&f, &[])?;
                    if !self.is_iterator(&it)? {
                        return Err(type_error(format!(
                            "iter() returned non-iterator of type '{}'",
                            type_name(&it)
                        )));
                    }
                    return Ok(it);
                }
                if self.lookup_special(v, "__getitem__")?.is_some() {
                    // The old sequence protocol: index from 0 until IndexError.
                    return Ok(new_iter(IterState::Seq {
                        seq: v.clone(),
                        index: 0,
                    }));
                }
                return Err(not_iterable(v));
            }
            _ => return Err(not_iterable(v)),
        })
    }

    fn is_iterator(&mut self, v: &Value) -> PyResult<bool> {
        Ok(match v {
            Value::Iter(_) | Value::Generator(_) => true,
            Value::Instance(_) | Value::Native(_) => self.lookup_special(v, "__next__")?.is_some(),
            _ => false,
        })
    }

    /// `next(it)`: `Ok(None)` when exhausted.
    pub fn next(&mut self, it: &Value) -> PyResult<Option<Value>> {
        match it {
            Value::Iter(obj) => self.next_builtin(obj),
            Value::Generator(g) => match self.resume_generator(g, Value::None)? {
                GenStep::Yield(v) => Ok(Some(v)),
                GenStep::Return(_) => Ok(None),
            },
            Value::Instance(_) | Value::Native(_) => {
                let Some(f) = self.lookup_special(it, "__next__")? else {
                    return Err(type_error(format!("'{}' object is not an iterator", type_name(it))));
                };
                match self.call(&f, &[]) {
                    Ok(v) => Ok(Some(v)),
                    Err(e) if e.is_instance_of(&exc().stop_iteration) => Ok(None),
                    Err(e) => Err(e),
                }
            }
            _ => Err(type_error(format!("'{}' object is not an iterator", type_name(it)))),
        }
    }

    fn next_builtin(&mut self, obj: &Arc<IterObj>) -> PyResult<Option<Value>> {
        if let Some(r) = &obj.range {
            return Ok(r.advance().map(Value::Int));
        }
        let mut st = obj.state.lock();
        let r = match &mut *st {
            IterState::Exhausted => None,
            IterState::Range { next, stop, step } => {
                let cur = *next;
                if (*step > 0 && cur < *stop) || (*step < 0 && cur > *stop) {
                    *next = cur.wrapping_add(*step);
                    Some(Value::Int(cur))
                } else {
                    None
                }
            }
            IterState::Seq { seq, index } => match seq {
                Value::List(l) => {
                    let v = l.items.lock().get(*index).cloned();
                    *index += 1;
                    v
                }
                Value::Tuple(t) => {
                    let v = t.get(*index).cloned();
                    *index += 1;
                    v
                }
                Value::Bytes(b) => {
                    let v = b.get(*index).map(|&x| Value::Int(x as i64));
                    *index += 1;
                    v
                }
                other => {
                    // Sequence protocol on a Python object: __getitem__(index).
                    let seq = other.clone();
                    let i = *index;
                    *index += 1;
                    drop(st);
                    return match self.getitem(&seq, &Value::Int(i as i64)) {
                        Ok(v) => Ok(Some(v)),
                        Err(e) if e.is_instance_of(&exc().index_error) || e.is_instance_of(&exc().stop_iteration) => {
                            *obj.state.lock() = IterState::Exhausted;
                            Ok(None)
                        }
                        Err(e) => Err(e),
                    };
                }
            },
            IterState::Str { s, byte_pos } => {
                let rest = &s.as_str()[*byte_pos..];
                match rest.chars().next() {
                    Some(c) => {
                        *byte_pos += c.len_utf8();
                        let mut buf = [0u8; 4];
                        Some(Value::str(c.encode_utf8(&mut buf)))
                    }
                    None => None,
                }
            }
            IterState::Dict { dict, index, len, kind } => {
                let map = dict.map.lock();
                if map.len() != *len {
                    *len = usize::MAX;
                    return Err(runtime_error("dictionary changed size during iteration"));
                }
                let r = map.get_index(*index).map(|(k, v)| match kind {
                    DictIterKind::Keys => k.value.clone(),
                    DictIterKind::Values => v.clone(),
                    DictIterKind::Items => Value::tuple(vec![k.value.clone(), v.clone()]),
                });
                *index += 1;
                r
            }
            IterState::Set { set, index, len } => {
                let s = set.set.lock();
                if s.len() != *len {
                    *len = usize::MAX;
                    return Err(runtime_error("Set changed size during iteration"));
                }
                let r = s.get_index(*index).map(|k| k.value.clone());
                *index += 1;
                r
            }
            IterState::Reversed { seq, index } => {
                if *index == 0 {
                    None
                } else {
                    *index -= 1;
                    let i = *index;
                    match seq {
                        Value::List(l) => l.items.lock().get(i).cloned(),
                        Value::Tuple(t) => t.get(i).cloned(),
                        other => {
                            let seq = other.clone();
                            drop(st);
                            return self.getitem(&seq, &Value::Int(i as i64)).map(Some);
                        }
                    }
                }
            }
            // The remaining iterators call back into Python: release the lock first.
            IterState::Enumerate { it, count } => {
                let (it, count_v) = (it.clone(), count.clone());
                drop(st);
                let Some(v) = self.next(&it)? else {
                    *obj.state.lock() = IterState::Exhausted;
                    return Ok(None);
                };
                let next_count = self.binary_op(crate::syntax::ast::BinOp::Add, count_v.clone(), Value::Int(1))?;
                if let IterState::Enumerate { count, .. } = &mut *obj.state.lock() {
                    *count = next_count;
                }
                return Ok(Some(Value::tuple(vec![count_v, v])));
            }
            IterState::Zip { its } => {
                let its = its.clone();
                drop(st);
                let mut items = Vec::with_capacity(its.len());
                for it in &its {
                    match self.next(it)? {
                        Some(v) => items.push(v),
                        None => {
                            *obj.state.lock() = IterState::Exhausted;
                            return Ok(None);
                        }
                    }
                }
                if its.is_empty() {
                    return Ok(None);
                }
                return Ok(Some(Value::tuple(items)));
            }
            IterState::Map { func, its } => {
                let (func, its) = (func.clone(), its.clone());
                drop(st);
                let mut args = Vec::with_capacity(its.len());
                for it in &its {
                    match self.next(it)? {
                        Some(v) => args.push(v),
                        None => {
                            *obj.state.lock() = IterState::Exhausted;
                            return Ok(None);
                        }
                    }
                }
                return self.call(&func, &args).map(Some);
            }
            IterState::Filter { func, it } => {
                let (func, it) = (func.clone(), it.clone());
                drop(st);
                loop {
                    let Some(v) = self.next(&it)? else {
                        *obj.state.lock() = IterState::Exhausted;
                        return Ok(None);
                    };
                    let keep = if func.is_none() {
                        v.clone()
                    } else {
                        self.call(&func, &[v.clone()])?
                    };
                    if self.truthy(&keep)? {
                        return Ok(Some(v));
                    }
                }
            }
            IterState::Callable { func, sentinel } => {
                let (func, sentinel) = (func.clone(), sentinel.clone());
                drop(st);
                let v = self.call(&func, &[])?;
                if self.eq(&v, &sentinel)? {
                    *obj.state.lock() = IterState::Exhausted;
                    return Ok(None);
                }
                return Ok(Some(v));
            }
        };
        if r.is_none() {
            *st = IterState::Exhausted;
        }
        Ok(r)
    }

    /// Calls `f` with each item of `iterable` until it returns `Ok(false)` or the items run
    /// out. A generator runs as one frame for the whole loop (`FrameKind::GenConsumer`)
    /// instead of being resumed and suspended per item; if `f` stops early or fails, the
    /// generator is left suspended at that `yield`, as if `next()` had been called.
    pub fn for_each(&mut self, iterable: &Value, f: &mut dyn FnMut(&mut Vm, Value) -> PyResult<bool>) -> PyResult<()> {
        let Value::Generator(gen) = iterable else {
            let it = self.get_iter(iterable)?;
            while let Some(v) = self.next(&it)? {
                if !f(self, v)? {
                    break;
                }
            }
            return Ok(());
        };
        self.enter_native()?;
        let r = self.consume_generator(gen, f);
        self.leave_native();
        r
    }

    fn consume_generator(
        &mut self,
        gen: &Arc<super::objects::Generator>,
        f: &mut dyn FnMut(&mut Vm, Value) -> PyResult<bool>,
    ) -> PyResult<()> {
        let Some(mut frame) = self.take_generator_frame(gen.clone(), Value::None)? else {
            return Ok(());
        };
        frame.kind = super::frame::FrameKind::GenConsumer;
        self.frames.push(frame);
        let depth = self.frames.len();
        loop {
            match self.run()? {
                super::vm::RunExit::Return(_) => return Ok(()),
                super::vm::RunExit::Yield(v) => {
                    debug_assert_eq!(self.frames.len(), depth, "the consumed frame stays on top");
                    let keep_going = f(self, v);
                    match keep_going {
                        Ok(true) => self.stack.push(Value::None),
                        other => {
                            // Stop here: suspend the generator at this yield.
                            let mut frame = self.frames.pop().expect("consumed generator frame");
                            let gen = frame.generator.take().expect("generator frame");
                            frame.kind = super::frame::FrameKind::Normal;
                            self.release_generator_stack(&gen, Some(frame));
                            return other.map(|_| ());
                        }
                    }
                }
            }
        }
    }

    /// Every item of an iterable.
    pub fn collect(&mut self, v: &Value) -> PyResult<Vec<Value>> {
        match v {
            Value::List(l) => Ok(l.items.lock().clone()),
            Value::Tuple(t) => Ok((**t).clone()),
            Value::Range(r) => {
                let n = r.len();
                if n > 1 << 28 {
                    return Err(super::errors::memory_error(""));
                }
                Ok((0..n).map(|i| Value::Int(r.get(i))).collect())
            }
            Value::Dict(d) => Ok(d.map.lock().keys().map(|k| k.value.clone()).collect()),
            Value::Set(s) => Ok(s.set.lock().iter().map(|k| k.value.clone()).collect()),
            _ => {
                let mut out = Vec::new();
                self.for_each(v, &mut |_, x| {
                    out.push(x);
                    Ok(true)
                })?;
                Ok(out)
            }
        }
    }
}

#[cold]
pub fn not_iterable(v: &Value) -> super::PyErr {
    type_error(format!("'{}' object is not iterable", type_name(v)))
}
