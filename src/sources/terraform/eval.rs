//! Static evaluation of Terraform expressions (HCL and `.tf.json` strings).
//!
//! Only what CUA checks need: strings, numbers, booleans, lists and objects; `var.x` through
//! variable defaults and tfvars, `local.x` through `locals`, string templates, conditionals,
//! comparison and logic operators and a few string functions. Everything else is unknown.
//! Evaluation is bounded in depth, in steps and in string size.

use crate::sources::json::{Node, Value as J};
use crate::model::{Part, Resolved};
use hcl_edit::expr::{
    BinaryOperator, Expression, FuncCall, ObjectKey, TraversalOperator, UnaryOperator,
};
use hcl_edit::template::{Element, Template};
use std::cell::Cell;
use std::collections::HashMap;

const MAX_DEPTH: u32 = 48;
const MAX_STEPS: u32 = 20_000;
const MAX_STRING: usize = 64 * 1024;

/// A statically evaluated value.
#[derive(Clone, Debug, PartialEq)]
pub enum V {
    Str(Resolved),
    Num(f64),
    Bool(bool),
    Null,
    List(Vec<V>),
    Map(Vec<(String, V)>),
    Unknown(String),
}

/// Where a variable value or local is defined.
#[derive(Clone, Copy)]
pub enum Src<'a> {
    /// An HCL expression and the text of the file it is written in.
    Hcl(&'a Expression, &'a str),
    /// A `.tf.json` / `.tfvars.json` value and the text of its file.
    Json(&'a Node, &'a str),
}

/// Evaluation context for one module directory.
#[derive(Default)]
pub struct Ctx<'a> {
    /// Variable values: tfvars overrides, else the `default`; `None` when declared without one.
    pub vars: HashMap<String, Option<Src<'a>>>,
    pub locals: HashMap<String, Src<'a>>,
    steps: Cell<u32>,
    /// The iteration variables of the `for` expressions being evaluated, innermost last.
    bound: std::cell::RefCell<Vec<(String, V)>>,
}

/// Most elements a `for` expression is evaluated over (beyond that its value is unknown).
const MAX_FOR_ITEMS: usize = 1024;

/// Number as Terraform prints it. Written without float formatting, which would add tens of
/// kilobytes to the WebAssembly build (six decimals at most; enough for static checks).
pub fn num_text(n: f64) -> String {
    if !n.is_finite() {
        return if n.is_nan() {
            "NaN".into()
        } else if n > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    if n.fract() == 0.0 && n.abs() < 1e15 {
        return (n as i64).to_string();
    }
    let neg = n < 0.0;
    let a = n.abs().min(9e15);
    let mut int = a.trunc() as u64;
    let mut frac = ((a - a.trunc()) * 1e6).round() as u64;
    if frac >= 1_000_000 {
        int += 1;
        frac -= 1_000_000;
    }
    let mut f = format!("{frac:06}");
    while f.ends_with('0') {
        f.pop();
    }
    let sign = if neg { "-" } else { "" };
    if f.is_empty() {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{f}")
    }
}

/// Source text of an HCL node, or empty.
pub fn src_text<'t>(node: &dyn hcl_edit::Span, text: &'t str) -> &'t str {
    node.span().and_then(|r| text.get(r)).unwrap_or("")
}

impl V {
    /// As parts of a string; non-string values become one opaque part labelled `text`.
    fn into_parts(self, text: &str) -> Vec<Part> {
        match self {
            V::Str(Resolved::Known(s)) => vec![Part::Lit(s)],
            V::Str(Resolved::Partial(p)) => p,
            V::Num(n) => vec![Part::Lit(num_text(n))],
            V::Bool(b) => vec![Part::Lit(b.to_string())],
            _ => vec![Part::Opaque {
                text: text.to_string(),
                len: None,
            }],
        }
    }

    /// The value as a `Resolved` string.
    pub fn into_resolved(self) -> Resolved {
        match self {
            V::Str(r) => r,
            V::Num(n) => Resolved::Known(num_text(n)),
            V::Bool(b) => Resolved::Known(b.to_string()),
            V::Null => Resolved::Unknown("null".to_string()),
            V::List(_) => Resolved::Unknown("a list, not a string".to_string()),
            V::Map(_) => Resolved::Unknown("an object, not a string".to_string()),
            V::Unknown(r) => Resolved::Unknown(r),
        }
    }

    fn known_str(&self) -> Option<&str> {
        match self {
            V::Str(Resolved::Known(s)) => Some(s),
            _ => None,
        }
    }

    /// Truthiness for conditions (Terraform converts "true"/"false" strings).
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            V::Bool(b) => Some(*b),
            V::Str(Resolved::Known(s)) if s == "true" => Some(true),
            V::Str(Resolved::Known(s)) if s == "false" => Some(false),
            _ => None,
        }
    }

    pub fn as_num(&self) -> Option<f64> {
        match self {
            V::Num(n) => Some(*n),
            V::Str(Resolved::Known(s)) => s.trim().parse().ok(),
            _ => None,
        }
    }

    fn get(self, key: &str) -> V {
        match self {
            V::Map(m) => m
                .into_iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v)
                .unwrap_or_else(|| V::Unknown(format!("no attribute `{key}`"))),
            V::Unknown(r) => V::Unknown(r),
            _ => V::Unknown(format!("cannot read attribute `{key}`")),
        }
    }

    fn index(self, i: &V) -> V {
        match (self, i) {
            (V::List(l), i) => match i.as_num() {
                Some(n) if n >= 0.0 && (n as usize) < l.len() => {
                    l.into_iter().nth(n as usize).unwrap_or(V::Null)
                }
                _ => V::Unknown("index not known".to_string()),
            },
            (m @ V::Map(_), i) => match i.known_str() {
                Some(k) => m.get(k),
                None => V::Unknown("key not known".to_string()),
            },
            (V::Unknown(r), _) => V::Unknown(r),
            _ => V::Unknown("cannot index".to_string()),
        }
    }
}

fn str_len(parts: &[Part]) -> usize {
    parts
        .iter()
        .map(|p| match p {
            Part::Lit(s) => s.len(),
            Part::Opaque { text, .. } => text.len(),
        })
        .sum()
}

impl<'a> Ctx<'a> {
    fn tick(&self) -> bool {
        let s = self.steps.get().saturating_add(1);
        self.steps.set(s);
        s <= MAX_STEPS
    }

    /// Reset the step budget (call once per top-level evaluation).
    pub fn fresh(&self) -> &Self {
        self.steps.set(0);
        self
    }

    pub fn eval_src(&self, s: Src<'a>, depth: u32) -> V {
        match s {
            Src::Hcl(e, text) => self.eval(e, text, depth),
            Src::Json(n, _) => self.eval_json(n, depth),
        }
    }

    /// Evaluate a `.tf.json` value: strings are templates.
    pub fn eval_json(&self, n: &Node, depth: u32) -> V {
        if depth > MAX_DEPTH || !self.tick() {
            return V::Unknown("expression too complex".to_string());
        }
        match &n.value {
            J::Null => V::Null,
            J::Bool(b) => V::Bool(*b),
            J::Number(s) => s
                .parse()
                .map(V::Num)
                .unwrap_or_else(|_| V::Str(Resolved::Known(s.to_string()))),
            J::String(s) => self.eval_json_string(s, depth),
            J::Array(a) => V::List(a.iter().map(|x| self.eval_json(x, depth + 1)).collect()),
            J::Object(m) => V::Map(
                m.iter()
                    .map(|m| (m.key.to_string(), self.eval_json(&m.value, depth + 1)))
                    .collect(),
            ),
            J::Skipped => V::Unknown("not read".to_string()), // never: Terraform parses everything
        }
    }

    pub fn eval_json_string(&self, s: &str, depth: u32) -> V {
        if !s.contains("${") && !s.contains("%{") || s.len() > MAX_STRING {
            return V::Str(Resolved::Known(s.to_string()));
        }
        match hcl_edit::parser::parse_template(s) {
            Ok(t) => self.eval_template(&t, s, depth + 1),
            Err(_) => V::Str(Resolved::Known(s.to_string())),
        }
    }

    fn eval_template(&self, t: &Template, text: &str, depth: u32) -> V {
        // A template that is only one interpolation yields the value itself.
        if let Some(Element::Interpolation(i)) = t.as_single_element() {
            return self.eval(&i.expr, text, depth + 1);
        }
        let mut parts = Vec::new();
        for el in t.iter() {
            match el {
                Element::Literal(l) => parts.push(Part::Lit(l.value().clone())),
                Element::Interpolation(i) => {
                    let v = self.eval(&i.expr, text, depth + 1);
                    parts.extend(v.into_parts(src_text(&i.expr, text)));
                }
                Element::Directive(d) => parts.push(Part::Opaque {
                    text: src_text(d.as_ref(), text).to_string(),
                    len: None,
                }),
            }
            if str_len(&parts) > MAX_STRING {
                return V::Unknown("string too long".to_string());
            }
        }
        V::Str(Resolved::from_parts(parts))
    }

    pub fn eval(&self, e: &Expression, text: &str, depth: u32) -> V {
        if depth > MAX_DEPTH || !self.tick() {
            return V::Unknown("expression too complex".to_string());
        }
        let d = depth + 1;
        match e {
            Expression::Null(_) => V::Null,
            Expression::Bool(b) => V::Bool(*b.value()),
            Expression::Number(n) => n
                .as_f64()
                .map(V::Num)
                .unwrap_or(V::Unknown("number".into())),
            Expression::String(s) => V::Str(Resolved::Known(s.value().clone())),
            Expression::Array(a) => V::List(a.iter().map(|x| self.eval(x, text, d)).collect()),
            Expression::Object(o) => {
                let mut m: Vec<(String, V)> = Vec::new();
                for (k, v) in o.iter() {
                    let key = match k {
                        ObjectKey::Ident(i) => i.as_str().to_string(),
                        ObjectKey::Expression(e) => match self.eval(e, text, d) {
                            V::Str(Resolved::Known(s)) => s,
                            _ => continue,
                        },
                    };
                    let v = self.eval(v.expr(), text, d);
                    // A repeated key (`x = 1` then `"x" = 2`): the last value wins, as in
                    // Terraform (hashicorp/terraform#28727).
                    match m.iter_mut().find(|(k, _)| *k == key) {
                        Some(slot) => slot.1 = v,
                        None => m.push((key, v)),
                    }
                }
                V::Map(m)
            }
            Expression::StringTemplate(t) => {
                let mut parts = Vec::new();
                for el in t.iter() {
                    match el {
                        Element::Literal(l) => parts.push(Part::Lit(l.value().clone())),
                        Element::Interpolation(i) => {
                            let v = self.eval(&i.expr, text, d);
                            parts.extend(v.into_parts(src_text(&i.expr, text)));
                        }
                        Element::Directive(dir) => parts.push(Part::Opaque {
                            text: src_text(dir.as_ref(), text).to_string(),
                            len: None,
                        }),
                    }
                    if str_len(&parts) > MAX_STRING {
                        return V::Unknown("string too long".to_string());
                    }
                }
                V::Str(Resolved::from_parts(parts))
            }
            Expression::HeredocTemplate(h) => {
                // The parser has already removed the indentation of `<<-` heredocs.
                match self.eval_template(&h.template, text, d) {
                    // A heredoc is always a string.
                    V::Str(s) => V::Str(s),
                    v => V::Str(Resolved::from_parts(
                        v.into_parts(src_text(h.as_ref(), text)),
                    )),
                }
            }
            Expression::Parenthesis(p) => self.eval(p.inner(), text, d),
            Expression::Variable(v) => self
                .bound_value(v.as_str())
                .unwrap_or_else(|| V::Unknown(format!("`{}` is not known before apply", v.as_str()))),
            Expression::Conditional(c) => match self.eval(&c.cond_expr, text, d).as_bool() {
                Some(true) => self.eval(&c.true_expr, text, d),
                Some(false) => self.eval(&c.false_expr, text, d),
                None => V::Unknown(format!(
                    "condition `{}` is not known",
                    src_text(&c.cond_expr, text)
                )),
            },
            Expression::FuncCall(f) => self.call(f, text, d),
            Expression::Traversal(t) => {
                let mut ops = t.operators.iter();
                let bound = match &t.expr {
                    Expression::Variable(root) => self.bound_value(root.as_str()),
                    _ => None,
                };
                let mut v = match (&t.expr, bound) {
                    (_, Some(b)) => b,
                    // `[for …][0]`, `f(x)[0]`, `(…).a`: the value of the expression, then the operators.
                    (root, None) if !matches!(root, Expression::Variable(_)) => self.eval(root, text, d),
                    (root, None) => match (root, ops.next().map(|o| o.value())) {
                    (Expression::Variable(root), Some(TraversalOperator::GetAttr(name)))
                        if matches!(root.as_str(), "var" | "local") =>
                    {
                        self.lookup(root.as_str(), name.as_str(), d)
                    }
                    _ => {
                        return V::Unknown(format!(
                            "`{}` is not known before apply",
                            src_text(e, text).trim()
                        ))
                    }
                    },
                };
                for op in ops {
                    v = match op.value() {
                        TraversalOperator::GetAttr(n) => v.get(n.as_str()),
                        TraversalOperator::Index(i) => v.index(&self.eval(i, text, d)),
                        TraversalOperator::LegacyIndex(i) => v.index(&V::Num(*i.value() as f64)),
                        _ => V::Unknown("splat expression".to_string()),
                    };
                }
                v
            }
            Expression::UnaryOp(u) => {
                let v = self.eval(&u.expr, text, d);
                match u.operator.value() {
                    UnaryOperator::Not => v.as_bool().map(|b| V::Bool(!b)),
                    UnaryOperator::Neg => v.as_num().map(|n| V::Num(-n)),
                }
                .unwrap_or_else(|| V::Unknown(src_text(e, text).to_string()))
            }
            Expression::BinaryOp(b) => {
                let l = self.eval(&b.lhs_expr, text, d);
                let r = self.eval(&b.rhs_expr, text, d);
                binary(*b.operator.value(), &l, &r)
                    .unwrap_or_else(|| V::Unknown(format!("`{}` is not known", src_text(e, text))))
            }
            Expression::ForExpr(f) => self.eval_for(f, text, d),
        }
    }

    fn bound_value(&self, name: &str) -> Option<V> {
        self.bound.borrow().iter().rev().find(|(n, _)| n == name).map(|(_, v)| v.clone())
    }

    /// `[for k, v in coll : value if cond]` and `{for k, v in coll : key => value if cond}` over
    /// a collection known before apply (grouping with `...` is not evaluated).
    fn eval_for(&self, f: &hcl_edit::expr::ForExpr, text: &str, d: u32) -> V {
        let unknown = || V::Unknown(format!("`{}` is not known before apply", src_text(f, text).trim()));
        if f.grouping {
            return unknown();
        }
        let items: Vec<(V, V)> = match self.eval(&f.intro.collection_expr, text, d) {
            V::List(l) => l.into_iter().enumerate().map(|(i, v)| (V::Num(i as f64), v)).collect(),
            V::Map(m) => m.into_iter().map(|(k, v)| (V::Str(Resolved::Known(k)), v)).collect(),
            _ => return unknown(),
        };
        if items.len() > MAX_FOR_ITEMS {
            return unknown();
        }
        let mut list = Vec::new();
        let mut map: Vec<(String, V)> = Vec::new();
        for (k, v) in items {
            let pushed = 1 + usize::from(f.intro.key_var.is_some());
            {
                let mut b = self.bound.borrow_mut();
                if let Some(kv) = &f.intro.key_var {
                    b.push((kv.as_str().to_string(), k));
                }
                b.push((f.intro.value_var.as_str().to_string(), v));
            }
            let step = (|| {
                if let Some(c) = &f.cond {
                    match self.eval(&c.expr, text, d).as_bool() {
                        Some(true) => {}
                        Some(false) => return Some(None),
                        None => return None,
                    }
                }
                let value = self.eval(&f.value_expr, text, d);
                match &f.key_expr {
                    Some(ke) => match self.eval(ke, text, d) {
                        V::Str(Resolved::Known(key)) => Some(Some((Some(key), value))),
                        V::Num(n) => Some(Some((Some(num_text(n)), value))),
                        _ => None,
                    },
                    None => Some(Some((None, value))),
                }
            })();
            {
                let mut b = self.bound.borrow_mut();
                let keep = b.len().saturating_sub(pushed);
                b.truncate(keep);
            }
            match step {
                None => return unknown(),
                Some(None) => {}
                Some(Some((Some(key), value))) => match map.iter_mut().find(|(k, _)| *k == key) {
                    Some(slot) => slot.1 = value,
                    None => map.push((key, value)),
                },
                Some(Some((None, value))) => list.push(value),
            }
        }
        if f.key_expr.is_some() {
            V::Map(map)
        } else {
            V::List(list)
        }
    }

    fn lookup(&self, root: &str, name: &str, depth: u32) -> V {
        if root == "var" {
            match self.vars.get(name) {
                Some(Some(src)) => self.eval_src(*src, depth),
                Some(None) => V::Unknown(format!("variable `{name}` has no default value")),
                None => V::Unknown(format!("variable `{name}` is not declared")),
            }
        } else {
            match self.locals.get(name) {
                Some(src) => self.eval_src(*src, depth),
                None => V::Unknown(format!("local `{name}` is not defined")),
            }
        }
    }

    /// Follow `var.x` / `local.x` (whole-value references only) to where the value is written.
    pub fn deref(&self, e: &'a Expression, text: &'a str) -> Src<'a> {
        let mut cur = Src::Hcl(e, text);
        for _ in 0..16 {
            let Src::Hcl(Expression::Traversal(t), _) = cur else {
                break;
            };
            let (Expression::Variable(root), [op]) = (&t.expr, t.operators.as_slice()) else {
                break;
            };
            let TraversalOperator::GetAttr(name) = op.value() else {
                break;
            };
            let next = match root.as_str() {
                "var" => self.vars.get(name.as_str()).copied().flatten(),
                "local" => self.locals.get(name.as_str()).copied(),
                _ => None,
            };
            match next {
                Some(n) => cur = n,
                None => break,
            }
        }
        cur
    }

    fn call(&self, f: &FuncCall, text: &str, d: u32) -> V {
        let name = f.name.name.as_str();
        let args: Vec<V> = f
            .args
            .iter()
            .take(64)
            .map(|a| self.eval(a, text, d))
            .collect();
        let whole = || V::Unknown(format!("`{}` is not known", src_text(f, text)));
        let map_lits = |v: &V, g: fn(&str) -> String| -> V {
            match v {
                V::Str(Resolved::Known(s)) => V::Str(Resolved::Known(g(s))),
                V::Str(Resolved::Partial(p)) => V::Str(Resolved::Partial(
                    p.iter()
                        .map(|x| match x {
                            Part::Lit(s) => Part::Lit(g(s)),
                            o => o.clone(),
                        })
                        .collect(),
                )),
                _ => V::Unknown(format!("`{}` is not known", src_text(f, text))),
            }
        };
        if !f.name.namespace.is_empty() {
            return whole();
        }
        match (name, args.as_slice()) {
            // ASCII only (IDs are ASCII; Unicode case tables would bloat the wasm build).
            ("lower", [a]) => map_lits(a, str::to_ascii_lowercase),
            ("upper", [a]) => map_lits(a, str::to_ascii_uppercase),
            ("trimspace", [a]) => match a.known_str() {
                Some(s) => V::Str(Resolved::Known(s.trim().to_string())),
                None => whole(),
            },
            ("tostring", [a]) => match a {
                V::Str(_) => a.clone(),
                V::Num(_) | V::Bool(_) => V::Str(a.clone().into_resolved()),
                _ => whole(),
            },
            ("tonumber", [a]) => a.as_num().map(V::Num).unwrap_or_else(whole),
            ("tobool", [a]) => a.as_bool().map(V::Bool).unwrap_or_else(whole),
            ("length", [a]) => match a {
                V::List(l) => V::Num(l.len() as f64),
                V::Map(m) => V::Num(m.len() as f64),
                V::Str(Resolved::Known(s)) => V::Num(s.chars().count() as f64),
                _ => whole(),
            },
            ("coalesce", _) => {
                for a in &args {
                    match a {
                        V::Null => continue,
                        V::Str(Resolved::Known(s)) if s.is_empty() => continue,
                        V::Str(_) | V::Num(_) | V::Bool(_) => return a.clone(),
                        _ => return whole(),
                    }
                }
                whole()
            }
            ("join", [sep, V::List(items)]) => {
                let Some(sep) = sep.known_str() else {
                    return whole();
                };
                let mut parts = Vec::new();
                for (i, it) in items.iter().enumerate() {
                    if i > 0 {
                        parts.push(Part::Lit(sep.to_string()));
                    }
                    parts.extend(it.clone().into_parts("…"));
                }
                if str_len(&parts) > MAX_STRING {
                    return whole();
                }
                V::Str(Resolved::from_parts(parts))
            }
            // `substr(format("pid-%s_%s", ...), 0, 64)`: a known prefix stays known.
            ("substr", [s, off, len]) => {
                let (Some(o), Some(n)) = (off.as_num(), len.as_num()) else { return whole() };
                if o < 0.0 || o.fract() != 0.0 || n.fract() != 0.0 || n < -1.0 {
                    return whole();
                }
                let (o, n) = (o as usize, if n < 0.0 { usize::MAX } else { n as usize });
                match s {
                    V::Str(Resolved::Known(t)) => V::Str(Resolved::Known(t.chars().skip(o).take(n).collect())),
                    V::Str(Resolved::Partial(p)) if o == 0 => {
                        let mut out = Vec::new();
                        let mut left = n;
                        for part in p {
                            match part {
                                Part::Lit(l) => {
                                    let cut: String = l.chars().take(left).collect();
                                    left -= cut.chars().count();
                                    out.push(Part::Lit(cut));
                                    if left == 0 {
                                        break;
                                    }
                                }
                                other => {
                                    // Its length is not known: what follows may be cut off.
                                    out.push(other.clone());
                                    break;
                                }
                            }
                        }
                        V::Str(Resolved::from_parts(out))
                    }
                    _ => whole(),
                }
            }
            ("format", [fmt, rest @ ..]) => {
                let Some(fmt) = fmt.known_str() else {
                    return whole();
                };
                let arg_texts: Vec<&str> =
                    f.args.iter().skip(1).map(|a| src_text(a, text)).collect();
                format(fmt, rest, &arg_texts).unwrap_or_else(whole)
            }
            _ => whole(),
        }
    }
}

/// Terraform `format` with the verbs `%s`, `%v`, `%d`, `%q` and `%%` (no widths or flags).
fn format(fmt: &str, args: &[V], texts: &[&str]) -> Option<V> {
    let mut parts = Vec::new();
    let mut lit = String::new();
    let mut next = 0;
    let mut chars = fmt.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            lit.push(c);
            continue;
        }
        let verb = chars.next()?;
        if verb == '%' {
            lit.push('%');
            continue;
        }
        let a = args.get(next)?;
        let t = texts.get(next).copied().unwrap_or("");
        next += 1;
        parts.push(Part::Lit(std::mem::take(&mut lit)));
        match verb {
            's' | 'v' => parts.extend(a.clone().into_parts(t)),
            'd' => match a.as_num() {
                Some(n) if n.fract() == 0.0 => parts.push(Part::Lit(num_text(n))),
                Some(_) => return None,
                None => parts.push(Part::Opaque {
                    text: t.to_string(),
                    len: None,
                }),
            },
            'q' => {
                parts.push(Part::Lit("\"".into()));
                parts.extend(a.clone().into_parts(t));
                parts.push(Part::Lit("\"".into()));
            }
            _ => return None,
        }
        if str_len(&parts) > MAX_STRING {
            return None;
        }
    }
    parts.push(Part::Lit(lit));
    Some(V::Str(Resolved::from_parts(parts)))
}

fn binary(op: BinaryOperator, l: &V, r: &V) -> Option<V> {
    use BinaryOperator as B;
    let known = |v: &V| !matches!(v, V::Unknown(_) | V::Str(Resolved::Partial(_)));
    Some(match op {
        B::Eq | B::NotEq => {
            if !known(l) || !known(r) {
                return None;
            }
            let eq = match (l.as_num(), r.as_num()) {
                (Some(a), Some(b)) if matches!(l, V::Num(_)) || matches!(r, V::Num(_)) => a == b,
                _ => l == r,
            };
            V::Bool(if op == B::Eq { eq } else { !eq })
        }
        B::And => match (l.as_bool(), r.as_bool()) {
            (Some(false), _) | (_, Some(false)) => V::Bool(false),
            (Some(a), Some(b)) => V::Bool(a && b),
            _ => return None,
        },
        B::Or => match (l.as_bool(), r.as_bool()) {
            (Some(true), _) | (_, Some(true)) => V::Bool(true),
            (Some(a), Some(b)) => V::Bool(a || b),
            _ => return None,
        },
        _ => {
            let (a, b) = (l.as_num()?, r.as_num()?);
            match op {
                B::Less => V::Bool(a < b),
                B::LessEq => V::Bool(a <= b),
                B::Greater => V::Bool(a > b),
                B::GreaterEq => V::Bool(a >= b),
                B::Plus => V::Num(a + b),
                B::Minus => V::Num(a - b),
                B::Mul => V::Num(a * b),
                B::Div if b != 0.0 => V::Num(a / b),
                B::Mod if b != 0.0 => V::Num(a % b),
                _ => return None,
            }
        }
    })
}
