use super::{Code, Context, Rule, Sink};
use crate::report::Severity;
use crate::tracking::Class;

pub static RULE: Rule = Rule {
    code: Code::CUA103,
    name: "malformed-id",
    severity: Severity::Error,
    applies_to: "ARM, Bicep, Terraform, code",
    summary: "`pid-` is followed by an attempt at a GUID that is not a valid GUID.",
    why: "Partner Center matches the GUID exactly. A GUID with a digit missing, an extra digit or a letter outside 0-9/a-f is never matched, so no usage is attributed. An attempt is a GUID-shaped value (hex groups separated by dashes, even with a typo) or, at any length, a value made only of hex digits and dashes, such as `pid-1234` or `pid-eb7927c8-dd66`. `pid-` followed by words, such as `pid-auto-scaling-start`, is an ordinary deployment name and not checked; but a word made only of the letters a-f (`pid-cafe`, `pid-deadbeef`) is taken for an attempt.",
    example: "\"name\": \"pid-4f8d2c1a-9b3e-4a7d-8c6f-1e2d3c4b5a6\"",
    example_lang: "json",
    fix: "Copy the GUID again from Partner Center; it is 32 hex digits grouped 8-4-4-4-12. If the name is not meant as a tracking ID, rename the deployment so that it does not start with `pid-`.",
    autofix: None,
    check,
};

fn check(cx: &Context, out: &mut Sink) {
    for u in &cx.ids {
        let (class, run) = u.value_class();
        if let Class::Malformed { text, why } = class {
            let message = format!("{} is not a valid tracking ID: {why}{}", super::quote(text), super::set_by(run));
            if let Some(f) = out.emit(&RULE, &cx.files[u.file], u.span, message) {
                f.help = Some("copy the GUID again from Partner Center (8-4-4-4-12 hex digits)".into());
            }
        }
    }
}
