//! Scopes: where `parameters('x')` and `variables('x')` come from. [`TemplateScope`] reads a
//! template's parameter defaults and variables, evaluates them on demand (each once, memoised),
//! and names cycles between them. A variable the template parse left unbuilt (an array or object,
//! see [`crate::sources::arm::shape`]) is built when first asked for, from the template's text.
//!
//! Must not import: the function library except the JSON → value conversion; syntax only
//! through the evaluator.

use super::budget::{charge_copy, hits};
use super::eval::eval_json_string;
use super::functions::conversion::from_json;
use super::value::{unknown, Val};
use crate::sources::json::{Node, Value};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

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

/// `parameters()` and `variables()` of one template (or nested template).
pub struct TemplateScope<'a> {
    template: &'a Node,
    /// The text `template` was parsed from, to build its skipped variables.
    text: &'a str,
    /// Values passed to an inner-scope nested template, overriding defaults.
    values: Vec<(String, Val)>,
    /// Memoised results, by (is variable, lower-case name).
    memo: RefCell<HashMap<(bool, String), Val>>,
    /// What is being evaluated, outermost first: (is variable, lower-case name, name as asked).
    active: RefCell<Vec<(bool, String, String)>>,
    /// Skipped variables built for an evaluation whose result was not memoised (cut short by a
    /// limit), by lower-case name: asked for again, they are not parsed again.
    built: RefCell<HashMap<String, Rc<Node>>>,
}

/// A variable's value as the template scope finds it.
enum VarNode<'a> {
    /// There is no such variable.
    Absent,
    /// It is built with property iteration (`{"copy": [...]}`), which is not evaluated.
    CopyLoop,
    /// In the template's tree.
    Tree(&'a Node),
    /// Built from the text (it was skipped).
    Built(Rc<Node>),
}

impl VarNode<'_> {
    fn node(&self) -> Option<&Node> {
        match self {
            VarNode::Tree(n) => Some(n),
            VarNode::Built(n) => Some(n),
            VarNode::Absent | VarNode::CopyLoop => None,
        }
    }
}

impl<'a> TemplateScope<'a> {
    /// Parameters from `parameters.<name>.defaultValue`, variables from `variables`. `text` is
    /// the text `template` was parsed from (skipped variables are built from it).
    pub fn new(template: &'a Node, text: &'a str) -> Self {
        TemplateScope {
            template,
            text,
            values: Vec::new(),
            memo: RefCell::new(HashMap::new()),
            active: RefCell::new(Vec::new()),
            built: RefCell::new(HashMap::new()),
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
            if let Err(e) = charge_copy(v) {
                return e;
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
        let found = if is_var {
            self.variable_node(name, &key.1)
        } else {
            self.parameter_node(name).map_or(VarNode::Absent, VarNode::Tree)
        };
        let node: &Node = match &found {
            VarNode::Absent => return self.missing(is_var, name),
            VarNode::CopyLoop => return copy_loop(name),
            VarNode::Tree(n) => n,
            VarNode::Built(n) => n,
        };
        self.active
            .borrow_mut()
            .push((is_var, key.1.clone(), name.to_string()));
        let hits_before = hits();
        let v = from_json(node, 0, Some(&|s| eval_json_string(s, self)));
        self.active.borrow_mut().pop();
        // Results cut short by a limit of this evaluation path are not kept.
        if hits() == hits_before && charge_copy(&v).is_ok() {
            self.built.borrow_mut().remove(&key.1);
            self.memo.borrow_mut().insert(key, v.clone());
        } else if let VarNode::Built(n) = found {
            self.built.borrow_mut().insert(key.1, n);
        }
        v
    }

    fn parameter_node(&self, name: &str) -> Option<&'a Node> {
        self.template
            .get("parameters")?
            .get(name)?
            .get("defaultValue")
    }

    /// The variable `name` (`lower` in lower case), built if the parse skipped it.
    fn variable_node(&self, name: &str, lower: &str) -> VarNode<'a> {
        let Some(v) = self.template.get("variables").and_then(|vars| vars.get(name)) else {
            return VarNode::Absent;
        };
        let found = if !matches!(v.value, Value::Skipped) {
            VarNode::Tree(v)
        } else if let Some(n) = self.built.borrow().get(lower) {
            VarNode::Built(n.clone())
        } else {
            match crate::sources::arm::shape::build_variable(self.text, v) {
                Ok(n) => VarNode::Built(Rc::new(n)),
                Err(_) => return VarNode::Absent, // never: the template parse checked it
            }
        };
        // Property iteration (`{"copy": [...]}`) is not evaluated.
        if found.node().and_then(|n| n.get("copy")).is_some_and(|c| c.as_array().is_some()) {
            return VarNode::CopyLoop;
        }
        found
    }

    fn missing(&self, is_var: bool, name: &str) -> Val {
        if is_var {
            let in_copy = self
                .template
                .get("variables")
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
                return copy_loop(name);
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

fn copy_loop(name: &str) -> Val {
    unknown(format!(
        "variable '{name}' is built with a copy loop, which is not evaluated"
    ))
}

impl Scope for TemplateScope<'_> {
    fn parameter(&self, name: &str) -> Val {
        if let Some((_, v)) = self
            .values
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
        {
            if let Err(e) = charge_copy(v) {
                return e;
            }
            return v.clone();
        }
        self.lookup(false, name)
    }

    fn variable(&self, name: &str) -> Val {
        self.lookup(true, name)
    }
}
