use super::{Code, is_attempt, Context, Rule, Sink};
use crate::model::{Form, Resolved};
use crate::report::Severity;
use crate::fix::edit::{find_resource, insert_at, items, reindent, Edit};
use crate::fix::{Fix, FixCx, Point, Stage};
use crate::sources::json::Value;

pub static RULE: Rule = Rule {
    code: Code::CUA107,
    name: "not-incremental",
    severity: Severity::Error,
    applies_to: "ARM, Bicep (resource form), Terraform",
    summary: "The tracking deployment's mode is not `Incremental`.",
    why: "A deployment without a mode is rejected by Azure, and an empty template deployed in `Complete` mode deletes every resource in the resource group that it does not list: all of them.",
    example: "\"properties\": { \"mode\": \"Complete\", \"template\": { \"resources\": [] } }",
    example_lang: "json",
    fix: "Set `properties.mode` to `Incremental` (`cua-check fix --write` does it).",
    autofix: Some(&FIX),
    check,
};

fn check(cx: &Context, out: &mut Sink) {
    for (f, file) in cx.files.iter().enumerate() {
        for (d, c) in cx.deployments(f) {
            if !is_attempt(c) || d.form == Form::BicepModule {
                continue;
            }
            if d.resource_type.as_ref().is_some_and(|t| !t.value.eq_ignore_ascii_case(crate::model::DEPLOYMENTS)) {
                continue; // CUA106
            }
            let (span, message) = match &d.mode {
                None => (d.span, format!("tracking deployment {} has no mode; Azure rejects a deployment without one", super::quote(&d.name_raw))),
                Some(m) => match &m.value {
                    Resolved::Known(v) if v.eq_ignore_ascii_case("incremental") => continue,
                    Resolved::Known(v) => (
                        m.span,
                        if v.eq_ignore_ascii_case("complete") {
                            format!("tracking deployment {} uses mode `Complete`: an empty template in Complete mode deletes every other resource in the resource group", super::quote(&d.name_raw))
                        } else {
                            format!("tracking deployment {} uses mode {}; it must be `Incremental`", super::quote(&d.name_raw), super::quote(v))
                        },
                    ),
                    _ => continue,
                },
            };
            if let Some(x) = out.emit(&RULE, file, span, message) {
                x.help = Some("set the mode to \"Incremental\"".into());
            }
        }
    }
}

static FIX: Fix = Fix {
    help: "sets the tracking deployment's mode to \"Incremental\"",
    stage: Stage::Point(fix),
    also_when: None,
};

fn fix(cx: &mut FixCx, p: &mut Point) {
    let d = p.deployment;
    match &d.mode {
        Some(m) if cx.at.contains(&(m.span.line, m.span.column)) => {
            p.edits.push(Edit { start: m.span.start, end: m.span.end, text: "\"Incremental\"".into() });
            cx.notes.push(format!("set the mode of {} to \"Incremental\" (CUA107)", p.name));
        }
        None if cx.at.contains(&(d.span.line, d.span.column)) => {
            let Some(found) = find_resource(&p.parsed.root, d.name_span.start) else { return };
            match found.object.member("properties") {
                Some(props) if matches!(props.value.value, Value::Object(_)) => {
                    p.edits.push(insert_at(p.text, &props.value, 0, "\"mode\": \"Incremental\"", cx.style));
                }
                Some(_) => {
                    cx.unfixed.push(format!("CUA107 not fixed: the \"properties\" of {} is not an object; set \"mode\": \"Incremental\" by hand", p.name));
                    return;
                }
                None => {
                    let k = items(found.object).len();
                    let item = reindent("\"properties\": {\n  \"mode\": \"Incremental\"\n}", &cx.style.unit);
                    p.edits.push(insert_at(p.text, found.object, k, &item, cx.style));
                }
            }
            cx.notes.push(format!("added \"mode\": \"Incremental\" to {} (CUA107)", p.name));
        }
        _ => {}
    }
}
