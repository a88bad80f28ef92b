//! Values of ARM expressions: [`Val`] and the questions every part of the evaluator asks of one
//! (its kind, whether it is fully known, its truth, how it reads as a name).
//!
//! Owns: the value type and pure queries on it. Building values (which costs budget) lives in
//! `budget`. Must not import: other parts of `expr` (syntax, budget, evaluator, functions,
//! scope); only `crate::model` (the `Part`/`Resolved` facts values turn into).

use crate::model::{Part, Resolved};

/// A statically evaluated value.
#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    Null,
    Bool(bool),
    Int(i64),
    Str(String),
    Array(Vec<Val>),
    Object(Vec<(String, Val)>),
    /// A string made of known and opaque pieces (or an opaque runtime value such as
    /// `resourceGroup()`, whose member accesses are opaque strings).
    Partial(Vec<Part>),
    /// Nothing can be said; the text says why.
    Unknown(String),
}

impl Val {
    /// The kind's name in messages ("a string", "an array").
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Val::Null => "null",
            Val::Bool(_) => "boolean",
            Val::Int(_) => "integer",
            Val::Str(_) | Val::Partial(_) => "string",
            Val::Array(_) => "array",
            Val::Object(_) => "object",
            Val::Unknown(_) => "unknown value",
        }
    }
}

/// An unknown value with the reason.
pub(crate) fn unknown(msg: impl Into<String>) -> Val {
    Val::Unknown(msg.into())
}

/// The value as a name, mode or ID.
pub fn to_resolved(v: &Val) -> Resolved {
    match v {
        Val::Str(s) => Resolved::Known(s.clone()),
        Val::Partial(parts) => Resolved::from_parts(parts.clone()),
        Val::Int(n) => Resolved::Known(n.to_string()),
        Val::Bool(b) => Resolved::Known(bool_text(*b).to_string()),
        Val::Null => Resolved::Unknown("the value is null".to_string()),
        Val::Array(_) => Resolved::Unknown("the value is an array, not a string".to_string()),
        Val::Object(_) => Resolved::Unknown("the value is an object, not a string".to_string()),
        Val::Unknown(r) => Resolved::Unknown(r.clone()),
    }
}

/// A condition's value: booleans, and the strings "true"/"false" (any case).
pub fn truthy(v: &Val) -> Option<bool> {
    match v {
        Val::Bool(b) => Some(*b),
        Val::Str(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Val::Str(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// How ARM prints a boolean as a string.
pub(crate) fn bool_text(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}

/// Whether a value is completely known (no partial strings, no unknowns).
pub(crate) fn fully_known(v: &Val) -> bool {
    match v {
        Val::Partial(_) | Val::Unknown(_) => false,
        Val::Array(a) => a.iter().all(fully_known),
        Val::Object(o) => o.iter().all(|(_, v)| fully_known(v)),
        _ => true,
    }
}

/// A value nested in unknowns: its first unknown (for messages).
pub(crate) fn first_unknown(vals: &[Val]) -> Option<Val> {
    vals.iter().find(|v| matches!(v, Val::Unknown(_))).cloned()
}
