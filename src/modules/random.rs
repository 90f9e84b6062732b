//! The `random` module, bit-compatible with CPython: the MT19937 generator and seeding of
//! Modules/_randommodule.c, and the algorithms of Lib/random.py on top of it.
//!
//! Each interpreter has its own hidden generator (`random._inst`); the module functions are
//! its bound methods, as in Lib/random.py. `random.Random(seed)` makes more generators.

use std::collections::HashSet;
use std::sync::{Arc, LazyLock};

use num_bigint::{BigInt, BigUint, Sign};
use num_traits::{One, Signed, ToPrimitive};
use parking_lot::Mutex;

use super::{arg_f64, arity, native_class, native_module};
use crate::vm::dict::hash_f64;
use crate::vm::errors::{index_error, type_error, value_error};
use crate::vm::objects::{Args, BoundMethod, BuiltinFunction, Class, Module, NativeObj};
use crate::vm::ops::as_bigint;
use crate::vm::types::type_name;
use crate::vm::value::Value;
use crate::vm::vm::Vm;
use crate::vm::PyResult;

// ---- MT19937 (Modules/_randommodule.c) ----

const N: usize = 624;
const M: usize = 397;

/// The Mersenne Twister state plus `gauss()`'s cached second value.
pub(crate) struct Mt {
    state: Box<[u32; N]>,
    index: usize,
    gauss_next: Option<f64>,
}

impl Mt {
    fn new() -> Mt {
        let mut mt = Mt {
            state: Box::new([0; N]),
            index: N,
            gauss_next: None,
        };
        mt.init_genrand(19650218);
        mt
    }

    fn init_genrand(&mut self, s: u32) {
        self.state[0] = s;
        for i in 1..N {
            let prev = self.state[i - 1];
            self.state[i] = 1812433253u32.wrapping_mul(prev ^ (prev >> 30)).wrapping_add(i as u32);
        }
        self.index = N;
    }

    fn init_by_array(&mut self, key: &[u32]) {
        self.init_genrand(19650218);
        let mt = &mut self.state;
        let (mut i, mut j) = (1usize, 0usize);
        for _ in 0..N.max(key.len()) {
            let prev = mt[i - 1];
            mt[i] = (mt[i] ^ (prev ^ (prev >> 30)).wrapping_mul(1664525))
                .wrapping_add(key[j])
                .wrapping_add(j as u32);
            i += 1;
            j += 1;
            if i >= N {
                mt[0] = mt[N - 1];
                i = 1;
            }
            if j >= key.len() {
                j = 0;
            }
        }
        for _ in 0..N - 1 {
            let prev = mt[i - 1];
            mt[i] = (mt[i] ^ (prev ^ (prev >> 30)).wrapping_mul(1566083941)).wrapping_sub(i as u32);
            i += 1;
            if i >= N {
                mt[0] = mt[N - 1];
                i = 1;
            }
        }
        mt[0] = 0x8000_0000;
        self.index = N;
    }

    /// random_seed for an int: the 32-bit words of its absolute value, least significant first.
    fn seed_int(&mut self, n: &BigInt) {
        let mut key = n.magnitude().to_u32_digits();
        if key.is_empty() {
            key.push(0);
        }
        self.init_by_array(&key);
        self.gauss_next = None;
    }

    fn genrand_u32(&mut self) -> u32 {
        const UPPER: u32 = 0x8000_0000;
        const LOWER: u32 = 0x7fff_ffff;
        const MATRIX_A: u32 = 0x9908_b0df;
        if self.index >= N {
            let mt = &mut self.state;
            for kk in 0..N {
                let y = (mt[kk] & UPPER) | (mt[(kk + 1) % N] & LOWER);
                let mag = if y & 1 != 0 { MATRIX_A } else { 0 };
                mt[kk] = mt[(kk + M) % N] ^ (y >> 1) ^ mag;
            }
            self.index = 0;
        }
        let mut y = self.state[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^= y >> 18;
        y
    }

    /// random_random: 53 random bits as a float in [0, 1).
    fn random(&mut self) -> f64 {
        let a = (self.genrand_u32() >> 5) as f64;
        let b = (self.genrand_u32() >> 6) as f64;
        (a * 67108864.0 + b) * (1.0 / 9007199254740992.0)
    }

    /// getrandbits for k <= 64: 32-bit words, least significant first.
    fn bits_u64(&mut self, k: u32) -> u64 {
        match k {
            0 => 0,
            1..=32 => (self.genrand_u32() >> (32 - k)) as u64,
            _ => {
                let low = self.genrand_u32() as u64;
                let high = (self.genrand_u32() >> (64 - k)) as u64;
                (high << 32) | low
            }
        }
    }

    fn getrandbits(&mut self, k: u64) -> BigInt {
        if k <= 64 {
            return BigInt::from(self.bits_u64(k as u32));
        }
        let words = (k - 1) / 32 + 1;
        let mut left = k;
        let mut digits = Vec::with_capacity(words as usize);
        for _ in 0..words {
            let mut r = self.genrand_u32();
            if left < 32 {
                r >>= 32 - left;
            }
            digits.push(r);
            left = left.saturating_sub(32);
        }
        BigInt::from_biguint(Sign::Plus, BigUint::new(digits))
    }

    /// Lib/random.py _randbelow_with_getrandbits, for `n > 0`.
    fn randbelow_u64(&mut self, n: u64) -> u64 {
        let k = 64 - n.leading_zeros();
        loop {
            let r = self.bits_u64(k);
            if r < n {
                return r;
            }
        }
    }

    fn randbelow(&mut self, n: &BigInt) -> BigInt {
        if let Some(small) = n.to_u64() {
            return BigInt::from(self.randbelow_u64(small));
        }
        let k = n.bits();
        loop {
            let r = self.getrandbits(k);
            if &r < n {
                return r;
            }
        }
    }

    fn gauss(&mut self, mu: f64, sigma: f64) -> f64 {
        let z = match self.gauss_next.take() {
            Some(z) => z,
            None => {
                let x2pi = self.random() * std::f64::consts::TAU;
                let g2rad = (-2.0 * (1.0 - self.random()).ln()).sqrt();
                self.gauss_next = Some(x2pi.sin() * g2rad);
                x2pi.cos() * g2rad
            }
        };
        mu + z * sigma
    }
}

// ---- the Random class and the module ----

static RANDOM_CLASS: LazyLock<Arc<Class>> = LazyLock::new(|| native_class("Random", "random", METHODS));

static METHODS: &[&BuiltinFunction] = &[
    &SEED,
    &RANDOM,
    &GETRANDBITS,
    &RANDRANGE,
    &RANDINT,
    &CHOICE,
    &CHOICES,
    &SHUFFLE,
    &SAMPLE,
    &UNIFORM,
    &GAUSS,
    &NORMALVARIATE,
    &EXPOVARIATE,
];

builtin!(SEED, "seed", seed);
builtin!(RANDOM, "random", random);
builtin!(GETRANDBITS, "getrandbits", getrandbits);
builtin!(RANDRANGE, "randrange", randrange);
builtin!(RANDINT, "randint", randint);
builtin!(CHOICE, "choice", choice);
builtin!(CHOICES, "choices", choices);
builtin!(SHUFFLE, "shuffle", shuffle);
builtin!(SAMPLE, "sample", sample);
builtin!(UNIFORM, "uniform", uniform);
builtin!(GAUSS, "gauss", gauss);
builtin!(NORMALVARIATE, "normalvariate", gauss);
builtin!(EXPOVARIATE, "expovariate", expovariate);
builtin!(NEW_RANDOM, "Random", new_random);

/// A new generator object, seeded from `seed_arg` (None: from the OS and the clock).
fn new_generator(seed_arg: &Value) -> PyResult<Value> {
    let mut mt = Mt::new();
    seed_mt(&mut mt, seed_arg)?;
    Ok(Value::Native(Arc::new(NativeObj {
        class: RANDOM_CLASS.clone(),
        data: Box::new(Mutex::new(mt)),
    })))
}

pub(super) fn create(_vm: &mut Vm) -> PyResult<Arc<Module>> {
    let inst = new_generator(&Value::None)?;
    let mut attrs: Vec<(&str, Value)> = METHODS
        .iter()
        .map(|m| {
            let bound = BoundMethod {
                receiver: inst.clone(),
                func: Value::Builtin(m),
            };
            (m.name, Value::BoundMethod(Arc::new(bound)))
        })
        .collect();
    attrs.push(("_inst", inst));
    attrs.push(("Random", Value::Builtin(&NEW_RANDOM)));
    Ok(native_module("random", &[], attrs))
}

fn new_random(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "Random", 0, 1)?;
    new_generator(args.pos.first().unwrap_or(&Value::None))
}

/// Runs `f` on the generator behind `self` (`args.pos[0]`). Never call into the VM inside
/// `f`: Python code could re-enter this generator.
fn with_mt<R>(args: &Args<'_>, f: impl FnOnce(&mut Mt) -> R) -> PyResult<R> {
    let gen = match args.pos.first() {
        Some(Value::Native(n)) => n.data.downcast_ref::<Mutex<Mt>>(),
        _ => None,
    };
    match gen {
        Some(m) => Ok(f(&mut m.lock())),
        None => Err(type_error("descriptor requires a 'random.Random' object")),
    }
}

/// Random.seed: ints by value, floats by hash, None from the OS; str/bytes are hashed by
/// their bytes here (CPython uses SHA-512, so those sequences differ from CPython's).
fn seed_mt(mt: &mut Mt, a: &Value) -> PyResult<()> {
    let n: BigInt = match a {
        Value::None => {
            let mut key = Vec::with_capacity(8);
            for _ in 0..4 {
                use std::hash::{BuildHasher, Hasher};
                let mut h = std::collections::hash_map::RandomState::new().build_hasher();
                h.write_u128(
                    std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .unwrap_or_default()
                        .as_nanos(),
                );
                h.write_u32(std::process::id());
                let v = h.finish();
                key.push(v as u32);
                key.push((v >> 32) as u32);
            }
            mt.init_by_array(&key);
            mt.gauss_next = None;
            return Ok(());
        }
        Value::Int(_) | Value::Bool(_) | Value::BigInt(_) => as_bigint(a).unwrap_or_default(),
        Value::Float(f) => BigInt::from(hash_f64(*f)),
        Value::Str(s) => BigInt::from_bytes_be(Sign::Plus, s.as_str().as_bytes()),
        Value::Bytes(b) => BigInt::from_bytes_be(Sign::Plus, b),
        _ => {
            return Err(type_error(
                "The only supported seed types are: None,\nint, float, str, bytes, and bytearray.",
            ))
        }
    };
    mt.seed_int(&n);
    Ok(())
}

fn seed(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "seed", 1, 3)?;
    let a = args.pos.get(1).or(args.kwarg("a")).cloned().unwrap_or(Value::None);
    with_mt(&args, |mt| seed_mt(mt, &a))??;
    Ok(Value::None)
}

fn random(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    Ok(Value::Float(with_mt(&args, Mt::random)?))
}

fn getrandbits(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "getrandbits", 2, 2)?;
    let k = int_arg(&args.pos[1])?;
    if k.is_negative() {
        return Err(value_error("number of bits must be non-negative"));
    }
    let k = k
        .to_u64()
        .filter(|k| *k <= 1 << 32)
        .ok_or_else(|| crate::vm::errors::overflow_error("Python int too large to convert to C int"))?;
    Ok(Value::from_bigint(with_mt(&args, |mt| mt.getrandbits(k))?))
}

fn int_arg(v: &Value) -> PyResult<BigInt> {
    as_bigint(v).ok_or_else(|| type_error(format!("'{}' object cannot be interpreted as an integer", type_name(v))))
}

/// Lib/random.py (3.11) randrange's argument conversion: ints, or integral floats.
fn range_arg(v: &Value, which: usize) -> PyResult<BigInt> {
    if let Some(n) = as_bigint(v) {
        return Ok(n);
    }
    if let Value::Float(f) = v {
        if f.fract() == 0.0 && f.is_finite() {
            if let Some(n) = num_traits::FromPrimitive::from_f64(*f) {
                return Ok(n);
            }
        }
        return Err(value_error(format!("non-integer arg {} for randrange()", which)));
    }
    Err(type_error(format!(
        "'{}' object cannot be interpreted as an integer",
        type_name(v)
    )))
}

fn randrange_impl(args: &Args<'_>, start: &Value, stop: Option<&Value>, step: Option<&Value>) -> PyResult<BigInt> {
    let istart = range_arg(start, 1)?;
    let Some(stop) = stop.filter(|s| !s.is_none()) else {
        if step.is_some_and(|s| !matches!(s, Value::Int(1))) {
            return Err(type_error("Missing a non-None stop argument"));
        }
        if istart.is_positive() {
            return with_mt(args, |mt| mt.randbelow(&istart));
        }
        return Err(value_error("empty range for randrange()"));
    };
    let istop = range_arg(stop, 2)?;
    let width = &istop - &istart;
    let istep = match step {
        Some(s) => range_arg(s, 3)?,
        None => BigInt::one(),
    };
    if istep.is_one() {
        if width.is_positive() {
            return Ok(&istart + with_mt(args, |mt| mt.randbelow(&width))?);
        }
        return Err(value_error(format!(
            "empty range for randrange() ({}, {}, {})",
            istart, istop, width
        )));
    }
    let n = if istep.is_positive() {
        num_integer::Integer::div_floor(&(&width + &istep - 1), &istep)
    } else if istep.is_negative() {
        num_integer::Integer::div_floor(&(&width + &istep + 1), &istep)
    } else {
        return Err(value_error("zero step for randrange()"));
    };
    if !n.is_positive() {
        return Err(value_error("empty range for randrange()"));
    }
    Ok(&istart + &istep * with_mt(args, |mt| mt.randbelow(&n))?)
}

fn randrange(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "randrange", 2, 4)?;
    let start = &args.pos[1];
    let stop = args.pos.get(2).or(args.kwarg("stop"));
    let step = args.pos.get(3).or(args.kwarg("step"));
    Ok(Value::from_bigint(randrange_impl(&args, start, stop, step)?))
}

fn randint(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    if args.pos.len() != 3 {
        return Err(type_error(format!(
            "Random.randint() missing {} required positional argument{}",
            3usize.saturating_sub(args.pos.len()),
            if args.pos.len() == 2 { ": 'b'" } else { "s: 'a' and 'b'" }
        )));
    }
    let b = Value::from_bigint(range_arg(&args.pos[2], 2)? + 1);
    Ok(Value::from_bigint(randrange_impl(&args, &args.pos[1], Some(&b), None)?))
}

fn choice(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "choice", 2, 2)?;
    let seq = &args.pos[1];
    let n = vm.len(seq)?;
    if n == 0 {
        return Err(index_error("Cannot choose from an empty sequence"));
    }
    let i = with_mt(&args, |mt| mt.randbelow_u64(n as u64))?;
    vm.getitem(seq, &Value::from(i as usize))
}

fn shuffle(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "shuffle", 2, 2)?;
    match &args.pos[1] {
        Value::List(l) => {
            let n = l.items.lock().len();
            let swaps: Vec<(usize, usize)> = with_mt(&args, |mt| {
                (1..n)
                    .rev()
                    .map(|i| (i, mt.randbelow_u64(i as u64 + 1) as usize))
                    .collect()
            })?;
            let mut items = l.items.lock();
            for (i, j) in swaps {
                if i < items.len() && j < items.len() {
                    items.swap(i, j);
                }
            }
            Ok(Value::None)
        }
        other => {
            let n = vm.len(other)?;
            for i in (1..n).rev() {
                let j = with_mt(&args, |mt| mt.randbelow_u64(i as u64 + 1) as usize)?;
                let (vi, vj) = (vm.getitem(other, &Value::from(i))?, vm.getitem(other, &Value::from(j))?);
                vm.setitem(other, &Value::from(i), vj)?;
                vm.setitem(other, &Value::from(j), vi)?;
            }
            Ok(Value::None)
        }
    }
}

fn sample(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "sample", 2, 3)?;
    let population = &args.pos[1];
    if matches!(population, Value::Set(_) | Value::Dict(_)) {
        return Err(type_error(
            "Population must be a sequence.  For dicts or sets, use sorted(d).",
        ));
    }
    let k = match args.pos.get(2).or(args.kwarg("k")) {
        Some(k) => int_arg(k)?,
        None => {
            return Err(type_error(
                "Random.sample() missing 1 required positional argument: 'k'",
            ))
        }
    };
    let n = vm.len(population)? as u64;
    let k = match k.to_u64() {
        Some(k) if k <= n => k,
        _ => return Err(value_error("Sample larger than population or is negative")),
    };
    let mut setsize: u64 = 21;
    if k > 5 {
        let exp = ((k * 3) as f64).ln() / 4f64.ln();
        setsize += 4u64.saturating_pow(exp.ceil() as u32);
    }
    let indices: Vec<u64> = with_mt(&args, |mt| {
        let mut out = Vec::with_capacity(k as usize);
        if n <= setsize {
            let mut pool: Vec<u64> = (0..n).collect();
            for i in 0..k {
                let j = mt.randbelow_u64(n - i) as usize;
                out.push(pool[j]);
                pool[j] = pool[(n - i - 1) as usize];
            }
        } else {
            let mut selected = HashSet::new();
            for _ in 0..k {
                let mut j = mt.randbelow_u64(n);
                while selected.contains(&j) {
                    j = mt.randbelow_u64(n);
                }
                selected.insert(j);
                out.push(j);
            }
        }
        out
    })?;
    let mut result = Vec::with_capacity(indices.len());
    for i in indices {
        result.push(vm.getitem(population, &Value::from(i as usize))?);
    }
    Ok(Value::list(result))
}

fn uniform(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "uniform", 3, 3)?;
    let a = arg_f64(&args.pos[1])?;
    let b = arg_f64(&args.pos[2])?;
    let r = with_mt(&args, Mt::random)?;
    Ok(Value::Float(a + (b - a) * r))
}

fn gauss(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "gauss", 1, 3)?;
    let mu = args
        .pos
        .get(1)
        .or(args.kwarg("mu"))
        .map(arg_f64)
        .transpose()?
        .unwrap_or(0.0);
    let sigma = args
        .pos
        .get(2)
        .or(args.kwarg("sigma"))
        .map(arg_f64)
        .transpose()?
        .unwrap_or(1.0);
    Ok(Value::Float(with_mt(&args, |mt| mt.gauss(mu, sigma))?))
}

fn expovariate(_vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "expovariate", 2, 2)?;
    let lambd = arg_f64(&args.pos[1])?;
    if lambd == 0.0 {
        return Err(crate::vm::errors::zero_division_error("float division by zero"));
    }
    let r = with_mt(&args, Mt::random)?;
    Ok(Value::Float(-(1.0 - r).ln() / lambd))
}

/// Lib/random.py choices: `floor(random() * n)` unweighted, bisect over cumulative weights.
fn choices(vm: &mut Vm, args: Args<'_>) -> PyResult<Value> {
    arity(&args, "choices", 2, 3)?;
    let population = &args.pos[1];
    let n = vm.len(population)?;
    let k = match args.kwarg("k") {
        // `_repeat(None, k)` takes a C ssize_t; a negative count means none.
        Some(k) => match int_arg(k)?.to_i64() {
            Some(k) => usize::try_from(k).unwrap_or(0),
            None => {
                return Err(crate::vm::errors::overflow_error(
                    "Python int too large to convert to C ssize_t",
                ))
            }
        },
        None => 1,
    };
    // The result list holds k values: refuse absurd sizes as MemoryError before drawing.
    crate::builtins::limits::check_result_size(k, std::mem::size_of::<Value>())?;
    let weights = args.pos.get(2).or(args.kwarg("weights")).filter(|w| !w.is_none());
    let cum = args.kwarg("cum_weights").filter(|w| !w.is_none());
    let cum_weights: Option<Vec<f64>> = match (weights, cum) {
        (Some(_), Some(_)) => return Err(type_error("Cannot specify both weights and cumulative weights")),
        (Some(w), None) => {
            let mut acc = 0.0;
            let mut out = Vec::new();
            for w in vm.collect(w)? {
                acc += arg_f64(&w)?;
                out.push(acc);
            }
            Some(out)
        }
        (None, Some(c)) => Some(vm.collect(c)?.iter().map(arg_f64).collect::<PyResult<_>>()?),
        (None, None) => None,
    };
    let indices: Vec<usize> = match cum_weights {
        None => {
            let nf = n as f64;
            with_mt(&args, |mt| {
                (0..k).map(|_| (mt.random() * nf).floor() as usize).collect()
            })?
        }
        Some(cw) => {
            if cw.len() != n {
                return Err(value_error("The number of weights does not match the population"));
            }
            let total = cw.last().copied().unwrap_or(0.0);
            if total <= 0.0 {
                return Err(value_error("Total of weights must be greater than zero"));
            }
            if !total.is_finite() {
                return Err(value_error("Total of weights must be finite"));
            }
            let hi = n - 1;
            with_mt(&args, |mt| {
                (0..k)
                    .map(|_| {
                        // bisect_right(cum_weights, x, 0, hi)
                        let x = mt.random() * total;
                        cw[..hi].partition_point(|w| *w <= x)
                    })
                    .collect()
            })?
        }
    };
    let mut out = Vec::with_capacity(indices.len());
    for i in indices {
        out.push(vm.getitem(population, &Value::from(i))?);
    }
    Ok(Value::list(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values recorded from CPython 3.11: `random.seed(42); random.random(); ...`.
    #[test]
    fn matches_cpython_seed_42() {
        let mut mt = Mt::new();
        mt.seed_int(&BigInt::from(42));
        assert_eq!(mt.random(), 0.6394267984578837);
        // randint(1, 100) = 1 + _randbelow(100)
        assert_eq!(1 + mt.randbelow_u64(100), 4);
        assert_eq!(mt.getrandbits(70), "281774556622676705531".parse::<BigInt>().unwrap());
        // randrange(0, 1000, 7) = 7 * _randbelow(143)
        assert_eq!(7 * mt.randbelow_u64(143), 399);
        // choice('abcdef')
        assert_eq!(mt.randbelow_u64(6), 1);
        let mut l: Vec<u32> = (0..10).collect();
        for i in (1..10).rev() {
            let j = mt.randbelow_u64(i as u64 + 1) as usize;
            l.swap(i, j);
        }
        assert_eq!(l, [7, 2, 5, 6, 0, 3, 4, 9, 8, 1]);
    }

    #[test]
    fn seeds_by_absolute_value_words() {
        let cases: [(BigInt, f64); 4] = [
            ((BigInt::one() << 100usize) + 12345, 0.44487310994347073),
            (BigInt::from(-7), 0.32383276483316237),
            (BigInt::from(0), 0.8444218515250481),
            (BigInt::from(1), 0.13436424411240122),
        ];
        for (seed, want) in cases {
            let mut mt = Mt::new();
            mt.seed_int(&seed);
            assert_eq!(mt.random(), want, "seed {seed}");
        }
        let mut mt = Mt::new();
        mt.seed_int(&BigInt::from(hash_f64(1.5)));
        assert_eq!(mt.random(), 0.551763726942059);
    }
}
