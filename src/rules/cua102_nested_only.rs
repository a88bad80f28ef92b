use super::{is_attempt, Context, Rule, Sink};
use crate::model::{Kind, Scope};
use crate::report::Severity;
use crate::fix::snippets;

pub static RULE: Rule = Rule {
    code: "CUA102",
    name: "nested-only",
    severity: Severity::Error,
    applies_to: "ARM, Bicep",
    summary: "The tracking deployment is only in a nested or linked template, not in the main template.",
    why: "Only a tracking deployment in the main template itself is counted. One inside a nested inline template, a linked template or a Bicep module's file is deployed, but the usage is not attributed.",
    example: "\"resources\": [{\n  \"type\": \"Microsoft.Resources/deployments\", \"apiVersion\": \"2021-04-01\", \"name\": \"app\",\n  \"properties\": { \"mode\": \"Incremental\", \"template\": { \"resources\": [\n    { \"type\": \"Microsoft.Resources/deployments\", \"apiVersion\": \"2021-04-01\", \"name\": \"pid-8d1a1e1b-1f2c-4d3e-9a4b-5c6d7e8f9a0b\",\n      \"properties\": { \"mode\": \"Incremental\", \"template\": { \"resources\": [] } } }\n  ] } }\n}]",
    example_lang: "json",
    fix: "Move the tracking deployment up into the main template's top-level `resources` (`cua-check fix --write` does it).",
    check,
};

/// Where a main template's tracking lives below it: (file index, deployment index), searching
/// its own nested templates first, then linked templates and modules, transitively.
pub(crate) fn tracked_below(cx: &Context, f: usize) -> Option<(usize, usize)> {
    if let Some(d) = cx.deployments(f).position(|(d, c)| d.nested && is_attempt(c)) {
        return Some((f, d));
    }
    let mut seen = vec![false; cx.files.len()];
    let mut stack = cx.links[f].clone();
    seen[f] = true;
    while let Some(g) = stack.pop() {
        if std::mem::replace(&mut seen[g], true) {
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
            _ => snippets::arm_resource(&id, scope),
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
