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
}

pub struct Env<'a> {
    text: &'a str,
    /// Directory of the file (root-relative, no trailing `/`; empty for the root).
    dir: String,
    loader: &'a dyn Loader,
    bindings: HashMap<&'a str, Binding<'a>>,
    memo: HashMap<&'a str, Option<Val<'a>>>,
    files: HashMap<String, Option<Rc<str>>>,
    fuel: u64,
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

fn json_get<'j>(root: &'j J, path: &[JKey]) -> Option<&'j J> {
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
fn from_json<'a>(root: Rc<J>, path: Vec<JKey>) -> Option<Val<'a>> {
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

impl<'a> Env<'a> {
    /// An environment for the file at root-relative `path` with top-level `decls`.
    pub fn new(text: &'a str, path: &str, loader: &'a dyn Loader, decls: &'a [Decl]) -> Env<'a> {
        let mut env = Env {
            text,
            dir: dir_of(path),
            loader,
            bindings: HashMap::new(),
            memo: HashMap::new(),
            files: HashMap::new(),
            fuel: FUEL,
            depth: 0,
        };
        for d in decls {
            let (name, b) = match &d.kind {
                DeclKind::Param { name, default } => {
                    (name.as_str(), Binding::Param(default.as_ref()))
                }
                DeclKind::Var { name, value } => (name.as_str(), Binding::Var(value)),
                DeclKind::Resource { symbol, .. } | DeclKind::Module { symbol, .. } => {
                    (symbol.as_str(), Binding::Symbol)
                }
                _ => continue,
            };
            env.bindings.entry(name).or_insert(b);
        }
        env
    }

    /// Source text of an expression (capped).
    pub fn source(&self, e: &Expr) -> String {
        source_text(self.text, e)
    }

    fn charge(&mut self, bytes: usize) -> bool {
        let cost = 1 + (bytes / 256) as u64;
        if self.fuel < cost {
            self.fuel = 0;
            return false;
        }
        self.fuel -= cost;
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
        let Some(path) = join_path(&self.dir, rel) else {
            return Err(format!("'{rel}' is outside the scanned folder"));
        };
        if let Some(c) = self.files.get(&path) {
            return c.clone().ok_or_else(|| format!("cannot read '{path}'"));
        }
        let r = match self.loader.load(&path) {
            Some(t) if t.len() <= MAX_STR => Some(Rc::from(t.as_str())),
            _ => None,
        };
        self.files.insert(path.clone(), r.clone());
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
            ExprKind::Call { ns, name, args } => {
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
            ExprKind::If { .. } | ExprKind::For { .. } | ExprKind::Other => {
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
        let expr = match self.bindings.get(name) {
            None => {
                return Val::Unknown(format!(
                    "'{name}' is not a parameter or variable of this file"
                ))
            }
            Some(Binding::Symbol) => {
                return Val::Unknown(format!(
                    "'{name}' is a resource or module, known only at deployment"
                ))
            }
            Some(Binding::Param(None)) => {
                return Val::Unknown(format!("parameter '{name}' has no default value"))
            }
            Some(Binding::Param(Some(d))) => *d,
            Some(Binding::Var(v)) => *v,
        };
        match self.memo.get(name) {
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
        self.memo.insert(name, None);
        let v = self.eval(expr);
        self.memo.insert(name, Some(v.clone()));
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
        match f.as_str() {
            "uniquestring" => return self.string(vec![self.opaque(e, Some(13))]),
            "guid" | "newguid" => return self.string(vec![self.opaque(e, Some(36))]),
            _ => {}
        }
        let mut vals: Vec<Val<'a>> = Vec::with_capacity(args.len().min(16));
        for a in args {
            let v = self.eval(a);
            if let Val::Cycle(_) = v {
                return v;
            }
            vals.push(v);
        }
        match (f.as_str(), vals.as_slice()) {
            ("concat", _) => {
                let mut parts = Vec::new();
                for (v, a) in vals.into_iter().zip(args) {
                    match v {
                        Val::Arr(_) | Val::Json(..) => return unknown(self),
                        v => match self.to_parts(v, a) {
                            Ok(p) => parts.extend(p),
                            Err(c) => return c,
                        },
                    }
                }
                self.string(parts)
            }
            ("format", [fmt, ..]) => {
                let Some(fmt) = known(fmt) else {
                    return unknown(self);
                };
                let mut rest = Vec::new();
                for (v, a) in vals.into_iter().zip(args).skip(1) {
                    match self.to_parts(v, a) {
                        Ok(p) => rest.push(p),
                        Err(c) => return c,
                    }
                }
                self.format(&fmt, &rest, &args[1..])
                    .unwrap_or_else(|| unknown(self))
            }
            ("take", [Val::Str(parts), Val::Int(n)]) => {
                let mut left = usize::try_from(*n).unwrap_or(0);
                let mut out = Vec::new();
                for p in parts {
                    if left == 0 {
                        break;
                    }
                    match p {
                        Part::Lit(s) => {
                            let t: String = s.chars().take(left).collect();
                            left -= t.chars().count();
                            out.push(Part::Lit(t));
                        }
                        Part::Opaque { text, len: Some(l) } => {
                            let l2 = (*l).min(left);
                            left -= l2;
                            out.push(Part::Opaque {
                                text: text.clone(),
                                len: Some(l2),
                            });
                        }
                        Part::Opaque { text, len: None } => {
                            out.push(Part::Opaque {
                                text: text.clone(),
                                len: None,
                            });
                            break;
                        }
                    }
                }
                self.string(out)
            }
            ("tolower" | "toupper", [Val::Str(parts)]) => {
                let up = f == "toupper";
                let out = parts
                    .iter()
                    .map(|p| match p {
                        Part::Lit(s) => Part::Lit(if up {
                            s.to_uppercase()
                        } else {
                            s.to_lowercase()
                        }),
                        o => o.clone(),
                    })
                    .collect();
                self.string(out)
            }
            ("replace", [Val::Str(parts), old, new]) => {
                let (Some(old), Some(new)) = (known(old), known(new)) else {
                    return unknown(self);
                };
                if old.is_empty() {
                    return unknown(self);
                }
                let mut out = Vec::new();
                for p in parts {
                    match p {
                        Part::Lit(s) => {
                            let grow = s.matches(old.as_str()).count().saturating_mul(new.len());
                            if s.len().saturating_add(grow) > MAX_STR {
                                return Val::Unknown("string longer than 1 MiB".to_string());
                            }
                            out.push(Part::Lit(s.replace(old.as_str(), &new)));
                        }
                        Part::Opaque { text, .. } => out.push(Part::Opaque {
                            text: text.clone(),
                            len: None,
                        }),
                    }
                }
                self.string(out)
            }
            ("string", [v]) => match v {
                Val::Str(_) => v.clone(),
                Val::Int(i) => lit(i.to_string()),
                Val::Bool(b) => lit(bool_str(*b)),
                _ => unknown(self),
            },
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
            ("empty", [v]) => match v {
                Val::Null => Val::Bool(true),
                Val::Str(_) => known(v)
                    .map(|s| Val::Bool(s.is_empty()))
                    .unwrap_or_else(|| Val::Bool(false)),
                Val::Arr(a) | Val::Obj(a) => match &a.kind {
                    ExprKind::Array(items) => Val::Bool(items.is_empty()),
                    ExprKind::Object(props, _) => Val::Bool(props.is_empty()),
                    _ => unknown(self),
                },
                Val::Json(root, path) => match json_get(root, path) {
                    Some(J::Array(a)) => Val::Bool(a.is_empty()),
                    Some(J::Object(o)) => Val::Bool(o.is_empty()),
                    _ => unknown(self),
                },
                _ => unknown(self),
            },
            ("contains" | "startswith" | "endswith", [a, b]) => match (known(a), known(b)) {
                (Some(a), Some(b)) => {
                    let (a, b) = (a.to_lowercase(), b.to_lowercase());
                    Val::Bool(match f.as_str() {
                        "contains" => a.contains(&b),
                        "startswith" => a.starts_with(&b),
                        _ => a.ends_with(&b),
                    })
                }
                _ => unknown(self),
            },
            ("length", [v]) => match v {
                Val::Str(_) => known(v)
                    .map(|s| Val::Int(s.chars().count() as i64))
                    .unwrap_or_else(|| unknown(self)),
                Val::Arr(a) => match &a.kind {
                    ExprKind::Array(items) => Val::Int(items.len() as i64),
                    _ => unknown(self),
                },
                _ => unknown(self),
            },
            ("trim", [v]) => match known(v) {
                Some(s) => lit(s.trim()),
                None => unknown(self),
            },
            ("substring", [v, Val::Int(start), len @ ..]) => {
                let Some(s) = known(v) else {
                    return unknown(self);
                };
                let start = usize::try_from(*start).unwrap_or(0);
                let n = match len.first() {
                    Some(Val::Int(n)) => usize::try_from(*n).unwrap_or(0),
                    Some(_) => return unknown(self),
                    None => usize::MAX,
                };
                lit(s.chars().skip(start).take(n).collect::<String>())
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
            ("bool", [v]) => match v {
                Val::Bool(b) => Val::Bool(*b),
                _ => match known(v).map(|s| s.to_ascii_lowercase()) {
                    Some(s) if s == "true" => Val::Bool(true),
                    Some(s) if s == "false" => Val::Bool(false),
                    _ => unknown(self),
                },
            },
            ("int", [v]) => match v {
                Val::Int(i) => Val::Int(*i),
                _ => known(v)
                    .and_then(|s| s.trim().parse().ok())
                    .map(Val::Int)
                    .unwrap_or_else(|| unknown(self)),
            },
            _ => unknown(self),
        }
    }

    /// `format(fmt, args…)` with .NET-style `{0}` placeholders.
    fn format(&mut self, fmt: &str, args: &[Vec<Part>], exprs: &'a [Expr]) -> Option<Val<'a>> {
        let mut out: Vec<Part> = Vec::new();
        let mut cur = String::new();
        let mut total = 0usize;
        let mut chars = fmt.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    cur.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    cur.push('}');
                }
                '{' => {
                    let mut spec = String::new();
                    loop {
                        match chars.next() {
                            Some('}') => break,
                            Some(c) if spec.len() < 32 => spec.push(c),
                            _ => return None,
                        }
                    }
                    let (idx, fancy) = match spec.find([',', ':']) {
                        Some(i) => (&spec[..i], true),
                        None => (spec.as_str(), false),
                    };
                    let idx: usize = idx.trim().parse().ok()?;
                    let arg = args.get(idx)?;
                    total += cur.len();
                    out.push(Part::Lit(std::mem::take(&mut cur)));
                    if fancy {
                        out.push(self.opaque(exprs.get(idx)?, None));
                    } else {
                        total += lit_len(arg);
                        if total > MAX_STR {
                            return Some(Val::Unknown("string longer than 1 MiB".to_string()));
                        }
                        out.extend(arg.iter().cloned());
                    }
                }
                c => cur.push(c),
            }
        }
        out.push(Part::Lit(cur));
        Some(self.string(out))
    }
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
