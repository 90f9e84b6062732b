//! From a file to a result: read, parse, compile and run a program, and turn every failure
//! into a rendered diagnostic and an exit code.

use std::path::Path;
use std::sync::Arc;

use crate::compile::{compile_module, CompileError, CompiledModule};
use crate::syntax::source::SourceFile;
use crate::syntax::{parse_module, render_syntax_errors, SyntaxError, SyntaxErrorKind};
use crate::vm::errors::PyErr;
use crate::vm::frame::Frame;
use crate::vm::objects::Module;
use crate::vm::types::exc;
use crate::vm::value::Value;
use crate::vm::vm::Vm;
use crate::vm::PyResult;

/// A program that could not be compiled: the rendered diagnostics.
#[derive(Debug)]
pub struct Diagnostics {
    pub rendered: String,
    pub first: SyntaxError,
}

/// Reads a source file, rejecting what is not UTF-8 with a located error.
pub fn read_source(path: &Path) -> Result<Arc<SourceFile>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("gilsim: can't open file '{}': {}", path.display(), e))?;
    let name = path.display().to_string();
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(name, text)),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let line = bytes[..valid].iter().filter(|&&b| b == b'\n').count() + 1;
            Err(format!(
                "  File \"{}\", line {}\nSyntaxError: (unicode error) 'utf-8' codec can't decode byte 0x{:02x} in position {}: invalid start byte",
                name, line, bytes[valid], valid
            ))
        }
    }
}

/// Parses and compiles a source file.
pub fn compile_source(src: &Arc<SourceFile>, color: bool) -> Result<CompiledModule, Diagnostics> {
    let module = parse_module(src).map_err(|errors| Diagnostics {
        rendered: render_syntax_errors(src, &errors, color),
        first: errors[0].clone(),
    })?;
    let compiled = compile_module(&module, src);
    // A deep AST is dismantled iteratively by the parser's limits; dropping it here is bounded.
    drop(module);
    compiled.map_err(|e: CompileError| {
        let err = SyntaxError { kind: SyntaxErrorKind::SyntaxError, message: e.message, span: e.span };
        Diagnostics { rendered: render_syntax_errors(src, std::slice::from_ref(&err), color), first: err }
    })
}

/// Runs compiled module code as module `name`, returning the module.
pub fn run_module_code(vm: &mut Vm, name: &str, compiled: &CompiledModule) -> PyResult<Arc<Module>> {
    let module = Module::new(name, &compiled.global_names);
    module.set("__name__", Value::str(name));
    module.set("__file__", Value::str(compiled.code.filename()));
    module.set("__doc__", compiled.code.docstring.as_ref().map(|d| Value::str(d)).unwrap_or(Value::None));
    vm.interp.modules.lock().insert(name.to_string(), module.clone());
    let stack = Vec::new();
    let frame = Frame::new(compiled.code.clone(), module.clone(), Vec::new(), stack);
    vm.run_frame(frame)?;
    Ok(module)
}

/// `import name` of a `.py` file beside the main script.
pub fn import_file(vm: &mut Vm, name: &str, path: &Path) -> PyResult<Arc<Module>> {
    let src = read_source(path).map_err(|msg| PyErr::new(&exc().syntax_error, msg))?;
    let compiled = compile_source(&src, false).map_err(|d| {
        let kind = match d.first.kind {
            SyntaxErrorKind::SyntaxError => &exc().syntax_error,
            SyntaxErrorKind::IndentationError => &exc().indentation_error,
            SyntaxErrorKind::TabError => &exc().tab_error,
        };
        PyErr::new(kind, format!("{} ({}, line {})", d.first.message, path.display(), src.line_of(d.first.span.start)))
    })?;
    match run_module_code(vm, name, &compiled) {
        Ok(m) => Ok(m),
        Err(e) => {
            vm.interp.modules.lock().remove(name);
            Err(e)
        }
    }
}
