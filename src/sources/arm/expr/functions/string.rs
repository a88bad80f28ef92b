//! String functions: concat, format, substring, toLower/toUpper, replace, trim,
//! startsWith/endsWith, indexOf/lastIndexOf, split, join, padLeft.
//!
//! Strings may be partly known ([`Val::Partial`]): known pieces are computed, opaque ones kept
//! (with their length when it is known), so `toLower(concat('PID-', uniqueString(x)))` still
//! starts with `pid-`. Must not import: the evaluator, the scope or the syntax tree.

use super::array::{skip_val, take_val};
use super::{
    byte_at_char, f, int_arg, not_static, str_arg, string_parts, tryv, Call, Function, ANY,
};
use crate::model::{Part, Resolved};
use crate::sources::arm::expr::budget::{
    charge, container, parts_val, str_val, too_complex, too_large, MAX_ITEMS, MAX_STR,
};
use crate::sources::arm::expr::value::{bool_text, unknown, Val};

pub(super) const FUNCTIONS: &[Function] = &[
    f("concat", 0, ANY, concat),
    f("format", 0, ANY, format),
    f("substring", 2, 3, substring),
    f("tolower", 1, 1, to_lower),
    f("toupper", 1, 1, to_upper),
    f("replace", 3, 3, replace),
    f("trim", 1, 1, trim),
    f("startswith", 2, 2, starts_with),
    f("endswith", 2, 2, ends_with),
    f("indexof", 2, 2, index_of),
    f("lastindexof", 2, 2, last_index_of),
    f("split", 2, 2, split),
    f("join", 2, 2, join),
    f("padleft", 2, 3, pad_left),
];

/// `concat` of strings (or of arrays when the first argument of a known kind is an array).
pub(crate) fn concat(c: Call<'_>) -> Val {
    let a = c.args;
    if a.is_empty() {
        return Val::Str(String::new());
    }
    // Arrays when the first argument whose kind is known is an array.
    let array_mode = a
        .iter()
        .find(|v| !matches!(v, Val::Unknown(_) | Val::Null))
        .is_some_and(|v| matches!(v, Val::Array(_)));
    if array_mode {
        let mut out = Vec::new();
        for v in a {
            match v {
                Val::Array(items) => {
                    if out.len() + items.len() > MAX_ITEMS {
                        return too_large();
                    }
                    out.extend(items);
                }
                Val::Null => {}
                Val::Unknown(m) => return Val::Unknown(m),
                o => return unknown(format!("concat: cannot join a {} with arrays", o.kind())),
            }
        }
        return container(Val::Array(out));
    }
    if a.iter().all(|v| matches!(v, Val::Unknown(_))) {
        return a.into_iter().next().unwrap_or(Val::Null);
    }
    let mut parts = Vec::new();
    let mut total = 0usize;
    for (i, v) in a.into_iter().enumerate() {
        if matches!(v, Val::Null) {
            continue;
        }
        for p in tryv!(string_parts(v, || c.src.arg_text(i), "concat")) {
            if let Part::Lit(s) = &p {
                total += s.len();
                if total > MAX_STR {
                    return too_large();
                }
            }
            parts.push(p);
        }
    }
    parts_val(parts)
}

/// `format` with .NET-style `{0}` placeholders (no alignment; format specifiers only on
/// strings, where .NET ignores them).
pub(crate) fn format(c: Call<'_>) -> Val {
    let mut a = c.args;
    if a.is_empty() {
        return unknown("format expects a format string");
    }
    let fmt = match a.remove(0) {
        Val::Str(s) => s,
        Val::Unknown(m) => return Val::Unknown(m),
        Val::Partial(_) => {
            return unknown("format: the format string is not known before deployment")
        }
        o => {
            return unknown(format!(
                "format: expected a format string, got a {}",
                o.kind()
            ))
        }
    };
    let args = a;
    let mut parts: Vec<Part> = Vec::new();
    let mut lit = String::new();
    let mut total = 0usize;
    let mut it = fmt.char_indices().peekable();
    while let Some((_, ch)) = it.next() {
        match ch {
            '{' if it.peek().map(|x| x.1) == Some('{') => {
                it.next();
                lit.push('{');
            }
            '}' if it.peek().map(|x| x.1) == Some('}') => {
                it.next();
                lit.push('}');
            }
            '{' => {
                let mut spec = String::new();
                let mut closed = false;
                for (_, ch) in it.by_ref() {
                    if ch == '}' {
                        closed = true;
                        break;
                    }
                    spec.push(ch);
                }
                if !closed {
                    return unknown("format: a '{' in the format string is not closed");
                }
                let (index, extra) = match spec.split_once(':') {
                    Some((i, x)) => (i, Some(x)),
                    None => (spec.as_str(), None),
                };
                if index.contains(',') {
                    return unknown(format!(
                        "format: the alignment in '{{{spec}}}' is not evaluated"
                    ));
                }
                let Ok(i) = index.trim().parse::<usize>() else {
                    return unknown(format!("format: invalid placeholder '{{{spec}}}'"));
                };
                let Some(v) = args.get(i).cloned() else {
                    return unknown(format!("format: no argument for placeholder {{{i}}}"));
                };
                if extra.is_some() && !matches!(v, Val::Str(_) | Val::Partial(_)) {
                    return unknown(format!(
                        "format: the format specifier in '{{{spec}}}' is not evaluated"
                    ));
                }
                let v = if let Val::Bool(b) = v {
                    Val::Str(bool_text(b).to_string())
                } else {
                    v
                };
                parts.push(Part::Lit(std::mem::take(&mut lit)));
                for p in tryv!(string_parts(v, || c.src.arg_text(i + 1), "format")) {
                    if let Part::Lit(s) = &p {
                        total += s.len();
                    }
                    parts.push(p);
                }
            }
            '}' => return unknown("format: unmatched '}' in the format string (write '}}')"),
            ch => {
                lit.push(ch);
            }
        }
        if total + lit.len() > MAX_STR {
            return too_large();
        }
        if !charge(1) {
            return too_complex();
        }
    }
    parts.push(Part::Lit(lit));
    parts_val(parts)
}

pub(crate) fn substring(mut c: Call<'_>) -> Val {
    let a = &c.args;
    let start = tryv!(int_arg(&a[1], c.name));
    let len = if a.len() == 3 {
        Some(tryv!(int_arg(&a[2], c.name)))
    } else {
        None
    };
    if start < 0 || len.is_some_and(|l| l < 0) {
        return unknown("substring: the start index and the length cannot be negative");
    }
    // The message quotes the numbers as written (a `usize` is 32 bits on wasm32).
    let (start_text, len_text) = (start, len);
    let start = usize::try_from(start).unwrap_or(usize::MAX);
    let len = len.map(|l| usize::try_from(l).unwrap_or(usize::MAX));
    match c.args.swap_remove(0) {
        Val::Str(s) => {
            let total = s.chars().count();
            if start > total || len.is_some_and(|l| start.saturating_add(l) > total) {
                return unknown(format!(
                    "substring: index {start_text}{} is outside the string (length {total})",
                    len_text.map(|l| format!(" and length {l}")).unwrap_or_default()
                ));
            }
            let from = byte_at_char(&s, start);
            let rest = &s[from..];
            let to = len.map_or(rest.len(), |l| byte_at_char(rest, l));
            Val::Str(rest[..to].to_string())
        }
        v @ Val::Partial(_) => {
            let rest = skip_val(v, start, &c, "substring");
            match len {
                Some(l) => take_val(rest, l, "substring"),
                None => rest,
            }
        }
        Val::Unknown(m) => Val::Unknown(m),
        o => unknown(format!("substring: expected a string, got a {}", o.kind())),
    }
}

pub(crate) fn to_lower(c: Call<'_>) -> Val {
    change_case(c, true)
}

pub(crate) fn to_upper(c: Call<'_>) -> Val {
    change_case(c, false)
}

fn change_case(mut c: Call<'_>, lower: bool) -> Val {
    let conv = |s: &str| {
        if lower {
            s.to_lowercase()
        } else {
            s.to_uppercase()
        }
    };
    match c.args.swap_remove(0) {
        Val::Str(s) => str_val(conv(&s)),
        Val::Partial(parts) => parts_val(
            parts
                .into_iter()
                .map(|p| match p {
                    Part::Lit(s) => Part::Lit(conv(&s)),
                    o => o,
                })
                .collect(),
        ),
        Val::Unknown(m) => Val::Unknown(m),
        o => unknown(format!("{}: expected a string, got a {}", c.name, o.kind())),
    }
}

pub(crate) fn replace(mut c: Call<'_>) -> Val {
    let old = tryv!(str_arg(&c.args[1], c.name)).to_string();
    let new = tryv!(str_arg(&c.args[2], c.name)).to_string();
    let (old, new, func) = (old.as_str(), new.as_str(), c.name);
    if old.is_empty() {
        return unknown(format!("{func}: the text to replace is empty"));
    }
    let one = |s: &str| -> Result<String, Val> {
        if new.len() > old.len() {
            let count = s.matches(old).count();
            if s.len()
                .saturating_add(count.saturating_mul(new.len() - old.len()))
                > MAX_STR
            {
                return Err(too_large());
            }
        }
        Ok(s.replace(old, new))
    };
    match c.args.swap_remove(0) {
        Val::Str(s) => str_val(tryv!(one(&s))),
        Val::Partial(parts) => {
            let same_len = old.chars().count() == new.chars().count();
            let mut out = Vec::with_capacity(parts.len());
            for p in parts {
                out.push(match p {
                    Part::Lit(s) => Part::Lit(tryv!(one(&s))),
                    Part::Opaque { text, len } => Part::Opaque {
                        text,
                        len: if same_len { len } else { None },
                    },
                });
            }
            parts_val(out)
        }
        Val::Unknown(m) => Val::Unknown(m),
        o => unknown(format!("{func}: expected a string, got a {}", o.kind())),
    }
}

pub(crate) fn trim(mut c: Call<'_>) -> Val {
    match c.args.swap_remove(0) {
        Val::Str(s) => Val::Str(s.trim().to_string()),
        Val::Partial(mut parts) => {
            if let Some(Part::Lit(s)) = parts.first_mut() {
                *s = s.trim_start().to_string();
            }
            if let Some(Part::Lit(s)) = parts.last_mut() {
                *s = s.trim_end().to_string();
            }
            parts_val(parts)
        }
        Val::Unknown(m) => Val::Unknown(m),
        o => unknown(format!("{}: expected a string, got a {}", c.name, o.kind())),
    }
}

pub(crate) fn starts_with(c: Call<'_>) -> Val {
    affix(c, true)
}

pub(crate) fn ends_with(c: Call<'_>) -> Val {
    affix(c, false)
}

/// `startsWith`/`endsWith`, case-insensitive; a partly known string is judged by its known
/// prefix (`startsWith` only).
fn affix(c: Call<'_>, start: bool) -> Val {
    let needle = tryv!(str_arg(&c.args[1], c.name)).to_lowercase();
    match &c.args[0] {
        Val::Str(s) => {
            let s = s.to_lowercase();
            Val::Bool(if start {
                s.starts_with(&needle)
            } else {
                s.ends_with(&needle)
            })
        }
        Val::Partial(parts) if start => {
            let prefix = Resolved::from_parts(parts.clone())
                .known_prefix()
                .to_lowercase();
            if prefix.len() >= needle.len() || !needle.starts_with(&prefix) {
                Val::Bool(prefix.starts_with(&needle))
            } else {
                not_static(&c)
            }
        }
        Val::Unknown(m) => Val::Unknown(m.clone()),
        _ => not_static(&c),
    }
}

pub(crate) fn index_of(c: Call<'_>) -> Val {
    find(c, true)
}

pub(crate) fn last_index_of(c: Call<'_>) -> Val {
    find(c, false)
}

/// `indexOf`/`lastIndexOf`: case-insensitive, in characters, -1 when absent.
fn find(c: Call<'_>, first: bool) -> Val {
    let s = tryv!(str_arg(&c.args[0], c.name)).to_lowercase();
    let needle = tryv!(str_arg(&c.args[1], c.name)).to_lowercase();
    let at = if first {
        s.find(&needle)
    } else {
        s.rfind(&needle)
    };
    Val::Int(at.map_or(-1, |b| s[..b].chars().count() as i64))
}

pub(crate) fn split(c: Call<'_>) -> Val {
    let (a, name) = (&c.args, c.name);
    let s = tryv!(str_arg(&a[0], name));
    let delims: Vec<&str> = match &a[1] {
        Val::Str(d) => vec![d.as_str()],
        Val::Array(ds) => {
            let mut v = Vec::new();
            for d in ds {
                v.push(tryv!(str_arg(d, name)));
            }
            v
        }
        Val::Unknown(m) => return Val::Unknown(m.clone()),
        o => {
            return unknown(format!(
                "split: expected a string delimiter, got a {}",
                o.kind()
            ))
        }
    };
    let delims: Vec<&str> = delims.into_iter().filter(|d| !d.is_empty()).collect();
    let mut out = Vec::new();
    let mut rest = s;
    loop {
        if out.len() >= MAX_ITEMS {
            return too_large();
        }
        let hit = delims
            .iter()
            .filter_map(|d| rest.find(d).map(|i| (i, d.len())))
            .min();
        match hit {
            Some((i, l)) => {
                out.push(Val::Str(rest[..i].to_string()));
                rest = &rest[i + l..];
            }
            None => {
                out.push(Val::Str(rest.to_string()));
                break;
            }
        }
    }
    container(Val::Array(out))
}

pub(crate) fn join(mut c: Call<'_>) -> Val {
    let name = c.name;
    let delim = tryv!(str_arg(&c.args[1], name)).to_string();
    let Val::Array(items) = c.args.swap_remove(0) else {
        return unknown("join: expected an array");
    };
    let mut parts = Vec::new();
    for (i, v) in items.into_iter().enumerate() {
        if i > 0 {
            parts.push(Part::Lit(delim.clone()));
        }
        let v = if let Val::Bool(b) = v {
            Val::Str(bool_text(b).to_string())
        } else {
            v
        };
        parts.extend(tryv!(string_parts(v, || c.src.call_text(), name)));
        if parts.len() > MAX_ITEMS {
            return too_large();
        }
    }
    parts_val(parts)
}

pub(crate) fn pad_left(c: Call<'_>) -> Val {
    let (a, name) = (&c.args, c.name);
    let width = tryv!(int_arg(&a[1], name));
    let pad = if a.len() == 3 {
        tryv!(str_arg(&a[2], name)).to_string()
    } else {
        " ".to_string()
    };
    let mut chars = pad.chars();
    let (Some(p), None) = (chars.next(), chars.next()) else {
        return unknown("padLeft: the padding must be a single character");
    };
    let s = match &a[0] {
        Val::Str(s) => s.clone(),
        Val::Int(n) => n.to_string(),
        Val::Unknown(m) => return Val::Unknown(m.clone()),
        _ => return not_static(&c),
    };
    let have = s.chars().count() as u64;
    // In 64 bits on every target: a width past `usize` on wasm32 is too large there as well.
    let width = u64::try_from(width).unwrap_or(0);
    if width > have
        && (width - have)
            .saturating_mul(p.len_utf8() as u64)
            .saturating_add(s.len() as u64)
            > MAX_STR as u64
    {
        return too_large();
    }
    // Now at most MAX_STR: fits a usize everywhere.
    let mut out: String = std::iter::repeat_n(p, width.saturating_sub(have) as usize).collect();
    out.push_str(&s);
    str_val(out)
}
