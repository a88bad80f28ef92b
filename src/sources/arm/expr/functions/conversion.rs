//! Conversion functions: string, int, bool, json; and the conversion of a JSON tree into a
//! value that `json()` and the template scope (parameter defaults, variables) share.
//!
//! Must not import: the evaluator, the scope or the syntax tree (the scope passes in how a
//! string leaf of a template is evaluated).

use super::{f, str_arg, truncate, tryv, Call, Function};
use crate::sources::arm::expr::budget::{
    charge, deeper_than, enter, str_val, too_complex, too_large, MAX_STR, MAX_VAL_DEPTH,
    VAL_TOO_DEEP,
};
use crate::sources::arm::expr::value::{bool_text, truthy, unknown, Val};
use crate::sources::json::{Node, Value};
use std::fmt::Write as _;

pub(super) const FUNCTIONS: &[Function] = &[
    f("string", 1, 1, string),
    f("int", 1, 1, int),
    f("bool", 1, 1, bool),
    f("json", 1, 1, json),
];

/// `string`: scalars as ARM prints them, arrays and objects as compact JSON.
pub(crate) fn string(mut c: Call<'_>) -> Val {
    match c.args.swap_remove(0) {
        v @ (Val::Str(_) | Val::Partial(_) | Val::Unknown(_)) => v,
        Val::Int(n) => Val::Str(n.to_string()),
        Val::Bool(b) => Val::Str(bool_text(b).to_string()),
        Val::Null => Val::Str(String::new()),
        v => {
            let mut out = String::new();
            match write_json(&v, &mut out) {
                Ok(()) => str_val(out),
                Err(e) => e,
            }
        }
    }
}

pub(crate) fn int(c: Call<'_>) -> Val {
    match &c.args[0] {
        Val::Int(n) => Val::Int(*n),
        Val::Str(s) => match s.trim().parse::<i64>() {
            Ok(n) => Val::Int(n),
            Err(_) => unknown(format!("int: '{}' is not an integer", truncate(s))),
        },
        Val::Unknown(m) => Val::Unknown(m.clone()),
        Val::Partial(_) => unknown("int: the string is not known before deployment"),
        o => unknown(format!("int: cannot convert a {}", o.kind())),
    }
}

pub(crate) fn bool(c: Call<'_>) -> Val {
    match &c.args[0] {
        Val::Int(n) => Val::Bool(*n != 0),
        v => match truthy(v) {
            Some(b) => Val::Bool(b),
            None => match v {
                Val::Unknown(m) => Val::Unknown(m.clone()),
                _ => unknown(format!("bool: cannot convert a {} to a boolean", v.kind())),
            },
        },
    }
}

pub(crate) fn json(c: Call<'_>) -> Val {
    let s = tryv!(str_arg(&c.args[0], c.name));
    match crate::sources::json::parse(s) {
        Ok(p) => from_json(&p.root, 0, None),
        Err(e) => unknown(format!("json: {}", e.message)),
    }
}

/// Compact JSON text of a fully known value (for `string()` of arrays and objects).
fn write_json(v: &Val, out: &mut String) -> Result<(), Val> {
    if out.len() > MAX_STR {
        return Err(too_large());
    }
    match v {
        Val::Null => out.push_str("null"),
        Val::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Val::Int(n) => {
            let _ = write!(out, "{n}");
        }
        Val::Str(s) => write_json_str(s, out),
        Val::Array(items) => {
            out.push('[');
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(x, out)?;
            }
            out.push(']');
        }
        Val::Object(members) => {
            out.push('{');
            for (i, (k, x)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json_str(k, out);
                out.push(':');
                write_json(x, out)?;
            }
            out.push('}');
        }
        Val::Partial(_) => {
            return Err(unknown(
                "string: the value contains parts not known before deployment",
            ))
        }
        Val::Unknown(m) => return Err(Val::Unknown(m.clone())),
    }
    Ok(())
}

fn write_json_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Convert a JSON tree (at nesting `depth`) to a value. String leaves are evaluated with
/// `leaf` when given (template values: expressions), else literal (the `json()` function).
pub(crate) fn from_json(node: &Node, depth: usize, leaf: Option<&dyn Fn(&str) -> Val>) -> Val {
    let _guard = match enter() {
        Ok(g) => g,
        Err(v) => return v,
    };
    if depth > MAX_VAL_DEPTH {
        return Val::Unknown(VAL_TOO_DEEP.to_string());
    }
    match &node.value {
        Value::Null => Val::Null,
        Value::Bool(b) => Val::Bool(*b),
        Value::Number(n) => match n.parse::<i64>() {
            Ok(i) => Val::Int(i),
            Err(_) => unknown(format!("the number {} is not an integer", truncate(n))),
        },
        Value::String(s) => match leaf {
            Some(leaf) => {
                let v = leaf(s);
                if deeper_than(&v, MAX_VAL_DEPTH - depth) {
                    Val::Unknown(VAL_TOO_DEEP.to_string())
                } else {
                    v
                }
            }
            None => str_val(s.to_string()),
        },
        Value::Array(items) => {
            if !charge(items.len()) {
                return too_complex();
            }
            Val::Array(
                items
                    .iter()
                    .map(|n| from_json(n, depth + 1, leaf))
                    .collect(),
            )
        }
        Value::Object(members) => {
            if !charge(members.len()) {
                return too_complex();
            }
            Val::Object(
                members
                    .iter()
                    .map(|m| (m.key.to_string(), from_json(&m.value, depth + 1, leaf)))
                    .collect(),
            )
        }
        Value::Skipped => unknown("a resource's properties".to_string()),
    }
}
