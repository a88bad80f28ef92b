//! Collection functions (arrays, and strings as sequences of characters): take, skip, first,
//! last, length, empty, contains, createArray, array, range.
//!
//! Must not import: the evaluator, the scope or the syntax tree.

use super::{byte_at_char, f, int_arg, not_static, tryv, Call, Function, ANY};
use crate::model::Part;
use crate::sources::arm::expr::budget::{container, parts_val};
use crate::sources::arm::expr::value::{first_unknown, fully_known, unknown, Val};

pub(super) const FUNCTIONS: &[Function] = &[
    f("take", 2, 2, take),
    f("skip", 2, 2, skip),
    f("first", 1, 1, first),
    f("last", 1, 1, last),
    f("length", 1, 1, length),
    f("empty", 1, 1, empty),
    f("contains", 2, 2, contains),
    f("createarray", 0, ANY, create_array),
    f("array", 1, 1, array),
    f("range", 2, 2, range),
];

/// The count argument of `take`/`skip` (negative counts as 0).
fn count_arg(c: &Call<'_>) -> Result<usize, Val> {
    let n = int_arg(&c.args[1], c.name)?;
    Ok(usize::try_from(n.max(0)).unwrap_or(usize::MAX))
}

pub(crate) fn take(mut c: Call<'_>) -> Val {
    let n = tryv!(count_arg(&c));
    take_val(c.args.swap_remove(0), n, c.name)
}

pub(crate) fn skip(mut c: Call<'_>) -> Val {
    let n = tryv!(count_arg(&c));
    let v = c.args.swap_remove(0);
    skip_val(v, n, &c, c.name)
}

/// The first `n` elements or characters of `v`.
pub(crate) fn take_val(v: Val, n: usize, func: &str) -> Val {
    match v {
        Val::Str(s) => {
            let b = byte_at_char(&s, n);
            Val::Str(s[..b].to_string())
        }
        Val::Array(items) => container(Val::Array(items.into_iter().take(n).collect())),
        Val::Partial(parts) => {
            let mut out = Vec::new();
            let mut rem = n;
            for p in parts {
                if rem == 0 {
                    break;
                }
                match p {
                    Part::Lit(s) => {
                        let c = s.chars().count();
                        if c <= rem {
                            rem -= c;
                            out.push(Part::Lit(s));
                        } else {
                            out.push(Part::Lit(s[..byte_at_char(&s, rem)].to_string()));
                            rem = 0;
                        }
                    }
                    Part::Opaque { text, len: Some(l) } => {
                        let keep = l.min(rem);
                        rem -= keep;
                        out.push(Part::Opaque {
                            text,
                            len: Some(keep),
                        });
                    }
                    Part::Opaque { text, len: None } => {
                        // Where the cut falls is unknowable.
                        out.push(Part::Opaque { text, len: None });
                        break;
                    }
                }
            }
            parts_val(out)
        }
        Val::Unknown(m) => Val::Unknown(m),
        o => unknown(format!(
            "{func}: expected a string or an array, got a {}",
            o.kind()
        )),
    }
}

/// `v` without its first `n` elements or characters; a cut after an opaque piece of unknown
/// length is an opaque value named by the call `c`.
pub(crate) fn skip_val(v: Val, n: usize, c: &Call<'_>, func: &str) -> Val {
    match v {
        Val::Str(s) => {
            let b = byte_at_char(&s, n);
            Val::Str(s[b..].to_string())
        }
        Val::Array(items) => container(Val::Array(items.into_iter().skip(n).collect())),
        Val::Partial(parts) => {
            let mut out = Vec::new();
            let mut rem = n;
            let mut it = parts.into_iter();
            for p in it.by_ref() {
                match p {
                    Part::Lit(s) => {
                        let c = s.chars().count();
                        if c <= rem {
                            rem -= c;
                        } else {
                            out.push(Part::Lit(s[byte_at_char(&s, rem)..].to_string()));
                            rem = 0;
                        }
                    }
                    Part::Opaque { text, len: Some(l) } => {
                        if l <= rem {
                            rem -= l;
                        } else {
                            out.push(Part::Opaque {
                                text,
                                len: Some(l - rem),
                            });
                            rem = 0;
                        }
                    }
                    Part::Opaque { len: None, .. } if rem > 0 => return c.opaque(None),
                    p => out.push(p),
                }
                if rem == 0 {
                    break;
                }
            }
            out.extend(it);
            parts_val(out)
        }
        Val::Unknown(m) => Val::Unknown(m),
        o => unknown(format!(
            "{func}: expected a string or an array, got a {}",
            o.kind()
        )),
    }
}

pub(crate) fn first(c: Call<'_>) -> Val {
    end(c, true)
}

pub(crate) fn last(c: Call<'_>) -> Val {
    end(c, false)
}

/// `first`/`last`: an element of an array, a character of a string (opaque of length 1 when
/// that end of a partly known string is opaque).
fn end(mut c: Call<'_>, first: bool) -> Val {
    match c.args.swap_remove(0) {
        Val::Array(items) => {
            let v = if first {
                items.into_iter().next()
            } else {
                items.into_iter().next_back()
            };
            v.unwrap_or(Val::Null)
        }
        Val::Str(s) => {
            let ch = if first {
                s.chars().next()
            } else {
                s.chars().next_back()
            };
            Val::Str(ch.map(String::from).unwrap_or_default())
        }
        Val::Partial(parts) => {
            let end = if first { parts.first() } else { parts.last() };
            match end {
                Some(Part::Lit(s)) if !s.is_empty() => {
                    let ch = if first {
                        s.chars().next()
                    } else {
                        s.chars().next_back()
                    };
                    Val::Str(ch.map(String::from).unwrap_or_default())
                }
                _ => c.opaque(Some(1)),
            }
        }
        Val::Unknown(m) => Val::Unknown(m),
        o => unknown(format!(
            "{}: expected an array or a string, got a {}",
            c.name,
            o.kind()
        )),
    }
}

pub(crate) fn length(c: Call<'_>) -> Val {
    match &c.args[0] {
        Val::Str(s) => Val::Int(s.chars().count() as i64),
        Val::Array(x) => Val::Int(x.len() as i64),
        Val::Object(x) => Val::Int(x.len() as i64),
        Val::Partial(parts) => {
            let mut n = 0usize;
            for p in parts {
                match p {
                    Part::Lit(s) => n += s.chars().count(),
                    Part::Opaque { len: Some(l), .. } => n = n.saturating_add(*l),
                    Part::Opaque { len: None, .. } => {
                        return unknown(
                            "length: the length of the string is not known before deployment",
                        )
                    }
                }
            }
            Val::Int(i64::try_from(n).unwrap_or(i64::MAX))
        }
        Val::Unknown(m) => Val::Unknown(m.clone()),
        o => unknown(format!("length: cannot take the length of a {}", o.kind())),
    }
}

pub(crate) fn empty(c: Call<'_>) -> Val {
    match &c.args[0] {
        Val::Null => Val::Bool(true),
        Val::Str(s) => Val::Bool(s.is_empty()),
        Val::Array(x) => Val::Bool(x.is_empty()),
        Val::Object(x) => Val::Bool(x.is_empty()),
        Val::Partial(parts) => {
            if parts.iter().any(|p| match p {
                Part::Lit(s) => !s.is_empty(),
                Part::Opaque { len, .. } => len.is_some_and(|l| l > 0),
            }) {
                Val::Bool(false)
            } else {
                unknown("empty: the string is not known before deployment")
            }
        }
        Val::Unknown(m) => Val::Unknown(m.clone()),
        o => unknown(format!("empty: cannot test a {}", o.kind())),
    }
}

/// `contains`: a substring (case-sensitive), an element, or an object's key (any case).
pub(crate) fn contains(c: Call<'_>) -> Val {
    let a = &c.args;
    if let Some(u) = first_unknown(a) {
        return u;
    }
    match (&a[0], &a[1]) {
        (Val::Str(s), Val::Str(x)) => Val::Bool(s.contains(x.as_str())),
        (Val::Str(s), Val::Int(x)) => Val::Bool(s.contains(&x.to_string())),
        (Val::Array(items), x) if fully_known(x) && items.iter().all(fully_known) => {
            Val::Bool(items.contains(x))
        }
        (Val::Object(m), Val::Str(k)) => {
            Val::Bool(m.iter().any(|(key, _)| key.eq_ignore_ascii_case(k)))
        }
        _ => not_static(&c),
    }
}

pub(crate) fn create_array(c: Call<'_>) -> Val {
    container(Val::Array(c.args))
}

pub(crate) fn array(mut c: Call<'_>) -> Val {
    match c.args.swap_remove(0) {
        v @ (Val::Array(_) | Val::Unknown(_)) => v,
        v => container(Val::Array(vec![v])),
    }
}

pub(crate) fn range(c: Call<'_>) -> Val {
    let start = tryv!(int_arg(&c.args[0], c.name));
    let count = tryv!(int_arg(&c.args[1], c.name));
    if !(0..=10_000).contains(&count) {
        return unknown("range: the count must be between 0 and 10000");
    }
    let mut out = Vec::with_capacity(count as usize);
    for i in 0..count {
        match start.checked_add(i) {
            Some(n) => out.push(Val::Int(n)),
            None => return unknown("range: overflow"),
        }
    }
    container(Val::Array(out))
}
