//! Compiled modules as bytes, so a worker process can take its parent's compiled library
//! instead of compiling it again: CPython's `.pyc` files serve the same purpose
//! (Lib/importlib/_bootstrap_external.py `_code_to_timestamp_pyc`, Python/marshal.c).
//!
//! The image is flat: every code object of every module sits in one list, and a function
//! refers to the code of its nested functions by index, so decoding needs no recursion.
//! Strings (names, constants, docstrings) are stored once in a table and interned again
//! on the way in, which keeps the pointer equality that attribute lookups rely on. Each
//! module records a hash of its source: an image built from other text is refused.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use num_bigint::BigInt;
use serde::{Deserialize, Serialize};

use super::bytecode::{Code, CodeFlags, Op};
use super::CompiledModule;
use crate::syntax::ast::Span;
use crate::syntax::source::SourceFile;
use crate::vm::value::Value;

/// Bumped whenever the layout below or the meaning of an instruction changes.
const FORMAT: u32 = 1;

#[derive(Serialize, Deserialize)]
struct Image {
    format: u32,
    strings: Vec<String>,
    codes: Vec<CodeImage>,
    modules: Vec<ModuleImage>,
}

#[derive(Serialize, Deserialize)]
struct ModuleImage {
    name: String,
    source_hash: u64,
    /// Index in `codes` of the module's code.
    code: u32,
    global_names: Vec<u32>,
}

#[derive(Serialize, Deserialize)]
struct CodeImage {
    name: u32,
    qualname: u32,
    ops: Vec<Op>,
    spans: Vec<(u32, u32)>,
    consts: Vec<Const>,
    /// Indices in `codes`.
    functions: Vec<u32>,
    names: Vec<u32>,
    varnames: Vec<u32>,
    cellvars: Vec<u32>,
    freevars: Vec<u32>,
    closure_sources: Vec<u32>,
    cell_params: Vec<(u32, u32)>,
    posonly_count: u32,
    arg_count: u32,
    kwonly_count: u32,
    flags: CodeFlags,
    first_line: u32,
    docstring: Option<u32>,
}

/// The constants the compiler emits (src/compile/expr.rs): literals, and tuples of names
/// for keyword calls.
#[derive(Serialize, Deserialize)]
enum Const {
    None,
    Bool(bool),
    Ellipsis,
    Int(i64),
    BigInt(Vec<u8>),
    Float(f64),
    Str(u32),
    Bytes(Vec<u8>),
    StrTuple(Vec<u32>),
}

/// A hash of a module's source text, to check an image against the text it came from.
pub fn source_hash(text: &str) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    text.hash(&mut h);
    h.finish()
}

#[derive(Default)]
struct Encoder {
    strings: Vec<String>,
    index: HashMap<String, u32>,
    codes: Vec<CodeImage>,
}

impl Encoder {
    fn string(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.strings.len() as u32;
        self.strings.push(s.to_string());
        self.index.insert(s.to_string(), i);
        i
    }

    fn strings(&mut self, names: &[Arc<str>]) -> Vec<u32> {
        names.iter().map(|n| self.string(n)).collect()
    }

    fn constant(&mut self, v: &Value) -> Result<Const, String> {
        Ok(match v {
            Value::None => Const::None,
            Value::Bool(b) => Const::Bool(*b),
            Value::Ellipsis => Const::Ellipsis,
            Value::Int(i) => Const::Int(*i),
            Value::BigInt(b) => Const::BigInt(b.to_signed_bytes_le()),
            Value::Float(f) => Const::Float(*f),
            Value::Str(s) => Const::Str(self.string(s.as_str())),
            Value::Bytes(b) => Const::Bytes((**b).clone()),
            Value::Tuple(items) => Const::StrTuple(
                items
                    .iter()
                    .map(|item| match item {
                        Value::Str(s) => Ok(self.string(s.as_str())),
                        _ => Err("a constant tuple of something other than names".to_string()),
                    })
                    .collect::<Result<_, _>>()?,
            ),
            other => return Err(format!("a constant of type {}", crate::vm::types::type_name(other))),
        })
    }

    /// Adds `root` and every code object nested in it; returns the index of `root`.
    fn code_tree(&mut self, root: &Arc<Code>) -> Result<u32, String> {
        // Depth-first with an explicit stack: each code's image is written once all its
        // nested functions have indices.
        let mut done: HashMap<*const Code, u32> = HashMap::new();
        let mut stack = vec![root.clone()];
        while let Some(code) = stack.last().cloned() {
            let pending: Vec<Arc<Code>> = code
                .functions
                .iter()
                .filter(|f| !done.contains_key(&Arc::as_ptr(f)))
                .cloned()
                .collect();
            if !pending.is_empty() {
                stack.extend(pending);
                continue;
            }
            stack.pop();
            let functions = code.functions.iter().map(|f| done[&Arc::as_ptr(f)]).collect();
            let image = self.code(&code, functions)?;
            let i = self.codes.len() as u32;
            self.codes.push(image);
            done.insert(Arc::as_ptr(&code), i);
        }
        Ok(done[&Arc::as_ptr(root)])
    }

    fn code(&mut self, c: &Code, functions: Vec<u32>) -> Result<CodeImage, String> {
        Ok(CodeImage {
            name: self.string(&c.name),
            qualname: self.string(&c.qualname),
            ops: c.ops.clone(),
            spans: c.spans.iter().map(|s| (s.start, s.end)).collect(),
            consts: c.consts.iter().map(|v| self.constant(v)).collect::<Result<_, _>>()?,
            functions,
            names: self.strings(&c.names),
            varnames: self.strings(&c.varnames),
            cellvars: self.strings(&c.cellvars),
            freevars: self.strings(&c.freevars),
            closure_sources: c.closure_sources.clone(),
            cell_params: c.cell_params.clone(),
            posonly_count: c.posonly_count,
            arg_count: c.arg_count,
            kwonly_count: c.kwonly_count,
            flags: c.flags,
            first_line: c.first_line,
            docstring: c.docstring.as_ref().map(|d| self.string(d)),
        })
    }
}

/// Encodes compiled modules: `(module name, source text, compiled)`.
pub fn encode<'a>(
    modules: impl IntoIterator<Item = (&'a str, &'a str, &'a CompiledModule)>,
) -> Result<Vec<u8>, String> {
    let mut e = Encoder::default();
    let mut images = Vec::new();
    for (name, text, compiled) in modules {
        let code = e.code_tree(&compiled.code)?;
        let global_names = e.strings(&compiled.global_names);
        images.push(ModuleImage {
            name: name.to_string(),
            source_hash: source_hash(text),
            code,
            global_names,
        });
    }
    let image = Image {
        format: FORMAT,
        strings: e.strings,
        codes: e.codes,
        modules: images,
    };
    postcard::to_stdvec(&image).map_err(|e| e.to_string())
}

/// Decodes an image. `source_of(name)` gives a module's source file (whose text must hash
/// as recorded), or None to skip that module. Any inconsistency is an error, never a panic.
pub fn decode(
    bytes: &[u8],
    mut source_of: impl FnMut(&str) -> Option<Arc<SourceFile>>,
) -> Result<Vec<(String, CompiledModule)>, String> {
    let image: Image = postcard::from_bytes(bytes).map_err(|e| format!("unreadable image: {e}"))?;
    if image.format != FORMAT {
        return Err(format!("image format {} (this gilsim reads {FORMAT})", image.format));
    }
    let strings: Vec<Arc<str>> = image.strings.iter().map(|s| Arc::from(s.as_str())).collect();
    let string = |i: u32| {
        strings
            .get(i as usize)
            .cloned()
            .ok_or_else(|| format!("string {i} out of range"))
    };
    let strs = |v: &[u32]| v.iter().map(|&i| string(i)).collect::<Result<Vec<_>, _>>();

    let mut out = Vec::new();
    for m in &image.modules {
        let Some(source) = source_of(&m.name) else { continue };
        if source_hash(&source.text) != m.source_hash {
            return Err(format!("module {} was compiled from another source", m.name));
        }
        // Codes are listed children first, so one pass in order builds every one.
        let mut built: Vec<Option<Arc<Code>>> = vec![None; image.codes.len()];
        let needed = reachable(&image.codes, m.code)?;
        for &i in &needed {
            let c = &image.codes[i];
            let functions = c
                .functions
                .iter()
                .map(|&f| {
                    built
                        .get(f as usize)
                        .cloned()
                        .flatten()
                        .ok_or_else(|| format!("code {i} refers to code {f} before it"))
                })
                .collect::<Result<Vec<_>, _>>()?;
            let consts = c
                .consts
                .iter()
                .map(|k| {
                    Ok(match k {
                        Const::None => Value::None,
                        Const::Bool(b) => Value::Bool(*b),
                        Const::Ellipsis => Value::Ellipsis,
                        Const::Int(i) => Value::Int(*i),
                        Const::BigInt(b) => Value::from_bigint(BigInt::from_signed_bytes_le(b)),
                        Const::Float(f) => Value::Float(*f),
                        Const::Str(s) => Value::str(&string(*s)?),
                        Const::Bytes(b) => Value::Bytes(Arc::new(b.clone())),
                        Const::StrTuple(items) => Value::tuple(
                            items
                                .iter()
                                .map(|&s| Ok(Value::str(&string(s)?)))
                                .collect::<Result<Vec<_>, String>>()?,
                        ),
                    })
                })
                .collect::<Result<Vec<_>, String>>()?;
            if c.spans.len() != c.ops.len() {
                return Err(format!(
                    "code {i} has {} spans for {} instructions",
                    c.spans.len(),
                    c.ops.len()
                ));
            }
            check_operands(c, functions.len(), consts.len())?;
            let code = Code {
                name: string(c.name)?,
                qualname: string(c.qualname)?,
                quick: super::quicken::quicken(&c.ops),
                ops: c.ops.clone(),
                spans: c.spans.iter().map(|&(s, e)| Span { start: s, end: e }).collect(),
                consts,
                functions,
                names: strs(&c.names)?,
                varnames: strs(&c.varnames)?,
                cellvars: strs(&c.cellvars)?,
                freevars: strs(&c.freevars)?,
                closure_sources: c.closure_sources.clone(),
                cell_params: c.cell_params.clone(),
                posonly_count: c.posonly_count,
                arg_count: c.arg_count,
                kwonly_count: c.kwonly_count,
                flags: c.flags,
                source: source.clone(),
                first_line: c.first_line,
                docstring: c.docstring.map(string).transpose()?,
            };
            built[i] = Some(Arc::new(code));
        }
        let code = built[m.code as usize]
            .clone()
            .ok_or("the module's code was not built")?;
        out.push((
            m.name.clone(),
            CompiledModule {
                code,
                global_names: Arc::new(strs(&m.global_names)?),
            },
        ));
    }
    Ok(out)
}

/// The codes reachable from `root`, in index order; every reference must point to an
/// earlier code (children are written first), which also rules out cycles.
fn reachable(codes: &[CodeImage], root: u32) -> Result<Vec<usize>, String> {
    let mut seen = vec![false; codes.len()];
    let mut stack = vec![root as usize];
    while let Some(i) = stack.pop() {
        let c = codes.get(i).ok_or_else(|| format!("code {i} out of range"))?;
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        for &f in &c.functions {
            if f as usize >= i {
                return Err(format!("code {i} refers to code {f}, which is not before it"));
            }
            stack.push(f as usize);
        }
    }
    Ok((0..codes.len()).filter(|&i| seen[i]).collect())
}

/// Jump targets, constants, functions and names an instruction refers to must exist: the
/// dispatch loop indexes them without checking.
fn check_operands(c: &CodeImage, functions: usize, consts: usize) -> Result<(), String> {
    let n = c.ops.len();
    if n == 0 {
        return Err("a code object with no instructions".into());
    }
    for op in &c.ops {
        let bad = match *op {
            Op::LoadConst(k) => k as usize >= consts,
            Op::MakeFunction(f) => f as usize >= functions,
            Op::LoadAttr(i)
            | Op::StoreAttr(i)
            | Op::DeleteAttr(i)
            | Op::LoadMethod(i)
            | Op::LoadName(i)
            | Op::StoreName(i)
            | Op::DeleteName(i)
            | Op::ImportName(i)
            | Op::ImportFrom(i) => i as usize >= c.names.len(),
            Op::LoadFast(i) | Op::StoreFast(i) | Op::DeleteFast(i) => i as usize >= c.varnames.len(),
            Op::LoadFastAttr(l, a) | Op::StoreFastAttr(l, a) => {
                l as usize >= c.varnames.len() || a as usize >= c.names.len()
            }
            _ => op.jump_target().is_some_and(|t| t as usize >= n),
        };
        if bad {
            return Err(format!("instruction {op:?} refers to something that is not there"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compile(name: &str, text: &str) -> (Arc<SourceFile>, CompiledModule) {
        let src = SourceFile::new(name, text);
        let compiled = crate::driver::compile_source(&src, false).unwrap_or_else(|d| panic!("{}", d.rendered));
        (src, compiled)
    }

    fn dis(c: &CompiledModule) -> String {
        crate::compile::dis::disassemble(&c.code, &c.global_names)
    }

    const PROGRAM: &str = "\
import math
X = 2 ** 80
def outer(a, *rest, k=1.5, **kw):
    \"\"\"Docs.\"\"\"
    def inner(b):
        nonlocal a
        a += b
        return a, b'x', ..., None, True
    return inner(len(rest)) + (k,)
class C:
    def m(self, n):
        return [i * n for i in range(n) if i % 2]
print(outer(1, 2, 3, k=4, z=5), C().m(5), X, f'{X!r:>30}')
";

    #[test]
    fn a_decoded_module_disassembles_as_the_original() {
        let (src, compiled) = compile("m.py", PROGRAM);
        let bytes = encode([("m", PROGRAM, &compiled)]).expect("encodes");
        let decoded = decode(&bytes, |name| (name == "m").then(|| src.clone())).expect("decodes");
        assert_eq!(decoded.len(), 1);
        assert_eq!(decoded[0].0, "m");
        assert_eq!(dis(&decoded[0].1), dis(&compiled));
        assert_eq!(decoded[0].1.global_names, compiled.global_names);
    }

    #[test]
    fn names_are_interned_across_the_whole_image() {
        let (src, compiled) = compile("m.py", PROGRAM);
        let bytes = encode([("m", PROGRAM, &compiled)]).expect("encodes");
        let decoded = decode(&bytes, |_| Some(src.clone())).expect("decodes");
        let module = &decoded[0].1.code;
        let outer = &module.functions[0];
        let inner = &outer.functions[0];
        // `a` is a local of outer and a free variable of inner: one string.
        let a_outer = outer.cellvars.iter().find(|n| &***n == "a").expect("cell a");
        let a_inner = inner.freevars.iter().find(|n| &***n == "a").expect("free a");
        assert!(Arc::ptr_eq(a_outer, a_inner));
    }

    #[test]
    fn an_image_of_other_source_text_or_damaged_bytes_is_refused() {
        let (_, compiled) = compile("m.py", PROGRAM);
        let bytes = encode([("m", PROGRAM, &compiled)]).expect("encodes");
        let other = SourceFile::new("m.py", "print('other')\n");
        let err = decode(&bytes, |_| Some(other.clone())).err().expect("refused");
        assert!(err.contains("another source"), "{err}");
        let (src, _) = compile("m.py", PROGRAM);
        for cut in [0, 1, bytes.len() / 3, bytes.len() - 1] {
            assert!(decode(&bytes[..cut], |_| Some(src.clone())).is_err(), "cut at {cut}");
        }
        // Flipping bytes anywhere may decode to something else, but never panics.
        for i in (0..bytes.len()).step_by(7) {
            let mut damaged = bytes.clone();
            damaged[i] ^= 0x5a;
            let _ = decode(&damaged, |_| Some(src.clone()));
        }
    }

    #[test]
    fn modules_the_reader_does_not_know_are_skipped() {
        let (src, compiled) = compile("m.py", PROGRAM);
        let bytes = encode([("m", PROGRAM, &compiled)]).expect("encodes");
        let decoded = decode(&bytes, |_| None).expect("decodes");
        assert!(decoded.is_empty());
        drop(src);
    }
}
