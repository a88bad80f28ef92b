//! The function library: every ARM template function the evaluator computes, by family, behind
//! one table (name → arity, implementation). Adding a function is one entry in one family's
//! `FUNCTIONS` plus its implementation in the same file.
//!
//! - `string`: concat, format, substring, case, replace, trim, search, split/join, padLeft
//! - `array`: collections (arrays, and strings as sequences): take/skip, first/last, length,
//!   empty, contains, createArray, array, range
//! - `object`: createObject, union, null
//! - `logic`: true/false, not/and/or, equals and ordering
//! - `numeric`: add/sub/mul/div/mod, min/max
//! - `conversion`: string, int, bool, json (and the JSON tree → value conversion)
//! - `deployment`: uniqueString/guid and the functions whose value exists only at deployment
//!   (an opaque value)
//!
//! Not here: `if` and `coalesce` (lazy: they evaluate only the arguments they need) and
//! `parameters`/`variables` (they read the scope); the evaluator handles those.
//!
//! Implementations get their arguments evaluated, as [`Val`]s, and a [`Source`] naming the
//! call and its arguments for opaque pieces, so any language whose functions are ARM's (Bicep)
//! can call them ([`call`]). Must not import: the evaluator, the scope or the syntax tree;
//! only `value`, `budget` (bounded constructors) and `crate::model`.

pub(crate) mod array;
pub(crate) mod conversion;
pub(crate) mod deployment;
pub(crate) mod logic;
pub(crate) mod numeric;
pub(crate) mod object;
pub(crate) mod string;

use super::budget::is_hard;
use super::value::{unknown, Val};
use crate::model::Part;

/// Names the call and its arguments as written, for the opaque pieces of a result.
pub trait Source {
    /// The whole call (`uniqueString(resourceGroup().id)`).
    fn call_text(&self) -> String;
    /// Argument `i` (0-based).
    fn arg_text(&self, i: usize) -> String;
}

/// One call of a library function.
pub struct Call<'a> {
    /// The function's name as written (for messages).
    pub name: &'a str,
    /// The evaluated arguments.
    pub args: Vec<Val>,
    pub src: &'a dyn Source,
}

impl Call<'_> {
    /// An opaque value named by the whole call.
    fn opaque(&self, len: Option<usize>) -> Val {
        Val::Partial(vec![Part::Opaque {
            text: self.src.call_text(),
            len,
        }])
    }
}

/// Any number of arguments.
const ANY: usize = usize::MAX;

/// A library function: lower-case name, accepted argument count, implementation.
pub struct Function {
    pub name: &'static str,
    pub min: usize,
    pub max: usize,
    pub imp: fn(Call<'_>) -> Val,
}

const fn f(name: &'static str, min: usize, max: usize, imp: fn(Call<'_>) -> Val) -> Function {
    Function {
        name,
        min,
        max,
        imp,
    }
}

const FAMILIES: [&[Function]; 7] = [
    string::FUNCTIONS,
    array::FUNCTIONS,
    object::FUNCTIONS,
    logic::FUNCTIONS,
    numeric::FUNCTIONS,
    conversion::FUNCTIONS,
    deployment::FUNCTIONS,
];

/// The library function named `lower` (a lower-case name).
pub fn lookup(lower: &str) -> Option<&'static Function> {
    FAMILIES
        .iter()
        .flat_map(|fam| fam.iter())
        .find(|f| f.name == lower)
}

/// Apply the function `lower` (its lower-case name; `name` as written) to evaluated arguments.
/// A function known only at deployment gives an opaque value; one not in ARM, or not evaluated
/// here, gives an unknown.
#[inline(never)]
pub fn call(lower: &str, name: &str, args: Vec<Val>, src: &dyn Source) -> Val {
    let Some(func) = lookup(lower) else {
        if deployment::is_runtime_function(lower) {
            return Call { name, args, src }.opaque(None);
        }
        return unknown(format!("function '{name}' is not evaluated statically"));
    };
    if let Some(v) = arity(name, &args, func.min, func.max) {
        return v;
    }
    (func.imp)(Call { name, args, src })
}

fn arity(func: &str, args: &[Val], min: usize, max: usize) -> Option<Val> {
    if args.len() < min || args.len() > max {
        let want = if min == max {
            format!("{min}")
        } else if max == usize::MAX {
            format!("at least {min}")
        } else {
            format!("{min} to {max}")
        };
        let s = if max == 1 && min == 1 { "" } else { "s" };
        Some(unknown(format!(
            "{func} expects {want} argument{s}, got {}",
            args.len()
        )))
    } else {
        None
    }
}

/// `Ok` value, or return the `Err` value from the function.
macro_rules! tryv {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(v) => return v,
        }
    };
}
pub(crate) use tryv;

/// String pieces of a value in a string context. Soft unknowns become opaque pieces named by
/// `src` (the argument as written); hard unknowns and non-strings are errors.
fn string_parts(v: Val, src: impl FnOnce() -> String, func: &str) -> Result<Vec<Part>, Val> {
    match v {
        Val::Str(s) => Ok(vec![Part::Lit(s)]),
        Val::Int(n) => Ok(vec![Part::Lit(n.to_string())]),
        Val::Partial(p) => Ok(p),
        Val::Unknown(m) if is_hard(&m) => Err(Val::Unknown(m)),
        Val::Unknown(_) => Ok(vec![Part::Opaque {
            text: src(),
            len: None,
        }]),
        other => Err(unknown(format!(
            "{func}: cannot use a {} as a string",
            other.kind()
        ))),
    }
}

/// The integer argument of a function.
fn int_arg(v: &Val, func: &str) -> Result<i64, Val> {
    match v {
        Val::Int(n) => Ok(*n),
        Val::Unknown(m) => Err(Val::Unknown(m.clone())),
        other => Err(unknown(format!(
            "{func}: expected an integer, got a {}",
            other.kind()
        ))),
    }
}

/// The fully known string argument of a function.
fn str_arg<'v>(v: &'v Val, func: &str) -> Result<&'v str, Val> {
    match v {
        Val::Str(s) => Ok(s),
        Val::Unknown(m) => Err(Val::Unknown(m.clone())),
        Val::Partial(_) => Err(unknown(format!(
            "{func}: the string is not known before deployment"
        ))),
        other => Err(unknown(format!(
            "{func}: expected a string, got a {}",
            other.kind()
        ))),
    }
}

/// Byte offset of char `n` of `s` (its length when `n` is past the end).
fn byte_at_char(s: &str, n: usize) -> usize {
    s.char_indices().nth(n).map_or(s.len(), |(i, _)| i)
}

/// At most 40 characters of `s` (for messages).
pub(crate) fn truncate(s: &str) -> String {
    if s.chars().count() > 40 {
        let mut t: String = s.chars().take(40).collect();
        t.push('…');
        t
    } else {
        s.to_string()
    }
}

/// "'f(x)' cannot be evaluated statically".
#[cold]
fn not_static(c: &Call<'_>) -> Val {
    unknown(format!(
        "'{}' cannot be evaluated statically",
        c.src.call_text()
    ))
}
