//! Quickening: a copy of a code object's instructions with common pairs fused into
//! superinstructions, as CPython 3.11 does when it quickens code (Python/specialize.c
//! `_PyCode_Quicken`, with LOAD_FAST__LOAD_FAST, LOAD_FAST__LOAD_CONST,
//! STORE_FAST__LOAD_FAST and COMPARE_OP followed by a jump).
//!
//! A superinstruction replaces only the first instruction of its pair; the second stays in
//! place and is skipped. Indices do not move, so line tables, jump targets and exception
//! handlers are shared with the original, and a jump to the second instruction runs it
//! alone. `dis` shows the original; loops that count instructions (the old GIL's check
//! interval, virtual time) run the original too, so their counts are unchanged.

use super::bytecode::Op;

/// `ops` with pairs fused, left to right.
pub fn quicken(ops: &[Op]) -> Vec<Op> {
    let mut quick = ops.to_vec();
    let mut i = 0;
    while i + 1 < ops.len() {
        match fuse(ops[i], ops[i + 1]) {
            Some(fused) => {
                quick[i] = fused;
                i += 2;
            }
            None => i += 1,
        }
    }
    quick
}

fn fuse(first: Op, second: Op) -> Option<Op> {
    let small = |i: u32| u16::try_from(i).ok();
    Some(match (first, second) {
        (Op::LoadFast(a), Op::LoadFast(b)) => Op::LoadFastLoadFast(small(a)?, small(b)?),
        (Op::LoadFast(a), Op::LoadConst(k)) => Op::LoadFastLoadConst(small(a)?, small(k)?),
        (Op::StoreFast(a), Op::LoadFast(b)) => Op::StoreFastLoadFast(small(a)?, small(b)?),
        (Op::Binary(op), Op::StoreFast(a)) => Op::BinaryStoreFast(op, false, small(a)?),
        (Op::Inplace(op), Op::StoreFast(a)) => Op::BinaryStoreFast(op, true, small(a)?),
        (Op::Compare(op), Op::PopJumpIfFalse(t)) => Op::CompareJumpIfFalse(op, t),
        (Op::Compare(op), Op::PopJumpIfTrue(t)) => Op::CompareJumpIfTrue(op, t),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::ast::{BinOp, CmpOp};

    #[test]
    fn pairs_fuse_left_to_right_and_keep_their_second_instruction() {
        let ops = [
            Op::LoadFast(0),
            Op::LoadConst(1),
            Op::Compare(CmpOp::Gt),
            Op::PopJumpIfFalse(9),
            Op::LoadFast(0),
            Op::LoadFast(1),
            Op::LoadFast(2),
            Op::Inplace(BinOp::Sub),
            Op::StoreFast(0),
            Op::Return,
        ];
        let quick = quicken(&ops);
        assert_eq!(quick.len(), ops.len());
        assert_eq!(quick[0], Op::LoadFastLoadConst(0, 1));
        assert_eq!(quick[2], Op::CompareJumpIfFalse(CmpOp::Gt, 9));
        assert_eq!(quick[4], Op::LoadFastLoadFast(0, 1));
        // LoadFast(2) could only pair with the Inplace after it: it stays alone.
        assert_eq!(quick[6], Op::LoadFast(2));
        assert_eq!(quick[7], Op::BinaryStoreFast(BinOp::Sub, true, 0));
        for i in [1, 3, 5, 8, 9] {
            assert_eq!(quick[i], ops[i], "the second of a pair stays in place");
        }
    }

    #[test]
    fn operands_too_wide_for_a_superinstruction_stay_unfused() {
        let ops = [Op::LoadFast(70_000), Op::LoadFast(1), Op::Return];
        assert_eq!(quicken(&ops), ops.to_vec());
    }
}
