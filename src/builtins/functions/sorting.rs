//! Stable sorting with a fallible `<` (for `sorted` and `list.sort`).
//!
//! The comparison order follows CPython's timsort (Objects/listobject.c: `count_run`, then
//! `binarysort` for runs shorter than `minrun`), so a failing comparison raises the same
//! error as CPython (`'<' not supported between instances of 'str' and 'int'`) and key
//! functions with side effects see the same calls. Merging runs is a plain stable merge
//! rather than galloping; the result is the same for any consistent `<`.

use crate::vm::value::Value;
use crate::vm::vm::Vm;
use crate::vm::PyResult;

/// Sorts `items` in place: by `key(item)` when given, descending when `reverse`, stably.
/// On error the items are left in their original order.
pub fn sort_values(vm: &mut Vm, items: &mut Vec<Value>, key: Option<&Value>, reverse: bool) -> PyResult<()> {
    if items.len() < 2 && key.is_none() {
        return Ok(());
    }
    let keys: Vec<Value> = match key {
        Some(f) if !f.is_none() => {
            let mut ks = Vec::with_capacity(items.len());
            for it in items.iter() {
                ks.push(vm.call(f, std::slice::from_ref(it))?);
            }
            ks
        }
        _ => items.clone(),
    };
    let mut order: Vec<usize> = (0..items.len()).collect();
    // CPython reverses before and after sorting so equal elements keep their order.
    if reverse {
        order.reverse();
    }
    sort_indices(vm, &keys, &mut order)?;
    if reverse {
        order.reverse();
    }
    let sorted: Vec<Value> = order.iter().filter_map(|&i| items.get(i).cloned()).collect();
    *items = sorted;
    Ok(())
}

fn lt(vm: &mut Vm, keys: &[Value], a: usize, b: usize) -> PyResult<bool> {
    match (keys.get(a), keys.get(b)) {
        (Some(x), Some(y)) => vm.lt(x, y),
        _ => Ok(false),
    }
}

fn compute_minrun(mut n: usize) -> usize {
    let mut r = 0;
    while n >= 64 {
        r |= n & 1;
        n >>= 1;
    }
    n + r
}

/// Sorts the index permutation `a` by `keys`.
fn sort_indices(vm: &mut Vm, keys: &[Value], a: &mut [usize]) -> PyResult<()> {
    let n = a.len();
    if n < 2 {
        return Ok(());
    }
    let minrun = compute_minrun(n);
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut lo = 0;
    while lo < n {
        let (mut run, descending) = count_run(vm, keys, &a[lo..])?;
        if descending {
            a[lo..lo + run].reverse();
        }
        if run < minrun {
            let force = minrun.min(n - lo);
            binary_sort(vm, keys, &mut a[lo..lo + force], run)?;
            run = force;
        }
        runs.push((lo, run));
        lo += run;
    }
    while runs.len() > 1 {
        let mut next = Vec::with_capacity(runs.len().div_ceil(2));
        for pair in runs.chunks(2) {
            match pair {
                [(s1, l1), (_, l2)] => {
                    merge(vm, keys, &mut a[*s1..*s1 + *l1 + *l2], *l1)?;
                    next.push((*s1, *l1 + *l2));
                }
                [single] => next.push(*single),
                _ => {}
            }
        }
        runs = next;
    }
    Ok(())
}

/// Objects/listobject.c `count_run`: the length of the run at the start of `a`, and whether
/// it is strictly descending.
fn count_run(vm: &mut Vm, keys: &[Value], a: &[usize]) -> PyResult<(usize, bool)> {
    if a.len() < 2 {
        return Ok((a.len(), false));
    }
    let mut n = 2;
    if lt(vm, keys, a[1], a[0])? {
        while n < a.len() && lt(vm, keys, a[n], a[n - 1])? {
            n += 1;
        }
        Ok((n, true))
    } else {
        while n < a.len() && !lt(vm, keys, a[n], a[n - 1])? {
            n += 1;
        }
        Ok((n, false))
    }
}

/// Objects/listobject.c `binarysort`: `a[..start]` is sorted; inserts the rest one by one.
fn binary_sort(vm: &mut Vm, keys: &[Value], a: &mut [usize], start: usize) -> PyResult<()> {
    for i in start.max(1)..a.len() {
        let pivot = a[i];
        let (mut l, mut r) = (0, i);
        while l < r {
            let p = l + ((r - l) >> 1);
            if lt(vm, keys, pivot, a[p])? {
                r = p;
            } else {
                l = p + 1;
            }
        }
        a[l..=i].rotate_right(1);
    }
    Ok(())
}

/// Merges the sorted halves `a[..mid]` and `a[mid..]`, stably.
fn merge(vm: &mut Vm, keys: &[Value], a: &mut [usize], mid: usize) -> PyResult<()> {
    let left = a[..mid].to_vec();
    let right = a[mid..].to_vec();
    let (mut i, mut j, mut k) = (0, 0, 0);
    while i < left.len() && j < right.len() {
        if lt(vm, keys, right[j], left[i])? {
            a[k] = right[j];
            j += 1;
        } else {
            a[k] = left[i];
            i += 1;
        }
        k += 1;
    }
    for &x in left[i..].iter().chain(&right[j..]) {
        a[k] = x;
        k += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::compute_minrun;

    #[test]
    fn minrun_matches_cpython() {
        assert_eq!(compute_minrun(63), 63);
        assert_eq!(compute_minrun(64), 32);
        assert_eq!(compute_minrun(65), 33);
        assert_eq!(compute_minrun(2112), 33);
    }
}
