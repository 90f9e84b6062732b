//! Subscripts: `c[i]`, `c[i] = v`, `del c[i]`, with slices (Objects/sliceobject.c
//! `PySlice_AdjustIndices`) for lists, tuples, strings, bytes and ranges.

use std::borrow::Cow;
use std::sync::Arc;

use super::dict::Key;
use super::errors::{index_error, key_error, type_error, value_error, PyErr};
use super::objects::{RangeObj, SliceObj};
use super::ops::as_i64;
use super::types::type_name;
use super::value::Value;
use super::vm::Vm;
use super::PyResult;

/// Resolved slice bounds for a sequence of length `len`.
pub struct SliceIndices {
    pub start: i64,
    pub stop: i64,
    pub step: i64,
    pub len: usize,
}

impl SliceIndices {
    pub fn indices(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.len).map(move |i| (self.start + i as i64 * self.step) as usize)
    }
}

fn slice_part(v: &Value) -> PyResult<Option<i64>> {
    match v {
        Value::None => Ok(None),
        Value::BigInt(b) => Ok(Some(if num_traits::Signed::is_negative(&**b) {
            i64::MIN / 2
        } else {
            i64::MAX / 2
        })),
        _ => match as_i64(v) {
            Some(i) => Ok(Some(i)),
            None => Err(type_error(
                "slice indices must be integers or None or have an __index__ method",
            )),
        },
    }
}

pub fn slice_indices(s: &SliceObj, len: usize) -> PyResult<SliceIndices> {
    let len = len as i64;
    // CPython clamps the step to ±PY_SSIZE_T_MAX, so negating it cannot overflow.
    let step = slice_part(&s.step)?.unwrap_or(1).max(-i64::MAX);
    if step == 0 {
        return Err(value_error("slice step cannot be zero"));
    }
    let (lower, upper) = if step < 0 { (-1, len - 1) } else { (0, len) };
    let adjust = |v: Option<i64>, default: i64| -> i64 {
        match v {
            None => default,
            Some(i) if i < 0 => i.saturating_add(len).max(lower),
            Some(i) => i.min(upper),
        }
    };
    let start = adjust(slice_part(&s.start)?, if step < 0 { upper } else { lower });
    let stop = adjust(slice_part(&s.stop)?, if step < 0 { lower } else { upper });
    let n = if step < 0 {
        if stop < start {
            (start - stop - 1) / (-step) + 1
        } else {
            0
        }
    } else if start < stop {
        (stop - start - 1) / step + 1
    } else {
        0
    };
    Ok(SliceIndices {
        start,
        stop,
        step,
        len: n as usize,
    })
}

/// Normalises a possibly negative index; `None` if out of range.
pub fn normalize_index(i: i64, len: usize) -> Option<usize> {
    let len = len as i64;
    let j = if i < 0 { i + len } else { i };
    if j < 0 || j >= len {
        None
    } else {
        Some(j as usize)
    }
}

fn index_of(container: &Value, i: &Value) -> PyResult<i64> {
    match i {
        Value::BigInt(_) => Err(PyErr::new(
            &super::types::exc().index_error,
            "cannot fit 'int' into an index-sized integer",
        )),
        _ => as_i64(i).ok_or_else(|| {
            type_error(format!(
                "{} indices must be integers or slices, not {}",
                type_name(container),
                type_name(i)
            ))
        }),
    }
}

impl Vm {
    pub fn getitem(&mut self, c: &Value, i: &Value) -> PyResult<Value> {
        let i = self.sequence_index(c, i)?;
        let i: &Value = &i;
        match c {
            Value::List(l) => {
                if let Value::Slice(s) = i {
                    let items = l.items.lock();
                    let si = slice_indices(s, items.len())?;
                    return Ok(Value::list(si.indices().map(|j| items[j].clone()).collect()));
                }
                let idx = index_of(c, i)?;
                let items = l.items.lock();
                normalize_index(idx, items.len())
                    .map(|j| items[j].clone())
                    .ok_or_else(|| index_error("list index out of range"))
            }
            Value::Tuple(t) => {
                if let Value::Slice(s) = i {
                    let si = slice_indices(s, t.len())?;
                    return Ok(Value::tuple(si.indices().map(|j| t[j].clone()).collect()));
                }
                let idx = index_of(c, i)?;
                normalize_index(idx, t.len())
                    .map(|j| t[j].clone())
                    .ok_or_else(|| index_error("tuple index out of range"))
            }
            Value::Str(s) => {
                if let Value::Slice(sl) = i {
                    if s.is_ascii() {
                        let b = s.as_str().as_bytes();
                        let si = slice_indices(sl, b.len())?;
                        if si.step == 1 {
                            let end = si.start as usize + si.len;
                            return Ok(Value::str(&s.as_str()[si.start as usize..end]));
                        }
                        let out: String = si.indices().map(|j| b[j] as char).collect();
                        return Ok(Value::string(out));
                    }
                    let chars: Vec<char> = s.as_str().chars().collect();
                    let si = slice_indices(sl, chars.len())?;
                    return Ok(Value::string(si.indices().map(|j| chars[j]).collect()));
                }
                let idx = index_of(c, i)?;
                let n = s.char_len();
                match normalize_index(idx, n).and_then(|j| s.char_at(j)) {
                    Some(ch) => {
                        let mut buf = [0u8; 4];
                        Ok(Value::str(ch.encode_utf8(&mut buf)))
                    }
                    None => Err(index_error("string index out of range")),
                }
            }
            Value::Bytes(b) => {
                if let Value::Slice(s) = i {
                    let si = slice_indices(s, b.len())?;
                    return Ok(Value::Bytes(Arc::new(si.indices().map(|j| b[j]).collect())));
                }
                let idx = index_of(c, i)?;
                normalize_index(idx, b.len())
                    .map(|j| Value::Int(b[j] as i64))
                    .ok_or_else(|| index_error("index out of range"))
            }
            Value::Range(r) => {
                if let Value::Slice(s) = i {
                    let si = slice_indices(s, r.len() as usize)?;
                    // Computed wide: the new bounds may not fit in 64 bits even when every
                    // element does.
                    let start = r.start as i128 + si.start as i128 * r.step as i128;
                    let step = r.step as i128 * si.step as i128;
                    let stop = start + si.len as i128 * step;
                    let (Ok(start), Ok(stop), Ok(step)) =
                        (i64::try_from(start), i64::try_from(stop), i64::try_from(step))
                    else {
                        return Err(super::errors::overflow_error(
                            "range slice bounds beyond 64 bits are not supported by gilsim",
                        ));
                    };
                    return Ok(Value::Range(Arc::new(RangeObj { start, stop, step })));
                }
                let idx = index_of(c, i)?;
                normalize_index(idx, r.len() as usize)
                    .map(|j| Value::Int(r.get(j as i64)))
                    .ok_or_else(|| index_error("range object index out of range"))
            }
            Value::Dict(d) => {
                let k = Key::new(i.clone())?;
                let found = d.map.lock().get(&k).cloned();
                match found {
                    Some(v) => Ok(v),
                    None => Err(key_error(i.clone())),
                }
            }
            Value::Instance(_) | Value::Native(_) => match self.lookup_special(c, "__getitem__")? {
                Some(f) => self.call(&f, &[i.clone()]),
                None => Err(not_subscriptable(c)),
            },
            Value::Class(cls) => match cls.lookup("__class_getitem__") {
                Some(f) => self.call(&f, &[c.clone(), i.clone()]),
                // `list[int]` in annotations: generic aliases evaluate to the class itself.
                None if cls.builtin.is_some() => Ok(c.clone()),
                None => Err(type_error(format!("type '{}' is not subscriptable", cls.name))),
            },
            _ => Err(not_subscriptable(c)),
        }
    }

    pub fn setitem(&mut self, c: &Value, i: &Value, v: Value) -> PyResult<()> {
        let i = self.sequence_index(c, i)?;
        let i: &Value = &i;
        match c {
            Value::List(l) => {
                if let Value::Slice(s) = i {
                    let new = self.collect(&v)?;
                    let mut items = l.items.lock();
                    let si = slice_indices(s, items.len())?;
                    if si.step == 1 {
                        let start = si.start as usize;
                        let end = start + si.len;
                        items.splice(start..end, new);
                        return Ok(());
                    }
                    if new.len() != si.len {
                        return Err(value_error(format!(
                            "attempt to assign sequence of size {} to extended slice of size {}",
                            new.len(),
                            si.len
                        )));
                    }
                    let idx: Vec<usize> = si.indices().collect();
                    for (j, x) in idx.into_iter().zip(new) {
                        items[j] = x;
                    }
                    return Ok(());
                }
                let idx = index_of(c, i)?;
                let mut items = l.items.lock();
                match normalize_index(idx, items.len()) {
                    Some(j) => {
                        items[j] = v;
                        Ok(())
                    }
                    None => Err(index_error("list assignment index out of range")),
                }
            }
            Value::Dict(d) => {
                let k = Key::new(i.clone())?;
                d.map.lock().insert(k, v);
                Ok(())
            }
            Value::Instance(_) | Value::Native(_) => match self.lookup_special(c, "__setitem__")? {
                Some(f) => self.call(&f, &[i.clone(), v]).map(|_| ()),
                None => Err(type_error(format!(
                    "'{}' object does not support item assignment",
                    type_name(c)
                ))),
            },
            _ => Err(type_error(format!(
                "'{}' object does not support item assignment",
                type_name(c)
            ))),
        }
    }

    pub fn delitem(&mut self, c: &Value, i: &Value) -> PyResult<()> {
        let i = self.sequence_index(c, i)?;
        let i: &Value = &i;
        match c {
            Value::List(l) => {
                let mut items = l.items.lock();
                if let Value::Slice(s) = i {
                    let si = slice_indices(s, items.len())?;
                    let mut remove: Vec<usize> = si.indices().collect();
                    remove.sort_unstable();
                    let mut k = 0;
                    let mut idx = 0;
                    items.retain(|_| {
                        let drop_it = k < remove.len() && remove[k] == idx;
                        if drop_it {
                            k += 1;
                        }
                        idx += 1;
                        !drop_it
                    });
                    return Ok(());
                }
                let idx = index_of(c, i)?;
                match normalize_index(idx, items.len()) {
                    Some(j) => {
                        items.remove(j);
                        Ok(())
                    }
                    None => Err(index_error("list assignment index out of range")),
                }
            }
            Value::Dict(d) => {
                let k = Key::new(i.clone())?;
                match d.map.lock().shift_remove(&k) {
                    Some(_) => Ok(()),
                    None => Err(key_error(i.clone())),
                }
            }
            Value::Instance(_) | Value::Native(_) => match self.lookup_special(c, "__delitem__")? {
                Some(f) => self.call(&f, &[i.clone()]).map(|_| ()),
                None => Err(type_error(format!(
                    "'{}' object does not support item deletion",
                    type_name(c)
                ))),
            },
            _ => Err(type_error(format!(
                "'{}' object does not support item deletion",
                type_name(c)
            ))),
        }
    }
}

#[cold]
fn not_subscriptable(c: &Value) -> PyErr {
    type_error(format!("'{}' object is not subscriptable", type_name(c)))
}

impl Vm {
    /// The index to use: for a sequence subscripted by an object with `__index__`
    /// (PEP 357), that int; otherwise `i` itself.
    fn sequence_index<'a>(&mut self, c: &Value, i: &'a Value) -> PyResult<Cow<'a, Value>> {
        let is_seq = matches!(
            c,
            Value::List(_) | Value::Tuple(_) | Value::Str(_) | Value::Bytes(_) | Value::Range(_)
        );
        if !is_seq || !matches!(i, Value::Instance(_)) {
            return Ok(Cow::Borrowed(i));
        }
        let Some(f) = self.lookup_special(i, "__index__")? else {
            return Ok(Cow::Borrowed(i));
        };
        match self.call(&f, &[])? {
            v @ (Value::Int(_) | Value::BigInt(_) | Value::Bool(_)) => Ok(Cow::Owned(v)),
            other => Err(type_error(format!(
                "__index__ returned non-int (type {})",
                type_name(&other)
            ))),
        }
    }

    /// `len(v)`
    pub fn len(&mut self, v: &Value) -> PyResult<usize> {
        Ok(match v {
            Value::Str(s) => s.char_len(),
            Value::Bytes(b) => b.len(),
            Value::Tuple(t) => t.len(),
            Value::List(l) => l.items.lock().len(),
            Value::Dict(d) => d.map.lock().len(),
            Value::DictView(d) => d.dict.map.lock().len(),
            Value::Set(s) => s.set.lock().len(),
            Value::Range(r) => match usize::try_from(r.len_wide()) {
                Ok(n) if n <= i64::MAX as usize => n,
                _ => {
                    return Err(super::errors::overflow_error(
                        "Python int too large to convert to C ssize_t",
                    ))
                }
            },
            Value::Instance(_) | Value::Native(_) => match self.lookup_special(v, "__len__")? {
                Some(f) => {
                    let n = self.call(&f, &[])?;
                    match as_i64(&n) {
                        Some(n) if n >= 0 => n as usize,
                        Some(_) => return Err(value_error("__len__() should return >= 0")),
                        None => {
                            return Err(type_error(format!(
                                "'{}' object cannot be interpreted as an integer",
                                type_name(&n)
                            )))
                        }
                    }
                }
                None => return Err(type_error(format!("object of type '{}' has no len()", type_name(v)))),
            },
            _ => return Err(type_error(format!("object of type '{}' has no len()", type_name(v)))),
        })
    }
}
