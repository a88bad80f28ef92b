//! Object functions: createObject, union (of objects, or of arrays), null.
//!
//! Property names compare case-insensitively, as in ARM. Must not import: the evaluator, the
//! scope or the syntax tree.

use super::{f, Call, Function, ANY};
use crate::sources::arm::expr::budget::{charge, container, too_complex, too_large};
use crate::sources::arm::expr::value::{first_unknown, unknown, Val};

pub(super) const FUNCTIONS: &[Function] = &[
    f("createobject", 0, ANY, create_object),
    f("union", 1, ANY, union),
    f("null", 0, 0, null),
];

pub(crate) fn create_object(c: Call<'_>) -> Val {
    let a = c.args;
    if !a.len().is_multiple_of(2) {
        return unknown("createObject expects pairs of a name and a value");
    }
    let mut members = Vec::with_capacity(a.len() / 2);
    let mut it = a.into_iter();
    while let (Some(k), Some(v)) = (it.next(), it.next()) {
        match k {
            Val::Str(k) => members.push((k, v)),
            Val::Unknown(m) => return Val::Unknown(m),
            o => {
                return unknown(format!(
                    "createObject: a property name must be a string, got a {}",
                    o.kind()
                ))
            }
        }
    }
    container(Val::Object(members))
}

/// `union`: arrays without repeated elements, or objects where later properties win.
pub(crate) fn union(c: Call<'_>) -> Val {
    let a = c.args;
    if let Some(u) = first_unknown(&a) {
        return u;
    }
    if a.iter().all(|v| matches!(v, Val::Array(_))) {
        let total: usize = a
            .iter()
            .map(|v| if let Val::Array(x) = v { x.len() } else { 0 })
            .sum();
        if total > 10_000 {
            return too_large();
        }
        if !charge(total * total / 64) {
            return too_complex();
        }
        let mut out: Vec<Val> = Vec::new();
        for v in a {
            if let Val::Array(items) = v {
                for x in items {
                    if !out.contains(&x) {
                        out.push(x);
                    }
                }
            }
        }
        container(Val::Array(out))
    } else if a.iter().all(|v| matches!(v, Val::Object(_))) {
        let mut out: Vec<(String, Val)> = Vec::new();
        for v in a {
            if let Val::Object(members) = v {
                for (k, x) in members {
                    match out.iter_mut().find(|(key, _)| key.eq_ignore_ascii_case(&k)) {
                        Some(slot) => slot.1 = x,
                        None => out.push((k, x)),
                    }
                }
            }
        }
        container(Val::Object(out))
    } else {
        unknown("union: expected only arrays or only objects")
    }
}

pub(crate) fn null(_: Call<'_>) -> Val {
    Val::Null
}
