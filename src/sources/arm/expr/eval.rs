//! The evaluator: computes as much of an [`Expr`]'s value as can be known before deployment,
//! within the budget (every node enters it). Member and index access, the lazy functions
//! (`if`, `coalesce`) and the scope functions (`parameters`, `variables`) are here; every other
//! function call goes to the function library ([`functions::call`]).
//!
//! Must not import: the JSON parser or a particular scope (it sees [`Scope`] only).

use super::budget::{enter, is_hard, str_val};
use super::functions::{self, Source};
use super::scope::Scope;
use super::syntax::{is_expression, parse, unescape_literal, Expr};
use super::value::{truthy, unknown, Val};
use crate::model::Part;

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

/// Opaque pieces of a call's result are named by the call and its arguments as printed.
struct Printed<'a> {
    call: &'a Expr,
    args: &'a [Expr],
}

impl Source for Printed<'_> {
    fn call_text(&self) -> String {
        self.call.to_string()
    }
    fn arg_text(&self, i: usize) -> String {
        self.args.get(i).map(Expr::to_string).unwrap_or_default()
    }
}

fn opaque(e: &Expr, len: Option<usize>) -> Val {
    Val::Partial(vec![Part::Opaque {
        text: e.to_string(),
        len,
    }])
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
            // The lazy and scope functions recurse (through `parameters`/`variables` too);
            // every other function gets its arguments evaluated, outside the recursive path.
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
                    functions::call(&lower, name, vals, &Printed { call: expr, args })
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

#[cold]
fn not_name(v: Val, func: &str) -> Val {
    match v {
        Val::Unknown(m) => Val::Unknown(m),
        Val::Partial(_) => unknown(format!("{func}: the name is not known before deployment")),
        o => unknown(format!("{func}: expected a string, got a {}", o.kind())),
    }
}
