//! Hashing and the insertion-ordered storage behind `dict` and `set`.
//!
//! Keys carry their hash, computed once with CPython's numeric hash rules (Python/pyhash.c,
//! Objects/longobject.c `long_hash`, `_Py_HashDouble`), so `1`, `1.0` and `True` are one key.
//! Instances hash by identity: user-defined `__hash__`/`__eq__` are not consulted.

use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::sync::Arc;

use indexmap::{IndexMap, IndexSet};
use num_bigint::BigInt;
use num_traits::ToPrimitive;

use super::errors::type_error;
use super::value::Value;
use super::PyResult;

/// 2**61 - 1, CPython's `_PyHASH_MODULUS` on 64-bit builds.
const MODULUS: u64 = (1 << 61) - 1;
const HASH_INF: i64 = 314_159;

/// A dict key or set element: a hashable value with its hash.
#[derive(Clone)]
pub struct Key {
    pub hash: i64,
    pub value: Value,
}

impl Key {
    pub fn new(value: Value) -> PyResult<Key> {
        Ok(Key {
            hash: py_hash(&value)?,
            value,
        })
    }
}

impl Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_i64(self.hash)
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        self.hash == other.hash && key_eq(&self.value, &other.value)
    }
}
impl Eq for Key {}

/// Mixes the Python hash (which is the int itself for small ints) so the hash table's
/// control bits are well spread.
#[derive(Default)]
pub struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ b as u64).wrapping_mul(0x517c_c1b7_2722_0a95);
        }
    }
    fn write_i64(&mut self, i: i64) {
        self.0 = (i as u64 ^ 0x9e37_79b9_7f4a_7c15).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        self.0 ^= self.0 >> 31;
    }
}

pub type DictStorage = IndexMap<Key, Value, BuildHasherDefault<KeyHasher>>;
pub type SetStorage = IndexSet<Key, BuildHasherDefault<KeyHasher>>;

pub fn new_dict_storage() -> DictStorage {
    DictStorage::default()
}

pub fn new_set_storage() -> SetStorage {
    SetStorage::default()
}

/// Equality of two hashable values, as dict lookup sees it.
pub fn key_eq(a: &Value, b: &Value) -> bool {
    use Value::*;
    match (a, b) {
        (Int(x), Int(y)) => x == y,
        (Str(x), Str(y)) => Arc::ptr_eq(x, y) || x.as_str() == y.as_str(),
        (Int(_) | Bool(_) | Float(_) | BigInt(_), Int(_) | Bool(_) | Float(_) | BigInt(_)) => {
            super::ops::numeric_eq(a, b).unwrap_or(false)
        }
        (Tuple(x), Tuple(y)) => x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| key_eq(p, q)),
        (Bytes(x), Bytes(y)) => x == y,
        (Set(x), Set(y)) => {
            if Arc::ptr_eq(x, y) {
                return true;
            }
            // Never hold two container locks at once: copy one side out first.
            let xs = x.set.lock().clone();
            let ys = y.set.lock();
            xs.len() == ys.len() && xs.iter().all(|k| ys.contains(k))
        }
        (Range(x), Range(y)) => x == y,
        _ => a.is(b),
    }
}

/// CPython's hash of a value; a TypeError for unhashable types.
pub fn py_hash(v: &Value) -> PyResult<i64> {
    use Value::*;
    Ok(match v {
        None => 0x5f3759df,
        Bool(b) => *b as i64,
        Int(i) => hash_i64(*i),
        BigInt(b) => hash_bigint(b),
        Float(f) => hash_f64(*f),
        Str(s) => hash_bytes(s.as_str().as_bytes()),
        Bytes(b) => hash_bytes(b),
        Tuple(items) => hash_tuple(items)?,
        Set(s) if s.frozen => {
            // Objects/setobject.c frozenset_hash, simplified: order-independent.
            let set = s.set.lock();
            let mut h: u64 = 1927868237u64.wrapping_mul(set.len() as u64 + 1);
            for k in set.iter() {
                let x = k.hash as u64;
                h ^= (x ^ (x << 16) ^ 89869747).wrapping_mul(3644798167);
            }
            fix_minus_one(h as i64)
        }
        Range(r) => hash_tuple(&[Int(r.len()), Int(r.start), Int(r.step)])?,
        List(_) | Dict(_) | Set(_) | DictView(_) | Slice(_) => {
            return Err(type_error(format!("unhashable type: '{}'", super::types::type_name(v))))
        }
        _ => {
            // Objects/object.c _Py_HashPointer: rotate by 4 so alignment bits don't waste space.
            let id = v.id() as u64;
            fix_minus_one(id.rotate_right(4) as i64)
        }
    })
}

fn fix_minus_one(h: i64) -> i64 {
    if h == -1 {
        -2
    } else {
        h
    }
}

pub fn hash_i64(i: i64) -> i64 {
    let m = i.unsigned_abs() % MODULUS;
    let h = if i < 0 { -(m as i64) } else { m as i64 };
    fix_minus_one(h)
}

pub fn hash_bigint(b: &BigInt) -> i64 {
    let m = BigInt::from(MODULUS);
    let r = (b % &m).to_i64().unwrap_or(0);
    fix_minus_one(r)
}

/// Python/pyhash.c `_Py_HashDouble`.
pub fn hash_f64(f: f64) -> i64 {
    if f.is_nan() {
        return 0;
    }
    if f.is_infinite() {
        return if f > 0.0 { HASH_INF } else { -HASH_INF };
    }
    if f.fract() == 0.0 && f.abs() < 9.2e18 {
        return hash_i64(f as i64);
    }
    let (mut m, mut e) = frexp(f);
    let sign: i64 = if m < 0.0 {
        m = -m;
        -1
    } else {
        1
    };
    let mut x: u64 = 0;
    while m != 0.0 {
        x = ((x << 28) & MODULUS) | x >> (61 - 28);
        m *= 268435456.0;
        e -= 28;
        let y = m as u64;
        m -= y as f64;
        x += y;
        if x >= MODULUS {
            x -= MODULUS;
        }
    }
    let e = if e >= 0 { e % 61 } else { 61 - 1 - ((-1 - e) % 61) };
    x = ((x << e) & MODULUS) | x >> (61 - e);
    fix_minus_one(x as i64 * sign)
}

/// `frexp`: f = m * 2**e with 0.5 <= |m| < 1.
fn frexp(f: f64) -> (f64, i32) {
    if f == 0.0 || !f.is_finite() {
        return (f, 0);
    }
    let bits = f.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    if exp == 0 {
        // Subnormal: scale up first.
        let (m, e) = frexp(f * (1u64 << 54) as f64);
        return (m, e - 54);
    }
    let e = exp - 1022;
    let m = f64::from_bits((bits & !(0x7ff << 52)) | (1022 << 52));
    (m, e)
}

fn hash_bytes(b: &[u8]) -> i64 {
    let mut h = rustc_hash::FxHasher::default();
    h.write(b);
    fix_minus_one((h.finish() >> 1) as i64)
}

/// Objects/tupleobject.c `tuplehash` (the xxHash-based one from 3.8).
fn hash_tuple(items: &[Value]) -> PyResult<i64> {
    const P1: u64 = 11400714785074694791;
    const P2: u64 = 14029467366897019727;
    const P5: u64 = 2870177450012600261;
    let mut acc = P5;
    for item in items {
        let lane = py_hash(item)? as u64;
        acc = acc.wrapping_add(lane.wrapping_mul(P2));
        acc = acc.rotate_left(31);
        acc = acc.wrapping_mul(P1);
    }
    acc = acc.wrapping_add(items.len() as u64 ^ (P5 ^ 3527539));
    if acc == u64::MAX {
        return Ok(1546275796);
    }
    Ok(acc as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_hashes_match_cpython() {
        assert_eq!(hash_i64(1), 1);
        assert_eq!(hash_i64(-1), -2);
        assert_eq!(hash_f64(1.0), 1);
        assert_eq!(hash_f64(0.5), 1152921504606846976);
        assert_eq!(hash_f64(-2.5), -1152921504606846978);
        assert_eq!(hash_i64(i64::MAX), 3);
        assert_eq!(hash_f64(1e300), 1224995262755759164);
        assert_eq!(hash_bigint(&(BigInt::from(1i32) << 100usize)), 549755813888);
        assert_eq!(hash_bigint(&-(BigInt::from(1i32) << 100usize)), -549755813888);
    }
}
