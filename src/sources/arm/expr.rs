//! ARM template expression language: parser and static evaluator.
//!
//! A JSON string value of a template that starts with `[` and ends with `]` is an expression
//! (`"[concat('pid-', variables('id'))]"`); one starting with `[[` is a literal whose first `[`
//! escapes the second. [`parse`] reads the text inside the brackets into an [`Expr`]; [`eval`]
//! computes as much of its value as can be known before deployment. Values that only exist at
//! deployment time (`uniqueString(...)`, `resourceGroup().location`, `reference(...)`) become
//! opaque pieces of a [`Val::Partial`] string, so that `concat('pid-', uniqueString(...))` is
//! still known to start with `pid-`.
//!
//! Evaluation is bounded: nesting depth, total work per top-level call, string size (1 MiB),
//! array length and value depth all have limits, past which the result is [`Val::Unknown`].

use crate::sources::json::{Node, Value};
use crate::model::{Part, Resolved};
use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::fmt::{self, Write as _};

/// Deepest nesting of calls, member and index accesses accepted by [`parse`].
pub const MAX_NESTING: usize = 256;
/// Longest string (in bytes) the evaluator builds.
const MAX_STR: usize = 1 << 20;
/// Evaluation steps per top-level call.
const MAX_STEPS: u64 = 100_000;
/// Deepest recursion of the evaluator (expression nesting plus variable references).
const MAX_EVAL_DEPTH: usize = 400;
/// Deepest nesting of arrays and objects in a value.
const MAX_VAL_DEPTH: usize = 64;
/// Longest array the evaluator builds.
const MAX_ITEMS: usize = 100_000;

const TOO_LARGE: &str = "value too large to evaluate";
const TOO_COMPLEX: &str = "expression too complex to evaluate";
const TOO_DEEP: &str = "expression nested too deeply to evaluate";
const VAL_TOO_DEEP: &str = "value nested too deeply to evaluate";

// ---------------------------------------------------------------------------------------------
// Syntax

/// An ARM expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Str(String),
    Int(i64),
    /// A function call; `name` as written (compare lower-case: names are case-insensitive).
    Call {
        name: String,
        args: Vec<Expr>,
    },
    /// `target.name`
    Member {
        target: Box<Expr>,
        name: String,
    },
    /// `target[index]`
    Index {
        target: Box<Expr>,
        index: Box<Expr>,
    },
}

/// Prints the expression back in ARM syntax (canonical spacing: `f(a, b)`).
impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Str(s) => {
                f.write_char('\'')?;
                for piece in s.split('\'').enumerate() {
                    if piece.0 > 0 {
                        f.write_str("''")?;
                    }
                    f.write_str(piece.1)?;
                }
                f.write_char('\'')
            }
            Expr::Int(n) => write!(f, "{n}"),
            Expr::Call { name, args } => {
                f.write_str(name)?;
                f.write_char('(')?;
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    a.fmt(f)?;
                }
                f.write_char(')')
            }
            Expr::Member { target, name } => {
                target.fmt(f)?;
                f.write_char('.')?;
                f.write_str(name)
            }
            Expr::Index { target, index } => {
                target.fmt(f)?;
                f.write_char('[')?;
                index.fmt(f)?;
                f.write_char(']')
            }
        }
    }
}

/// Whether a JSON string value is an expression: `[...]` but not `[[...`.
pub fn is_expression(s: &str) -> bool {
    s.len() >= 2 && s.starts_with('[') && s.ends_with(']') && !s.starts_with("[[")
}

/// The literal meant by a JSON string value that is not an expression: `[[x]` → `[x]`.
pub fn unescape_literal(s: &str) -> Cow<'_, str> {
    if s.starts_with("[[") && s.ends_with(']') {
        Cow::Owned(s[1..].to_string())
    } else {
        Cow::Borrowed(s)
    }
}

/// Parse the text inside the brackets of an expression. Error messages are user-facing.
pub fn parse(src: &str) -> Result<Expr, String> {
    let mut p = Parser {
        s: src.as_bytes(),
        src,
        i: 0,
    };
    p.ws();
    if p.i >= p.s.len() {
        return Err("empty expression".to_string());
    }
    let e = p.expr(0)?;
    p.ws();
    if p.i < p.s.len() {
        return Err(format!(
            "unexpected {} after the end of the expression",
            p.found()
        ));
    }
    Ok(e)
}

struct Parser<'a> {
    s: &'a [u8],
    src: &'a str,
    i: usize,
}

fn nested_too_deep() -> String {
    format!("expression nested deeper than {MAX_NESTING} levels")
}

impl Parser<'_> {
    fn ws(&mut self) {
        while matches!(self.s.get(self.i), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.i += 1;
        }
    }

    /// "'x' at character N" or "the end of the expression".
    fn found(&self) -> String {
        match self.src.get(self.i..).and_then(|r| r.chars().next()) {
            None => "end of the expression".to_string(),
            Some(c) => {
                let n = self.src[..self.i].chars().count() + 1;
                format!("'{}' at character {n}", c.escape_debug())
            }
        }
    }

    fn ident(&mut self) -> Option<&str> {
        let start = self.i;
        if !self
            .s
            .get(self.i)
            .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_' || *c == b'$')
        {
            return None;
        }
        while self
            .s
            .get(self.i)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'$')
        {
            self.i += 1;
        }
        Some(&self.src[start..self.i])
    }

    /// An expression at nesting `depth` (checked before any recursion).
    fn expr(&mut self, depth: usize) -> Result<Expr, String> {
        if depth > MAX_NESTING {
            return Err(nested_too_deep());
        }
        self.ws();
        let mut e = match self.s.get(self.i) {
            Some(b'\'') => self.string()?,
            Some(b'-' | b'0'..=b'9') => self.int()?,
            Some(c) if c.is_ascii_alphabetic() || *c == b'_' || *c == b'$' => self.call(depth)?,
            Some(b')') => {
                return Err(format!(
                    "unexpected {} (unbalanced parentheses)",
                    self.found()
                ))
            }
            _ => {
                return Err(format!(
                    "expected a value or a function call, found {}",
                    self.found()
                ))
            }
        };
        // Member and index accesses; each adds a level of nesting.
        let mut depth = depth;
        loop {
            self.ws();
            match self.s.get(self.i) {
                Some(b'.') => {
                    self.i += 1;
                    self.ws();
                    let Some(name) = self.ident() else {
                        return Err(format!(
                            "expected a property name after '.', found {}",
                            self.found()
                        ));
                    };
                    let name = name.to_string();
                    depth += 1;
                    if depth > MAX_NESTING {
                        return Err(nested_too_deep());
                    }
                    e = Expr::Member {
                        target: Box::new(e),
                        name,
                    };
                }
                Some(b'[') => {
                    self.i += 1;
                    depth += 1;
                    if depth > MAX_NESTING {
                        return Err(nested_too_deep());
                    }
                    let index = self.expr(depth)?;
                    self.ws();
                    if self.s.get(self.i) != Some(&b']') {
                        return Err(format!(
                            "expected ']' to close the index, found {}",
                            self.found()
                        ));
                    }
                    self.i += 1;
                    e = Expr::Index {
                        target: Box::new(e),
                        index: Box::new(index),
                    };
                }
                _ => return Ok(e),
            }
        }
    }

    fn string(&mut self) -> Result<Expr, String> {
        let start = self.i;
        self.i += 1;
        let mut out = String::new();
        loop {
            let Some(rel) = self.s[self.i..].iter().position(|&c| c == b'\'') else {
                let n = self.src[..start].chars().count() + 1;
                return Err(format!(
                    "unterminated string: the quote at character {n} is not closed (write a quote inside a string as '')"
                ));
            };
            out.push_str(&self.src[self.i..self.i + rel]);
            self.i += rel + 1;
            if self.s.get(self.i) == Some(&b'\'') {
                out.push('\'');
                self.i += 1;
            } else {
                return Ok(Expr::Str(out));
            }
        }
    }

    fn int(&mut self) -> Result<Expr, String> {
        let start = self.i;
        if self.s[self.i] == b'-' {
            self.i += 1;
        }
        let digits = self.i;
        while self.s.get(self.i).is_some_and(u8::is_ascii_digit) {
            self.i += 1;
        }
        if self.i == digits {
            return Err(format!(
                "expected a number after '-', found {}",
                self.found()
            ));
        }
        if self.s.get(self.i) == Some(&b'.') {
            return Err(format!(
                "unexpected {}: only whole numbers can be written in expressions (use json('1.5') for others)",
                self.found()
            ));
        }
        let text = &self.src[start..self.i];
        text.parse::<i64>()
            .map(Expr::Int)
            .map_err(|_| format!("the number {text} is too large"))
    }

    fn call(&mut self, depth: usize) -> Result<Expr, String> {
        // A name, possibly namespaced (user-defined functions: `ns.fn`).
        let start = self.i;
        loop {
            if self.ident().is_none() {
                return Err(format!("expected a function name, found {}", self.found()));
            }
            if self.s.get(self.i) == Some(&b'.') {
                self.i += 1;
            } else {
                break;
            }
        }
        let name = self.src[start..self.i].to_string();
        self.ws();
        if self.s.get(self.i) != Some(&b'(') {
            let hint = match name.to_ascii_lowercase().as_str() {
                "true" | "false" | "null" => format!(" (write {name}())"),
                _ => String::new(),
            };
            return Err(format!(
                "expected '(' after the function name '{name}', found {}{hint}",
                self.found()
            ));
        }
        self.i += 1;
        let mut args = Vec::new();
        self.ws();
        if self.s.get(self.i) == Some(&b')') {
            self.i += 1;
            return Ok(Expr::Call { name, args });
        }
        loop {
            if self.i >= self.s.len() {
                return Err(format!("missing ')' to close the call of '{name}'"));
            }
            args.push(self.expr(depth + 1)?);
            self.ws();
            match self.s.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b')') => {
                    self.i += 1;
                    return Ok(Expr::Call { name, args });
                }
                None => return Err(format!("missing ')' to close the call of '{name}'")),
                _ => {
                    return Err(format!(
                        "expected ',' or ')' in the arguments of '{name}', found {}",
                        self.found()
                    ))
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Values

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
    fn kind(&self) -> &'static str {
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

/// Where `parameters('x')` and `variables('x')` come from.
pub trait Scope {
    fn parameter(&self, name: &str) -> Val;
    fn variable(&self, name: &str) -> Val;
}

/// A scope with no parameters and no variables.
pub struct EmptyScope;

impl Scope for EmptyScope {
    fn parameter(&self, name: &str) -> Val {
        Val::Unknown(format!("no parameter '{name}'"))
    }
    fn variable(&self, name: &str) -> Val {
        Val::Unknown(format!("no variable '{name}'"))
    }
}

/// Unknowns that must not be hidden inside a partly known string: limits, cycles, errors.
fn is_hard(msg: &str) -> bool {
    msg == TOO_LARGE
        || msg == TOO_COMPLEX
        || msg == TOO_DEEP
        || msg == VAL_TOO_DEEP
        || msg.contains("refer to each other")
        || msg.contains("refers to itself")
        || msg.starts_with("invalid expression")
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
fn bool_text(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}

// ---------------------------------------------------------------------------------------------
// Budget: recursion depth and work, shared by nested evaluations (through variables) on a thread.

struct Budget {
    depth: Cell<usize>,
    steps: Cell<u64>,
    /// Incremented whenever a limit that depends on the evaluation path is hit (so such results
    /// are not memoised).
    hits: Cell<u64>,
}

thread_local! {
    static BUDGET: Budget = const {
        Budget { depth: Cell::new(0), steps: Cell::new(0), hits: Cell::new(0) }
    };
}

struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        BUDGET.with(|b| b.depth.set(b.depth.get().saturating_sub(1)));
    }
}

/// Enter one level of evaluation; the outermost entry starts a new step budget.
fn enter() -> Result<Guard, Val> {
    BUDGET.with(|b| {
        let d = b.depth.get();
        if d == 0 {
            b.steps.set(0);
        }
        if d >= MAX_EVAL_DEPTH {
            b.hits.set(b.hits.get() + 1);
            return Err(Val::Unknown(TOO_DEEP.to_string()));
        }
        let s = b.steps.get() + 1;
        b.steps.set(s);
        if s > MAX_STEPS {
            b.hits.set(b.hits.get() + 1);
            return Err(Val::Unknown(TOO_COMPLEX.to_string()));
        }
        b.depth.set(d + 1);
        Ok(Guard)
    })
}

/// Charge `n` extra steps; false when the budget is spent.
fn charge(n: usize) -> bool {
    BUDGET.with(|b| {
        // Outside any evaluation (a direct call of a scope method): a new budget.
        let base = if b.depth.get() == 0 { 0 } else { b.steps.get() };
        let s = base.saturating_add(n as u64);
        b.steps.set(s);
        if s > MAX_STEPS {
            b.hits.set(b.hits.get() + 1);
            false
        } else {
            true
        }
    })
}

fn hits() -> u64 {
    BUDGET.with(|b| b.hits.get())
}

fn too_complex() -> Val {
    Val::Unknown(TOO_COMPLEX.to_string())
}

fn too_large() -> Val {
    Val::Unknown(TOO_LARGE.to_string())
}

/// Work of copying a value (bounded recursion: values are at most `MAX_VAL_DEPTH` deep).
fn weight(v: &Val) -> usize {
    match v {
        Val::Str(s) | Val::Unknown(s) => 1 + s.len() / 256,
        Val::Array(a) => 1 + a.iter().map(weight).sum::<usize>(),
        Val::Object(o) => {
            1 + o
                .iter()
                .map(|(k, v)| 1 + k.len() / 256 + weight(v))
                .sum::<usize>()
        }
        Val::Partial(p) => {
            1 + p
                .iter()
                .map(|p| match p {
                    Part::Lit(s) | Part::Opaque { text: s, .. } => 1 + s.len() / 256,
                })
                .sum::<usize>()
        }
        _ => 1,
    }
}

/// Whether `v` nests arrays/objects deeper than `limit` levels (recursion at most `limit`).
fn deeper_than(v: &Val, limit: usize) -> bool {
    match v {
        Val::Array(a) if !a.is_empty() => limit == 0 || a.iter().any(|x| deeper_than(x, limit - 1)),
        Val::Object(o) if !o.is_empty() => {
            limit == 0 || o.iter().any(|(_, x)| deeper_than(x, limit - 1))
        }
        _ => false,
    }
}

/// A container built from children: checks depth (children at most `MAX_VAL_DEPTH - 1`).
fn container(v: Val) -> Val {
    let n = match &v {
        Val::Array(a) => a.len(),
        Val::Object(o) => o.len(),
        _ => 0,
    };
    if n > MAX_ITEMS {
        return too_large();
    }
    if !charge(n) {
        return too_complex();
    }
    if deeper_than(&v, MAX_VAL_DEPTH) {
        return Val::Unknown(VAL_TOO_DEEP.to_string());
    }
    v
}

fn str_val(s: String) -> Val {
    if s.len() > MAX_STR {
        return too_large();
    }
    if !charge(s.len() / 256) {
        return too_complex();
    }
    Val::Str(s)
}

/// Normalise parts: merge literals, drop empty ones; no opaque part left gives `Str`.
fn parts_val(parts: Vec<Part>) -> Val {
    let mut merged: Vec<Part> = Vec::with_capacity(parts.len());
    let mut total = 0usize;
    for p in parts {
        if let Part::Lit(s) = &p {
            total += s.len();
            if total > MAX_STR {
                return too_large();
            }
        }
        match (merged.last_mut(), p) {
            (_, Part::Lit(s)) if s.is_empty() => {}
            (Some(Part::Lit(prev)), Part::Lit(s)) => prev.push_str(&s),
            (_, p) => merged.push(p),
        }
    }
    if !charge(merged.len() + total / 256) {
        return too_complex();
    }
    if merged.iter().all(|p| matches!(p, Part::Lit(_))) {
        match merged.pop() {
            Some(Part::Lit(s)) => Val::Str(s),
            _ => Val::Str(String::new()),
        }
    } else {
        Val::Partial(merged)
    }
}

fn opaque(e: &Expr, len: Option<usize>) -> Val {
    Val::Partial(vec![Part::Opaque {
        text: e.to_string(),
        len,
    }])
}

fn unknown(msg: impl Into<String>) -> Val {
    Val::Unknown(msg.into())
}

/// Byte offset of char `n` of `s` (its length when `n` is past the end).
fn byte_at_char(s: &str, n: usize) -> usize {
    s.char_indices().nth(n).map_or(s.len(), |(i, _)| i)
}

/// String pieces of a value in a string context. Soft unknowns become opaque pieces named by
/// `src` (the argument's expression); hard unknowns and non-strings are errors.
fn string_parts(v: Val, src: &Expr, func: &str) -> Result<Vec<Part>, Val> {
    match v {
        Val::Str(s) => Ok(vec![Part::Lit(s)]),
        Val::Int(n) => Ok(vec![Part::Lit(n.to_string())]),
        Val::Partial(p) => Ok(p),
        Val::Unknown(m) if is_hard(&m) => Err(Val::Unknown(m)),
        Val::Unknown(_) => Ok(vec![Part::Opaque {
            text: src.to_string(),
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

/// Whether a value is completely known (no partial strings, no unknowns).
fn fully_known(v: &Val) -> bool {
    match v {
        Val::Partial(_) | Val::Unknown(_) => false,
        Val::Array(a) => a.iter().all(fully_known),
        Val::Object(o) => o.iter().all(|(_, v)| fully_known(v)),
        _ => true,
    }
}

/// A value nested in unknowns: its first unknown (for messages).
fn first_unknown(vals: &[Val]) -> Option<Val> {
    vals.iter().find(|v| matches!(v, Val::Unknown(_))).cloned()
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/// Evaluate an expression.
pub fn eval(expr: &Expr, scope: &dyn Scope) -> Val {
    eval_node(expr, scope)
}

/// Evaluate a JSON string value of a template: an expression, or a literal (unescaped).
pub fn eval_json_string(s: &str, scope: &dyn Scope) -> Val {
    if is_expression(s) {
        match parse(&s[1..s.len() - 1]) {
            Ok(e) => eval(&e, scope),
            Err(m) => Val::Unknown(format!("invalid expression: {m}")),
        }
    } else {
        str_val(unescape_literal(s).into_owned())
    }
}

fn eval_node(expr: &Expr, scope: &dyn Scope) -> Val {
    let _guard = match enter() {
        Ok(g) => g,
        Err(v) => return v,
    };
    match expr {
        Expr::Str(s) => str_val(s.clone()),
        Expr::Int(n) => Val::Int(*n),
        Expr::Member { target, name } => {
            let t = eval_node(target, scope);
            member(t, name, expr)
        }
        Expr::Index { target, index } => {
            let t = eval_node(target, scope);
            let i = eval_node(index, scope);
            index_val(t, i, expr)
        }
        Expr::Call { name, args } => {
            // Keep the recursive path (through `parameters`/`variables` too) out of `apply`,
            // whose frame is large.
            let lower = name.to_ascii_lowercase();
            match lower.as_str() {
                "if" => eval_if(args, expr, scope),
                "coalesce" => eval_coalesce(args, scope),
                "parameters" | "variables" => {
                    let [arg] = args.as_slice() else {
                        return unknown(format!("{name} expects 1 argument, got {}", args.len()));
                    };
                    match eval_node(arg, scope) {
                        Val::Str(n) if lower == "parameters" => scope.parameter(&n),
                        Val::Str(n) => scope.variable(&n),
                        v => not_name(v, name),
                    }
                }
                _ => {
                    let vals: Vec<Val> = args.iter().map(|a| eval_node(a, scope)).collect();
                    apply(&lower, name, vals, args, expr)
                }
            }
        }
    }
}

fn member(t: Val, name: &str, expr: &Expr) -> Val {
    match t {
        Val::Object(members) => {
            match members
                .into_iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
            {
                Some((_, v)) => v,
                None => unknown(format!("the object has no property '{name}'")),
            }
        }
        Val::Partial(_) => {
            let len = if name.eq_ignore_ascii_case("subscriptionId")
                || name.eq_ignore_ascii_case("tenantId")
            {
                Some(36)
            } else {
                None
            };
            opaque(expr, len)
        }
        Val::Unknown(m) => Val::Unknown(m),
        other => unknown(format!(
            "cannot read property '{name}' of a {}",
            other.kind()
        )),
    }
}

fn index_val(t: Val, i: Val, expr: &Expr) -> Val {
    match (t, i) {
        (Val::Unknown(m), _) | (_, Val::Unknown(m)) => Val::Unknown(m),
        (Val::Array(items), Val::Int(n)) => {
            let len = items.len();
            match usize::try_from(n).ok().filter(|&n| n < len) {
                Some(n) => items.into_iter().nth(n).unwrap_or(Val::Null),
                None => unknown(format!(
                    "index {n} is out of range (the array has {len} elements)"
                )),
            }
        }
        (Val::Object(members), Val::Str(k)) => {
            match members
                .into_iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(&k))
            {
                Some((_, v)) => v,
                None => unknown(format!("the object has no property '{k}'")),
            }
        }
        (Val::Partial(_), _) | (_, Val::Partial(_)) => opaque(expr, None),
        (t, i) => unknown(format!("cannot index a {} with a {}", t.kind(), i.kind())),
    }
}

fn eval_if(args: &[Expr], expr: &Expr, scope: &dyn Scope) -> Val {
    if args.len() != 3 {
        return unknown(format!("if expects 3 arguments, got {}", args.len()));
    }
    let cond = eval_node(&args[0], scope);
    match truthy(&cond) {
        Some(true) => eval_node(&args[1], scope),
        Some(false) => eval_node(&args[2], scope),
        None => {
            if let Val::Unknown(m) = &cond {
                if is_hard(m) {
                    return cond;
                }
            }
            let a = eval_node(&args[1], scope);
            let b = eval_node(&args[2], scope);
            if a == b && !matches!(a, Val::Unknown(_)) {
                a
            } else {
                unknown(format!(
                    "the condition of '{expr}' cannot be evaluated statically"
                ))
            }
        }
    }
}

fn eval_coalesce(args: &[Expr], scope: &dyn Scope) -> Val {
    for a in args {
        match eval_node(a, scope) {
            Val::Null => continue,
            v => return v,
        }
    }
    Val::Null
}

/// Functions whose value only exists at deployment time (or that are not evaluated here but
/// are part of ARM): an opaque value; member accesses on it are opaque strings.
fn is_runtime_function(name: &str) -> bool {
    name.starts_with("list")
        || matches!(
            name,
            "resourcegroup"
                | "subscription"
                | "deployment"
                | "tenant"
                | "managementgroup"
                | "environment"
                | "deployer"
                | "reference"
                | "references"
                | "resourceid"
                | "subscriptionresourceid"
                | "tenantresourceid"
                | "extensionresourceid"
                | "managementgroupresourceid"
                | "providers"
                | "pickzones"
                | "copyindex"
                | "utcnow"
                | "datetimeadd"
                | "datetimefromepoch"
                | "datetimetoepoch"
                | "base64"
                | "base64tostring"
                | "base64tojson"
                | "datauri"
                | "datauritostring"
                | "uri"
                | "uricomponent"
                | "uricomponenttostring"
                | "objectkeys"
                | "items"
                | "filter"
                | "map"
                | "mapvalues"
                | "reduce"
                | "sort"
                | "toobject"
                | "groupby"
                | "lambda"
                | "lambdavariables"
                | "flatten"
                | "tryget"
                | "indexfromend"
                | "tryindexfromend"
                | "intersection"
                | "shallowmerge"
                | "cidrsubnet"
                | "cidrhost"
                | "parsecidr"
                | "externalinput"
        )
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

macro_rules! tryv {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(v) => return v,
        }
    };
}

#[inline(never)]
fn apply(f: &str, name: &str, mut a: Vec<Val>, exprs: &[Expr], call: &Expr) -> Val {
    macro_rules! check {
        ($min:expr, $max:expr) => {
            if let Some(v) = arity(name, &a, $min, $max) {
                return v;
            }
        };
    }
    match f {
        "concat" => concat(a, exprs),
        "format" => format_fn(a, exprs),
        "take" | "skip" => {
            check!(2, 2);
            let n = tryv!(int_arg(&a[1], name));
            let n = usize::try_from(n.max(0)).unwrap_or(usize::MAX);
            let v = a.swap_remove(0);
            if f == "take" {
                take(v, n, name)
            } else {
                skip(v, n, call, name)
            }
        }
        "substring" => {
            check!(2, 3);
            let start = tryv!(int_arg(&a[1], name));
            let len = if a.len() == 3 {
                Some(tryv!(int_arg(&a[2], name)))
            } else {
                None
            };
            substring(a.swap_remove(0), start, len, call)
        }
        "tolower" | "toupper" => {
            check!(1, 1);
            let lower = f == "tolower";
            let conv = |s: &str| {
                if lower {
                    s.to_lowercase()
                } else {
                    s.to_uppercase()
                }
            };
            match a.swap_remove(0) {
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
                o => unknown(format!("{name}: expected a string, got a {}", o.kind())),
            }
        }
        "replace" => {
            check!(3, 3);
            let old = tryv!(str_arg(&a[1], name)).to_string();
            let new = tryv!(str_arg(&a[2], name)).to_string();
            replace(a.swap_remove(0), &old, &new, name)
        }
        "trim" => {
            check!(1, 1);
            match a.swap_remove(0) {
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
                o => unknown(format!("{name}: expected a string, got a {}", o.kind())),
            }
        }
        "string" => {
            check!(1, 1);
            match a.swap_remove(0) {
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
        "int" => {
            check!(1, 1);
            match &a[0] {
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
        "bool" => {
            check!(1, 1);
            match &a[0] {
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
        "length" => {
            check!(1, 1);
            match &a[0] {
                Val::Str(s) => Val::Int(s.chars().count() as i64),
                Val::Array(x) => Val::Int(x.len() as i64),
                Val::Object(x) => Val::Int(x.len() as i64),
                Val::Partial(parts) => {
                    let mut n = 0usize;
                    for p in parts {
                        match p {
                            Part::Lit(s) => n += s.chars().count(),
                            Part::Opaque { len: Some(l), .. } => n = n.saturating_add(*l),
                            Part::Opaque { len: None, .. } => return unknown(
                                "length: the length of the string is not known before deployment",
                            ),
                        }
                    }
                    Val::Int(i64::try_from(n).unwrap_or(i64::MAX))
                }
                Val::Unknown(m) => Val::Unknown(m.clone()),
                o => unknown(format!("length: cannot take the length of a {}", o.kind())),
            }
        }
        "empty" => {
            check!(1, 1);
            match &a[0] {
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
        "equals" => {
            check!(2, 2);
            if let Some(u) = first_unknown(&a) {
                return u;
            }
            if !fully_known(&a[0]) || !fully_known(&a[1]) {
                return unknown(format!("'{call}' cannot be evaluated statically"));
            }
            Val::Bool(a[0] == a[1])
        }
        "not" => {
            check!(1, 1);
            match truthy(&a[0]) {
                Some(b) => Val::Bool(!b),
                None => not_bool(&a[0], name),
            }
        }
        "and" | "or" => {
            check!(1, usize::MAX);
            let decisive = f == "or";
            let mut undecided = None;
            for v in &a {
                match truthy(v) {
                    Some(b) if b == decisive => return Val::Bool(decisive),
                    Some(_) => {}
                    None => {
                        if undecided.is_none() {
                            undecided = Some(not_bool(v, name));
                        }
                    }
                }
            }
            undecided.unwrap_or(Val::Bool(!decisive))
        }
        "first" | "last" => {
            check!(1, 1);
            let first = f == "first";
            match a.swap_remove(0) {
                Val::Array(items) => {
                    let v = if first {
                        items.into_iter().next()
                    } else {
                        items.into_iter().next_back()
                    };
                    v.unwrap_or(Val::Null)
                }
                Val::Str(s) => {
                    let c = if first {
                        s.chars().next()
                    } else {
                        s.chars().next_back()
                    };
                    Val::Str(c.map(String::from).unwrap_or_default())
                }
                Val::Partial(parts) => {
                    let end = if first { parts.first() } else { parts.last() };
                    match end {
                        Some(Part::Lit(s)) if !s.is_empty() => {
                            let c = if first {
                                s.chars().next()
                            } else {
                                s.chars().next_back()
                            };
                            Val::Str(c.map(String::from).unwrap_or_default())
                        }
                        _ => opaque(call, Some(1)),
                    }
                }
                Val::Unknown(m) => Val::Unknown(m),
                o => unknown(format!(
                    "{name}: expected an array or a string, got a {}",
                    o.kind()
                )),
            }
        }
        "createarray" => container(Val::Array(a)),
        "createobject" => {
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
        "json" => {
            check!(1, 1);
            let s = tryv!(str_arg(&a[0], name));
            match crate::sources::json::parse(s) {
                Ok(p) => json_to_val(&p.root, 0, None),
                Err(e) => unknown(format!("json: {}", e.message)),
            }
        }
        "true" | "false" => {
            check!(0, 0);
            Val::Bool(f == "true")
        }
        "null" => {
            check!(0, 0);
            Val::Null
        }
        "uniquestring" => opaque(call, Some(13)),
        "guid" | "newguid" => opaque(call, Some(36)),
        "add" | "sub" | "mul" | "div" | "mod" => {
            check!(2, 2);
            let x = tryv!(int_arg(&a[0], name));
            let y = tryv!(int_arg(&a[1], name));
            let r = match f {
                "add" => x.checked_add(y),
                "sub" => x.checked_sub(y),
                "mul" => x.checked_mul(y),
                "div" => x.checked_div(y),
                _ => x.checked_rem(y),
            };
            r.map_or_else(
                || unknown(format!("{name}: overflow or division by zero")),
                Val::Int,
            )
        }
        "less" | "lessorequals" | "greater" | "greaterorequals" => {
            check!(2, 2);
            let ord = match (&a[0], &a[1]) {
                (Val::Int(x), Val::Int(y)) => x.cmp(y),
                (Val::Str(x), Val::Str(y)) => x.cmp(y),
                (Val::Unknown(m), _) | (_, Val::Unknown(m)) => return Val::Unknown(m.clone()),
                _ => return unknown(format!("'{call}' cannot be evaluated statically")),
            };
            use std::cmp::Ordering::*;
            Val::Bool(match f {
                "less" => ord == Less,
                "lessorequals" => ord != Greater,
                "greater" => ord == Greater,
                _ => ord != Less,
            })
        }
        "contains" => {
            check!(2, 2);
            if let Some(u) = first_unknown(&a) {
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
                _ => unknown(format!("'{call}' cannot be evaluated statically")),
            }
        }
        "startswith" | "endswith" => {
            check!(2, 2);
            let needle = tryv!(str_arg(&a[1], name)).to_lowercase();
            match &a[0] {
                Val::Str(s) => {
                    let s = s.to_lowercase();
                    Val::Bool(if f == "startswith" {
                        s.starts_with(&needle)
                    } else {
                        s.ends_with(&needle)
                    })
                }
                Val::Partial(parts) if f == "startswith" => {
                    let prefix = to_resolved(&Val::Partial(parts.clone()))
                        .known_prefix()
                        .to_lowercase();
                    if prefix.len() >= needle.len() || !needle.starts_with(&prefix) {
                        Val::Bool(prefix.starts_with(&needle))
                    } else {
                        unknown(format!("'{call}' cannot be evaluated statically"))
                    }
                }
                Val::Unknown(m) => Val::Unknown(m.clone()),
                _ => unknown(format!("'{call}' cannot be evaluated statically")),
            }
        }
        "indexof" | "lastindexof" => {
            check!(2, 2);
            let s = tryv!(str_arg(&a[0], name)).to_lowercase();
            let needle = tryv!(str_arg(&a[1], name)).to_lowercase();
            let at = if f == "indexof" {
                s.find(&needle)
            } else {
                s.rfind(&needle)
            };
            Val::Int(at.map_or(-1, |b| s[..b].chars().count() as i64))
        }
        "split" => {
            check!(2, 2);
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
        "join" => {
            check!(2, 2);
            let delim = tryv!(str_arg(&a[1], name)).to_string();
            let Val::Array(items) = a.swap_remove(0) else {
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
                parts.extend(tryv!(string_parts(v, call, name)));
                if parts.len() > MAX_ITEMS {
                    return too_large();
                }
            }
            parts_val(parts)
        }
        "padleft" => {
            check!(2, 3);
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
                _ => return unknown(format!("'{call}' cannot be evaluated statically")),
            };
            let have = s.chars().count();
            let width = usize::try_from(width).unwrap_or(0);
            if width > have
                && (width - have)
                    .saturating_mul(p.len_utf8())
                    .saturating_add(s.len())
                    > MAX_STR
            {
                return too_large();
            }
            let mut out: String = std::iter::repeat_n(p, width.saturating_sub(have)).collect();
            out.push_str(&s);
            str_val(out)
        }
        "array" => {
            check!(1, 1);
            match a.swap_remove(0) {
                v @ (Val::Array(_) | Val::Unknown(_)) => v,
                v => container(Val::Array(vec![v])),
            }
        }
        "union" => {
            check!(1, usize::MAX);
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
        "min" | "max" => {
            let list: Vec<Val> = match a.as_slice() {
                [Val::Array(items)] => items.clone(),
                _ => a,
            };
            let mut best: Option<i64> = None;
            for v in &list {
                let n = tryv!(int_arg(v, name));
                best = Some(match best {
                    None => n,
                    Some(b) if f == "min" => b.min(n),
                    Some(b) => b.max(n),
                });
            }
            best.map_or_else(|| unknown(format!("{name}: no values")), Val::Int)
        }
        "range" => {
            check!(2, 2);
            let start = tryv!(int_arg(&a[0], name));
            let count = tryv!(int_arg(&a[1], name));
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
        _ if is_runtime_function(f) => opaque(call, None),
        _ => unknown(format!("function '{name}' is not evaluated statically")),
    }
}

#[cold]
fn not_name(v: Val, func: &str) -> Val {
    match v {
        Val::Unknown(m) => Val::Unknown(m),
        Val::Partial(_) => unknown(format!("{func}: the name is not known before deployment")),
        o => unknown(format!("{func}: expected a string, got a {}", o.kind())),
    }
}

fn not_bool(v: &Val, func: &str) -> Val {
    match v {
        Val::Unknown(m) => Val::Unknown(m.clone()),
        Val::Partial(_) => unknown(format!(
            "{func}: the condition is not known before deployment"
        )),
        o => unknown(format!("{func}: expected a boolean, got a {}", o.kind())),
    }
}

fn truncate(s: &str) -> String {
    if s.chars().count() > 40 {
        let mut t: String = s.chars().take(40).collect();
        t.push('…');
        t
    } else {
        s.to_string()
    }
}

fn concat(a: Vec<Val>, exprs: &[Expr]) -> Val {
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
    for (v, e) in a.into_iter().zip(exprs) {
        if matches!(v, Val::Null) {
            continue;
        }
        for p in tryv!(string_parts(v, e, "concat")) {
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

fn format_fn(mut a: Vec<Val>, exprs: &[Expr]) -> Val {
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
    let exprs = exprs.get(1..).unwrap_or(&[]);
    let args = a;
    let mut parts: Vec<Part> = Vec::new();
    let mut lit = String::new();
    let mut total = 0usize;
    let mut it = fmt.char_indices().peekable();
    while let Some((_, c)) = it.next() {
        match c {
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
                for (_, c) in it.by_ref() {
                    if c == '}' {
                        closed = true;
                        break;
                    }
                    spec.push(c);
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
                let src = exprs.get(i).cloned().unwrap_or(Expr::Str(String::new()));
                parts.push(Part::Lit(std::mem::take(&mut lit)));
                for p in tryv!(string_parts(v, &src, "format")) {
                    if let Part::Lit(s) = &p {
                        total += s.len();
                    }
                    parts.push(p);
                }
            }
            '}' => return unknown("format: unmatched '}' in the format string (write '}}')"),
            c => {
                lit.push(c);
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

fn take(v: Val, n: usize, func: &str) -> Val {
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

fn skip(v: Val, n: usize, call: &Expr, func: &str) -> Val {
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
                    Part::Opaque { len: None, .. } if rem > 0 => return opaque(call, None),
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

fn substring(v: Val, start: i64, len: Option<i64>, call: &Expr) -> Val {
    if start < 0 || len.is_some_and(|l| l < 0) {
        return unknown("substring: the start index and the length cannot be negative");
    }
    let start = usize::try_from(start).unwrap_or(usize::MAX);
    let len = len.map(|l| usize::try_from(l).unwrap_or(usize::MAX));
    match v {
        Val::Str(s) => {
            let total = s.chars().count();
            if start > total || len.is_some_and(|l| start.saturating_add(l) > total) {
                return unknown(format!(
                    "substring: index {start}{} is outside the string (length {total})",
                    len.map(|l| format!(" and length {l}")).unwrap_or_default()
                ));
            }
            let from = byte_at_char(&s, start);
            let rest = &s[from..];
            let to = len.map_or(rest.len(), |l| byte_at_char(rest, l));
            Val::Str(rest[..to].to_string())
        }
        v @ Val::Partial(_) => {
            let rest = skip(v, start, call, "substring");
            match len {
                Some(l) => take(rest, l, "substring"),
                None => rest,
            }
        }
        Val::Unknown(m) => Val::Unknown(m),
        o => unknown(format!("substring: expected a string, got a {}", o.kind())),
    }
}

fn replace(v: Val, old: &str, new: &str, func: &str) -> Val {
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
    match v {
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

/// Convert a JSON tree to a value. With a scope, string leaves are evaluated as template
/// values (expressions); without, they are literal (the `json()` function).
fn json_to_val(node: &Node, depth: usize, scope: Option<&dyn Scope>) -> Val {
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
        Value::String(s) => match scope {
            Some(scope) => {
                let v = eval_json_string(s, scope);
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
                    .map(|n| json_to_val(n, depth + 1, scope))
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
                    .map(|m| (m.key.to_string(), json_to_val(&m.value, depth + 1, scope)))
                    .collect(),
            )
        }
        Value::Skipped => unknown("a resource's properties".to_string()),
    }
}

// ---------------------------------------------------------------------------------------------
// Template scope

/// `parameters()` and `variables()` of one template (or nested template).
pub struct TemplateScope<'a> {
    template: &'a Node,
    /// Values passed to an inner-scope nested template, overriding defaults.
    values: Vec<(String, Val)>,
    /// Memoised results, by (is variable, lower-case name).
    memo: RefCell<HashMap<(bool, String), Val>>,
    /// What is being evaluated, outermost first: (is variable, lower-case name, name as asked).
    active: RefCell<Vec<(bool, String, String)>>,
}

impl<'a> TemplateScope<'a> {
    /// Parameters from `parameters.<name>.defaultValue`, variables from `variables`.
    pub fn new(template: &'a Node) -> Self {
        TemplateScope {
            template,
            values: Vec::new(),
            memo: RefCell::new(HashMap::new()),
            active: RefCell::new(Vec::new()),
        }
    }

    /// Parameter values passed to an inner-scope nested template (override defaults).
    pub fn with_parameter_values(mut self, values: Vec<(String, Val)>) -> Self {
        self.values = values;
        self.memo.borrow_mut().clear();
        self
    }

    fn lookup(&self, is_var: bool, name: &str) -> Val {
        let key = (is_var, name.to_ascii_lowercase());
        if let Some(v) = self.memo.borrow().get(&key) {
            if !charge(weight(v)) {
                return too_complex();
            }
            return v.clone();
        }
        // A cycle: the same name is already being evaluated.
        let cycle = {
            let active = self.active.borrow();
            active
                .iter()
                .position(|(v, n, _)| *v == is_var && *n == key.1)
                .map(|i| {
                    active[i..]
                        .iter()
                        .map(|(_, _, shown)| shown.clone())
                        .collect::<Vec<_>>()
                })
        };
        if let Some(names) = cycle {
            let what = if is_var { "variable" } else { "parameter" };
            return unknown(match names.as_slice() {
                [one] => format!("{what} '{one}' refers to itself"),
                [x, y] => format!("{what}s '{x}' and '{y}' refer to each other"),
                _ => {
                    let list: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
                    format!("{what}s {} refer to each other in a cycle", list.join(", "))
                }
            });
        }
        let Some(node) = (if is_var {
            self.variable_node(name)
        } else {
            self.parameter_node(name)
        }) else {
            return self.missing(is_var, name);
        };
        self.active
            .borrow_mut()
            .push((is_var, key.1.clone(), name.to_string()));
        let hits_before = hits();
        let v = json_to_val(node, 0, Some(self));
        self.active.borrow_mut().pop();
        // Results cut short by a limit of this evaluation path are not kept.
        if hits() == hits_before && charge(weight(&v)) {
            self.memo.borrow_mut().insert(key, v.clone());
        }
        v
    }

    fn parameter_node(&self, name: &str) -> Option<&'a Node> {
        self.template
            .get("parameters")?
            .get(name)?
            .get("defaultValue")
    }

    fn variable_node(&self, name: &str) -> Option<&'a Node> {
        let v = self.template.get("variables")?.get(name)?;
        // Property iteration (`{"copy": [...]}`) is not evaluated.
        if v.get("copy").is_some_and(|c| c.as_array().is_some()) {
            return None;
        }
        Some(v)
    }

    fn missing(&self, is_var: bool, name: &str) -> Val {
        if is_var {
            let vars = self.template.get("variables");
            if let Some(v) = vars.and_then(|v| v.get(name)) {
                if v.get("copy").is_some() {
                    return unknown(format!(
                        "variable '{name}' is built with a copy loop, which is not evaluated"
                    ));
                }
            }
            let in_copy = vars
                .and_then(|v| v.get("copy"))
                .and_then(Node::as_array)
                .is_some_and(|items| {
                    items.iter().any(|i| {
                        i.get("name")
                            .and_then(Node::as_str)
                            .is_some_and(|n| n.eq_ignore_ascii_case(name))
                    })
                });
            if in_copy {
                return unknown(format!(
                    "variable '{name}' is built with a copy loop, which is not evaluated"
                ));
            }
            unknown(format!("no variable '{name}'"))
        } else if self
            .template
            .get("parameters")
            .and_then(|p| p.get(name))
            .is_some()
        {
            unknown(format!("parameter '{name}' has no default value"))
        } else {
            unknown(format!("no parameter '{name}'"))
        }
    }
}

impl Scope for TemplateScope<'_> {
    fn parameter(&self, name: &str) -> Val {
        if let Some((_, v)) = self
            .values
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
        {
            if !charge(weight(v)) {
                return too_complex();
            }
            return v.clone();
        }
        self.lookup(false, name)
    }

    fn variable(&self, name: &str) -> Val {
        self.lookup(true, name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GUID: &str = "0b9c1c8e-5c56-4c3e-8f8f-0c8f5b1b2a11";

    fn ev(src: &str) -> Val {
        eval(
            &parse(src).unwrap_or_else(|e| panic!("{src}: {e}")),
            &EmptyScope,
        )
    }

    fn s(x: &str) -> Val {
        Val::Str(x.to_string())
    }

    fn lit(x: &str) -> Part {
        Part::Lit(x.to_string())
    }

    fn op(text: &str, len: Option<usize>) -> Part {
        Part::Opaque {
            text: text.to_string(),
            len,
        }
    }

    fn is_unknown(v: &Val, needle: &str) -> bool {
        matches!(v, Val::Unknown(m) if m.contains(needle))
    }

    fn template() -> String {
        let mut doubling = String::new();
        for k in 1..=40 {
            doubling.push_str(&format!(
                ",\n    \"d{k}\": \"[concat(variables('d{p}'), variables('d{p}'))]\"",
                p = k - 1
            ));
        }
        format!(
            r#"{{
  // A template with comments, parsed by crate::sources::json.
  "parameters": {{
    "location": {{ "type": "string", "defaultValue": "[resourceGroup().location]" }},
    "guid": {{ "type": "string", "defaultValue": "{GUID}" }},
    "tags": {{ "type": "object", "defaultValue": {{ "tracking": "[concat('pid-', parameters('guid'))]", "n": 3 }} }},
    "telemetry": {{ "type": "string", "defaultValue": "Yes" }},
    "enabled": {{ "type": "bool", "defaultValue": false }},
    "noDefault": {{ "type": "string" }},
    "literal": {{ "type": "string", "defaultValue": "[[not an expression]" }},
    "bad": {{ "type": "string", "defaultValue": "[concat('a']" }},
    "pa": {{ "type": "string", "defaultValue": "[parameters('pb')]" }},
    "pb": {{ "type": "string", "defaultValue": "[parameters('pa')]" }}
  }},
  "variables": {{
    "CuaId": "{GUID}",
    "names": {{ "pid": "[concat('pid-', variables('cuaid'))]" }},
    "arr": [ "first", "[concat('pid-', variables('cuaId'))]" ],
    "a": "[variables('b')]",
    "b": "[concat('x', variables('a'))]",
    "self": "[concat('x', variables('self'))]",
    "c1": "[variables('c2')]",
    "c2": "[variables('c3')]",
    "c3": "[variables('c1')]",
    "fine": "[concat(variables('names').pid, '-', 'ok')]",
    "propCopy": {{ "copy": [ {{ "name": "disks", "count": 2, "input": "x" }} ] }},
    "copy": [ {{ "name": "looped", "count": 2, "input": "[copyIndex('looped')]" }} ],
    "d0": "abcd"{doubling}
  }},
  "resources": []
}}"#
        )
    }

    fn with_template<R>(f: impl FnOnce(&TemplateScope<'_>) -> R) -> R {
        let text = template();
        let parsed = crate::sources::json::parse(&text).unwrap();
        let scope = TemplateScope::new(&parsed.root);
        f(&scope)
    }

    fn ev_in(scope: &TemplateScope<'_>, json_string: &str) -> Val {
        eval_json_string(json_string, scope)
    }

    // ---- parser ----

    #[test]
    fn parse_basics() {
        assert_eq!(parse("'it''s'").unwrap(), Expr::Str("it's".into()));
        assert_eq!(parse(" -42 ").unwrap(), Expr::Int(-42));
        let e = parse("concat( 'a' , variables('x').b[1] )").unwrap();
        assert_eq!(e.to_string(), "concat('a', variables('x').b[1])");
        match &e {
            Expr::Call { name, args } => {
                assert_eq!(name, "concat");
                assert_eq!(args.len(), 2);
                assert!(matches!(&args[1], Expr::Index { .. }));
            }
            _ => panic!(),
        }
        assert_eq!(
            parse("newGuid()").unwrap(),
            Expr::Call {
                name: "newGuid".into(),
                args: vec![]
            }
        );
        assert_eq!(parse("ns.fn(1)").unwrap().to_string(), "ns.fn(1)");
        assert_eq!(parse("f()[0].x['y']").unwrap().to_string(), "f()[0].x['y']");
        assert_eq!(parse("\n\tf(\n1\n)\n").unwrap().to_string(), "f(1)");
        assert_eq!(parse("'a''b'").unwrap().to_string(), "'a''b'");
    }

    #[test]
    fn parse_errors() {
        let err = |s: &str| parse(s).unwrap_err();
        assert_eq!(err(""), "empty expression");
        assert_eq!(err("   "), "empty expression");
        assert!(
            err("concat('a'").contains("missing ')'"),
            "{}",
            err("concat('a'")
        );
        assert!(err("concat('a',").contains("missing ')'"));
        assert!(
            err("concat('a'))").contains("unexpected ')'"),
            "{}",
            err("concat('a'))")
        );
        assert!(
            err("concat('a' 'b')").contains("expected ',' or ')'"),
            "{}",
            err("concat('a' 'b')")
        );
        assert!(
            err("'abc").contains("unterminated string"),
            "{}",
            err("'abc")
        );
        assert!(err("concat('abc)").contains("unterminated string"));
        assert!(err("variables").contains("expected '('"));
        assert!(err("true").contains("true()"), "{}", err("true"));
        assert!(err("f().").contains("property name"));
        assert!(err("f()[1").contains("expected ']'"));
        assert!(err("1.5").contains("whole numbers"), "{}", err("1.5"));
        assert!(err("99999999999999999999").contains("too large"));
        assert!(err("-").contains("number"));
        assert!(err(")").contains("unbalanced"), "{}", err(")"));
        assert!(err("f(,)").contains("expected a value"), "{}", err("f(,)"));
        assert!(
            err("f() g()").contains("after the end"),
            "{}",
            err("f() g()")
        );
        assert!(
            err("f('é' x)").contains("character 7"),
            "{}",
            err("f('é' x)")
        );
    }

    #[test]
    fn parse_deep_nesting() {
        let ok = "concat(".repeat(200) + "'x'" + &")".repeat(200);
        assert!(parse(&ok).is_ok());
        let deep = "concat(".repeat(10_000) + "'x'" + &")".repeat(10_000);
        assert_eq!(
            parse(&deep).unwrap_err(),
            "expression nested deeper than 256 levels"
        );
        let deep_idx = "f()".to_string() + &"[0]".repeat(10_000);
        assert_eq!(
            parse(&deep_idx).unwrap_err(),
            "expression nested deeper than 256 levels"
        );
        let deep_member = "f()".to_string() + &".a".repeat(10_000);
        assert_eq!(
            parse(&deep_member).unwrap_err(),
            "expression nested deeper than 256 levels"
        );
        let deep_index_expr = "a()[".repeat(10_000);
        assert_eq!(
            parse(&deep_index_expr).unwrap_err(),
            "expression nested deeper than 256 levels"
        );
        // On a small stack, as in WebAssembly (1 MB): also evaluate the deepest accepted.
        std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn(|| {
                let deep = "concat(".repeat(10_000) + "'x'" + &")".repeat(10_000);
                assert!(parse(&deep).is_err());
                let max = "concat(".repeat(MAX_NESTING) + "'x'" + &")".repeat(MAX_NESTING);
                let e = parse(&max).unwrap();
                assert_eq!(eval(&e, &EmptyScope), s("x"));
                let text = e.to_string();
                assert_eq!(text.len(), max.len());
                let chain = "skip(".repeat(MAX_NESTING - 1)
                    + "uniqueString('a')"
                    + &", 0)".repeat(MAX_NESTING - 1);
                let v = eval(&parse(&chain).unwrap(), &EmptyScope);
                assert!(matches!(v, Val::Partial(_)));
            })
            .unwrap()
            .join()
            .unwrap();
    }

    #[test]
    fn literals_and_escapes() {
        assert!(is_expression("[concat('a')]"));
        assert!(!is_expression("[[concat('a')]"));
        assert!(!is_expression("concat('a')"));
        assert!(!is_expression("[abc"));
        assert!(!is_expression("["));
        assert!(is_expression("[]"));
        assert_eq!(unescape_literal("[[x]"), "[x]");
        assert_eq!(unescape_literal("[[x"), "[[x");
        assert_eq!(unescape_literal("plain"), "plain");
        assert!(matches!(unescape_literal("plain"), Cow::Borrowed(_)));
        assert_eq!(
            eval_json_string("[[concat('a')]", &EmptyScope),
            s("[concat('a')]")
        );
        assert_eq!(eval_json_string("pid-x", &EmptyScope), s("pid-x"));
        assert_eq!(eval_json_string("[concat('a', 'b')]", &EmptyScope), s("ab"));
        assert!(is_unknown(
            &eval_json_string("[concat('a']", &EmptyScope),
            "invalid expression: missing ')'"
        ));
        assert!(is_unknown(
            &eval_json_string("[]", &EmptyScope),
            "invalid expression: empty"
        ));
    }

    // ---- functions ----

    #[test]
    fn concat_fn() {
        assert_eq!(ev("concat('a', 'b', 1, -2)"), s("ab1-2"));
        assert_eq!(ev("concat()"), s(""));
        assert_eq!(
            ev("concat(createArray(1, 2), createArray('x'))"),
            Val::Array(vec![Val::Int(1), Val::Int(2), s("x")])
        );
        assert_eq!(
            ev("concat('pid-', uniqueString('x'))"),
            Val::Partial(vec![lit("pid-"), op("uniqueString('x')", Some(13))])
        );
        // A soft unknown inside a string becomes an opaque piece.
        assert_eq!(
            ev("concat('pid-', parameters('guid'))"),
            Val::Partial(vec![lit("pid-"), op("parameters('guid')", None)])
        );
        assert!(is_unknown(
            &ev("concat('a', true())"),
            "cannot use a boolean"
        ));
        assert!(is_unknown(
            &ev("CONCAT(createArray(1), 'x')"),
            "cannot join a string with arrays"
        ));
    }

    #[test]
    fn format_fn() {
        assert_eq!(ev("format('pid-{0}-{1}', 'a', 2)"), s("pid-a-2"));
        assert_eq!(ev("format('{{{0}}}', 'x')"), s("{x}"));
        assert_eq!(ev("format('{0}{0}', 'ab')"), s("abab"));
        assert_eq!(ev("format('{0:N0}', 'plain')"), s("plain"));
        assert!(is_unknown(&ev("format('{0:D4}', 7)"), "format specifier"));
        assert!(is_unknown(&ev("format('{1}', 'a')"), "no argument"));
        assert!(is_unknown(&ev("format('{0', 'a')"), "not closed"));
        assert!(is_unknown(&ev("format('a}b')"), "unmatched"));
        assert!(is_unknown(&ev("format('{x}', 'a')"), "invalid placeholder"));
        assert!(is_unknown(&ev("format('{0,5}', 'a')"), "alignment"));
        assert_eq!(ev("format('{0}', true())"), s("True"));
        assert_eq!(
            ev("format('pid-{0}-{1}', 'g', uniqueString(resourceGroup().id))"),
            Val::Partial(vec![
                lit("pid-g-"),
                op("uniqueString(resourceGroup().id)", Some(13))
            ])
        );
    }

    #[test]
    fn take_skip_substring() {
        assert_eq!(ev("take('abcdef', 3)"), s("abc"));
        assert_eq!(ev("take('abc', 10)"), s("abc"));
        assert_eq!(ev("take('abc', -1)"), s(""));
        assert_eq!(ev("take('héllo', 2)"), s("hé"));
        assert_eq!(ev("skip('héllo', 2)"), s("llo"));
        assert_eq!(ev("skip('abc', 99)"), s(""));
        assert_eq!(
            ev("take(createArray(1, 2, 3), 2)"),
            Val::Array(vec![Val::Int(1), Val::Int(2)])
        );
        assert_eq!(
            ev("skip(createArray(1, 2, 3), 2)"),
            Val::Array(vec![Val::Int(3)])
        );
        assert_eq!(ev("substring('abcdef', 1, 3)"), s("bcd"));
        assert_eq!(ev("substring('abcdef', 2)"), s("cdef"));
        assert_eq!(ev("substring('ééé', 1, 1)"), s("é"));
        assert!(is_unknown(
            &ev("substring('abc', 2, 5)"),
            "outside the string"
        ));
        assert!(is_unknown(&ev("substring('abc', -1)"), "negative"));
        // Partial strings.
        let u = "uniqueString('x')";
        assert_eq!(
            ev(&format!("take(concat('pid-', {u}, '-end'), 10)")),
            Val::Partial(vec![lit("pid-"), op(u, Some(6))])
        );
        assert_eq!(ev(&format!("take(concat('pid-', {u}), 3)")), s("pid"));
        assert_eq!(
            ev(&format!("take(concat('pid-', {u}, '-end'), 19)")),
            Val::Partial(vec![lit("pid-"), op(u, Some(13)), lit("-e")])
        );
        // The cut point after an opaque piece of unknown length is unknowable.
        assert_eq!(
            ev("take(concat('pid-', resourceGroup().name, '-end'), 10)"),
            Val::Partial(vec![lit("pid-"), op("resourceGroup().name", None)])
        );
        assert_eq!(
            ev(&format!("skip(concat('ab', {u}, 'cd'), 5)")),
            Val::Partial(vec![op(u, Some(10)), lit("cd")])
        );
        assert_eq!(ev(&format!("skip(concat('ab', {u}, 'cd'), 16)")), s("d"));
        assert_eq!(
            ev("skip(concat('ab', deployment().name, 'cd'), 3)"),
            Val::Partial(vec![op(
                "skip(concat('ab', deployment().name, 'cd'), 3)",
                None
            )])
        );
        assert_eq!(
            ev(&format!("substring(concat('ab', {u}), 1, 3)")),
            Val::Partial(vec![lit("b"), op(u, Some(2))])
        );
        // Huge counts.
        assert_eq!(ev("take('abc', 9223372036854775807)"), s("abc"));
        assert_eq!(ev("skip('abc', -9223372036854775807)"), s("abc"));
    }

    #[test]
    fn case_functions_and_replace_trim() {
        assert_eq!(ev("toLower('AbC')"), s("abc"));
        assert_eq!(ev("TOUPPER('AbC')"), s("ABC"));
        assert_eq!(
            ev("toUpper(concat('pid-', uniqueString('a')))"),
            Val::Partial(vec![lit("PID-"), op("uniqueString('a')", Some(13))])
        );
        assert_eq!(ev("replace('a-b-c', '-', '')"), s("abc"));
        assert!(is_unknown(&ev("replace('abc', '', 'x')"), "empty"));
        assert_eq!(
            ev("replace(concat('a-', uniqueString('a')), '-', '_')"),
            Val::Partial(vec![lit("a_"), op("uniqueString('a')", Some(13))])
        );
        assert_eq!(
            ev("replace(concat('a-', uniqueString('a')), '-', '')"),
            Val::Partial(vec![lit("a"), op("uniqueString('a')", None)])
        );
        assert_eq!(ev("trim('  a b  ')"), s("a b"));
        assert_eq!(
            ev("trim(concat('  a', guid('x'), 'b  '))"),
            Val::Partial(vec![lit("a"), op("guid('x')", Some(36)), lit("b")])
        );
    }

    #[test]
    fn conversions() {
        assert_eq!(ev("string(12)"), s("12"));
        assert_eq!(ev("string(true())"), s("True"));
        assert_eq!(ev("string('x')"), s("x"));
        assert_eq!(
            ev("string(createObject('a', createArray(1, 'b\"')))"),
            s("{\"a\":[1,\"b\\\"\"]}")
        );
        assert_eq!(ev("int('42')"), Val::Int(42));
        assert_eq!(ev("int(7)"), Val::Int(7));
        assert!(is_unknown(&ev("int('x')"), "not an integer"));
        assert_eq!(ev("bool('TRUE')"), Val::Bool(true));
        assert_eq!(ev("bool(0)"), Val::Bool(false));
        assert!(is_unknown(&ev("bool('maybe')"), "cannot convert"));
        assert_eq!(
            ev("json('{\"a\": [1, \"[x]\"], \"b\": null}')"),
            Val::Object(vec![
                ("a".into(), Val::Array(vec![Val::Int(1), s("[x]")])),
                ("b".into(), Val::Null),
            ])
        );
        assert_eq!(ev("json('true')"), Val::Bool(true));
        assert!(is_unknown(&ev("json('{')"), "json:"));
        assert_eq!(ev("json('{\"a\": 1}').A"), Val::Int(1));
    }

    #[test]
    fn length_empty_first_last() {
        assert_eq!(ev("length('héllo')"), Val::Int(5));
        assert_eq!(ev("length(createArray(1, 2))"), Val::Int(2));
        assert_eq!(ev("length(createObject('a', 1))"), Val::Int(1));
        assert_eq!(
            ev("length(concat('pid-', uniqueString('a')))"),
            Val::Int(17)
        );
        assert!(is_unknown(
            &ev("length(concat('pid-', utcNow()))"),
            "not known"
        ));
        assert_eq!(ev("empty('')"), Val::Bool(true));
        assert_eq!(ev("empty(createArray())"), Val::Bool(true));
        assert_eq!(ev("empty(null())"), Val::Bool(true));
        assert_eq!(ev("empty('a')"), Val::Bool(false));
        assert_eq!(ev("empty(uniqueString('a'))"), Val::Bool(false));
        assert_eq!(ev("first(createArray(1, 2))"), Val::Int(1));
        assert_eq!(ev("last(createArray(1, 2))"), Val::Int(2));
        assert_eq!(ev("first(createArray())"), Val::Null);
        assert_eq!(ev("first('héllo')"), s("h"));
        assert_eq!(ev("last('héllo')"), s("o"));
        assert_eq!(ev("first(concat('p', guid('a')))"), s("p"));
    }

    #[test]
    fn logic() {
        assert_eq!(ev("equals('a', 'a')"), Val::Bool(true));
        assert_eq!(ev("equals('a', 'A')"), Val::Bool(false));
        assert_eq!(ev("equals(1, '1')"), Val::Bool(false));
        assert_eq!(
            ev("equals(createArray(1), createArray(1))"),
            Val::Bool(true)
        );
        assert!(is_unknown(
            &ev("equals(uniqueString('a'), 'x')"),
            "cannot be evaluated"
        ));
        assert!(is_unknown(
            &ev("equals(parameters('x'), 'x')"),
            "no parameter 'x'"
        ));
        assert_eq!(ev("not(true())"), Val::Bool(false));
        assert_eq!(ev("not('False')"), Val::Bool(true));
        assert_eq!(ev("and(true(), 'true', true())"), Val::Bool(true));
        assert_eq!(ev("and(true(), false())"), Val::Bool(false));
        assert_eq!(ev("and(parameters('x'), false())"), Val::Bool(false));
        assert!(is_unknown(
            &ev("and(parameters('x'), true())"),
            "no parameter"
        ));
        assert_eq!(ev("or(false(), true())"), Val::Bool(true));
        assert_eq!(ev("or(parameters('x'), true())"), Val::Bool(true));
        assert_eq!(ev("or(false(), false())"), Val::Bool(false));
        assert_eq!(ev("if(true(), 'a', 'b')"), s("a"));
        assert_eq!(ev("IF(false(), 'a', 'b')"), s("b"));
        assert_eq!(ev("if(equals(1, 1), 'a', parameters('nothing'))"), s("a"));
        assert_eq!(ev("if(parameters('x'), 'same', 'same')"), s("same"));
        assert!(is_unknown(
            &ev("if(parameters('x'), 'a', 'b')"),
            "condition"
        ));
        assert!(is_unknown(&ev("if(true(), 'a')"), "3 arguments"));
        assert_eq!(ev("coalesce(null(), null(), 'x', 'y')"), s("x"));
        assert_eq!(ev("coalesce(null())"), Val::Null);
        assert_eq!(ev("true()"), Val::Bool(true));
        assert_eq!(ev("false()"), Val::Bool(false));
        assert_eq!(ev("null()"), Val::Null);
        assert!(is_unknown(&ev("true(1)"), "expects 0"));
    }

    #[test]
    fn arrays_objects_access() {
        assert_eq!(ev("createArray(1, 'a')[1]"), s("a"));
        assert!(is_unknown(&ev("createArray(1)[5]"), "out of range"));
        assert!(is_unknown(&ev("createArray(1)[-1]"), "out of range"));
        assert_eq!(ev("createObject('Key', 'v').KEY"), s("v"));
        assert_eq!(ev("createObject('Key', 'v')['key']"), s("v"));
        assert!(is_unknown(&ev("createObject('a', 1).b"), "no property 'b'"));
        assert!(is_unknown(&ev("createObject('a')"), "pairs"));
        assert!(is_unknown(
            &ev("'abc'.length"),
            "cannot read property 'length' of a string"
        ));
        assert!(is_unknown(&ev("createArray(1)['x']"), "cannot index"));
    }

    #[test]
    fn runtime_functions() {
        assert_eq!(
            ev("uniqueString('a', 'b')"),
            Val::Partial(vec![op("uniqueString('a', 'b')", Some(13))])
        );
        assert_eq!(
            ev("guid('a')"),
            Val::Partial(vec![op("guid('a')", Some(36))])
        );
        assert_eq!(
            ev("newGuid()"),
            Val::Partial(vec![op("newGuid()", Some(36))])
        );
        assert_eq!(ev("utcNow()"), Val::Partial(vec![op("utcNow()", None)]));
        assert_eq!(
            ev("resourceGroup().location"),
            Val::Partial(vec![op("resourceGroup().location", None)])
        );
        assert_eq!(
            ev("subscription().subscriptionId"),
            Val::Partial(vec![op("subscription().subscriptionId", Some(36))])
        );
        assert_eq!(
            ev("reference('x').outputs['y'].value"),
            Val::Partial(vec![op("reference('x').outputs['y'].value", None)])
        );
        for f in [
            "deployment()",
            "tenant()",
            "managementGroup()",
            "environment()",
            "resourceId('a', 'b')",
            "listKeys('x', '2020')",
        ] {
            assert!(matches!(ev(f), Val::Partial(_)), "{f}");
        }
        assert_eq!(
            ev("noSuchThing(1)"),
            Val::Unknown("function 'noSuchThing' is not evaluated statically".into())
        );
        assert!(is_unknown(&ev("ns.fn()"), "function 'ns.fn'"));
    }

    #[test]
    fn extra_functions() {
        assert_eq!(ev("add(1, 2)"), Val::Int(3));
        assert_eq!(ev("sub(1, 2)"), Val::Int(-1));
        assert_eq!(ev("mul(3, 2)"), Val::Int(6));
        assert_eq!(ev("div(7, 2)"), Val::Int(3));
        assert_eq!(ev("mod(7, 2)"), Val::Int(1));
        assert!(is_unknown(&ev("div(1, 0)"), "division"));
        assert!(is_unknown(&ev("add(9223372036854775807, 1)"), "overflow"));
        assert!(is_unknown(&ev("div(-9223372036854775807, 0)"), "division"));
        assert!(is_unknown(
            &ev("mod(sub(-9223372036854775807, 1), -1)"),
            "overflow"
        ));
        assert_eq!(ev("less(1, 2)"), Val::Bool(true));
        assert_eq!(ev("greaterOrEquals('b', 'a')"), Val::Bool(true));
        assert_eq!(ev("contains('abc', 'b')"), Val::Bool(true));
        assert_eq!(ev("contains(createArray(1, 2), 2)"), Val::Bool(true));
        assert_eq!(ev("contains(createObject('A', 1), 'a')"), Val::Bool(true));
        assert_eq!(ev("startsWith('PID-x', 'pid-')"), Val::Bool(true));
        assert_eq!(
            ev("startsWith(concat('pid-', guid('a')), 'PID')"),
            Val::Bool(true)
        );
        assert_eq!(
            ev("startsWith(concat('x', guid('a')), 'pid')"),
            Val::Bool(false)
        );
        assert_eq!(ev("endsWith('abc', 'C')"), Val::Bool(true));
        assert_eq!(ev("indexOf('aBcb', 'b')"), Val::Int(1));
        assert_eq!(ev("lastIndexOf('abcb', 'B')"), Val::Int(3));
        assert_eq!(ev("indexOf('abc', 'z')"), Val::Int(-1));
        assert_eq!(
            ev("split('a,b;c', createArray(',', ';'))"),
            Val::Array(vec![s("a"), s("b"), s("c")])
        );
        assert_eq!(ev("join(createArray('a', 1), '-')"), s("a-1"));
        assert_eq!(ev("padLeft('7', 3, '0')"), s("007"));
        assert!(is_unknown(
            &ev("padLeft('7', 999999999999, '0')"),
            TOO_LARGE
        ));
        assert_eq!(
            ev("union(createArray(1, 2), createArray(2, 3))"),
            Val::Array(vec![Val::Int(1), Val::Int(2), Val::Int(3)])
        );
        assert_eq!(ev("min(3, 1, 2)"), Val::Int(1));
        assert_eq!(ev("max(createArray(3, 1, 2))"), Val::Int(3));
        assert_eq!(
            ev("range(1, 3)"),
            Val::Array(vec![Val::Int(1), Val::Int(2), Val::Int(3)])
        );
        assert_eq!(ev("array('a')"), Val::Array(vec![s("a")]));
    }

    #[test]
    fn resolved_and_truthy() {
        assert_eq!(to_resolved(&s("x")), Resolved::Known("x".into()));
        assert_eq!(to_resolved(&Val::Int(3)), Resolved::Known("3".into()));
        assert_eq!(
            to_resolved(&Val::Bool(true)),
            Resolved::Known("True".into())
        );
        assert_eq!(
            to_resolved(&Val::Partial(vec![lit("a"), lit("b"), op("u", Some(13))])),
            Resolved::Partial(vec![lit("ab"), op("u", Some(13))])
        );
        assert!(matches!(
            to_resolved(&Val::Array(vec![])),
            Resolved::Unknown(_)
        ));
        assert!(matches!(to_resolved(&Val::Null), Resolved::Unknown(_)));
        assert_eq!(
            to_resolved(&Val::Unknown("why".into())),
            Resolved::Unknown("why".into())
        );
        assert_eq!(truthy(&Val::Bool(false)), Some(false));
        assert_eq!(truthy(&s("TRUE")), Some(true));
        assert_eq!(truthy(&s("False")), Some(false));
        assert_eq!(truthy(&s("yes")), None);
        assert_eq!(truthy(&Val::Int(1)), None);
    }

    // ---- limits ----

    #[test]
    fn huge_values() {
        let half = "padLeft('x', 600000, 'y')";
        assert!(is_unknown(
            &ev(&format!("concat({half}, {half})")),
            TOO_LARGE
        ));
        assert!(is_unknown(
            &ev(&format!("format('{{0}}{{0}}', {half})")),
            TOO_LARGE
        ));
        assert!(is_unknown(
            &ev(&format!("take(concat({half}, {half}), 3)")),
            TOO_LARGE
        ));
        assert!(is_unknown(
            &ev(&format!("string(createArray({half}, {half}))")),
            TOO_LARGE
        ));
        assert!(is_unknown(
            &ev("take(padLeft('x', 2000000, 'y'), 5)"),
            TOO_LARGE
        ));
        assert_eq!(ev("take(padLeft('x', 1000000, 'y'), 5)"), s("yyyyy"));
        let rep = format!(
            "replace('{}', 'a', '{}')",
            "a".repeat(2000),
            "b".repeat(1000)
        );
        assert!(is_unknown(&ev(&rep), TOO_LARGE));
        assert!(is_unknown(&ev("range(0, 100000)"), "range"));
    }

    #[test]
    fn step_budget() {
        // Exponential work through repeated arguments is cut off.
        let mut e = "'x'".to_string();
        for _ in 0..20 {
            e = format!("if(equals(length({e}), 1), 'x', 'x')");
            if e.len() > 200_000 {
                break;
            }
        }
        let mut e2 = "createArray(1)".to_string();
        for _ in 0..18 {
            e2 = format!("union({e2}, {e2})");
        }
        let t = std::time::Instant::now();
        let v = ev(&e2);
        assert!(matches!(v, Val::Unknown(_) | Val::Array(_)), "{v:?}");
        let _ = ev(&e);
        eprintln!("budgeted evaluation took {:?}", t.elapsed());
        // A spent budget does not leak into the next top-level call.
        BUDGET.with(|b| b.steps.set(MAX_STEPS + 1));
        with_template(|scope| assert_eq!(scope.variable("d1"), s("abcdabcd")));
        assert_eq!(ev("concat('a', 'b')"), s("ab"));
    }

    // ---- template scope ----

    #[test]
    fn example_names_end_to_end() {
        with_template(|scope| {
            let v = ev_in(
                scope,
                "[take(concat('pid-', variables('cuaid'), '-', uniqueString(deployment().name, parameters('location'))), 64)]",
            );
            assert_eq!(
                v,
                Val::Partial(vec![
                    lit(&format!("pid-{GUID}-")),
                    op(
                        "uniqueString(deployment().name, parameters('location'))",
                        Some(13)
                    ),
                ])
            );
            let v = ev_in(
                scope,
                "[format('pid-{0}-{1}', parameters('guid'), uniqueString(resourceGroup().id))]",
            );
            assert_eq!(
                v,
                Val::Partial(vec![
                    lit(&format!("pid-{GUID}-")),
                    op("uniqueString(resourceGroup().id)", Some(13))
                ])
            );
            assert_eq!(
                ev_in(scope, "[variables('names').pid]"),
                s(&format!("pid-{GUID}"))
            );
            assert_eq!(
                ev_in(scope, "[parameters('tags').tracking]"),
                s(&format!("pid-{GUID}"))
            );
            assert_eq!(ev_in(scope, "[parameters('TAGS').N]"), Val::Int(3));
            assert_eq!(
                ev_in(scope, "[variables('arr')[1]]"),
                s(&format!("pid-{GUID}"))
            );
            assert_eq!(ev_in(scope, "[variables('arr')[0]]"), s("first"));
            assert_eq!(
                ev_in(
                    scope,
                    "[if(equals(parameters('telemetry'), 'Yes'), 'a', 'b')]"
                ),
                s("a")
            );
            assert_eq!(
                ev_in(scope, "[if(parameters('enabled'), 'a', 'b')]"),
                s("b")
            );
            assert_eq!(
                ev_in(scope, "[variables('fine')]"),
                s(&format!("pid-{GUID}-ok"))
            );
            assert_eq!(
                ev_in(scope, "[parameters('literal')]"),
                s("[not an expression]")
            );
            let loc = ev_in(scope, "[parameters('location')]");
            assert_eq!(
                loc,
                Val::Partial(vec![op("resourceGroup().location", None)])
            );
            let r = to_resolved(&ev_in(scope, "[concat('pid-', variables('CUAID'))]"));
            assert_eq!(r, Resolved::Known(format!("pid-{GUID}")));
        });
    }

    #[test]
    fn scope_errors() {
        with_template(|scope| {
            assert_eq!(
                scope.parameter("noDefault"),
                Val::Unknown("parameter 'noDefault' has no default value".into())
            );
            assert_eq!(
                scope.parameter("missing"),
                Val::Unknown("no parameter 'missing'".into())
            );
            assert_eq!(
                scope.variable("missing"),
                Val::Unknown("no variable 'missing'".into())
            );
            assert!(is_unknown(&scope.variable("looped"), "copy loop"));
            assert!(is_unknown(&scope.variable("propCopy"), "copy loop"));
            assert!(is_unknown(
                &scope.parameter("bad"),
                "invalid expression: missing ')'"
            ));
            assert!(is_unknown(
                &ev_in(scope, "[parameters(1)]"),
                "expected a string"
            ));
        });
    }

    #[test]
    fn cycles() {
        with_template(|scope| {
            let a = scope.variable("a");
            assert!(is_unknown(&a, "refer to each other"), "{a:?}");
            assert!(is_unknown(&a, "'a'") && is_unknown(&a, "'b'"), "{a:?}");
            let v = scope.variable("self");
            assert!(is_unknown(&v, "variable 'self' refers to itself"), "{v:?}");
            let v = scope.variable("c2");
            assert!(is_unknown(&v, "refer to each other in a cycle"), "{v:?}");
            let v = scope.parameter("pa");
            assert!(
                is_unknown(&v, "parameters 'pa' and 'pb' refer to each other"),
                "{v:?}"
            );
            // Still consistent after memoisation.
            assert!(is_unknown(&scope.variable("b"), "refer to each other"));
        });
    }

    #[test]
    fn doubling_variables() {
        with_template(|scope| {
            assert_eq!(scope.variable("d2"), s(&"abcd".repeat(4)));
            let v = scope.variable("d40");
            assert!(
                is_unknown(&v, TOO_LARGE),
                "{:?}",
                to_resolved(&v).display().len()
            );
            let v = ev_in(scope, "[take(variables('d40'), 3)]");
            assert!(is_unknown(&v, TOO_LARGE));
            let v = ev_in(scope, "[take(variables('d17'), 3)]");
            assert_eq!(v, s("abc"));
        });
    }

    #[test]
    fn parameter_values_override_defaults() {
        let text = template();
        let parsed = crate::sources::json::parse(&text).unwrap();
        let scope = TemplateScope::new(&parsed.root).with_parameter_values(vec![(
            "GUID".into(),
            s("11111111-1111-1111-1111-111111111111"),
        )]);
        assert_eq!(
            eval_json_string("[parameters('tags').tracking]", &scope),
            s("pid-11111111-1111-1111-1111-111111111111")
        );
        assert_eq!(
            scope.parameter("nodefault"),
            Val::Unknown("parameter 'nodefault' has no default value".into())
        );
    }

    #[test]
    fn variable_chains_are_bounded() {
        // 2000 variables each referring to the next: must stop (depth), never overflow.
        let mut vars = String::new();
        for i in 0..2000 {
            vars.push_str(&format!(
                "\"v{i}\": \"[concat('x', variables('v{}'))]\",",
                i + 1
            ));
        }
        vars.push_str("\"v2000\": \"end\"");
        let text = format!("{{\"variables\": {{{vars}}}}}");
        std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn(move || {
                let parsed = crate::sources::json::parse(&text).unwrap();
                let scope = TemplateScope::new(&parsed.root);
                // Deepest accepted expression with a chain of variables at its bottom.
                let deep = "concat(".repeat(MAX_NESTING - 1)
                    + "variables('v0')"
                    + &")".repeat(MAX_NESTING - 1);
                let v = eval_json_string(&format!("[{deep}]"), &scope);
                assert!(matches!(v, Val::Unknown(_)), "{v:?}");
                let v = scope.variable("v0");
                assert!(matches!(v, Val::Unknown(_)), "{v:?}");
                // Deep values built bottom-up stay bounded too.
                for i in (0..=2000).rev().step_by(50) {
                    let _ = scope.variable(&format!("v{i}"));
                }
                let v = scope.variable("v1990");
                assert_eq!(v, s(&format!("{}end", "x".repeat(10))));
            })
            .unwrap()
            .join()
            .unwrap();
    }

    #[test]
    fn nested_values_are_bounded() {
        let mut vars = String::new();
        for i in 0..300 {
            vars.push_str(&format!(
                "\"w{i}\": \"[createArray(variables('w{}'))]\",",
                i + 1
            ));
        }
        vars.push_str("\"w300\": 1");
        let text = format!("{{\"variables\": {{{vars}}}}}");
        let parsed = crate::sources::json::parse(&text).unwrap();
        let scope = TemplateScope::new(&parsed.root);
        // Evaluate bottom-up so every step is shallow, then check depth stays limited.
        for i in (0..=300).rev() {
            let v = scope.variable(&format!("w{i}"));
            assert!(!deeper_than(&v, MAX_VAL_DEPTH + 1), "w{i}");
        }
    }

    #[test]
    fn never_panics_on_odd_input() {
        let inputs = [
            "substring('é', 0, 1)",
            "take('é', 1)",
            "skip('😀x', 1)",
            "substring('abc', 9223372036854775807, 9223372036854775807)",
            "take(createArray(), 5)[0]",
            "createArray()[0]",
            "json('[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]')",
            "format('{99999999999999999999}', 'a')",
            "range(9223372036854775807, 2)",
            "mul(9223372036854775807, 2)",
            "padLeft('x', -5)",
            "min()",
            "split('', '')",
            "union(createObject('a', 1), createObject('A', 2)).a",
            "string(null())",
            "last(concat(guid('a'), ''))",
        ];
        for i in inputs {
            let _ = ev(i);
        }
        assert!(!deeper_than(&ev(inputs[6]), MAX_VAL_DEPTH + 1));
    }
}
