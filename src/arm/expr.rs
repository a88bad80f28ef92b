//! STUB (uncommitted)
pub enum Val { Null, Bool(bool), Int(i64), Str(String), Array(Vec<Val>), Object(Vec<(String, Val)>), Partial(Vec<crate::model::Part>), Unknown(String) }
pub trait Scope { fn parameter(&self, name: &str) -> Val; fn variable(&self, name: &str) -> Val; }
pub fn eval_json_string(s: &str, _scope: &dyn Scope) -> Val { if s.starts_with('[') && !s.starts_with("[[") { Val::Unknown("stub".into()) } else { Val::Str(s.to_string()) } }
pub fn to_resolved(v: &Val) -> crate::model::Resolved { match v { Val::Str(s) => crate::model::Resolved::Known(s.clone()), Val::Partial(p) => crate::model::Resolved::Partial(p.clone()), _ => crate::model::Resolved::Unknown("stub".into()) } }
pub fn truthy(v: &Val) -> Option<bool> { if let Val::Bool(b) = v { Some(*b) } else { None } }
pub struct TemplateScope<'a> { _x: &'a crate::json::Node }
impl<'a> TemplateScope<'a> {
  pub fn new(template: &'a crate::json::Node) -> Self { TemplateScope { _x: template } }
  pub fn with_parameter_values(self, _values: Vec<(String, Val)>) -> Self { self }
}
impl Scope for TemplateScope<'_> { fn parameter(&self, _: &str) -> Val { Val::Null } fn variable(&self, _: &str) -> Val { Val::Null } }
