//! Reads one ARM template (JSON with comments) into [`SourceFile`] facts: every
//! `Microsoft.Resources/deployments` resource and every resource whose name mentions `pid-`,
//! at any nesting depth, with names, modes and conditions statically evaluated.

use super::expr::{self, TemplateScope, Val};
use crate::sources::json::{Node, Value};
use crate::model::{
    Condition, Content, Deployment, FileError, Form, Kind, LinkKind, Located, Part, Reference, Resolved, Role, Scope, SourceFile, Span,
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

/// What the first bytes of a JSON file say about whether it can be a deployment template.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sniff {
    /// It cannot be: the root is not an object, the object is empty, its `$schema` names
    /// another schema, or its first member is not a template property (ARM rejects a template
    /// with an unknown top-level member: "Could not find member … on object of type
    /// 'Template'").
    NotTemplate,
    /// Its first member is a `$schema` naming a deployment template schema.
    Template,
    /// Can't tell from these bytes (another template property comes first, an escape, a
    /// comment or the head ends too soon): look at the whole file.
    Unknown,
}

/// Top-level members of a deployment template (any version), lower case.
const TEMPLATE_MEMBERS: &[&str] = &[
    "$schema",
    "contentversion",
    "apiprofile",
    "languageversion",
    "metadata",
    "parameters",
    "variables",
    "functions",
    "definitions",
    "resources",
    "outputs",
    "imports",
    "extensions",
];

/// Judge from the first bytes of a JSON file whether it can be a deployment template, without
/// parsing it: the root must be an object whose members are all template properties, one of
/// them a `$schema` naming a deployment template schema, and its `parameters` must be
/// parameter definitions (objects). `complete` says whether `head` is the whole file (then
/// reaching the end of the root object without a `$schema` settles it). Anything unusual (an
/// escape in a member name, a syntax error) is `Unknown`, for the caller to look closer.
pub fn sniff(head: &[u8], complete: bool) -> Sniff {
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return Sniff::Unknown; // UTF-16
    }
    let start = if head.starts_with(&[0xEF, 0xBB, 0xBF]) { 3 } else { 0 };
    let Some(at) = skip_blank(head, start) else { return Sniff::Unknown };
    match head.get(at) {
        Some(b'{') => {}
        Some(b'[' | b'"' | b'0'..=b'9' | b'-' | b't' | b'f' | b'n') => return Sniff::NotTemplate,
        _ => return Sniff::Unknown,
    }
    let mut i = at + 1;
    let mut first = true;
    loop {
        let Some(at) = skip_blank(head, i) else { return Sniff::Unknown };
        match head.get(at) {
            Some(b'"') => {}
            // The end of the root object, with no `$schema` in it.
            Some(b'}') if complete || first => return Sniff::NotTemplate,
            _ => return Sniff::Unknown,
        }
        first = false;
        let Some((key, after)) = plain_string(head, at + 1) else { return Sniff::Unknown };
        let Some(colon) = skip_blank(head, after) else { return Sniff::Unknown };
        if head.get(colon) != Some(&b':') {
            return Sniff::Unknown;
        }
        let Some(value) = skip_blank(head, colon + 1) else { return Sniff::Unknown };
        if key.eq_ignore_ascii_case(b"$schema") {
            if head.get(value) != Some(&b'"') {
                return Sniff::NotTemplate; // `read` wants a string
            }
            let Some((url, _)) = plain_string(head, value + 1) else { return Sniff::Unknown };
            const NEEDLE: &[u8] = b"deploymenttemplate.json";
            let named = url.windows(NEEDLE.len()).any(|w| w.eq_ignore_ascii_case(NEEDLE));
            return if named { Sniff::Template } else { Sniff::NotTemplate };
        }
        if !TEMPLATE_MEMBERS.iter().any(|m| key.eq_ignore_ascii_case(m.as_bytes())) {
            return Sniff::NotTemplate;
        }
        if key.eq_ignore_ascii_case(b"parameters") && !parameter_definitions(head, value) {
            return Sniff::NotTemplate;
        }
        // Past the value, to the next member.
        let Some(end) = skip_value(head, value) else { return Sniff::Unknown };
        let Some(next) = skip_blank(head, end) else { return Sniff::Unknown };
        match head.get(next) {
            Some(b',') => i = next + 1,
            Some(b'}') => return if complete { Sniff::NotTemplate } else { Sniff::Unknown },
            _ => return Sniff::Unknown,
        }
    }
}

/// Could the value at `i` be a template's `parameters`: an object whose first member (if
/// any, and if it can be seen) is an object, a parameter definition? API examples, parameter
/// files and most other JSON have strings or numbers there.
fn parameter_definitions(b: &[u8], i: usize) -> bool {
    if b.get(i).is_some_and(|&c| c != b'{') {
        return false;
    }
    let Some(at) = skip_blank(b, i + 1) else { return true };
    if b.get(at) != Some(&b'"') {
        return true; // empty, or for the parser to judge
    }
    let Some((_, after)) = plain_string(b, at + 1) else { return true };
    let Some(colon) = skip_blank(b, after) else { return true };
    if b.get(colon) != Some(&b':') {
        return true;
    }
    match skip_blank(b, colon + 1).and_then(|v| b.get(v)) {
        None => true,
        Some(&c) => c == b'{',
    }
}

/// The position just past the JSON value starting at `i` (strings, nesting and comments
/// followed, nothing validated); `None` when the bytes end first.
fn skip_value(b: &[u8], mut i: usize) -> Option<usize> {
    let mut depth = 0usize;
    loop {
        match *b.get(i)? {
            b'"' => {
                i += 1;
                loop {
                    i += b.get(i..)?.iter().position(|&c| c == b'"' || c == b'\\')?;
                    if b[i] == b'"' {
                        i += 1;
                        break;
                    }
                    i += 2;
                }
                if depth == 0 {
                    return Some(i);
                }
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                if depth == 0 {
                    return Some(i); // the end of the enclosing container: the value was empty
                }
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            b'/' if matches!(b.get(i + 1), Some(b'/' | b'*')) => {
                i = skip_blank(b, i)?;
                continue;
            }
            b',' if depth == 0 => return Some(i),
            _ => {}
        }
        i += 1;
    }
}

/// Skip whitespace and comments from `i`; `None` when the bytes end first.
fn skip_blank(b: &[u8], mut i: usize) -> Option<usize> {
    loop {
        match b.get(i)? {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b'/' => match b.get(i + 1)? {
                b'/' => i += 2 + b[i + 2..].iter().position(|&c| c == b'\n')?,
                b'*' => i += 4 + b[i + 2..].windows(2).position(|w| w == b"*/")?,
                _ => return Some(i),
            },
            _ => return Some(i),
        }
    }
}

/// The string starting at `i` (after its opening quote) when it has no escapes, and the
/// position after its closing quote.
fn plain_string(b: &[u8], i: usize) -> Option<(&[u8], usize)> {
    let len = b.get(i..)?.iter().take(512).position(|&c| c == b'"' || c == b'\\' || c < 0x20)?;
    (b[i + len] == b'"').then(|| (&b[i..i + len], i + len + 1))
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

use crate::model::DEPLOYMENTS;

/// Read a template. Returns `None` when the file is valid JSON but not a deployment template.
/// A file that cannot be parsed gives a `SourceFile` with a `FileError` (when `expect_template`
/// or the text names a template schema), so the problem is reported.
pub fn read(path: &str, text: &str, expect_template: bool) -> Option<SourceFile> {
    let mut file = SourceFile::new(path, Kind::Arm);
    file.role = Role::Template;
    let parsed = match super::shape::parse_template(text) {
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
    if let Some(meta) = root.get("metadata") {
        let mut text = String::new();
        metadata_text(meta, &mut text, 0);
        if !text.is_empty() {
            file.metadata = Some(Located { value: text, span: meta.span });
        }
    }
    // One budget for every evaluation in this file: past it, values are left unknown (names
    // become dynamic, CUA114, which says why).
    let _budget = expr::budget::per_file();
    let tscope = TemplateScope::new(root, text);
    let mut walker = Walker { file: &mut file, dir: parent_dir(path), text };
    walker.template(root, &tscope, scope, false);
    Some(file)
}

/// Every string of a template's `metadata` (keys too: a flag such as `"telemetryOptOut"` says
/// something), one per line; the project's own suppressions are left out.
fn metadata_text(n: &Node, out: &mut String, depth: usize) {
    if depth > 16 || out.len() > 1 << 16 {
        return;
    }
    match &n.value {
        Value::String(s) => {
            out.push_str(s);
            out.push('\n');
        }
        Value::Array(a) => a.iter().for_each(|x| metadata_text(x, out, depth + 1)),
        Value::Object(o) => {
            for m in o.iter().filter(|m| !m.key.eq_ignore_ascii_case("cua-check-ignore")) {
                out.push_str(&m.key);
                out.push('\n');
                metadata_text(&m.value, out, depth + 1);
            }
        }
        _ => {}
    }
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
    /// The template's text, to build skipped `properties` (see [`super::shape::parse_template`]).
    text: &'f str,
}

impl Walker<'_> {
    /// Walk a template's resources. `scope` is the deployment scope of this template.
    fn template(&mut self, template: &Node, es: &dyn expr::Scope, scope: Scope, nested: bool) {
        self.twice(template, "resources");
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
        for key in ["name", "type", "properties", "resources"] {
            self.twice(r, key);
        }
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
        let existing = r.get("existing").and_then(Node::as_bool) == Some(true);
        if !rtype.is_empty() && !existing {
            self.file.resources.push(Located { value: rtype.to_string(), span: type_node.map_or(r.span, |t| t.span) });
        }
        let mentions_pid =
            name_raw.to_ascii_lowercase().contains("pid-") || name.display().to_ascii_lowercase().contains("pid-");
        let built;
        let props = match r.get("properties") {
            // Left unbuilt by the parser (the type is not a deployment); wanted after all.
            Some(p) if matches!(p.value, Value::Skipped) && (is_deployment || mentions_pid) => {
                built = super::shape::build_properties(self.text, p).ok();
                built.as_ref()
            }
            p => p,
        };
        if is_deployment || mentions_pid {
            if let Some(p) = props {
                self.twice(p, "mode");
            }
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

    /// A key that decides what is deployed, written twice (or more) in one object: a warning
    /// naming the lines. [`Node::get`] takes the last, as Azure does.
    fn twice(&mut self, obj: &Node, key: &str) {
        let Value::Object(members) = &obj.value else { return };
        let lines: Vec<&crate::sources::json::Member> = members.iter().filter(|m| m.key.eq_ignore_ascii_case(key)).collect();
        if let [_, .., last] = lines.as_slice() {
            let all: Vec<String> = lines.iter().map(|m| m.key_span.line.to_string()).collect();
            self.file.warnings.push(FileError {
                span: last.key_span,
                message: format!(
                    "key \"{key}\" is written {} times in this object (lines {}); Azure uses the last one (line {}), and so does cua-check; remove the other{}",
                    lines.len(),
                    all.join(", "),
                    last.key_span.line,
                    if lines.len() > 2 { "s" } else { "" }
                ),
            });
        }
    }

    /// The inner template or link of a deployment resource.
    fn deployment_body(&mut self, props: &Node, es: &dyn expr::Scope, scope: Scope, nested: bool) {
        if let Some(link) = props.get("templateLink") {
            if let Some(target) = link_target(link, es, &self.dir) {
                self.file.references.push(Reference { target: target.0, kind: target.1, span: link.span, nested });
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
            let s = TemplateScope::new(inner, self.text).with_parameter_values(values);
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
        Value::Skipped => Val::Unknown("a resource's properties".into()),
    }
}

/// Where a `templateLink` points. `relativePath`, and a `uri` built from
/// `deployment().properties.templateLink.uri` or `_artifactsLocation`, are resolved against the
/// linking file's folder; an absolute GitHub URL names a path in a repository; any other URL is
/// external. Never a bare file name.
fn link_target(link: &Node, es: &dyn expr::Scope, dir: &str) -> Option<(String, LinkKind)> {
    if let Some(rel) = link.get("relativePath").and_then(Node::as_str) {
        let rel = match expr::eval_json_string(rel, es) {
            Val::Str(s) => s,
            _ => last_json_literal(rel)?,
        };
        return Some(relative(dir, &rel));
    }
    let uri = link.get("uri").and_then(Node::as_str)?;
    let lower = uri.to_ascii_lowercase();
    let res = expr::to_resolved(&expr::eval_json_string(uri, es));
    if lower.contains("templatelink.uri") || lower.contains("artifactslocation") {
        return Some(match relative_tail(&res).or_else(|| literal_tail(uri)) {
            Some(rel) => relative(dir, &rel),
            None => (uri.to_string(), LinkKind::External),
        });
    }
    Some(match &res {
        Resolved::Known(s) => url_target(s),
        Resolved::Partial(parts) => match parts.first() {
            Some(Part::Lit(_)) => {
                let known = res.known_prefix();
                let path_end = known.split(['?', '#']).next().unwrap_or("");
                if path_end.len() < known.len() || path_end.to_ascii_lowercase().ends_with(".json") {
                    url_target(path_end)
                } else {
                    (res.display(), LinkKind::External)
                }
            }
            _ => match relative_tail(&res) {
                Some(rel) => relative(dir, &rel),
                None => (res.display(), LinkKind::External),
            },
        },
        Resolved::Unknown(_) => (uri.to_string(), LinkKind::External),
    })
}

/// A path relative to the linking file's folder; a path that leaves the checked root is not
/// resolved (it is reported as external).
fn relative(dir: &str, rel: &str) -> (String, LinkKind) {
    let rel = rel.split(['?', '#']).next().unwrap_or("");
    let rel = rel.trim_start_matches(['/', '\\']);
    match normalize(dir, rel) {
        Some(p) if !p.is_empty() => (p, LinkKind::Path),
        _ => (rel.to_string(), LinkKind::External),
    }
}

/// The literal text after an unknown base (`<base>` + `nested/x.json` + `<sas>`).
fn relative_tail(r: &Resolved) -> Option<String> {
    let Resolved::Partial(parts) = r else { return None };
    let mut it = parts.iter().skip_while(|p| matches!(p, Part::Lit(_)));
    it.next()?; // the base
    let mut out = String::new();
    for p in it {
        match p {
            Part::Lit(s) => out.push_str(s),
            Part::Opaque { .. } => break,
        }
    }
    let out = out.split(['?', '#']).next().unwrap_or("").to_string();
    (!out.trim_matches('/').is_empty()).then_some(out)
}

/// The string literals of an expression that are not parameter or variable names, joined
/// (`uri(deployment().properties.templateLink.uri, 'nested/x.json')` gives `nested/x.json`;
/// `format('{0}nested/x.json{1}', …)` gives `nested/x.json`).
fn literal_tail(text: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find('\'') {
        let before = rest[..i].trim_end().to_ascii_lowercase();
        let after = &rest[i + 1..];
        let j = after.find('\'')?;
        let lit = &after[..j];
        rest = &after[j + 1..];
        if before.ends_with("parameters(") || before.ends_with("variables(") {
            continue;
        }
        // format strings: drop `{0}`-style holes
        let mut clean = String::new();
        let mut skip = false;
        for c in lit.chars() {
            match c {
                '{' => skip = true,
                '}' => skip = false,
                c if !skip => clean.push(c),
                _ => {}
            }
        }
        out.push_str(&clean);
    }
    let out = out.split(['?', '#']).next().unwrap_or("").to_string();
    out.to_ascii_lowercase().ends_with(".json").then_some(out)
}

/// An absolute URL: a GitHub raw or blob URL names a path in a repository; anything else is external.
pub fn url_target(url: &str) -> (String, LinkKind) {
    let no_query = url.split(['?', '#']).next().unwrap_or("").trim();
    let rest = no_query.strip_prefix("https://").or_else(|| no_query.strip_prefix("http://"));
    if let Some(rest) = rest {
        let segs: Vec<&str> = rest.split('/').collect();
        let host = segs[0].to_ascii_lowercase();
        let (owner_repo_ref, path_from) = if host == "raw.githubusercontent.com" && segs.len() > 4 {
            (Some((segs[1], segs[2])), 4)
        } else if (host == "github.com" || host == "www.github.com")
            && segs.len() > 5
            && matches!(segs[3], "blob" | "raw")
        {
            (Some((segs[1], segs[2])), 5)
        } else {
            (None, 0)
        };
        if let Some((owner, repo)) = owner_repo_ref {
            let mut from = path_from;
            // `refs/heads/<branch>` written out in full
            if segs[from - 1] == "refs" && segs.len() > from + 2 && matches!(segs[from], "heads" | "tags") {
                from += 2;
            }
            if let Some(path) = normalize("", &segs[from..].join("/")) {
                if !path.is_empty() {
                    return (path, LinkKind::GitHub { owner: owner.to_string(), repo: repo.to_string() });
                }
            }
        }
    }
    (no_query.to_string(), LinkKind::External)
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

#[cfg(test)]
mod sniff_tests {
    use super::{sniff, Sniff};

    const SCHEMA: &str = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";

    fn both(text: &str) -> (Sniff, Sniff) {
        (sniff(text.as_bytes(), true), sniff(text.as_bytes(), false))
    }

    #[test]
    fn a_schema_first_decides_at_once() {
        let t = format!(r#"{{"$schema": "{SCHEMA}", "resources": ["#);
        assert_eq!(both(&t), (Sniff::Template, Sniff::Template));
        let sub = r#"{ "$SCHEMA" : "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#" }"#;
        assert_eq!(sniff(sub.as_bytes(), true), Sniff::Template);
        let params = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "parameters": {}}"#;
        assert_eq!(both(params), (Sniff::NotTemplate, Sniff::NotTemplate));
        let other = r#"{"$schema": "http://json-schema.org/draft-07/schema#", "type": "object"}"#;
        assert_eq!(sniff(other.as_bytes(), false), Sniff::NotTemplate);
        // BOM, comments and whitespace before it.
        let t = format!("\u{feff}// c\n/* d */\r\n{{ /* e */ \"$schema\" /* f */ : \"{SCHEMA}\"");
        assert_eq!(sniff(t.as_bytes(), false), Sniff::Template);
    }

    #[test]
    fn other_json_is_recognised_from_its_first_bytes() {
        for text in [
            r#"[{"$schema": "x"}]"#,
            r#""a string""#,
            "42",
            "null",
            "{}",
            r#"{"name": "my-package", "version": "1.0.0"}"#,
            // an API example: parameters whose values are not parameter definitions
            r#"{"parameters": {"subscriptionId": "00000000", "api-version": "2023-01-01"}, "responses": {"#,
            r#"{"parameters": [1, 2]}"#,
            // a template member, then one no template may have
            r#"{"contentVersion": "1.0.0.0", "responses": {"#,
        ] {
            assert_eq!(sniff(text.as_bytes(), false), Sniff::NotTemplate, "{text}");
        }
        // Complete files: the root ends and no $schema was seen.
        let no_schema = r#"{"contentVersion": "1.0.0.0", "parameters": {"a": {"type": "string"}}, "resources": []}"#;
        assert_eq!(both(no_schema), (Sniff::NotTemplate, Sniff::Unknown));
    }

    #[test]
    fn a_schema_after_other_template_members_is_found() {
        let t = format!(
            r#"{{"contentVersion": "1.0.0.0", "metadata": {{"x": "}}{{\"$schema\"]"}}, "parameters": {{"p": {{"type": "string"}}}}, "variables": {{"v": [1, {{"a": "b"}}]}}, "$schema": "{SCHEMA}", "resources": []}}"#
        );
        assert_eq!(both(&t), (Sniff::Template, Sniff::Template));
        // When the head ends before it, the whole file is needed.
        assert_eq!(sniff(&t.as_bytes()[..60], false), Sniff::Unknown);
    }

    #[test]
    fn anything_unusual_is_left_to_the_full_reader() {
        for text in [
            "",
            "   ",
            "\u{0}\u{1}binary",
            "{",
            r#"{"$sch\u0065ma": "x"}"#,
            r#"{"$schema": "https:\/\/schema.management.azure.com\/schemas\/2019-04-01\/deploymentTemplate.json#"}"#,
            "{ /* unterminated",
            "{'$schema': 'x'}",
        ] {
            assert_eq!(sniff(text.as_bytes(), false), Sniff::Unknown, "{text:?}");
        }
        let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain("{\"$schema\"".bytes().flat_map(|b| [b, 0])).collect();
        assert_eq!(sniff(&utf16, true), Sniff::Unknown);
    }
}
