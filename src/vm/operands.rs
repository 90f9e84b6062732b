//! The operand fast paths of the dispatch loop: arithmetic and comparisons of ints and
//! floats done where the operands lie on the stack, falling back to the general operators
//! (src/vm/ops.rs) for everything else. CPython 3.11 specializes the same cases
//! (Python/specialize.c: BINARY_OP_ADD_INT, COMPARE_OP_INT_JUMP and their float forms).

use super::ops;
use super::value::Value;
use super::vm::Vm;
use super::PyResult;
use crate::syntax::ast::{BinOp, CmpOp};

impl Vm {
    /// `a op b` for the two ints or floats on top of the stack, when no general machinery is
    /// needed (no overflow, no division by zero); the operands stay where they are.
    #[inline(always)]
    pub(super) fn peek_arith(&self, bop: BinOp) -> Option<Value> {
        let n = self.stack.len();
        match (&self.stack[n - 2], &self.stack[n - 1]) {
            (Value::Int(x), Value::Int(y)) => ops::int_fast(bop, *x, *y),
            (Value::Float(x), Value::Float(y)) => ops::float_fast(bop, *x, *y),
            (Value::Float(x), Value::Int(y)) => ops::float_fast(bop, *x, *y as f64),
            (Value::Int(x), Value::Float(y)) => ops::float_fast(bop, *x as f64, *y),
            _ => None,
        }
    }

    /// An ordering comparison of the two ints or floats on top of the stack, left in place.
    #[inline(always)]
    pub(super) fn peek_compare(&self, op: CmpOp) -> Option<bool> {
        if !op.is_ordering() {
            return None;
        }
        let n = self.stack.len();
        match (&self.stack[n - 2], &self.stack[n - 1]) {
            (Value::Int(x), Value::Int(y)) => Some(ops::cmp_ints(op, *x, *y)),
            (Value::Float(x), Value::Float(y)) => Some(ops::cmp_floats(op, *x, *y)),
            _ => None,
        }
    }

    /// Removes the top two operands once `peek_arith`/`peek_compare` has used them. Both are
    /// ints or floats, so there is nothing to drop, and moving them out and back in (which
    /// costs store-forwarding stalls on this enum's layout) is skipped.
    #[inline(always)]
    pub(super) fn pop_two_immediates(&mut self) {
        let n = self.stack.len();
        debug_assert!(self.stack[n - 2].is_immediate() && self.stack[n - 1].is_immediate());
        // SAFETY: shrinking a Vec's length is always sound (every element below the new
        // length stays initialised); the two elements left behind own no heap memory.
        unsafe { self.stack.set_len(n - 2) }
    }

    /// `a op b` for `Binary`/`Inplace` once `peek_arith` has declined: the general
    /// operators. Numbers have no in-place form, so they always take `binary_op`.
    #[inline(always)]
    pub(super) fn binary_values(&mut self, bop: BinOp, inplace: bool, a: Value, b: Value) -> PyResult<Value> {
        let numbers = matches!(
            (&a, &b),
            (Value::Int(_) | Value::Float(_), Value::Int(_) | Value::Float(_))
        );
        if inplace && !numbers {
            self.inplace_op(bop, a, b)
        } else {
            self.binary_op(bop, a, b)
        }
    }

    /// `a op b` for `Compare` once `peek_compare` has declined: identity and membership,
    /// or a rich comparison, which may return any value.
    #[inline(always)]
    pub(super) fn compare_values(&mut self, op: CmpOp, a: Value, b: Value) -> PyResult<Value> {
        let r = match op {
            CmpOp::Is => a.is(&b),
            CmpOp::IsNot => !a.is(&b),
            CmpOp::In => self.contains(&b, &a)?,
            CmpOp::NotIn => !self.contains(&b, &a)?,
            _ => return self.rich_compare(&a, &b, op),
        };
        Ok(Value::Bool(r))
    }
}
