//! Reads one ARM template (JSON with comments) into [`SourceFile`] facts: every
//! `Microsoft.Resources/deployments` resource and every resource whose name mentions `pid-`,
//! at any nesting depth, with names, modes and conditions statically evaluated.

use super::expr::{self, TemplateScope, Val};
use crate::json::{self, Node, Value};
use crate::model::{
    Condition, Content, Deployment, FileError, Form, Kind, Located, Reference, Resolved, Role, Scope, SourceFile, Span,
    Suppression,
};

/// Does the text mention a deployment template schema? A cheap test on raw bytes that lets
/// the reader skip the great majority of JSON files (test data, package manifests) unparsed.
pub fn mentions_template_schema(bytes: &[u8]) -> bool {
    const NEEDLE: &[u8] = b"eploymenttemplate.json";
    if bytes.len() < NEEDLE.len() {
        return false;
    }
    // Search for the rarer first byte pair, case-insensitively.
    let mut i = 0;
    let last = bytes.len() - NEEDLE.len();
    while i <= last {
        match bytes[i..=last].iter().position(|&b| b == b'e' || b == b'E') {
            None => return false,
            Some(p) => {
                i += p;
                if bytes[i..i + NEEDLE.len()].eq_ignore_ascii_case(NEEDLE) {
                    return true;
                }
                i += 1;
            }
        }
    }
    false
}

/// The scope a `$schema` URL declares, if it is a deployment template schema.
pub fn schema_scope(schema: &str) -> Option<Scope> {
    let s = schema.to_ascii_lowercase();
    if s.contains("subscriptiondeploymenttemplate.json") {
        Some(Scope::Subscription)
    } else if s.contains("managementgroupdeploymenttemplate.json") {
        Some(Scope::ManagementGroup)
    } else if s.contains("tenantdeploymenttemplate.json") {
        Some(Scope::Tenant)
    } else if s.contains("deploymenttemplate.json") {
        Some(Scope::ResourceGroup)
    } else {
        None
    }
}

const DEPLOYMENTS: &str = "Microsoft.Resources/deployments";

/// Read a template. Returns `None` when the file is valid JSON but not a deployment template.
/// A file that cannot be parsed gives a `SourceFile` with a `FileError` (when `expect_template`
/// or the text names a template schema), so the problem is reported.
pub fn read(path: &str, text: &str, expect_template: bool) -> Option<SourceFile> {
    let mut file = SourceFile::new(path, Kind::Arm);
    file.role = Role::Template;
    let parsed = match json::parse(text) {
        Ok(p) => p,
        Err(e) => {
            if !expect_template && !mentions_template_schema(text.as_bytes()) {
                return None;
            }
            file.errors.push(FileError { span: e.span, message: format!("not valid JSON: {}", e.message) });
            return Some(file);
        }
    };
    let root = &parsed.root;
    let schema = root.get("$schema").and_then(Node::as_str)?;
    let scope = schema_scope(schema)?;
    file.scope = Some(scope);
    file.comment = parsed.first_comment;
    file.anchor = root.member("resources").map(|m| m.key_span).unwrap_or(root.span);
    collect_suppressions(root, &mut file, true);
    let tscope = TemplateScope::new(root);
    let mut walker = Walker { file: &mut file, dir: parent_dir(path) };
    walker.template(root, &tscope, scope, false);
    Some(file)
}

fn parent_dir(path: &str) -> String {
    match path.rfind('/') {
        Some(i) => path[..i].to_string(),
        None => String::new(),
    }
}

struct Walker<'f> {
    file: &'f mut SourceFile,
    dir: String,
}

impl Walker<'_> {
    /// Walk a template's resources. `scope` is the deployment scope of this template.
    fn template(&mut self, template: &Node, es: &dyn expr::Scope, scope: Scope, nested: bool) {
        let Some(resources) = template.get("resources") else { return };
        self.resources(resources, es, scope, nested);
    }

    fn resources(&mut self, resources: &Node, es: &dyn expr::Scope, scope: Scope, nested: bool) {
        let items: Vec<&Node> = match &resources.value {
            Value::Array(a) => a.iter().collect(),
            // languageVersion 2.0: resources keyed by symbolic name
            Value::Object(o) => o.iter().map(|m| &m.value).collect(),
            _ => return,
        };
        for r in items {
            if matches!(r.value, Value::Object(_)) {
                self.resource(r, es, scope, nested);
            }
        }
    }

    fn resource(&mut self, r: &Node, es: &dyn expr::Scope, scope: Scope, nested: bool) {
        let type_node = r.get("type");
        let rtype = type_node.and_then(Node::as_str).unwrap_or("");
        let is_deployment = rtype.eq_ignore_ascii_case(DEPLOYMENTS);
        let name_node = r.get("name");
        let name_raw = name_node.and_then(Node::as_str).unwrap_or("").to_string();
        let name = match name_node {
            Some(n) => match n.as_str() {
                Some(s) => expr::to_resolved(&expr::eval_json_string(s, es)),
                None => Resolved::Unknown("the name is not a string".into()),
            },
            None => Resolved::Unknown("the resource has no name".into()),
        };
        let mentions_pid =
            name_raw.to_ascii_lowercase().contains("pid-") || name.display().to_ascii_lowercase().contains("pid-");
        let props = r.get("properties");
        if is_deployment || mentions_pid {
            let name_span = name_node.map(|n| n.span).unwrap_or(r.span);
            let mode = props.and_then(|p| p.get("mode")).map(|m| Located {
                value: match m.as_str() {
                    Some(s) => expr::to_resolved(&expr::eval_json_string(s, es)),
                    None => Resolved::Unknown("mode is not a string".into()),
                },
                span: m.span,
            });
            let condition = r.get("condition").map(|c| {
                let (text, value) = match &c.value {
                    Value::Bool(b) => (b.to_string(), Some(*b)),
                    Value::String(s) => (s.to_string(), expr::truthy(&expr::eval_json_string(s, es))),
                    _ => (c.kind_name().to_string(), None),
                };
                Condition { span: c.span, text, default_value: value }
            });
            let content = match props {
                Some(p) => {
                    if let Some(link) = p.get("templateLink") {
                        Content::Linked(link.span)
                    } else if let Some(t) = p.get("template") {
                        match t.get("resources") {
                            None => {
                                if matches!(t.value, Value::Object(_)) {
                                    Content::Empty
                                } else {
                                    Content::Unknown
                                }
                            }
                            Some(res) => match &res.value {
                                Value::Array(a) if a.is_empty() => Content::Empty,
                                Value::Object(o) if o.is_empty() => Content::Empty,
                                _ => Content::Resources(res.span),
                            },
                        }
                    } else {
                        Content::Unknown
                    }
                }
                None => Content::Unknown,
            };
            self.file.deployments.push(Deployment {
                form: Form::ArmResource,
                name_raw: name_raw.clone(),
                name,
                name_span,
                resource_type: type_node.map(|t| Located { value: rtype.to_string(), span: t.span }),
                nested,
                scope,
                mode,
                has_location: r.get("location").is_some(),
                condition,
                content,
                span: name_span,
            });
        }
        collect_suppressions(r, self.file, false);
        if is_deployment {
            if let Some(p) = props {
                self.deployment_body(p, es, scope, nested);
            }
        }
        // Child resources declared inside a resource.
        if let Some(children) = r.get("resources") {
            self.resources(children, es, scope, nested);
        }
    }

    /// The inner template or link of a deployment resource.
    fn deployment_body(&mut self, props: &Node, es: &dyn expr::Scope, scope: Scope, nested: bool) {
        if let Some(link) = props.get("templateLink") {
            if let Some(target) = link_target(link, es, &self.dir) {
                self.file.references.push(Reference { target: target.0, by_name: target.1, span: link.span, nested });
            }
        }
        let Some(inner) = props.get("template") else { return };
        if !matches!(inner.value, Value::Object(_)) {
            return;
        }
        let inner_scope = inner
            .get("$schema")
            .and_then(Node::as_str)
            .and_then(schema_scope)
            .unwrap_or(scope);
        let inner_eval = props
            .get("expressionEvaluationOptions")
            .and_then(|o| o.get("scope"))
            .and_then(Node::as_str)
            .is_some_and(|s| s.eq_ignore_ascii_case("inner"));
        if inner_eval {
            let mut values = Vec::new();
            if let Some(Value::Object(params)) = props.get("parameters").map(|p| &p.value) {
                for m in params {
                    if let Some(v) = m.value.get("value") {
                        values.push((m.key.to_string(), node_val(v, es)));
                    }
                }
            }
            let s = TemplateScope::new(inner).with_parameter_values(values);
            self.template(inner, &s, inner_scope, true);
        } else {
            self.template(inner, es, inner_scope, true);
        }
    }
}

/// Evaluate a JSON value (for parameter values passed to an inner-scope template).
fn node_val(n: &Node, es: &dyn expr::Scope) -> Val {
    match &n.value {
        Value::Null => Val::Null,
        Value::Bool(b) => Val::Bool(*b),
        Value::Number(x) => x.parse().map(Val::Int).unwrap_or(Val::Unknown("a non-integer number".into())),
        Value::String(s) => expr::eval_json_string(s, es),
        Value::Array(a) => Val::Array(a.iter().map(|x| node_val(x, es)).collect()),
        Value::Object(o) => Val::Object(o.iter().map(|m| (m.key.to_string(), node_val(&m.value, es))).collect()),
    }
}

/// Where a `templateLink` points: (`target`, `by_name`). `relativePath` gives a root-relative
/// path; a `uri` gives the file name of its last path segment.
fn link_target(link: &Node, es: &dyn expr::Scope, dir: &str) -> Option<(String, bool)> {
    if let Some(rel) = link.get("relativePath").and_then(Node::as_str) {
        let rel = match expr::eval_json_string(rel, es) {
            Val::Str(s) => s,
            _ => last_json_literal(rel)?.split(['?', '#']).next().unwrap_or("").to_string(),
        };
        return Some((normalize(dir, &rel)?, false));
    }
    let uri = link.get("uri").and_then(Node::as_str)?;
    let text = match expr::eval_json_string(uri, es) {
        Val::Str(s) => s,
        v => match expr::to_resolved(&v) {
            Resolved::Partial(_) | Resolved::Known(_) => {
                let d = expr::to_resolved(&v).display();
                if d.to_ascii_lowercase().contains(".json") { d } else { last_json_literal(uri)? }
            }
            Resolved::Unknown(_) => last_json_literal(uri)?,
        },
    };
    let no_query = text.split(['?', '#']).next().unwrap_or("");
    let no_query = if no_query.to_ascii_lowercase().ends_with(".json") {
        no_query.to_string()
    } else {
        last_json_literal(uri)?.split(['?', '#']).next().unwrap_or("").to_string()
    };
    let name = no_query.rsplit('/').next()?.trim();
    (!name.is_empty() && name.to_ascii_lowercase().ends_with(".json")).then(|| (name.to_string(), true))
}

/// The last string literal naming a `.json` file in an expression
/// (`uri(deployment().properties.templateLink.uri, 'nested/x.json?sv=…')`).
fn last_json_literal(expr_text: &str) -> Option<String> {
    expr_text
        .split('\'')
        .skip(1)
        .step_by(2)
        .filter(|lit| lit.split(['?', '#']).next().is_some_and(|p| p.to_ascii_lowercase().ends_with(".json")))
        .last()
        .map(str::to_string)
}

/// Resolve `rel` against folder `dir` (both root-relative); `None` when it leaves the root.
pub fn normalize(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = if rel.starts_with('/') { Vec::new() } else { dir.split('/').filter(|p| !p.is_empty()).collect() };
    for seg in rel.split(['/', '\\']) {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// `"metadata": { "cua-check-ignore": { "CUA111": "reason" } }` on a resource (or the template).
fn collect_suppressions(node: &Node, file: &mut SourceFile, whole_file: bool) {
    let Some(meta) = node.get("metadata") else { return };
    let Some(ign) = meta.member("cua-check-ignore") else { return };
    let span = if whole_file {
        Span { line: 1, column: 1, end_line: u32::MAX, end_column: 1, start: 0, end: 0 }
    } else {
        node.span
    };
    let mut push = |rule: &str, reason: Option<String>| {
        file.suppressions.push(Suppression { rule: rule.trim().to_ascii_uppercase(), reason, span });
    };
    match &ign.value.value {
        Value::Object(o) => {
            for m in o {
                push(&m.key, m.value.as_str().map(str::to_string).filter(|s| !s.trim().is_empty()));
            }
        }
        Value::String(s) => {
            let (codes, reason) = match s.split_once(':') {
                Some((c, r)) => (c, Some(r.trim().to_string()).filter(|r| !r.is_empty())),
                None => (&s[..], None),
            };
            for c in codes.split(',').filter(|c| !c.trim().is_empty()) {
                push(c, reason.clone());
            }
        }
        _ => {}
    }
}
