//! Static evaluation of Bicep expressions (names, modes, conditions).
//!
//! Values that cannot be known before deployment become `Part::Opaque` inside strings or
//! `Val::Unknown` as a whole. Evaluation is bounded: variables are memoised and cycle-safe,
//! strings are capped at [`MAX_STR`] bytes, and every file gets a fixed evaluation budget.

use std::collections::HashMap;
use std::rc::Rc;

use serde_json::Value as J;

use super::parser::{BinOp, Decl, DeclKind, Expr, ExprKind, Seg, UnOp};
use crate::model::{Loader, Part, Resolved};
use crate::sources::arm::expr::budget::MAX_VAL_DEPTH;
use crate::sources::arm::expr::functions::{self, Source};
use crate::sources::arm::expr::value as arm;

/// Longest string the evaluator builds or loads.
pub const MAX_STR: usize = 1 << 20;
/// Evaluation budget per file (one unit per step, plus one per 256 bytes copied).
const FUEL: u64 = 200_000;
/// Maximum evaluation recursion (expression nesting plus variable hops).
const MAX_DEPTH: u32 = 120;
/// Most pieces in one string.
const MAX_PARTS: usize = 1024;
/// Longest source text kept for an opaque part.
const MAX_OPAQUE_TEXT: usize = 1024;

#[derive(Clone, Debug, PartialEq)]
pub enum JKey {
    Name(String),
    Index(usize),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Val<'a> {
    Str(Vec<Part>),
    Int(i64),
    Bool(bool),
    Null,
    /// An object literal (properties evaluated on access).
    Obj(&'a Expr),
    /// An array literal.
    Arr(&'a Expr),
    /// An object or array inside loaded JSON: the document and the path to the value.
    Json(Rc<J>, Vec<JKey>),
    Unknown(String),
    /// Depends on a variable that (indirectly) refers to itself; poisons whatever uses it.
    Cycle(String),
}

enum Binding<'a> {
    Param(Option<&'a Expr>),
    Var(&'a Expr),
    Symbol,
    /// A user-defined function: its parameter names and body.
    Func(&'a [String], &'a Expr),
}

/// Most nested calls of user-defined functions.
const MAX_CALLS: usize = 16;

/// What evaluation keeps for the whole file: its bindings, the memoised values of its parameters
/// and variables, the files it loaded and its budget. It borrows only the file's top-level
/// declarations (`'p`), so that it outlives any one declaration being read (see [`Env::lend`]).
struct Shared<'p> {
    text: &'p str,
    /// Directory of the file (root-relative, no trailing `/`; empty for the root).
    dir: String,
    loader: &'p dyn Loader,
    bindings: HashMap<&'p str, Binding<'p>>,
    memo: HashMap<&'p str, Option<Val<'p>>>,
    files: HashMap<String, Option<Rc<str>>>,
    /// Values given from outside the file: a `.bicepparam` file's for parameters, imported
    /// variables (`import {x} from`, `import * as ns from`). They win over the file's own.
    given: HashMap<String, Val<'p>>,
    fuel: u64,
}

struct NoFiles;

impl Loader for NoFiles {
    fn load(&self, _: &str) -> Option<String> {
        None
    }
}

impl Shared<'_> {
    /// An empty stand-in, while the real one is lent to a file-level evaluation.
    fn placeholder() -> Self {
        Shared {
            text: "",
            dir: String::new(),
            loader: &NoFiles,
            bindings: HashMap::new(),
            memo: HashMap::new(),
            files: HashMap::new(),
            given: HashMap::new(),
            fuel: 0,
        }
    }
}

/// An evaluator for one file: the file-level state ([`Shared`], borrowing the top-level
/// declarations, `'p`) and the expressions being evaluated (`'a`): the same declarations, or one
/// declaration read on its own and dropped after (large files, see `super::read_with`).
pub struct Env<'p, 'a> {
    sh: Shared<'p>,
    /// Arguments of the user-defined functions and lambdas being called, innermost last.
    locals: Vec<HashMap<&'a str, Val<'a>>>,
    depth: u32,
}

/// The directory part of a root-relative path.
pub fn dir_of(path: &str) -> String {
    match path.rfind('/') {
        Some(i) => path[..i].to_string(),
        None => String::new(),
    }
}

/// Join `rel` to the root-relative directory `dir` and normalise `.`/`..`; `None` when the result
/// would leave the root or `rel` is absolute.
pub fn join_path(dir: &str, rel: &str) -> Option<String> {
    let rel = rel.replace('\\', "/");
    if rel.starts_with('/') || rel.contains(':') {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for seg in dir.split('/').chain(rel.split('/')) {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    if parts.is_empty() {
        return None;
    }
    Some(parts.join("/"))
}

fn lit(s: impl Into<String>) -> Val<'static> {
    Val::Str(vec![Part::Lit(s.into())])
}

/// Bytes copied when a string is built or cloned (for the evaluation budget).
fn str_cost(parts: &[Part]) -> usize {
    parts
        .iter()
        .map(|p| match p {
            Part::Lit(s) => s.len() + 32,
            Part::Opaque { text, .. } => text.len() + 32,
        })
        .sum()
}

fn lit_len(parts: &[Part]) -> usize {
    parts
        .iter()
        .map(|p| match p {
            Part::Lit(s) => s.len(),
            Part::Opaque { .. } => 0,
        })
        .sum()
}

/// The string when fully known.
pub fn known(v: &Val) -> Option<String> {
    match v {
        Val::Str(parts) => {
            let mut s = String::new();
            for p in parts {
                match p {
                    Part::Lit(l) => s.push_str(l),
                    Part::Opaque { .. } => return None,
                }
            }
            Some(s)
        }
        _ => None,
    }
}

/// A fully known string, number, bool or null.
fn is_scalar(v: &Val) -> bool {
    match v {
        Val::Int(_) | Val::Bool(_) | Val::Null => true,
        Val::Str(_) => known(v).is_some(),
        _ => false,
    }
}

fn bool_str(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}

pub fn json_get<'j>(root: &'j J, path: &[JKey]) -> Option<&'j J> {
    let mut v = root;
    for k in path {
        v = match (v, k) {
            (J::Object(m), JKey::Name(n)) => match m.get(n) {
                Some(x) => x,
                None => m
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(n))
                    .map(|(_, x)| x)?,
            },
            (J::Array(a), JKey::Index(i)) => a.get(*i)?,
            _ => return None,
        };
    }
    Some(v)
}

/// A JSON value as a `Val`: scalars directly, objects and arrays by reference.
pub fn from_json<'a>(root: Rc<J>, path: Vec<JKey>) -> Option<Val<'a>> {
    let v = json_get(&root, &path)?;
    Some(match v {
        J::Null => Val::Null,
        J::Bool(b) => Val::Bool(*b),
        J::Number(n) => match n.as_i64() {
            Some(i) => Val::Int(i),
            None => lit(n.to_string()),
        },
        J::String(s) => lit(s.clone()),
        J::Array(_) | J::Object(_) => Val::Json(root, path),
    })
}

impl<'p> Env<'p, 'p> {
    /// An environment for the file at root-relative `path` with top-level `decls`.
    pub fn new(text: &'p str, path: &str, loader: &'p dyn Loader, decls: &'p [Decl]) -> Env<'p, 'p> {
        let mut env = Env {
            sh: Shared {
                text,
                dir: dir_of(path),
                loader,
                bindings: HashMap::new(),
                memo: HashMap::new(),
                files: HashMap::new(),
                given: HashMap::new(),
                fuel: FUEL,
            },
            locals: Vec::new(),
            depth: 0,
        };
        for d in decls {
            let (name, b) = match &d.kind {
                DeclKind::Param { name, default } => {
                    (name.as_str(), Binding::Param(default.as_ref()))
                }
                DeclKind::Var { name, value } => (name.as_str(), Binding::Var(value)),
                DeclKind::Resource { symbol, .. } | DeclKind::Module { symbol, .. } | DeclKind::Deferred { symbol, .. } => {
                    (symbol.as_str(), Binding::Symbol)
                }
                DeclKind::Func { name, params, body } => (name.as_str(), Binding::Func(params, body)),
                _ => continue,
            };
            env.sh.bindings.entry(name).or_insert(b);
        }
        env
    }

}

impl<'p: 'a, 'a> Env<'p, 'a> {
    /// Lends this evaluator's file-level state out as an [`Env`] for expressions of any lifetime
    /// (a declaration read again on its own; a variable evaluated at file level); put it back with
    /// [`Env::restore`]. Until then this one holds an empty stand-in: do not evaluate with it.
    pub fn lend<'b>(&mut self) -> Env<'p, 'b> {
        Env { sh: std::mem::replace(&mut self.sh, Shared::placeholder()), locals: Vec::new(), depth: 0 }
    }

    /// Takes back the state lent with [`Env::lend`].
    pub fn restore<'b>(&mut self, lent: Env<'p, 'b>) {
        self.sh = lent.sh;
    }

    /// Give `name` a value from outside the file (a parameter's value from a `.bicepparam`
    /// file, an imported variable).
    pub fn give(&mut self, name: &str, v: Val<'p>) {
        self.sh.given.insert(name.to_string(), v);
    }

    /// Source text of an expression (capped).
    pub fn source(&self, e: &Expr) -> String {
        source_text(self.sh.text, e)
    }

    fn charge(&mut self, bytes: usize) -> bool {
        let cost = 1 + (bytes / 256) as u64;
        if self.sh.fuel < cost {
            self.sh.fuel = 0;
            return false;
        }
        self.sh.fuel -= cost;
        true
    }

    fn opaque(&self, e: &Expr, len: Option<usize>) -> Part {
        Part::Opaque {
            text: self.source(e),
            len,
        }
    }

    /// Read a file relative to this file's directory (cached).
    pub fn load(&mut self, rel: &str) -> Result<Rc<str>, String> {
        let Some(path) = join_path(&self.sh.dir, rel) else {
            return Err(format!("'{rel}' is outside the scanned folder"));
        };
        if let Some(c) = self.sh.files.get(&path) {
            return c.clone().ok_or_else(|| format!("cannot read '{path}'"));
        }
        let r = match self.sh.loader.load(&path) {
            Some(t) if t.len() <= MAX_STR => Some(Rc::from(t.as_str())),
            _ => None,
        };
        self.sh.files.insert(path.clone(), r.clone());
        r.ok_or_else(|| format!("cannot read '{path}' (missing or larger than 1 MiB)"))
    }

    /// Evaluate to a `Resolved` string.
    pub fn resolve(&mut self, e: &'a Expr) -> Resolved {
        match self.eval(e) {
            Val::Str(parts) => Resolved::from_parts(parts),
            Val::Int(i) => Resolved::Known(i.to_string()),
            Val::Bool(b) => Resolved::Known(b.to_string()),
            Val::Null => Resolved::Unknown("the value is null".to_string()),
            Val::Unknown(r) | Val::Cycle(r) => Resolved::Unknown(r),
            Val::Obj(_) | Val::Json(..) => {
                Resolved::Unknown("the value is an object, not a string".to_string())
            }
            Val::Arr(_) => Resolved::Unknown("the value is an array, not a string".to_string()),
        }
    }

    /// Evaluate to a bool when statically known.
    pub fn bool_of(&mut self, e: &'a Expr) -> Option<bool> {
        match self.eval(e) {
            Val::Bool(b) => Some(b),
            _ => None,
        }
    }

    pub fn eval(&mut self, e: &'a Expr) -> Val<'a> {
        if !self.charge(0) {
            return Val::Unknown("evaluation budget exhausted".to_string());
        }
        if self.depth >= MAX_DEPTH {
            return Val::Unknown("expression nested too deeply to evaluate".to_string());
        }
        self.depth += 1;
        let v = self.eval_inner(e);
        self.depth -= 1;
        v
    }

    fn eval_inner(&mut self, e: &'a Expr) -> Val<'a> {
        match &e.kind {
            ExprKind::Str(segs) => {
                let mut parts = Vec::new();
                for s in segs {
                    match s {
                        Seg::Lit(l) => parts.push(Part::Lit(l.clone())),
                        Seg::Expr(x) => {
                            let v = self.eval(x);
                            match self.to_parts(v, x) {
                                Ok(p) => parts.extend(p),
                                Err(v) => return v,
                            }
                        }
                    }
                }
                self.string(parts)
            }
            ExprKind::Int(i) => Val::Int(*i),
            ExprKind::Bool(b) => Val::Bool(*b),
            ExprKind::Null => Val::Null,
            ExprKind::Ident(name) => self.ident(name),
            ExprKind::Object(..) => Val::Obj(e),
            ExprKind::Array(_) => Val::Arr(e),
            ExprKind::Member { obj, name, safe } => {
                // `ns.x` of `import * as ns from …`
                if let ExprKind::Ident(ns) = &obj.kind {
                    if !self.sh.given.is_empty() && !self.sh.bindings.contains_key(ns.as_str()) {
                        let v = self.sh.given.get(&format!("{ns}.{name}")).or_else(|| self.sh.given.get(&format!("{ns}.*")));
                        if let Some(v) = v {
                            return v.clone();
                        }
                    }
                }
                let o = self.eval(obj);
                self.member(o, name, *safe)
            }
            ExprKind::Index { obj, index, safe } => {
                let o = self.eval(obj);
                match self.eval(index) {
                    Val::Int(i) => self.index(o, i, *safe),
                    k => match known(&k) {
                        Some(k) => self.member(o, &k, *safe),
                        None => {
                            Val::Unknown(format!("index '{}' is not known", self.source(index)))
                        }
                    },
                }
            }
            ExprKind::IndexFromEnd { obj, index, safe } => {
                let o = self.eval(obj);
                let (Val::Int(i), Some(items)) = (self.eval(index), self.elements(o)) else {
                    return Val::Unknown(format!("'{}' is not known before deployment", self.source(e)));
                };
                match usize::try_from(i).ok().filter(|&i| i >= 1).and_then(|i| items.len().checked_sub(i)) {
                    Some(at) => items.into_iter().nth(at).unwrap_or(Val::Null),
                    None if *safe => Val::Null,
                    None => Val::Unknown(format!("no element {i} from the end")),
                }
            }
            ExprKind::Call(c) => {
                let super::parser::Call { ns, name, args } = &**c;
                if ns.is_none() {
                    if let Some(Binding::Func(params, body)) = self.sh.bindings.get(name.as_str()) {
                        let (params, body) = (*params, *body);
                        return self.call_func(e, params, body, args);
                    }
                }
                if let Some(ns) = ns {
                    if ns != "sys" && ns != "az" {
                        return Val::Unknown(format!(
                            "'{}' is not known before deployment",
                            self.source(e)
                        ));
                    }
                }
                self.call(e, name, args)
            }
            ExprKind::Unary(op, x) => {
                let v = self.eval(x);
                match (op, v) {
                    (UnOp::Not, Val::Bool(b)) => Val::Bool(!b),
                    (UnOp::Neg, Val::Int(i)) => i
                        .checked_neg()
                        .map(Val::Int)
                        .unwrap_or_else(|| Val::Unknown("overflow".into())),
                    (UnOp::Plus, Val::Int(i)) => Val::Int(i),
                    (_, c @ Val::Cycle(_)) => c,
                    _ => Val::Unknown(format!(
                        "'{}' is not known before deployment",
                        self.source(e)
                    )),
                }
            }
            ExprKind::Binary(op, a, b) => self.binary(e, *op, a, b),
            ExprKind::Ternary(c, a, b) => match self.eval(c) {
                Val::Bool(true) => self.eval(a),
                Val::Bool(false) => self.eval(b),
                v @ Val::Cycle(_) => v,
                _ => Val::Unknown(format!(
                    "condition '{}' is not known before deployment",
                    self.source(c)
                )),
            },
            ExprKind::If { .. } | ExprKind::For { .. } | ExprKind::Lambda { .. } | ExprKind::Other => {
                Val::Unknown(format!("'{}' is not evaluated", self.source(e)))
            }
        }
    }

    /// A string value, or Unknown when too long.
    fn string(&mut self, parts: Vec<Part>) -> Val<'a> {
        let parts = match Resolved::from_parts(parts) {
            Resolved::Known(s) => vec![Part::Lit(s)],
            Resolved::Partial(p) => p,
            Resolved::Unknown(r) => return Val::Unknown(r),
        };
        let len = lit_len(&parts);
        if len > MAX_STR {
            return Val::Unknown("string longer than 1 MiB".to_string());
        }
        if parts.len() > MAX_PARTS {
            return Val::Unknown("string built of too many pieces".to_string());
        }
        if !self.charge(str_cost(&parts)) {
            return Val::Unknown("evaluation budget exhausted".to_string());
        }
        Val::Str(parts)
    }

    /// A value as the parts of a string it is interpolated into.
    fn to_parts(&self, v: Val<'a>, e: &Expr) -> Result<Vec<Part>, Val<'a>> {
        Ok(match v {
            Val::Str(p) => p,
            Val::Int(i) => vec![Part::Lit(i.to_string())],
            Val::Bool(b) => vec![Part::Lit(bool_str(b).to_string())],
            Val::Null => Vec::new(),
            Val::Cycle(r) => return Err(Val::Cycle(r)),
            _ => vec![self.opaque(e, None)],
        })
    }

    fn ident(&mut self, name: &'a str) -> Val<'a> {
        if let Some(v) = self.locals.last().and_then(|l| l.get(name)) {
            return v.clone();
        }
        if let Some(v) = self.sh.given.get(name) {
            return v.clone();
        }
        let (key, expr): (&'p str, &'p Expr) = match self.sh.bindings.get_key_value(name) {
            None => {
                return Val::Unknown(format!(
                    "'{name}' is not a parameter or variable of this file"
                ))
            }
            Some((_, Binding::Symbol)) => {
                return Val::Unknown(format!(
                    "'{name}' is a resource or module, known only at deployment"
                ))
            }
            Some((_, Binding::Param(None))) => {
                return Val::Unknown(format!("parameter '{name}' has no default value"))
            }
            Some((_, Binding::Func(..))) => {
                return Val::Unknown(format!("'{name}' is a function, not a value"))
            }
            Some((k, Binding::Param(Some(d)))) => (*k, *d),
            Some((k, Binding::Var(v))) => (*k, *v),
        };
        match self.sh.memo.get(key) {
            Some(Some(v)) => {
                let v = v.clone();
                let size = match &v {
                    Val::Str(p) => str_cost(p),
                    _ => 0,
                };
                if !self.charge(size) {
                    return Val::Unknown("evaluation budget exhausted".to_string());
                }
                return v;
            }
            Some(None) => {
                return Val::Cycle(format!("'{name}' refers to itself through other variables"))
            }
            None => {}
        }
        self.sh.memo.insert(key, None);
        let v = self.file_level(expr);
        self.sh.memo.insert(key, Some(v.clone()));
        v
    }

    /// A parameter's default or a variable's value, evaluated as the file declares it: it sees
    /// no function's or lambda's arguments, and borrows only the file's declarations, so that it
    /// is memoised for the whole file.
    fn file_level(&mut self, e: &'p Expr) -> Val<'p> {
        let mut sub: Env<'p, 'p> = self.lend();
        sub.depth = self.depth;
        let v = sub.eval(e);
        self.restore(sub);
        v
    }

    /// The elements of an array value, evaluated (`None` when it is not a known array).
    fn elements(&mut self, v: Val<'a>) -> Option<Vec<Val<'a>>> {
        match v {
            Val::Arr(a) => match &a.kind {
                ExprKind::Array(items) => Some(items.iter().map(|x| self.eval(x)).collect()),
                _ => None,
            },
            Val::Json(root, path) => {
                let n = match json_get(&root, &path)? {
                    J::Array(a) => a.len(),
                    _ => return None,
                };
                let mut out = Vec::with_capacity(n);
                for i in 0..n {
                    let mut p = path.clone();
                    p.push(JKey::Index(i));
                    out.push(from_json(root.clone(), p)?);
                }
                Some(out)
            }
            _ => None,
        }
    }

    /// Call lambda `l` with `vals` bound to its parameters (the lambda also sees the
    /// enclosing lambdas' parameters and the file's variables).
    fn apply(&mut self, l: &'a Expr, vals: Vec<Val<'a>>) -> Val<'a> {
        let ExprKind::Lambda { params, body } = &l.kind else {
            return Val::Unknown(format!("'{}' is not a lambda", self.source(l)));
        };
        if self.locals.len() >= MAX_CALLS {
            return Val::Unknown("lambdas nested too deeply to evaluate".to_string());
        }
        let mut frame = self.locals.last().cloned().unwrap_or_default();
        for (p, v) in params.iter().zip(vals) {
            frame.insert(p.as_str(), v);
        }
        self.locals.push(frame);
        let v = self.eval(body);
        self.locals.pop();
        v
    }

    /// An array of values as one value (JSON when fully known).
    fn array_of(&mut self, vals: Vec<Val<'a>>) -> Val<'a> {
        let items: Vec<arm::Val> = vals.into_iter().map(|v| self.to_arm(v, 1)).collect();
        self.from_arm(arm::Val::Array(items))
    }

    /// Bicep's lambda functions: `map`, `filter`, `reduce`, `sort`, `toObject`, `groupBy`,
    /// `mapValues` over arrays (and objects) known before deployment.
    fn with_lambda(&mut self, e: &'a Expr, f: &str, args: &'a [Expr]) -> Val<'a> {
        let unknown = |env: &Self| Val::Unknown(format!("'{}' is not known before deployment", env.source(e)));
        let is_lambda = |x: &Expr| matches!(x.kind, ExprKind::Lambda { .. });
        let Some(first) = args.first() else { return unknown(self) };
        let first_val = self.eval(first);
        if let Val::Cycle(_) = first_val {
            return first_val;
        }
        if f == "mapvalues" {
            let (Some(l), 2) = (args.get(1), args.len()) else { return unknown(self) };
            let obj = self.to_arm(first_val, 0);
            let arm::Val::Object(props) = obj else { return unknown(self) };
            let mut out = Vec::with_capacity(props.len());
            for (k, v) in props {
                let v = self.from_arm(v);
                let r = self.apply(l, vec![v]);
                out.push((k, self.to_arm(r, 1)));
            }
            return self.from_arm(arm::Val::Object(out));
        }
        let Some(items) = self.elements(first_val) else { return unknown(self) };
        if items.len() > 4096 || !self.charge(items.len() * 64) {
            return unknown(self);
        }
        match (f, args) {
            ("map", [_, l]) if is_lambda(l) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, x) in items.into_iter().enumerate() {
                    out.push(self.apply(l, vec![x, Val::Int(i as i64)]));
                }
                self.array_of(out)
            }
            ("filter", [_, l]) if is_lambda(l) => {
                let mut out = Vec::new();
                for (i, x) in items.into_iter().enumerate() {
                    match self.apply(l, vec![x.clone(), Val::Int(i as i64)]) {
                        Val::Bool(true) => out.push(x),
                        Val::Bool(false) => {}
                        _ => return unknown(self),
                    }
                }
                self.array_of(out)
            }
            ("reduce", [_, init, l]) if is_lambda(l) => {
                let mut acc = self.eval(init);
                for (i, x) in items.into_iter().enumerate() {
                    acc = self.apply(l, vec![acc, x, Val::Int(i as i64)]);
                    if let Val::Unknown(_) | Val::Cycle(_) = acc {
                        return acc;
                    }
                }
                acc
            }
            ("sort", [_, l]) if is_lambda(l) => {
                // Insertion sort with the lambda as "a comes before b"; arrays here are small.
                let mut out: Vec<Val<'a>> = Vec::with_capacity(items.len());
                for x in items {
                    let mut at = out.len();
                    while at > 0 {
                        match self.apply(l, vec![x.clone(), out[at - 1].clone()]) {
                            Val::Bool(true) => at -= 1,
                            Val::Bool(false) => break,
                            _ => return unknown(self),
                        }
                    }
                    out.insert(at, x);
                }
                self.array_of(out)
            }
            ("toobject", [_, k, rest @ ..]) if is_lambda(k) && rest.len() <= 1 => {
                let mut out: Vec<(String, arm::Val)> = Vec::new();
                for x in items {
                    let key = self.apply(k, vec![x.clone()]);
                    let Some(key) = known(&key) else { return unknown(self) };
                    let v = match rest.first() {
                        Some(l) => self.apply(l, vec![x]),
                        None => x,
                    };
                    let v = self.to_arm(v, 1);
                    out.retain(|(k, _)| !k.eq_ignore_ascii_case(&key));
                    out.push((key, v));
                }
                self.from_arm(arm::Val::Object(out))
            }
            ("groupby", [_, k]) if is_lambda(k) => {
                let mut out: Vec<(String, Vec<arm::Val>)> = Vec::new();
                for x in items {
                    let key = self.apply(k, vec![x.clone()]);
                    let Some(key) = known(&key) else { return unknown(self) };
                    let v = self.to_arm(x, 2);
                    match out.iter_mut().find(|(k, _)| k.eq_ignore_ascii_case(&key)) {
                        Some((_, list)) => list.push(v),
                        None => out.push((key, vec![v])),
                    }
                }
                self.from_arm(arm::Val::Object(out.into_iter().map(|(k, l)| (k, arm::Val::Array(l))).collect()))
            }
            _ => unknown(self),
        }
    }

    /// A user-defined function called with `args`: its body evaluated with the arguments
    /// bound to its parameters (the body sees nothing else of the file but other functions).
    fn call_func(&mut self, e: &'a Expr, params: &'a [String], body: &'a Expr, args: &'a [Expr]) -> Val<'a> {
        if params.len() != args.len() || self.locals.len() >= MAX_CALLS {
            return Val::Unknown(format!("'{}' is not evaluated", self.source(e)));
        }
        let mut frame = HashMap::new();
        for (p, a) in params.iter().zip(args) {
            let v = self.eval(a);
            if let Val::Cycle(_) = v {
                return v;
            }
            frame.insert(p.as_str(), v);
        }
        self.locals.push(frame);
        let v = self.eval(body);
        self.locals.pop();
        v
    }

    fn member(&mut self, o: Val<'a>, name: &str, safe: bool) -> Val<'a> {
        let missing = |safe: bool| {
            if safe {
                Val::Null
            } else {
                Val::Unknown(format!("no property '{name}'"))
            }
        };
        match o {
            Val::Obj(e) => match e.prop(name) {
                Some(v) => self.eval(v),
                None => missing(safe),
            },
            Val::Json(root, mut path) => {
                path.push(JKey::Name(name.to_string()));
                from_json(root, path).unwrap_or_else(|| missing(safe))
            }
            Val::Null if safe => Val::Null,
            c @ (Val::Cycle(_) | Val::Unknown(_)) => c,
            _ => Val::Unknown(format!("cannot read property '{name}' of a non-object")),
        }
    }

    fn index(&mut self, o: Val<'a>, i: i64, safe: bool) -> Val<'a> {
        let missing = if safe {
            Val::Null
        } else {
            Val::Unknown(format!("no element {i}"))
        };
        let Ok(i) = usize::try_from(i) else {
            return missing;
        };
        match o {
            Val::Arr(e) => match &e.kind {
                ExprKind::Array(items) => match items.get(i) {
                    Some(x) => self.eval(x),
                    None => missing,
                },
                _ => missing,
            },
            Val::Json(root, mut path) => {
                path.push(JKey::Index(i));
                from_json(root, path).unwrap_or(missing)
            }
            Val::Null if safe => Val::Null,
            c @ (Val::Cycle(_) | Val::Unknown(_)) => c,
            _ => Val::Unknown("cannot index a non-array".to_string()),
        }
    }

    fn binary(&mut self, e: &'a Expr, op: BinOp, a: &'a Expr, b: &'a Expr) -> Val<'a> {
        let unknown = |env: &Self| {
            Val::Unknown(format!(
                "'{}' is not known before deployment",
                env.source(e)
            ))
        };
        match op {
            BinOp::And | BinOp::Or => {
                let short = op == BinOp::Or;
                let l = self.eval(a);
                if l == Val::Bool(short) {
                    return l;
                }
                let r = self.eval(b);
                if r == Val::Bool(short) {
                    return r;
                }
                match (l, r) {
                    (Val::Bool(_), Val::Bool(_)) => Val::Bool(!short),
                    (c @ Val::Cycle(_), _) | (_, c @ Val::Cycle(_)) => c,
                    _ => unknown(self),
                }
            }
            BinOp::Coalesce => match self.eval(a) {
                Val::Null => self.eval(b),
                v @ (Val::Unknown(_) | Val::Cycle(_)) => v,
                v => v,
            },
            _ => {
                let l = self.eval(a);
                let r = self.eval(b);
                if let Val::Cycle(_) = l {
                    return l;
                }
                if let Val::Cycle(_) = r {
                    return r;
                }
                let v = match (op, &l, &r) {
                    (BinOp::Eq | BinOp::Ne | BinOp::EqI | BinOp::NeI, _, _) => {
                        let ci = matches!(op, BinOp::EqI | BinOp::NeI);
                        let eq = match (&l, &r) {
                            (Val::Int(x), Val::Int(y)) => Some(x == y),
                            (Val::Bool(x), Val::Bool(y)) => Some(x == y),
                            (Val::Null, Val::Null) => Some(true),
                            (Val::Str(_), Val::Str(_)) => match (known(&l), known(&r)) {
                                (Some(x), Some(y)) if ci => {
                                    Some(x.to_lowercase() == y.to_lowercase())
                                }
                                (Some(x), Some(y)) => Some(x == y),
                                _ => None,
                            },
                            // Different types: unequal when both are fully known scalars.
                            _ if is_scalar(&l) && is_scalar(&r) => Some(false),
                            _ => None,
                        };
                        eq.map(|x| Val::Bool(x != matches!(op, BinOp::Ne | BinOp::NeI)))
                    }
                    (_, Val::Int(x), Val::Int(y)) => {
                        let (x, y) = (*x, *y);
                        match op {
                            BinOp::Lt => Some(Val::Bool(x < y)),
                            BinOp::Le => Some(Val::Bool(x <= y)),
                            BinOp::Gt => Some(Val::Bool(x > y)),
                            BinOp::Ge => Some(Val::Bool(x >= y)),
                            BinOp::Add => x.checked_add(y).map(Val::Int),
                            BinOp::Sub => x.checked_sub(y).map(Val::Int),
                            BinOp::Mul => x.checked_mul(y).map(Val::Int),
                            BinOp::Div => x.checked_div(y).map(Val::Int),
                            BinOp::Mod => x.checked_rem(y).map(Val::Int),
                            _ => None,
                        }
                    }
                    _ => None,
                };
                v.unwrap_or_else(|| unknown(self))
            }
        }
    }

    fn call(&mut self, e: &'a Expr, name: &str, args: &'a [Expr]) -> Val<'a> {
        let f = name.to_ascii_lowercase();
        let unknown = |env: &Self| {
            Val::Unknown(format!(
                "'{}' is not known before deployment",
                env.source(e)
            ))
        };
        // Values known only at deployment: their arguments are not evaluated.
        if matches!(f.as_str(), "uniquestring" | "guid" | "newguid") {
            return self.library(&f, name, Vec::new(), e, args);
        }
        if args.iter().any(|a| matches!(a.kind, ExprKind::Lambda { .. })) {
            return self.with_lambda(e, &f, args);
        }
        let mut vals: Vec<Val<'a>> = Vec::with_capacity(args.len().min(16));
        for a in args {
            let v = self.eval(a);
            if let Val::Cycle(_) = v {
                return v;
            }
            vals.push(v);
        }
        // Bicep's own functions (file loading, JSON kept by reference) and `coalesce`; every
        // other function is ARM's, from the shared library.
        match (f.as_str(), vals.as_slice()) {
            ("json", [v]) => {
                let Some(s) = known(v) else {
                    return unknown(self);
                };
                if !self.charge(s.len()) {
                    return Val::Unknown("evaluation budget exhausted".to_string());
                }
                match serde_json::from_str::<J>(&s) {
                    Ok(j) => from_json(Rc::new(j), Vec::new()).unwrap_or_else(|| unknown(self)),
                    Err(err) => Val::Unknown(format!("not valid JSON: {err}")),
                }
            }
            ("loadtextcontent", [p, ..]) => {
                let Some(p) = known(p) else {
                    return unknown(self);
                };
                match self.load(&p) {
                    Ok(t) => self.string(vec![Part::Lit(t.to_string())]),
                    Err(m) => Val::Unknown(m),
                }
            }
            ("loadjsoncontent", [p, rest @ ..]) => {
                let Some(p) = known(p) else {
                    return unknown(self);
                };
                let text = match self.load(&p) {
                    Ok(t) => t,
                    Err(m) => return Val::Unknown(m),
                };
                if !self.charge(text.len()) {
                    return Val::Unknown("evaluation budget exhausted".to_string());
                }
                let root = match serde_json::from_str::<J>(&text) {
                    Ok(j) => Rc::new(j),
                    Err(err) => return Val::Unknown(format!("'{p}' is not valid JSON: {err}")),
                };
                let mut path = Vec::new();
                if let Some(jp) = rest.first() {
                    let Some(jp) = known(jp) else {
                        return unknown(self);
                    };
                    let Some(tail) = jp.strip_prefix('$') else {
                        return unknown(self);
                    };
                    for seg in tail.split('.').filter(|s| !s.is_empty()) {
                        if seg.contains(['[', ']', '*', '\'']) {
                            return unknown(self);
                        }
                        path.push(JKey::Name(seg.to_string()));
                    }
                }
                from_json(root, path)
                    .unwrap_or_else(|| Val::Unknown(format!("no such path in '{p}'")))
            }
            ("coalesce", _) => {
                for v in vals {
                    match v {
                        Val::Null => continue,
                        Val::Unknown(_) => return unknown(self),
                        v => return v,
                    }
                }
                Val::Null
            }
            _ if functions::lookup(&f).is_some() => self.library(&f, name, vals, e, args),
            _ => unknown(self),
        }
    }

    /// Call ARM's function `f` (lower-case; `name` as written) from the shared library: the
    /// arguments converted to ARM values, the result back.
    #[inline(never)]
    fn library(
        &mut self,
        f: &str,
        name: &str,
        vals: Vec<Val<'a>>,
        e: &'a Expr,
        args: &'a [Expr],
    ) -> Val<'a> {
        let mut arm = Vec::with_capacity(vals.len());
        for v in vals {
            arm.push(self.to_arm(v, 0));
        }
        let src = Written {
            text: self.sh.text,
            call: e,
            args,
        };
        let v = functions::call(f, name, arm, &src);
        self.from_arm(v)
    }

    /// A value that no longer borrows this file's syntax tree (array and object literals as
    /// JSON when fully known), to be given to another file's evaluation.
    pub fn detach(&mut self, v: Val<'a>) -> Val<'static> {
        match v {
            Val::Str(p) => Val::Str(p),
            Val::Int(i) => Val::Int(i),
            Val::Bool(b) => Val::Bool(b),
            Val::Null => Val::Null,
            Val::Json(r, p) => Val::Json(r, p),
            Val::Unknown(r) | Val::Cycle(r) => Val::Unknown(r),
            v @ (Val::Obj(_) | Val::Arr(_)) => {
                let a = self.to_arm(v, 0);
                match arm_to_json(&a) {
                    Some(j) => Val::Json(Rc::new(j), Vec::new()),
                    None => Val::Unknown("the value is not fully known before deployment".to_string()),
                }
            }
        }
    }

    /// A value as ARM's function library takes it. Array and object literals are evaluated
    /// (at most [`MAX_VAL_DEPTH`] levels deep); what cannot be known is unknown.
    fn to_arm(&mut self, v: Val<'a>, depth: usize) -> arm::Val {
        match v {
            Val::Str(parts) => {
                if parts.iter().all(|p| matches!(p, Part::Lit(_))) {
                    let mut s = String::new();
                    for p in &parts {
                        if let Part::Lit(l) = p {
                            s.push_str(l);
                        }
                    }
                    arm::Val::Str(s)
                } else {
                    arm::Val::Partial(parts)
                }
            }
            Val::Int(i) => arm::Val::Int(i),
            Val::Bool(b) => arm::Val::Bool(b),
            Val::Null => arm::Val::Null,
            Val::Unknown(r) | Val::Cycle(r) => arm::Val::Unknown(r),
            _ if depth >= MAX_VAL_DEPTH => {
                arm::Val::Unknown("value nested too deeply to evaluate".to_string())
            }
            Val::Arr(a) => match &a.kind {
                ExprKind::Array(items) => {
                    let mut out = Vec::with_capacity(items.len());
                    for x in items {
                        let v = self.eval(x);
                        out.push(self.to_arm(v, depth + 1));
                    }
                    arm::Val::Array(out)
                }
                _ => arm::Val::Unknown(format!("'{}' is not evaluated", self.source(a))),
            },
            Val::Obj(o) => match &o.kind {
                ExprKind::Object(props, _) => {
                    let mut out = Vec::with_capacity(props.len());
                    for p in props {
                        let Some(k) = &p.key else {
                            return arm::Val::Unknown(format!(
                                "'{}' is not known before deployment",
                                self.source(o)
                            ));
                        };
                        let v = self.eval(&p.value);
                        out.push((k.clone(), self.to_arm(v, depth + 1)));
                    }
                    arm::Val::Object(out)
                }
                _ => arm::Val::Unknown(format!("'{}' is not evaluated", self.source(o))),
            },
            Val::Json(root, path) => match json_get(&root, &path) {
                Some(j) => json_to_arm(j, depth),
                None => arm::Val::Unknown("no such JSON value".to_string()),
            },
        }
    }

    /// A result of ARM's function library as a Bicep value (arrays and objects as JSON when
    /// fully known).
    fn from_arm(&mut self, v: arm::Val) -> Val<'a> {
        match v {
            arm::Val::Str(s) => self.string(vec![Part::Lit(s)]),
            arm::Val::Partial(parts) => self.string(parts),
            arm::Val::Int(i) => Val::Int(i),
            arm::Val::Bool(b) => Val::Bool(b),
            arm::Val::Null => Val::Null,
            arm::Val::Unknown(r) => Val::Unknown(r),
            v @ (arm::Val::Array(_) | arm::Val::Object(_)) => match arm_to_json(&v) {
                Some(j) => Val::Json(Rc::new(j), Vec::new()),
                None => Val::Unknown("the value is not fully known before deployment".to_string()),
            },
        }
    }
}

/// Opaque pieces of a library call's result are named by the Bicep source of the call and its
/// arguments.
struct Written<'e> {
    text: &'e str,
    call: &'e Expr,
    args: &'e [Expr],
}

impl Source for Written<'_> {
    fn call_text(&self) -> String {
        source_text(self.text, self.call)
    }
    fn arg_text(&self, i: usize) -> String {
        self.args
            .get(i)
            .map(|a| source_text(self.text, a))
            .unwrap_or_default()
    }
}

/// A JSON value (at nesting `depth`) as an ARM value.
fn json_to_arm(j: &J, depth: usize) -> arm::Val {
    if depth > MAX_VAL_DEPTH {
        return arm::Val::Unknown("value nested too deeply to evaluate".to_string());
    }
    match j {
        J::Null => arm::Val::Null,
        J::Bool(b) => arm::Val::Bool(*b),
        J::Number(n) => match n.as_i64() {
            Some(i) => arm::Val::Int(i),
            None => arm::Val::Str(n.to_string()),
        },
        J::String(s) => arm::Val::Str(s.clone()),
        J::Array(a) => arm::Val::Array(a.iter().map(|x| json_to_arm(x, depth + 1)).collect()),
        J::Object(o) => arm::Val::Object(
            o.iter()
                .map(|(k, x)| (k.clone(), json_to_arm(x, depth + 1)))
                .collect(),
        ),
    }
}

/// A fully known ARM array or object as JSON (`None` when any part is not known).
fn arm_to_json(v: &arm::Val) -> Option<J> {
    Some(match v {
        arm::Val::Null => J::Null,
        arm::Val::Bool(b) => J::Bool(*b),
        arm::Val::Int(i) => J::from(*i),
        arm::Val::Str(s) => J::String(s.clone()),
        arm::Val::Array(a) => J::Array(a.iter().map(arm_to_json).collect::<Option<_>>()?),
        arm::Val::Object(o) => {
            let mut m = serde_json::Map::new();
            for (k, x) in o {
                m.insert(k.clone(), arm_to_json(x)?);
            }
            J::Object(m)
        }
        arm::Val::Partial(_) | arm::Val::Unknown(_) => return None,
    })
}

/// Source text of an expression (capped at [`MAX_OPAQUE_TEXT`] bytes).
pub fn source_text(text: &str, e: &Expr) -> String {
    let s = text.get(e.span.start..e.span.end).unwrap_or("");
    if s.len() <= MAX_OPAQUE_TEXT {
        return s.to_string();
    }
    let mut cut = MAX_OPAQUE_TEXT;
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}…", &s[..cut])
}
