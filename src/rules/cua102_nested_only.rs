use super::{Code, is_attempt, Context, Rule, Sink};
use crate::model::{Kind, Scope};
use crate::report::Severity;
use crate::fix::snippets;
use crate::fix::edit::{apply, free_key, insert_at, json_str, line_indent, parse, relative, remove_at, starts_line, find_resource};
use crate::fix::{Fix, FixCx, Stage};
use crate::model::Resolved;
use crate::sources::arm::template;
use crate::sources::json::Value;

pub static RULE: Rule = Rule {
    code: Code::CUA102,
    name: "nested-only",
    severity: Severity::Error,
    applies_to: "ARM, Bicep",
    summary: "The tracking deployment is only in a nested or linked template, not in the main template.",
    why: "Only a tracking deployment in the main template itself is counted. One inside a nested inline template, a linked template or a Bicep module's file is deployed, but the usage is not attributed.",
    example: "\"resources\": [{\n  \"type\": \"Microsoft.Resources/deployments\", \"apiVersion\": \"2021-04-01\", \"name\": \"app\",\n  \"properties\": { \"mode\": \"Incremental\", \"template\": { \"resources\": [\n    { \"type\": \"Microsoft.Resources/deployments\", \"apiVersion\": \"2021-04-01\", \"name\": \"pid-8d1a1e1b-1f2c-4d3e-9a4b-5c6d7e8f9a0b\",\n      \"properties\": { \"mode\": \"Incremental\", \"template\": { \"resources\": [] } } }\n  ] } }\n}]",
    example_lang: "json",
    fix: "Move the tracking deployment up into the main template's top-level `resources` (`cua-check fix --write` does it).",
    autofix: Some(&FIX),
    check,
};

/// Where a main template's tracking lives below it: (file index, deployment index), searching
/// its own nested templates first, then linked templates and modules, transitively.
pub(crate) fn tracked_below(cx: &Context, f: usize) -> Option<(usize, usize)> {
    if let Some(d) = cx.deployments(f).position(|(d, c)| d.nested && is_attempt(c)) {
        return Some((f, d));
    }
    // The files reached so far (a set, not a flag per file of the tree: this runs per main).
    let mut seen: std::collections::HashSet<usize> = std::collections::HashSet::from([f]);
    let mut stack = cx.links[f].clone();
    while let Some(g) = stack.pop() {
        if !seen.insert(g) {
            continue;
        }
        if let Some(d) = cx.deployments(g).position(|(_, c)| is_attempt(c)) {
            return Some((g, d));
        }
        stack.extend(cx.links[g].iter().copied());
    }
    None
}

fn check(cx: &Context, out: &mut Sink) {
    for f in cx.mains() {
        if cx.has_top_level_tracking(f) {
            continue;
        }
        let Some((g, d)) = tracked_below(cx, f) else { continue };
        let file = &cx.files[f];
        let dep = &cx.files[g].deployments[d];
        let where_ = if g == f {
            format!("inside a nested template at line {}", dep.name_span.line)
        } else {
            format!("only in {} (line {}), which this template deploys", super::quote(&cx.files[g].path), dep.name_span.line)
        };
        let message = format!(
            "the tracking deployment {} is {where_}: only one in the main template itself is counted",
            super::quote(&dep.name_raw)
        );
        let id = match &cx.classes[g][d] {
            crate::tracking::Class::Valid(t) => t.id.clone(),
            _ => super::cua101_missing_tracking::suggested_id(cx),
        };
        let scope = file.scope.unwrap_or(Scope::ResourceGroup);
        let snippet = match file.kind {
            Kind::Bicep => snippets::bicep_resource(&id, scope),
            Kind::Arm | Kind::Terraform | Kind::Code => snippets::arm_resource(&id, scope),
        };
        if let Some(finding) = out.emit(&RULE, file, file.anchor, message) {
            finding.help = Some("move the tracking deployment to the main template's top-level resources".into());
            finding.snippet = Some(snippet);
        }
        // Point at the nested copy as well, so the annotation lands on the line to move.
        if g == f {
            let span = dep.name_span;
            out.emit(&RULE, file, span, "this tracking deployment is nested: it is deployed, but its usage is not attributed".into());
        }
    }
}

static FIX: Fix = Fix {
    help: "moves a nested tracking deployment to the main template's top-level \"resources\"",
    stage: Stage::Rewrite { order: 1, apply: fix },
    also_when: None,
};

fn fix(cx: &mut FixCx, text: &mut String) -> Result<(), String> {
    let facts = template::read(&cx.file.path, text, true).ok_or("internal error: the template could not be read again after the first edits")?;
    let nested = facts.deployments.iter().find(|d| d.nested && is_attempt(&crate::tracking::classify(&d.name)));
    match nested {
        None => cx.unfixed.push(
            "CUA102 not fixed: the tracking deployment is in a linked template, not in this file; copy it into this template's top-level \"resources\" by hand".into(),
        ),
        Some(d) if !matches!(d.name, Resolved::Known(_)) => cx.unfixed.push(format!(
            "CUA102 not fixed: the name of the nested tracking deployment {} (line {}) cannot be resolved statically; move it to the top-level \"resources\" by hand",
            json_str(&d.name_raw),
            d.name_span.line
        )),
        Some(d) => {
            let parsed = parse(text)?;
            let found = find_resource(&parsed.root, d.name_span.start);
            let top = parsed.root.get("resources");
            match (found, top) {
                (Some(found), Some(top)) if matches!(top.value, Value::Array(_) | Value::Object(_)) => {
                    let obj_text = &text[found.object.span.start..found.object.span.end];
                    // The closing brace's line tells the object's own indentation best.
                    let close = found.object.span.end - 1;
                    let base = if starts_line(text, close) { line_indent(text, close) } else { line_indent(text, found.object.span.start) };
                    let item = relative(obj_text, base);
                    let item = match &top.value {
                        Value::Object(_) => {
                            let key = free_key(top, found.key.unwrap_or("partnerTracking"));
                            format!("{}: {item}", json_str(&key))
                        }
                        _ => item,
                    };
                    let remove = remove_at(text, found.container, found.index);
                    let insert = insert_at(text, top, 0, &item, cx.style);
                    if insert.start > remove.start && insert.start < remove.end {
                        cx.unfixed.push("CUA102 not fixed: the nested tracking deployment could not be moved safely; move it by hand".into());
                    } else {
                        *text = apply(text, vec![remove, insert])?;
                        cx.notes.push(format!(
                            "moved the tracking deployment {} from a nested template (line {}) to the top-level \"resources\" (CUA102)",
                            json_str(&d.name.display()),
                            d.name_span.line
                        ));
                    }
                }
                _ => cx.unfixed.push("CUA102 not fixed: the template has no top-level \"resources\" to move the tracking deployment to".into()),
            }
        }
    }
    Ok(())
}
