use super::{Code, Context, Rule, Sink};
use crate::report::Severity;
use crate::tracking::Class;

pub static RULE: Rule = Rule {
    code: Code::CUA115,
    name: "misplaced-prefix",
    severity: Severity::Warning,
    applies_to: "ARM, Bicep, Terraform",
    summary: "`pid-<GUID>` appears inside a deployment name but not at its start.",
    why: "Attribution only recognises names that start with `pid-`. `deploy-pid-<GUID>` is not attributed.",
    example: "\"name\": \"[concat(parameters('prefix'), '-pid-8d1a1e1b-1f2c-4d3e-9a4b-5c6d7e8f9a0b')]\"",
    example_lang: "json",
    fix: "Start the name with `pid-<GUID>`; put any other text after the GUID.",
    autofix: None,
    check,
};

fn check(cx: &Context, out: &mut Sink) {
    for u in &cx.ids {
        if let Class::Misplaced(id) = &u.class {
            let message = format!("{} contains {} but does not start with it, so it is not attributed", super::quote(&u.raw), super::quote(&id.id));
            if let Some(x) = out.emit(&RULE, &cx.files[u.file], u.span, message) {
                x.help = Some(format!("start the name with {}", id.id));
            }
        }
    }
}
