//! Bicep reader.
//!
//! [`read`] turns one `.bicep` file into a [`SourceFile`]: every `Microsoft.Resources/deployments`
//! resource, every `module`, and every other resource whose name mentions `pid-` becomes a
//! [`Deployment`]; local module paths become [`Reference`]s; `// cua-check-ignore` comments become
//! [`Suppression`]s; the first syntax error becomes a [`FileError`].
//!
//! - `lexer`: streaming tokens, comments, positions.
//! - `parser`: tolerant, depth-bounded declarations and expressions.
//! - `eval`: static evaluation of names, modes and conditions.

pub mod eval;
pub mod imports;
pub mod lexer;
pub mod params;
pub mod parser;

#[cfg(test)]
mod tests;

use std::collections::HashMap;

use eval::{join_path, Env, Val};
use parser::{Decl, DeclKind, Expr, ExprKind, Parsed};

use crate::model::{
    Condition, Content, Deployment, FileError, Form, Kind, Loader, Located, Reference, Resolved,
    Role, Scope, SourceFile, Span, Suppression,
};

use crate::model::DEPLOYMENTS;

/// Read one Bicep file. `path` is relative to the scanned root with `/` separators; `loader`
/// reads other files of the tree (modules, `loadTextContent`). Never panics.
pub fn read(path: &str, text: &str, loader: &dyn Loader) -> SourceFile {
    read_with(path, text, loader, &[])
}

/// Like [`read`], with values for some of the file's parameters (from a `.bicepparam` file
/// that points at it): they win over the parameters' defaults.
pub fn read_with(path: &str, text: &str, loader: &dyn Loader, given: &[(String, Val<'static>)]) -> SourceFile {
    read_parsed(path, text, loader, given, text.len() > DEFER_OVER)
}

/// [`read`] as a file over [`DEFER_OVER`] is read (one top-level declaration at a time), whatever its
/// size: for the fuzz target, which holds the two ways of reading to the same facts.
#[doc(hidden)]
pub fn read_deferred(path: &str, text: &str, loader: &dyn Loader) -> SourceFile {
    read_parsed(path, text, loader, &[], true)
}

/// Files larger than this are read one top-level resource or module at a time
/// ([`parser::parse_deferring`]): each is parsed twice, but memory follows the largest declaration,
/// not the size of the file (issue 16: ≤ 200 MiB at the 32 MiB size limit). Smaller files are
/// read whole, parsed once. Both give the same facts (tests: `deferred_reading_gives_the_same_facts`).
const DEFER_OVER: usize = 2 << 20;

fn read_parsed(path: &str, text: &str, loader: &dyn Loader, given: &[(String, Val<'static>)], defer: bool) -> SourceFile {
    let mut sf = SourceFile::new(path, Kind::Bicep);
    sf.role = Role::Template;
    let parsed = if defer { parser::parse_deferring(text) } else { parser::parse_for_read(text) };
    let mut env = Env::new(text, path, loader, &parsed.decls);
    for (n, v) in imports::imported(&parsed.decls, path, loader) {
        env.give(&n, v);
    }
    for (n, v) in given {
        let is_param = parsed.decls.iter().any(|d| matches!(&d.kind, DeclKind::Param { name, .. } if name == n));
        if is_param {
            env.give(n, v.clone());
        }
    }
    let scope = file_scope(&parsed.decls, &mut env);
    sf.scope = Some(scope);
    if let Some(d) = parsed.decls.first() {
        sf.anchor = d.span;
    }
    let mut rec = Recorder {
        env,
        text,
        dir: eval::dir_of(path),
        scope,
        loader,
        found: Found::default(),
    };
    rec.decls(&parsed.decls, None);
    sf.deployments = rec.found.deployments;
    sf.references = rec.found.references;
    sf.resources = rec.found.resources;
    sf.metadata = metadata_text(text, &parsed.decls);
    if let Some(e) = &parsed.error {
        // The rest of the file is not read, but the modules it deploys are still known from
        // their `module x 'path'` lines, so that they are not taken for main files.
        let dir = eval::dir_of(path);
        let mut offset = 0usize;
        for (i, line) in text.split('\n').enumerate() {
            let start = offset;
            offset += line.len() + 1;
            if offset <= e.span.start {
                continue;
            }
            let Some(rest) = line.trim_start().strip_prefix("module ") else { continue };
            let Some(q) = rest.find('\'') else { continue };
            let Some(len) = rest[q + 1..].find('\'') else { continue };
            let p = &rest[q + 1..q + 1 + len];
            if is_registry(p) {
                continue;
            }
            if let Some(t) = join_path(&dir, p) {
                if !sf.references.iter().any(|r| r.target == t) {
                    let line_no = (i + 1) as u32;
                    let span = Span { line: line_no, column: 1, end_line: line_no, end_column: 1, start, end: start };
                    sf.references.push(Reference { target: t, kind: crate::model::LinkKind::Path, span, nested: false });
                }
            }
        }
        sf.errors.push(FileError {
            span: e.span,
            message: e.message.clone(),
        });
    }
    sf.suppressions = suppressions(text, &parsed);
    sf
}

fn file_scope<'a>(decls: &'a [Decl], env: &mut Env<'a, 'a>) -> Scope {
    for d in decls {
        if let DeclKind::TargetScope(e) = &d.kind {
            if let Resolved::Known(s) = env.resolve(e) {
                return match s.to_ascii_lowercase().as_str() {
                    "subscription" => Scope::Subscription,
                    "managementgroup" => Scope::ManagementGroup,
                    "tenant" => Scope::Tenant,
                    _ => Scope::ResourceGroup,
                };
            }
        }
    }
    Scope::ResourceGroup
}

pub(crate) fn is_registry(path: &str) -> bool {
    let head = path.get(..3).unwrap_or("");
    ["br:", "br/", "ts:", "ts/"]
        .iter()
        .any(|p| head.eq_ignore_ascii_case(p))
}

/// What reading a file's declarations builds; `'p` borrows the file's top-level declarations,
/// `'a` the declarations being recorded (the same, or one read again on its own).
struct Recorder<'p, 'a> {
    env: Env<'p, 'a>,
    text: &'p str,
    dir: String,
    scope: Scope,
    loader: &'p dyn Loader,
    found: Found,
}

/// What the recorder has found so far (it owns no part of the syntax tree).
#[derive(Default)]
struct Found {
    /// Content of module files by root-relative path.
    modules: HashMap<String, Content>,
    deployments: Vec<Deployment>,
    references: Vec<Reference>,
    resources: Vec<Located<String>>,
}

/// The source text of the file's `metadata x = …` declarations (each up to the next
/// declaration), for the customer notice (CUA401).
fn metadata_text(text: &str, decls: &[Decl]) -> Option<Located<String>> {
    let mut out = String::new();
    let mut first = None;
    for (i, d) in decls.iter().enumerate() {
        let DeclKind::Other { keyword, .. } = &d.kind else { continue };
        if keyword != "metadata" {
            continue;
        }
        let end = decls.get(i + 1).map_or(text.len(), |n| n.span.start).min(d.span.start + (1 << 14));
        let mut end = end.max(d.span.start).min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        if let Some(t) = text.get(d.span.start..end) {
            out.push_str(t);
            out.push('\n');
            first.get_or_insert(d.span);
        }
    }
    first.map(|span| Located { value: out, span })
}

impl<'p: 'a, 'a> Recorder<'p, 'a> {
    fn decls(&mut self, decls: &'a [Decl], parent_type: Option<&str>) {
        for d in decls {
            match &d.kind {
                DeclKind::Deferred { at, .. } => self.deferred(*at),
                DeclKind::Resource {
                    type_str,
                    type_span,
                    existing,
                    value,
                    ..
                } => self.resource(d, type_str, *type_span, *existing, value, parent_type),
                DeclKind::Module {
                    path,
                    path_span,
                    value,
                    ..
                } => self.module(d, path, *path_span, value),
                _ => {}
            }
        }
    }

    /// A top-level declaration of a large file that was not kept ([`DeclKind::Deferred`]): read
    /// again on its own, recorded as if it had been kept, and dropped.
    fn deferred(&mut self, at: parser::Pos) {
        let Some(d) = parser::reparse(self.text, at) else {
            return;
        };
        let mut one = Recorder {
            env: self.env.lend(),
            text: self.text,
            dir: self.dir.clone(),
            scope: self.scope,
            loader: self.loader,
            found: std::mem::take(&mut self.found),
        };
        one.decls(std::slice::from_ref(&d), None);
        self.env.restore(one.env);
        self.found = one.found;
    }

    /// The condition and body of a declaration value; `None` for a loop.
    fn split_body(&mut self, value: &'a Expr) -> Option<(Option<Condition>, &'a Expr)> {
        match &value.kind {
            ExprKind::If { cond, body } => {
                let c = Condition {
                    span: cond.span,
                    text: eval::source_text(self.text, cond),
                    default_value: self.env.bool_of(cond),
                };
                Some((Some(c), body))
            }
            ExprKind::For { .. } => None,
            _ => Some((None, value)),
        }
    }

    fn name(&mut self, body: &'a Expr, decl: &Decl, missing: &str) -> (String, Resolved, Span) {
        match body.prop("name") {
            Some(n) => (eval::source_text(self.text, n), self.env.resolve(n), n.span),
            None => (
                String::new(),
                Resolved::Unknown(missing.to_string()),
                decl.span,
            ),
        }
    }

    fn resource(
        &mut self,
        d: &'a Decl,
        type_str: &str,
        type_span: Span,
        existing: bool,
        value: &'a Expr,
        parent_type: Option<&str>,
    ) {
        let base = type_str.split('@').next().unwrap_or("");
        let full_type = match parent_type {
            Some(p) if !base.split('/').next().unwrap_or("").contains('.') => format!("{p}/{base}"),
            _ => base.to_string(),
        };
        if !existing && !full_type.is_empty() {
            self.found.resources.push(Located { value: full_type.clone(), span: type_span });
        }
        // Loops: nothing is recorded for the body or anything nested in it.
        let Some((condition, body)) = self.split_body(value) else {
            return;
        };
        if let ExprKind::Object(_, children) = &body.kind {
            self.decls(children, Some(&full_type));
        }
        if existing {
            return;
        }
        let is_deployment = full_type.eq_ignore_ascii_case(DEPLOYMENTS);
        let (name_raw, name, name_span) = self.name(body, d, "the resource has no name");
        if !is_deployment && !name.display().to_ascii_lowercase().contains("pid-") {
            return;
        }
        let props = body.prop("properties");
        let mode = props.and_then(|p| p.prop("mode")).map(|m| Located {
            value: self.env.resolve(m),
            span: m.span,
        });
        let content = match props {
            None if is_deployment => Content::Empty,
            None => Content::Unknown,
            Some(p) => self.deployment_content(p),
        };
        self.found.deployments.push(Deployment {
            form: Form::BicepResource,
            name_raw,
            name,
            name_span,
            resource_type: Some(Located {
                value: full_type,
                span: type_span,
            }),
            nested: false,
            scope: self.scope,
            mode,
            has_location: body.prop("location").is_some(),
            condition,
            content,
            span: d.span,
        });
    }

    /// Content of a deployment resource from its `properties`.
    fn deployment_content(&mut self, props: &'a Expr) -> Content {
        let ExprKind::Object(..) = props.kind else {
            return Content::Unknown;
        };
        if let Some(link) = props.prop("templateLink") {
            return Content::Linked(link.span);
        }
        match props.prop("template") {
            None => Content::Empty,
            Some(t) => self.template_content(t),
        }
    }

    fn template_content(&mut self, t: &'a Expr) -> Content {
        let obj = match &t.kind {
            ExprKind::Object(..) => t,
            _ => match self.env.eval(t) {
                Val::Obj(o) => o,
                Val::Json(root, path) => {
                    let mut path = path;
                    path.push(eval::JKey::Name("resources".to_string()));
                    return match eval_json_resources(&root, &path) {
                        Some(true) => Content::Empty,
                        Some(false) => Content::Resources(t.span),
                        None => Content::Unknown,
                    };
                }
                _ => return Content::Unknown,
            },
        };
        let Some(r) = obj.prop("resources") else {
            return Content::Empty;
        };
        match &r.kind {
            ExprKind::Array(items) if items.is_empty() => Content::Empty,
            ExprKind::Object(props, decls) if props.is_empty() && decls.is_empty() => {
                Content::Empty
            }
            ExprKind::Array(_) | ExprKind::Object(..) | ExprKind::For { .. } => {
                Content::Resources(r.span)
            }
            _ => match self.env.eval(r) {
                Val::Arr(a) | Val::Obj(a) => match &a.kind {
                    ExprKind::Array(items) if items.is_empty() => Content::Empty,
                    ExprKind::Object(props, _) if props.is_empty() => Content::Empty,
                    _ => Content::Resources(r.span),
                },
                Val::Json(root, path) => match eval_json_resources(&root, &path) {
                    Some(true) => Content::Empty,
                    Some(false) => Content::Resources(r.span),
                    None => Content::Unknown,
                },
                _ => Content::Unknown,
            },
        }
    }

    fn module(&mut self, d: &'a Decl, path: &str, path_span: Span, value: &'a Expr) {
        let registry = is_registry(path);
        let target = if registry {
            None
        } else {
            join_path(&self.dir, path)
        };
        if let Some(t) = &target {
            self.found.references.push(Reference {
                target: t.clone(),
                kind: crate::model::LinkKind::Path,
                span: path_span,
                nested: false,
            });
        }
        let Some((condition, body)) = self.split_body(value) else {
            return;
        };
        let (name_raw, name, name_span) = self.name(
            body,
            d,
            "the module has no name (Bicep generates one at deployment)",
        );
        let content = match target {
            None => Content::Unknown,
            Some(t) => self.module_content(&t, path_span),
        };
        self.found.deployments.push(Deployment {
            form: Form::BicepModule,
            name_raw,
            name,
            name_span,
            resource_type: None,
            nested: false,
            scope: self.scope,
            mode: None,
            has_location: body.prop("location").is_some(),
            condition,
            content,
            span: d.span,
        });
    }

    /// Whether the module file at root-relative `target` deploys anything.
    fn module_content(&mut self, target: &str, path_span: Span) -> Content {
        if let Some(c) = self.found.modules.get(target) {
            return relink(c, path_span);
        }
        let c = match self.loader.load(target) {
            None => Content::Unknown,
            Some(text) if text.len() > 8 * eval::MAX_STR => Content::Unknown,
            Some(text) if target.to_ascii_lowercase().ends_with(".json") => {
                match serde_json::from_str::<serde_json::Value>(&text) {
                    Ok(j) => {
                        match eval_json_resources(&j, &[eval::JKey::Name("resources".to_string())])
                        {
                            Some(true) => Content::Empty,
                            Some(false) => Content::Linked(path_span),
                            None => Content::Unknown,
                        }
                    }
                    Err(_) => Content::Unknown,
                }
            }
            Some(text) => {
                let parsed = parser::parse_for_read(&text);
                if deploys_anything(&parsed) {
                    Content::Linked(path_span)
                } else if parsed.error.is_some() {
                    Content::Unknown
                } else {
                    Content::Empty
                }
            }
        };
        self.found.modules.insert(target.to_string(), c.clone());
        c
    }
}

fn relink(c: &Content, span: Span) -> Content {
    match c {
        Content::Linked(_) => Content::Linked(span),
        c => c.clone(),
    }
}

fn deploys_anything(p: &Parsed) -> bool {
    p.decls.iter().any(|d| {
        matches!(
            d.kind,
            DeclKind::Module { .. }
                | DeclKind::Resource {
                    existing: false,
                    ..
                }
        ) || matches!(&d.kind, DeclKind::Resource { value, .. } if has_child_resources(value))
    })
}

fn has_child_resources(e: &Expr) -> bool {
    let body = match &e.kind {
        ExprKind::If { body, .. } => body,
        _ => e,
    };
    matches!(&body.kind, ExprKind::Object(_, children) if !children.is_empty())
}

/// `Some(true)` when the JSON value at `path` is absent or an empty array/object, `Some(false)`
/// when it has elements, `None` when it is something else.
fn eval_json_resources(root: &serde_json::Value, path: &[eval::JKey]) -> Option<bool> {
    let mut v = root;
    for k in path {
        let next = match (v, k) {
            (serde_json::Value::Object(m), eval::JKey::Name(n)) => m.get(n).or_else(|| {
                m.iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(n))
                    .map(|(_, x)| x)
            }),
            (serde_json::Value::Array(a), eval::JKey::Index(i)) => a.get(*i),
            _ => return None,
        };
        match next {
            Some(n) => v = n,
            None => return Some(true),
        }
    }
    match v {
        serde_json::Value::Array(a) => Some(a.is_empty()),
        serde_json::Value::Object(o) => Some(o.is_empty()),
        serde_json::Value::Null => Some(true),
        _ => None,
    }
}

// ----- suppressions -----

/// Parse the text after `//`: `cua-check-ignore CODE[, CODE…][: reason]`.
fn parse_suppression(comment: &str) -> Option<(Vec<String>, Option<String>)> {
    crate::sources::suppress::directive(comment.trim_start().strip_prefix("cua-check-ignore")?)
}

/// The span of the whole of line `line` (1-based), without its line break.
fn line_span(text: &str, line_starts: &[usize], line: u32) -> Span {
    let i = (line as usize).saturating_sub(1);
    let start = line_starts
        .get(i)
        .copied()
        .unwrap_or(text.len())
        .min(text.len());
    let mut end = line_starts
        .get(i + 1)
        .map(|n| n.saturating_sub(1))
        .unwrap_or(text.len())
        .min(text.len());
    if end < start {
        end = start;
    }
    let s = text.get(start..end).unwrap_or("");
    let s = s.strip_suffix('\r').unwrap_or(s);
    let end = start + s.len();
    let cols = s.chars().count() as u32;
    Span {
        line,
        column: 1,
        end_line: line,
        end_column: cols + 1,
        start,
        end,
    }
}

pub(crate) fn suppressions(text: &str, parsed: &Parsed) -> Vec<Suppression> {
    let mut out = Vec::new();
    let mut last: Option<(u32, Span)> = None;
    for c in &parsed.comments {
        let Some((codes, reason)) = parse_suppression(&c.text) else {
            continue;
        };
        let line = if c.own_line {
            let i = parsed.code_lines.partition_point(|&l| l <= c.start.line);
            match parsed.code_lines.get(i) {
                Some(l) => *l,
                None => continue,
            }
        } else {
            c.start.line
        };
        let span = match last {
            Some((l, s)) if l == line => s,
            _ => line_span(text, &parsed.line_starts, line),
        };
        last = Some((line, span));
        for rule in codes {
            out.push(Suppression {
                rule,
                reason: reason.clone(),
                span,
            });
        }
    }
    out
}

/// The Bicep [`crate::sources::Reader`]: one `.bicep` file at a time.
pub struct BicepReader;

impl crate::sources::Reader for BicepReader {
    fn claims(&self, _rel: &str, lower: &str) -> Option<u8> {
        lower.ends_with(".bicep").then_some(0)
    }
    fn enabled(&self, sources: &crate::options::settings::Sources) -> bool {
        sources.bicep
    }
    fn unit(&self) -> crate::sources::Unit {
        crate::sources::Unit::File
    }
    fn main_name(&self, lower_name: &str) -> bool {
        lower_name == "main.bicep"
    }
    fn read(&self, inputs: &[crate::sources::Input], cx: &mut crate::sources::ReadCx) -> Vec<SourceFile> {
        crate::sources::read_texts(inputs, cx, read)
    }
}
