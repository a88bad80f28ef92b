//! Terraform (HCL) reader.
//!
//! [`read_module`] reads all `.tf` / `.tf.json` files of one directory (one Terraform module)
//! together with that directory's tfvars files, and records for each file:
//! - every `provider "azurerm"` / `provider "azapi"` block and its `partner_id`;
//! - every Terraform resource creating an ARM deployment whose name mentions `pid-`
//!   (and any `azapi_resource` whose name mentions `pid-`);
//! - `cua-check-ignore` suppressions;
//! - a parse error, if any.
//!
//! Values are evaluated statically through variable defaults, tfvars and locals (see `eval`).

mod eval;


use crate::model::{
    ModuleCall,     span_of, Condition, Content, Deployment, FileError, Form, Kind, Located, PartnerId, Provider,
    Resolved, Role, Scope, SourceFile, Span,
};
use eval::{src_text, Ctx, Src, V};
use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::{Block, Body};
use hcl_edit::Span as _;
use crate::sources::json::{self, Node, Value as J};

/// Files larger than this are not parsed.
const MAX_FILE: usize = 4 * 1024 * 1024;

/// One input file: path relative to the scanned root (with `/`) and its text.
#[derive(Clone, Copy, Debug)]
pub struct TfInput<'a> {
    pub path: &'a str,
    pub text: &'a str,
}

enum Parsed {
    Hcl(Body),
    Json(Node),
    Failed(FileError),
}

fn is_json(path: &str) -> bool {
    path.to_ascii_lowercase().ends_with(".json")
}

fn parse(path: &str, text: &str) -> Parsed {
    if text.len() > MAX_FILE {
        return Parsed::Failed(FileError {
            span: Span::FILE_START,
            message: format!(
                "file too large to read ({} bytes, limit {MAX_FILE})",
                text.len()
            ),
        });
    }
    if is_json(path) {
        match json::parse(text) {
            Ok(n) => Parsed::Json(n.root),
            Err(e) => Parsed::Failed(FileError {
                span: e.span,
                message: format!("invalid JSON: {}", e.message),
            }),
        }
    } else {
        // hcl-edit requires a final newline for some constructs (e.g. a trailing comment).
        match hcl_edit::parser::parse_body(text) {
            Ok(b) => Parsed::Hcl(b),
            Err(e) => {
                let off = e.location().offset().min(text.len());
                let span = span_of(text, off, off);
                let msg = e.message().replace('\n', " ");
                Parsed::Failed(FileError {
                    span,
                    message: format!(
                        "HCL syntax error at line {}, column {}: {}",
                        span.line,
                        span.column,
                        if msg.is_empty() {
                            "invalid syntax"
                        } else {
                            &msg
                        }
                    ),
                })
            }
        }
    }
}

/// Precedence of a tfvars file: later overrides earlier (Terraform's order, with other
/// `*.tfvars` files taken as `-var-file` arguments, which win).
fn tfvars_rank(path: &str) -> u8 {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    match name.as_str() {
        "terraform.tfvars" => 0,
        "terraform.tfvars.json" => 1,
        n if n.ends_with(".auto.tfvars") || n.ends_with(".auto.tfvars.json") => 2,
        _ => 3,
    }
}

/// Top-level objects of a `.tf.json` construct that may be an object or an array of objects.
fn objs(n: &Node) -> Vec<&Node> {
    match &n.value {
        J::Object(_) => vec![n],
        J::Array(a) => a.iter().filter(|x| matches!(x.value, J::Object(_))).collect(),
        _ => Vec::new(),
    }
}

/// `(key, value)` pairs of `n.key` across object/array forms.
fn json_section<'a>(n: &'a Node, key: &str) -> Vec<(&'a str, &'a Node)> {
    let mut out = Vec::new();
    for top in objs(n) {
        for (k, v) in top.entries() {
            if k == key {
                for o in objs(v) {
                    for (k2, v2) in o.entries() {
                        out.push((k2, v2));
                    }
                }
            }
        }
    }
    out
}

/// Read one Terraform module directory. Returns one [`SourceFile`] per `.tf` / `.tf.json` file,
/// in the order given. Never panics; a file that does not parse gets one [`FileError`] and the
/// other files are still read.
pub fn read_module(files: &[TfInput], tfvars: &[TfInput]) -> Vec<SourceFile> {
    let parsed: Vec<Parsed> = files.iter().map(|f| parse(f.path, f.text)).collect();
    let mut vars_sorted: Vec<&TfInput> = tfvars.iter().collect();
    crate::util::sort::sort_by_key(&mut vars_sorted, |f| (tfvars_rank(f.path), f.path));
    let vars_parsed: Vec<(Parsed, &str)> = vars_sorted
        .iter()
        .map(|f| (parse(f.path, f.text), f.text))
        .collect();

    let mut ctx = Ctx::default();
    for (p, f) in parsed.iter().zip(files) {
        match p {
            Parsed::Hcl(body) => {
                for b in body.blocks() {
                    match b.ident.as_str() {
                        "variable" => {
                            if let Some(l) = b.labels.first() {
                                let d = b.body.get_attribute("default");
                                ctx.vars.insert(
                                    l.as_str().to_string(),
                                    d.map(|a| Src::Hcl(&a.value, f.text)),
                                );
                            }
                        }
                        "locals" => {
                            for a in b.body.attributes() {
                                ctx.locals
                                    .insert(a.key.as_str().to_string(), Src::Hcl(&a.value, f.text));
                            }
                        }
                        _ => {}
                    }
                }
            }
            Parsed::Json(n) => {
                for (name, v) in json_section(n, "variable") {
                    let d = objs(v).into_iter().find_map(|o| o.get_exact("default"));
                    ctx.vars
                        .insert(name.to_string(), d.map(|d| Src::Json(d, f.text)));
                }
                for (name, v) in json_section(n, "locals") {
                    ctx.locals.insert(name.to_string(), Src::Json(v, f.text));
                }
            }
            Parsed::Failed(_) => {}
        }
    }
    for (p, text) in &vars_parsed {
        match p {
            Parsed::Hcl(body) => {
                for a in body.attributes() {
                    ctx.vars
                        .insert(a.key.as_str().to_string(), Some(Src::Hcl(&a.value, text)));
                }
            }
            Parsed::Json(n) => {
                for (k, v) in n.entries() {
                    ctx.vars.insert(k.to_string(), Some(Src::Json(v, text)));
                }
            }
            Parsed::Failed(_) => {}
        }
    }

    files
        .iter()
        .zip(&parsed)
        .map(|(f, p)| {
            let mut sf = SourceFile::new(f.path, Kind::Terraform);
            sf.role = Role::Other;
            sf.scope = None;
            sf.suppressions = crate::sources::suppress::find(f.text);
            match p {
                Parsed::Hcl(body) => read_hcl(&ctx, body, f.text, &mut sf),
                Parsed::Json(n) => read_json(&ctx, n, f.text, &mut sf),
                Parsed::Failed(e) => sf.errors.push(e.clone()),
            }
            sf
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// HCL

fn range_span(text: &str, r: Option<std::ops::Range<usize>>, fallback: Span) -> Span {
    match r {
        Some(r) if r.start <= r.end && r.end <= text.len() => span_of(text, r.start, r.end),
        _ => fallback,
    }
}

/// Span of `provider "azapi"` / `resource "type" "name"`: the identifier through the last label.
fn header_span(b: &Block, text: &str) -> Span {
    let start = b.ident.span().map(|r| r.start);
    let end = b
        .labels
        .last()
        .and_then(|l| l.span())
        .or_else(|| b.ident.span())
        .map(|r| r.end);
    match (start, end) {
        (Some(s), Some(e)) if s <= e && e <= text.len() => span_of(text, s, e),
        _ => range_span(text, b.span(), Span::FILE_START),
    }
}

fn read_hcl(ctx: &Ctx, body: &Body, text: &str, sf: &mut SourceFile) {
    for b in body.blocks() {
        let header = header_span(b, text);
        match (b.ident.as_str(), b.labels.as_slice()) {
            ("provider", [name]) if matches!(name.as_str(), "azurerm" | "azapi") => {
                let alias = b.body.get_attribute("alias").map(|a| {
                    match ctx.fresh().eval(&a.value, text, 0) {
                        V::Str(Resolved::Known(s)) => s,
                        _ => src_text(&a.value, text).to_string(),
                    }
                });
                let partner_id = b.body.get_attribute("partner_id").map(|a| PartnerId {
                    raw: src_text(&a.value, text).to_string(),
                    value: ctx.fresh().eval(&a.value, text, 0).into_resolved(),
                    span: range_span(text, a.value.span(), header),
                });
                sf.providers.push(Provider {
                    name: name.as_str().to_string(),
                    alias,
                    span: header,
                    partner_id,
                });
            }
            ("resource", [rtype, _]) => {
                sf.resources.push(Located { value: rtype.as_str().to_string(), span: header });
                if let Some(d) = hcl_deployment(ctx, b, rtype.as_str(), text, header) {
                    sf.deployments.push(d);
                }
            }
            ("module", [_]) => {
                let source = b.body.get_attribute("source").and_then(|a| match ctx.fresh().eval(&a.value, text, 0) {
                    V::Str(Resolved::Known(s)) => Some(s),
                    _ => None,
                });
                if let Some(source) = source {
                    let folder = local_module(&sf.path, &source);
                    sf.modules.push(ModuleCall { source, folder, span: header });
                }
            }
            _ => {}
        }
    }
}

/// The root-relative folder of a local module source (`./x`, `../x`); `None` for registry,
/// Git and other remote sources, and for a path that leaves the checked root.
fn local_module(file: &str, source: &str) -> Option<String> {
    if !(source.starts_with("./") || source.starts_with("../") || source == "." || source == "..") {
        return None;
    }
    let dir = file.rsplit_once('/').map_or("", |(d, _)| d);
    crate::sources::arm::template::normalize(dir, source)
}

fn mentions_pid(raw: &str, name: &Resolved) -> bool {
    raw.to_ascii_lowercase().contains("pid-")
        || name.display().to_ascii_lowercase().contains("pid-")
}

fn azurerm_scope(rtype: &str) -> Option<Scope> {
    Some(match rtype {
        "azurerm_resource_group_template_deployment" => Scope::ResourceGroup,
        "azurerm_subscription_template_deployment" => Scope::Subscription,
        "azurerm_management_group_template_deployment" => Scope::ManagementGroup,
        "azurerm_tenant_template_deployment" => Scope::Tenant,
        _ => return None,
    })
}

/// The subscription, management-group and tenant template deployments of azurerm have no
/// `deployment_mode` argument: the provider always deploys them in Incremental mode (only the
/// resource-group one requires the argument).
fn provider_mode(scope: Scope, header: Span) -> Option<Located<Resolved>> {
    (scope != Scope::ResourceGroup).then(|| Located { value: Resolved::Known("Incremental".into()), span: header })
}

/// Scope of an `azapi_resource` deployment from its `parent_id`.
fn azapi_scope(raw: &str, value: &Resolved) -> Scope {
    let s = format!("{raw} {}", value.display()).to_ascii_lowercase();
    if s.contains("resourcegroups/") || s.contains("resource_group") {
        Scope::ResourceGroup
    } else if s.contains("managementgroups/") || s.contains("management_group") {
        Scope::ManagementGroup
    } else if s.contains("subscriptions/") || s.contains("subscription") {
        Scope::Subscription
    } else if matches!(value, Resolved::Known(v) if v == "/") || s.contains("tenant") {
        Scope::Tenant
    } else {
        Scope::ResourceGroup
    }
}

use crate::model::DEPLOYMENTS;

/// `Microsoft.Resources/deployments@2022-09-01` → `Microsoft.Resources/deployments`.
fn strip_api_version(t: &str) -> &str {
    t.split('@').next().unwrap_or(t)
}

fn condition_from(v: &V, is_count: bool) -> Option<bool> {
    if is_count {
        v.as_num().map(|n| n > 0.0).or_else(|| v.as_bool())
    } else {
        match v {
            V::List(l) => Some(!l.is_empty()),
            V::Map(m) => Some(!m.is_empty()),
            _ => None,
        }
    }
}

fn hcl_deployment(
    ctx: &Ctx,
    b: &Block,
    rtype: &str,
    text: &str,
    header: Span,
) -> Option<Deployment> {
    let attr = |k: &str| b.body.get_attribute(k).map(|a| &a.value);
    let span_of_expr = |e: &Expression| range_span(text, e.span(), header);
    let name_expr = attr("name")?;
    let name_raw = src_text(name_expr, text).to_string();
    let name = ctx.fresh().eval(name_expr, text, 0).into_resolved();

    let (scope, resource_type, mode, content) = if let Some(scope) = azurerm_scope(rtype) {
        let mode = attr("deployment_mode")
            .map(|e| Located {
                value: ctx.fresh().eval(e, text, 0).into_resolved(),
                span: span_of_expr(e),
            })
            .or_else(|| provider_mode(scope, header));
        let content = match attr("template_content") {
            None => Content::Empty,
            Some(e) => template_content(ctx, Src::Hcl(e, text), span_of_expr(e), text),
        };
        let rt = Located {
            value: DEPLOYMENTS.to_string(),
            span: header,
        };
        (scope, rt, mode, content)
    } else if rtype == "azapi_resource" {
        let t = attr("type")?;
        let tv = ctx.fresh().eval(t, text, 0).into_resolved();
        let type_name = strip_api_version(&tv.known_prefix()).to_string();
        let is_deployment = type_name.eq_ignore_ascii_case(DEPLOYMENTS);
        if !is_deployment && !mentions_pid(&name_raw, &name) {
            return None;
        }
        let scope = match attr("parent_id") {
            Some(p) => azapi_scope(
                src_text(p, text),
                &ctx.fresh().eval(p, text, 0).into_resolved(),
            ),
            None => Scope::ResourceGroup,
        };
        let rt = Located {
            value: if type_name.is_empty() {
                src_text(t, text).to_string()
            } else {
                type_name
            },
            span: span_of_expr(t),
        };
        let (mode, content) = match attr("body") {
            Some(body) if is_deployment => {
                azapi_body(ctx, Src::Hcl(body, text), span_of_expr(body), text)
            }
            _ if is_deployment => (None, Content::Empty),
            _ => (None, Content::Unknown),
        };
        (scope, rt, mode, content)
    } else {
        return None;
    };
    if !mentions_pid(&name_raw, &name) {
        return None;
    }
    let condition = [("count", true), ("for_each", false)]
        .iter()
        .find_map(|&(k, is_count)| {
            let e = attr(k)?;
            Some(Condition {
                span: span_of_expr(e),
                text: src_text(e, text).to_string(),
                default_value: condition_from(&ctx.fresh().eval(e, text, 0), is_count),
            })
        });
    Some(Deployment {
        form: Form::TerraformResource,
        name_raw,
        name,
        name_span: span_of_expr(name_expr),
        resource_type: Some(resource_type),
        nested: false,
        scope,
        mode,
        has_location: attr("location").is_some(),
        condition,
        content,
        span: header,
    })
}

// ---------------------------------------------------------------------------------------------
// Deployment bodies: navigating objects written in HCL, in `.tf.json`, or as JSON strings.

/// Span of a value when it is written in this file, else `fallback`.
fn src_span(s: Src, text: &str, fallback: Span) -> Span {
    match s {
        Src::Hcl(e, t) if std::ptr::eq(t, text) => range_span(text, e.span(), fallback),
        Src::Json(n, t) if std::ptr::eq(t, text) => span_of(text, n.span.start, n.span.end),
        _ => fallback,
    }
}

/// Look through `var.x` / `local.x` and `jsonencode(…)` to an object, and return its `key`.
fn obj_get<'a>(ctx: &Ctx<'a>, s: Src<'a>, key: &str) -> Option<Src<'a>> {
    let mut s = s;
    for _ in 0..8 {
        if let Src::Hcl(e, t) = s {
            s = ctx.deref(e, t);
        }
        match s {
            Src::Hcl(Expression::FuncCall(f), t)
                if f.name.name.as_str() == "jsonencode" && f.args.len() == 1 =>
            {
                s = Src::Hcl(f.args.iter().next()?, t);
            }
            Src::Hcl(Expression::Parenthesis(p), t) => s = Src::Hcl(p.inner(), t),
            Src::Hcl(Expression::Object(o), t) => {
                // The last item with this key: a repeated key's last value wins, as in Terraform.
                return o.iter().filter_map(|(k, v)| {
                    let matches = match k {
                        ObjectKey::Ident(i) => i.as_str() == key,
                        ObjectKey::Expression(Expression::String(s)) => s.value() == key,
                        ObjectKey::Expression(e) => {
                            matches!(ctx.eval(e, t, 0), V::Str(Resolved::Known(s)) if s == key)
                        }
                    };
                    matches.then_some(Src::Hcl(v.expr(), t))
                }).last();
            }
            Src::Json(n, t) => {
                return match &n.value {
                    J::Object(_) => n.get_exact(key).map(|v| Src::Json(v, t)),
                    _ => None,
                }
            }
            _ => return None,
        }
    }
    None
}

/// A body given as a JSON string (heredoc, `file(…)` is unknown): parse what is known.
fn as_json_string(ctx: &Ctx, s: Src) -> Option<Option<Node>> {
    let v = ctx.fresh().eval_src(s, 0);
    let text = match v {
        V::Str(Resolved::Known(t)) => t,
        V::Str(Resolved::Partial(parts)) => parts
            .iter()
            .map(|p| match p {
                crate::model::Part::Lit(s) => s.as_str(),
                crate::model::Part::Opaque { .. } => "0",
            })
            .collect(),
        _ => return None,
    };
    Some(json::parse(&text).ok().map(|p| p.root))
}

fn resources_content(ctx: &Ctx, resources: Option<Src>, fallback: Span, text: &str) -> Content {
    let Some(r) = resources else {
        return Content::Empty;
    };
    let span = src_span(r, text, fallback);
    match ctx.fresh().eval_src(r, 0) {
        V::List(l) if l.is_empty() => Content::Empty,
        V::Map(m) if m.is_empty() => Content::Empty,
        V::List(_) | V::Map(_) => Content::Resources(span),
        _ => Content::Unknown,
    }
}

fn json_resources_content(n: &Node, span: Span) -> Content {
    match n.get_exact("resources").map(|r| &r.value) {
        None => Content::Empty,
        Some(J::Array(a)) if a.is_empty() => Content::Empty,
        Some(J::Object(o)) if o.is_empty() => Content::Empty,
        Some(J::Array(_) | J::Object(_)) => Content::Resources(span),
        Some(_) => Content::Unknown,
    }
}

/// What an ARM template given as `template_content` (or azapi `properties.template`) deploys.
fn template_content(ctx: &Ctx, s: Src, span: Span, text: &str) -> Content {
    let direct = obj_get(ctx, s, "resources");
    if direct.is_some() {
        return resources_content(ctx, direct, span, text);
    }
    // An object without `resources`, written out in HCL or JSON.
    let resolved = match s {
        Src::Hcl(e, t) => ctx.deref(e, t),
        j => j,
    };
    let is_object = match resolved {
        Src::Hcl(Expression::Object(_), _) => true,
        Src::Hcl(Expression::FuncCall(f), _) => {
            f.name.name.as_str() == "jsonencode"
                && matches!(f.args.iter().next(), Some(Expression::Object(_)))
        }
        Src::Json(n, _) => matches!(n.value, J::Object(_)),
        _ => false,
    };
    if is_object {
        return Content::Empty;
    }
    match as_json_string(ctx, s) {
        Some(Some(n)) => json_resources_content(&n, span),
        _ => Content::Unknown,
    }
}

/// `mode` and content of an azapi deployment `body`.
fn azapi_body(
    ctx: &Ctx,
    body: Src,
    span: Span,
    text: &str,
) -> (Option<Located<Resolved>>, Content) {
    if let Some(props) = obj_get(ctx, body, "properties") {
        let mode = obj_get(ctx, props, "mode").map(|m| Located {
            value: ctx.fresh().eval_src(m, 0).into_resolved(),
            span: src_span(m, text, span),
        });
        let content = if let Some(l) = obj_get(ctx, props, "templateLink") {
            Content::Linked(src_span(l, text, span))
        } else if let Some(t) = obj_get(ctx, props, "template") {
            template_content(ctx, t, src_span(t, text, span), text)
        } else {
            Content::Empty
        };
        return (mode, content);
    }
    // A body given as a JSON string.
    match as_json_string(ctx, body) {
        Some(Some(n)) => match n.get_exact("properties") {
            Some(p) => {
                let mode = p.get_exact("mode").map(|m| Located {
                    value: match &m.value {
                        J::String(s) => Resolved::Known(s.to_string()),
                        _ => Resolved::Unknown("not a string".to_string()),
                    },
                    span,
                });
                let content = if p.get_exact("templateLink").is_some() {
                    Content::Linked(span)
                } else {
                    match p.get_exact("template") {
                        Some(t) => json_resources_content(t, span),
                        None => Content::Empty,
                    }
                };
                (mode, content)
            }
            None => (None, Content::Empty),
        },
        _ => (None, Content::Unknown),
    }
}

// ---------------------------------------------------------------------------------------------
// .tf.json

/// Span of the key `"name"` written just before byte offset `before`.
fn key_span(text: &str, name: &str, before: usize, fallback: Span) -> Span {
    let quoted = format!("\"{name}\"");
    match text.get(..before).and_then(|t| t.rfind(&quoted)) {
        Some(i) => span_of(text, i, i + quoted.len()),
        None => fallback,
    }
}

fn read_json(ctx: &Ctx, root: &Node, text: &str, sf: &mut SourceFile) {
    let root_span = span_of(text, root.span.start, root.span.start);
    for (name, v) in json_section(root, "provider") {
        if !matches!(name, "azurerm" | "azapi") {
            continue;
        }
        for p in objs(v) {
            let header = key_span(text, name, p.span.start, root_span);
            let alias = p.get_exact("alias").map(|a| match ctx.fresh().eval_json(a, 0) {
                V::Str(Resolved::Known(s)) => s,
                _ => text.get(a.span.start..a.span.end).unwrap_or("").to_string(),
            });
            let partner_id = p.get_exact("partner_id").map(|n| PartnerId {
                raw: text.get(n.span.start..n.span.end).unwrap_or("").to_string(),
                value: ctx.fresh().eval_json(n, 0).into_resolved(),
                span: span_of(text, n.span.start, n.span.end),
            });
            sf.providers.push(Provider {
                name: name.to_string(),
                alias,
                span: header,
                partner_id,
            });
        }
    }
    for (_, v) in json_section(root, "module") {
        for m in objs(v) {
            let source = m.get_exact("source").and_then(|n| match ctx.fresh().eval_json(n, 0) {
                V::Str(Resolved::Known(s)) => Some(s),
                _ => None,
            });
            if let Some(source) = source {
                let folder = local_module(&sf.path, &source);
                sf.modules.push(ModuleCall { source, folder, span: span_of(text, m.span.start, m.span.start) });
            }
        }
    }
    for (rtype, v) in json_section(root, "resource") {
        for named in objs(v) {
            for (_, r) in named.entries() {
                for r in objs(r) {
                    let header = key_span(text, rtype, r.span.start, root_span);
                    sf.resources.push(Located { value: rtype.to_string(), span: header });
                    if let Some(d) = json_deployment(ctx, r, rtype, text, header) {
                        sf.deployments.push(d);
                    }
                }
            }
        }
    }
}

fn json_deployment(
    ctx: &Ctx,
    r: &Node,
    rtype: &str,
    text: &str,
    header: Span,
) -> Option<Deployment> {
    let raw = |n: &Node| text.get(n.span.start..n.span.end).unwrap_or("").to_string();
    let sp = |n: &Node| span_of(text, n.span.start, n.span.end);
    let name_node = r.get_exact("name")?;
    let name_raw = raw(name_node);
    let name = ctx.fresh().eval_json(name_node, 0).into_resolved();
    let (scope, resource_type, mode, content) = if let Some(scope) = azurerm_scope(rtype) {
        let mode = r
            .get_exact("deployment_mode")
            .map(|m| Located {
                value: ctx.fresh().eval_json(m, 0).into_resolved(),
                span: sp(m),
            })
            .or_else(|| provider_mode(scope, header));
        let content = match r.get_exact("template_content") {
            None => Content::Empty,
            Some(c) => template_content(ctx, Src::Json(c, text), sp(c), text),
        };
        let rt = Located {
            value: DEPLOYMENTS.to_string(),
            span: header,
        };
        (scope, rt, mode, content)
    } else if rtype == "azapi_resource" {
        let t = r.get_exact("type")?;
        let tv = ctx.fresh().eval_json(t, 0).into_resolved();
        let type_name = strip_api_version(&tv.known_prefix()).to_string();
        let is_deployment = type_name.eq_ignore_ascii_case(DEPLOYMENTS);
        if !is_deployment && !mentions_pid(&name_raw, &name) {
            return None;
        }
        let scope = match r.get_exact("parent_id") {
            Some(p) => azapi_scope(&raw(p), &ctx.fresh().eval_json(p, 0).into_resolved()),
            None => Scope::ResourceGroup,
        };
        let rt = Located {
            value: if type_name.is_empty() {
                raw(t)
            } else {
                type_name
            },
            span: sp(t),
        };
        let (mode, content) = match r.get_exact("body") {
            Some(b) if is_deployment => azapi_body(ctx, Src::Json(b, text), sp(b), text),
            _ if is_deployment => (None, Content::Empty),
            _ => (None, Content::Unknown),
        };
        (scope, rt, mode, content)
    } else {
        return None;
    };
    if !mentions_pid(&name_raw, &name) {
        return None;
    }
    let condition = [("count", true), ("for_each", false)]
        .iter()
        .find_map(|&(k, is_count)| {
            let n = r.get_exact(k)?;
            Some(Condition {
                span: sp(n),
                text: raw(n),
                default_value: condition_from(&ctx.fresh().eval_json(n, 0), is_count),
            })
        });
    Some(Deployment {
        form: Form::TerraformResource,
        name_raw,
        name,
        name_span: sp(name_node),
        resource_type: Some(resource_type),
        nested: false,
        scope,
        mode,
        has_location: r.get_exact("location").is_some(),
        condition,
        content,
        span: header,
    })
}

/// The Terraform [`crate::sources::Reader`]: a folder (module) at a time, `.tf` and `.tf.json`
/// with the folder's `.tfvars` files.
pub struct TerraformReader;

const TAG_TF: u8 = 0;
const TAG_TFVARS: u8 = 1;

impl crate::sources::Reader for TerraformReader {
    fn claims(&self, _rel: &str, lower: &str) -> Option<u8> {
        if lower.ends_with(".tf.json") || lower.ends_with(".tf") {
            Some(TAG_TF)
        } else if lower.ends_with(".tfvars") || lower.ends_with(".tfvars.json") {
            Some(TAG_TFVARS)
        } else {
            None
        }
    }
    fn enabled(&self, sources: &crate::options::settings::Sources) -> bool {
        sources.terraform
    }
    fn unit(&self) -> crate::sources::Unit {
        crate::sources::Unit::Folder
    }
    fn read(&self, inputs: &[crate::sources::Input], cx: &mut crate::sources::ReadCx) -> Vec<SourceFile> {
        let mut texts: Vec<(String, String, bool)> = Vec::new();
        for input in inputs {
            let Some(bytes) = cx.read(input) else { continue };
            let Some(text) = cx.text(input, &bytes) else { continue };
            texts.push((input.rel.to_string(), text.into_owned(), input.tag == TAG_TFVARS));
        }
        let tf: Vec<TfInput> = texts.iter().filter(|t| !t.2).map(|t| TfInput { path: &t.0, text: &t.1 }).collect();
        let vars: Vec<TfInput> = texts.iter().filter(|t| t.2).map(|t| TfInput { path: &t.0, text: &t.1 }).collect();
        if tf.is_empty() {
            return Vec::new();
        }
        let mut out = Vec::new();
        for mut f in read_module(&tf, &vars) {
            if let Some(t) = texts.iter().find(|t| t.0 == f.path) {
                crate::sources::finish(&mut f, &t.1);
            }
            if !f.providers.is_empty() || !f.deployments.is_empty() || !f.errors.is_empty() || !f.user_agents.is_empty() || !f.resources.is_empty() || !f.modules.is_empty() {
                out.push(f);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests;
