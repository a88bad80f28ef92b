use super::{Code, is_attempt, Context, Rule, Sink};
use crate::report::Severity;

pub static RULE: Rule = Rule {
    code: Code::CUA111,
    name: "conditional",
    severity: Severity::Notice,
    applies_to: "ARM, Bicep, Terraform",
    summary: "The tracking deployment has a condition (a warning when the default values turn tracking off).",
    why: "A condition lets customers opt out of tracking, which is legitimate. When the condition is false with default parameter values, tracking is off unless someone turns it on: most deployments are then never attributed.",
    example: "\"condition\": \"[equals(parameters('enableTelemetry'), 'Yes')]\"   // with \"defaultValue\": \"No\"",
    example_lang: "json",
    fix: "Make tracking on by default (e.g. default `enableTelemetry` to true), or remove the condition.",
    autofix: None,
    check,
};

fn check(cx: &Context, out: &mut Sink) {
    for (f, file) in cx.files.iter().enumerate() {
        // Another tracking deployment of the file that is on with the default values (no
        // condition, or one that is not false by default).
        let on_by_default = |this: &crate::model::Deployment| {
            cx.deployments(f).any(|(o, oc)| !std::ptr::eq(o, this) && is_attempt(oc) && o.condition.as_ref().is_none_or(|c| c.default_value != Some(false)))
        };
        for (d, c) in cx.deployments(f) {
            let Some(cond) = &d.condition else { continue };
            if !is_attempt(c) {
                continue;
            }
            let text = super::quote(&cond.text);
            if cond.default_value == Some(false) && on_by_default(d) {
                // A second ID for one feature (a network design, a tier), next to the file's
                // own tracking that is on: the feature is off by default, not tracking.
                let message = format!("tracking deployment {} is off with the default parameter values (the condition {text} is false); the file's other tracking deployment is on", super::quote(&d.name_raw));
                out.emit(&RULE, file, cond.span, message);
            } else if cond.default_value == Some(false) {
                let message = format!("tracking is off by default: the condition {text} is false with the default parameter values");
                if let Some(x) = out.emit_at(&RULE, Severity::Warning, file, cond.span, message) {
                    x.help = Some("change the parameter's default so that tracking is on unless the customer opts out".into());
                }
            } else {
                let message = format!("tracking deployment {} is conditional on {text}; deployments where it is false are not attributed", super::quote(&d.name_raw));
                out.emit(&RULE, file, cond.span, message);
            }
        }
    }
}
