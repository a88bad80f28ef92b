use super::{Code, Context, Rule, Sink};
use crate::report::Severity;
use crate::tracking::Class;

pub static RULE: Rule = Rule {
    code: Code::CUA105,
    name: "placeholder-id",
    severity: Severity::Error,
    applies_to: "ARM, Bicep, Terraform, code",
    summary: "The tracking ID is a placeholder: the nil GUID, `XXXXXXXX-…`, a documentation sample, or an unresolved build token.",
    why: "Placeholders are copied from samples or left by a build step that did not run; they never match a registered GUID, so nothing is attributed.",
    example: "\"name\": \"pid-${PARTNER_GUID}\"",
    example_lang: "json",
    fix: "Replace the placeholder with the GUID registered in Partner Center, or make sure the build step that substitutes it runs before release.",
    autofix: None,
    check,
};

fn check(cx: &Context, out: &mut Sink) {
    for u in &cx.ids {
        let (class, run) = u.value_class();
        if let Class::Placeholder { text, why } = class {
            let message = format!("{} is a placeholder, not a real tracking ID: {why}{}", super::quote(text), super::set_by(run));
            if let Some(f) = out.emit(&RULE, &cx.files[u.file], u.span, message) {
                f.help = Some(format!("use your registered ID, e.g. {}", super::cua101_missing_tracking::suggested_id(cx)));
            }
        }
    }
}
