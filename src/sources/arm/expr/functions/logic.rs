//! Logic and comparison functions: true, false, not, and, or, equals, less, lessOrEquals,
//! greater, greaterOrEquals. (`if` and `coalesce` are lazy and live in the evaluator.)
//!
//! Conditions accept booleans and the strings "true"/"false" ([`truthy`]). Must not import:
//! the evaluator, the scope or the syntax tree.

use super::{f, not_static, Call, Function, ANY};
use crate::sources::arm::expr::value::{first_unknown, fully_known, truthy, unknown, Val};
use std::cmp::Ordering;

pub(super) const FUNCTIONS: &[Function] = &[
    f("true", 0, 0, true_fn),
    f("false", 0, 0, false_fn),
    f("not", 1, 1, not),
    f("and", 1, ANY, and),
    f("or", 1, ANY, or),
    f("equals", 2, 2, equals),
    f("less", 2, 2, less),
    f("lessorequals", 2, 2, less_or_equals),
    f("greater", 2, 2, greater),
    f("greaterorequals", 2, 2, greater_or_equals),
];

fn true_fn(_: Call<'_>) -> Val {
    Val::Bool(true)
}

fn false_fn(_: Call<'_>) -> Val {
    Val::Bool(false)
}

/// Why a value is not a condition.
pub(crate) fn not_bool(v: &Val, func: &str) -> Val {
    match v {
        Val::Unknown(m) => Val::Unknown(m.clone()),
        Val::Partial(_) => unknown(format!(
            "{func}: the condition is not known before deployment"
        )),
        o => unknown(format!("{func}: expected a boolean, got a {}", o.kind())),
    }
}

pub(crate) fn not(c: Call<'_>) -> Val {
    match truthy(&c.args[0]) {
        Some(b) => Val::Bool(!b),
        None => not_bool(&c.args[0], c.name),
    }
}

pub(crate) fn and(c: Call<'_>) -> Val {
    all_or_any(c, false)
}

pub(crate) fn or(c: Call<'_>) -> Val {
    all_or_any(c, true)
}

/// `and` (`decisive` false) or `or` (true): the decisive value wins over unknowns.
fn all_or_any(c: Call<'_>, decisive: bool) -> Val {
    let mut undecided = None;
    for v in &c.args {
        match truthy(v) {
            Some(b) if b == decisive => return Val::Bool(decisive),
            Some(_) => {}
            None => {
                if undecided.is_none() {
                    undecided = Some(not_bool(v, c.name));
                }
            }
        }
    }
    undecided.unwrap_or(Val::Bool(!decisive))
}

pub(crate) fn equals(c: Call<'_>) -> Val {
    let a = &c.args;
    if let Some(u) = first_unknown(a) {
        return u;
    }
    if !fully_known(&a[0]) || !fully_known(&a[1]) {
        return not_static(&c);
    }
    Val::Bool(a[0] == a[1])
}

pub(crate) fn less(c: Call<'_>) -> Val {
    compare(c, |o| o == Ordering::Less)
}

pub(crate) fn less_or_equals(c: Call<'_>) -> Val {
    compare(c, |o| o != Ordering::Greater)
}

pub(crate) fn greater(c: Call<'_>) -> Val {
    compare(c, |o| o == Ordering::Greater)
}

pub(crate) fn greater_or_equals(c: Call<'_>) -> Val {
    compare(c, |o| o != Ordering::Less)
}

/// Order two integers or two strings (ordinal).
fn compare(c: Call<'_>, holds: fn(Ordering) -> bool) -> Val {
    let ord = match (&c.args[0], &c.args[1]) {
        (Val::Int(x), Val::Int(y)) => x.cmp(y),
        (Val::Str(x), Val::Str(y)) => x.cmp(y),
        (Val::Unknown(m), _) | (_, Val::Unknown(m)) => return Val::Unknown(m.clone()),
        _ => return not_static(&c),
    };
    Val::Bool(holds(ord))
}
