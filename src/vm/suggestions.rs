//! "Did you mean: 'x'?" for NameError and AttributeError, with CPython 3.11's rules
//! (Python/suggestions.c: Levenshtein distance with a cheaper case change, a size cap, and
//! a maximum distance that grows with the names' lengths).

use super::objects::Class;
use super::types::type_of;
use super::value::Value;

const MAX_CANDIDATE_ITEMS: usize = 750;
const MAX_STRING_SIZE: usize = 40;
const MOVE_COST: usize = 2;
const CASE_COST: usize = 1;

fn substitution_cost(a: u8, b: u8) -> usize {
    if a == b {
        0
    } else if a.eq_ignore_ascii_case(&b) {
        CASE_COST
    } else {
        MOVE_COST
    }
}

/// Python/suggestions.c `levenshtein_distance`, giving up past `max_cost`.
fn distance(a: &str, b: &str, max_cost: usize) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a == b {
        return 0;
    }
    // Trim the common prefix and suffix.
    let pre = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[pre..], &b[pre..]);
    let suf = a.iter().rev().zip(b.iter().rev()).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[..a.len() - suf], &b[..b.len() - suf]);
    if a.is_empty() || b.is_empty() {
        return (a.len() + b.len()) * MOVE_COST;
    }
    if a.len() > MAX_STRING_SIZE || b.len() > MAX_STRING_SIZE {
        return max_cost + 1;
    }
    let (a, b) = if b.len() < a.len() { (b, a) } else { (a, b) };
    if (b.len() - a.len()) * MOVE_COST > max_cost {
        return max_cost + 1;
    }
    let mut row: Vec<usize> = (1..=a.len()).map(|i| i * MOVE_COST).collect();
    let mut result = 0;
    for (bi, &bc) in b.iter().enumerate() {
        let mut distance = bi * MOVE_COST;
        result = distance;
        let mut min_row = usize::MAX;
        for (ai, &ac) in a.iter().enumerate() {
            let substitute = distance + substitution_cost(bc, ac);
            distance = row[ai];
            let insert_delete = result.min(distance) + MOVE_COST;
            result = insert_delete.min(substitute);
            row[ai] = result;
            min_row = min_row.min(result);
        }
        if min_row > max_cost {
            return max_cost + 1;
        }
    }
    result
}

/// The closest candidate to `name`, if close enough (`calculate_suggestions`).
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let mut best: Option<(&str, usize)> = None;
    for (i, c) in candidates.into_iter().enumerate() {
        if i >= MAX_CANDIDATE_ITEMS {
            return None;
        }
        if c == name {
            continue;
        }
        let max = (name.len() + c.len() + 3) * MOVE_COST / 6;
        let limit = best.map(|(_, d)| d.saturating_sub(1)).unwrap_or(max).min(max);
        let d = distance(name, c, limit);
        if d > limit {
            continue;
        }
        if best.map(|(_, bd)| d < bd).unwrap_or(true) {
            best = Some((c, d));
        }
    }
    best.map(|(c, _)| c.to_string())
}

/// Attribute names an object offers, for AttributeError suggestions.
pub fn attribute_names(obj: &Value) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let push_class = |c: &Class, names: &mut Vec<String>| {
        names.extend(c.dict.read().keys().map(|k| k.to_string()));
        for b in &c.mro {
            names.extend(b.dict.read().keys().map(|k| k.to_string()));
        }
    };
    match obj {
        Value::Instance(i) => {
            names.extend(i.dict.lock().keys().map(|k| k.to_string()));
            push_class(&i.class, &mut names);
        }
        Value::Class(c) => push_class(c, &mut names),
        Value::Module(m) => names.extend(m.items().into_iter().map(|(k, _)| k.to_string())),
        other => push_class(type_of(other), &mut names),
    }
    names.sort();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_like_cpython() {
        assert_eq!(closest("countr", ["counter", "print", "len"]), Some("counter".into()));
        assert_eq!(closest("appnd", ["append", "extend"]), Some("append".into()));
        assert_eq!(closest("Print", ["print"]), Some("print".into()));
        assert_eq!(closest("xyz", ["counter", "print"]), None);
        assert_eq!(closest("a", ["b"]), None);
    }
}
