//! The disassembler behind `gilsim dis`: every code object's instructions next to the
//! source lines they came from, so learners can see why `counter += 1` is several steps.

use std::fmt::Write;

use super::bytecode::{Code, Op};
use crate::vm::format::repr_const;

/// Disassembles `code` and every code object nested in it, outermost first.
pub fn disassemble(code: &Code, global_names: &[std::sync::Arc<str>]) -> String {
    let mut out = String::new();
    let mut queue = vec![code];
    while let Some(c) = queue.pop() {
        if !out.is_empty() {
            out.push('\n');
        }
        disassemble_one(c, global_names, &mut out);
        // Nested code in definition order.
        for f in c.functions.iter().rev() {
            queue.push(f);
        }
    }
    out
}

fn disassemble_one(code: &Code, global_names: &[std::sync::Arc<str>], out: &mut String) {
    let _ = writeln!(out, "Disassembly of {} (line {}):", code.qualname, code.first_line);
    let mut last_line = 0;
    for (ip, op) in code.ops.iter().enumerate() {
        let line = code.line_of(ip);
        if line != last_line {
            let _ = writeln!(out, "{:>4} | {}", line, code.source.line_text(line).trim());
            last_line = line;
        }
        let (name, arg) = op_parts(op);
        let detail = describe_arg(code, global_names, op);
        let target = if op.jump_target().is_some() { "  >>" } else { "" };
        let _ = target;
        match arg {
            Some(a) if !detail.is_empty() => {
                let _ = writeln!(out, "     {:>5}  {:<22}{:>4} ({})", ip, name, a, detail);
            }
            Some(a) => {
                let _ = writeln!(out, "     {:>5}  {:<22}{:>4}", ip, name, a);
            }
            None if !detail.is_empty() => {
                let _ = writeln!(out, "     {:>5}  {:<22}     ({})", ip, name, detail);
            }
            None => {
                let _ = writeln!(out, "     {:>5}  {}", ip, name);
            }
        }
    }
}

/// The instruction's name in CPython's SCREAMING_SNAKE style, and its numeric operand.
pub fn op_parts(op: &Op) -> (String, Option<u32>) {
    let dbg = format!("{:?}", op);
    let (head, arg) = match dbg.find('(') {
        Some(i) => (&dbg[..i], Some(&dbg[i + 1..dbg.len() - 1])),
        None => (dbg.as_str(), None),
    };
    let mut name = String::new();
    for (i, ch) in head.chars().enumerate() {
        if ch.is_uppercase() && i > 0 {
            name.push('_');
        }
        name.push(ch.to_ascii_uppercase());
    }
    match op {
        Op::Binary(b) | Op::Inplace(b) => {
            let _ = write!(name, "_{}", format!("{:?}", b).to_uppercase());
            (name, None)
        }
        Op::Compare(_) => (name, None),
        Op::LoadFastAttr(..) | Op::StoreFastAttr(..) => (name, None),
        _ => (name, arg.and_then(|a| a.parse().ok())),
    }
}

fn describe_arg(code: &Code, global_names: &[std::sync::Arc<str>], op: &Op) -> String {
    use Op::*;
    let name = |i: u32| code.names.get(i as usize).map(|s| s.to_string()).unwrap_or_default();
    match *op {
        LoadConst(k) => code.consts.get(k as usize).map(repr_const).unwrap_or_default(),
        LoadFast(i) | StoreFast(i) | DeleteFast(i) => {
            code.varnames.get(i as usize).map(|s| s.to_string()).unwrap_or_default()
        }
        LoadDeref(i) | StoreDeref(i) | DeleteDeref(i) => code
            .cellvars
            .iter()
            .chain(code.freevars.iter())
            .nth(i as usize)
            .map(|s| s.to_string())
            .unwrap_or_default(),
        LoadGlobal(g) | StoreGlobal(g) | DeleteGlobal(g) => {
            global_names.get(g as usize).map(|s| s.to_string()).unwrap_or_default()
        }
        LoadName(i) | StoreName(i) | DeleteName(i) | LoadAttr(i) | StoreAttr(i) | DeleteAttr(i) | LoadMethod(i)
        | ImportName(i) | ImportFrom(i) => name(i),
        LoadFastAttr(l, n) | StoreFastAttr(l, n) => format!(
            "{}.{}",
            code.varnames.get(l as usize).map(|s| s.to_string()).unwrap_or_default(),
            name(n as u32)
        ),
        MakeFunction(k) => code
            .functions
            .get(k as usize)
            .map(|c| format!("<code {}>", c.qualname))
            .unwrap_or_default(),
        Compare(c) => cmp_symbol(c).to_string(),
        ForIter(t) | Jump(t) | JumpBack(t) | PopJumpIfFalse(t) | PopJumpIfTrue(t) | JumpIfFalseOrPop(t)
        | JumpIfTrueOrPop(t) | SetupFinally(t) | SetupWith(t) => {
            format!("to {}", t)
        }
        FormatValue(c) => {
            let conv = ["", "!s", "!r", "!a"][(c & 3) as usize];
            let spec = if c & 4 != 0 { " with spec" } else { "" };
            format!("{}{}", conv, spec).trim().to_string()
        }
        _ => String::new(),
    }
}

fn cmp_symbol(c: crate::syntax::ast::CmpOp) -> &'static str {
    use crate::syntax::ast::CmpOp::*;
    match c {
        Eq => "==",
        NotEq => "!=",
        Lt => "<",
        LtE => "<=",
        Gt => ">",
        GtE => ">=",
        In => "in",
        NotIn => "not in",
        Is => "is",
        IsNot => "is not",
    }
}
