use super::{Code, Context, Mode, Rule, Sink, Via};
use crate::report::Severity;
use crate::tracking::Class;

pub static RULE: Rule = Rule {
    code: Code::CUA116,
    name: "guid-not-partner-center",
    severity: Severity::Warning,
    applies_to: "ARM, Bicep (--mode marketplace)",
    summary: "A Marketplace template carries a raw `pid-<GUID>` where the Partner Center ID is expected.",
    why: "Azure Application offers are attributed through the tracking ID Partner Center shows on each plan's Technical configuration page (`pid-<GUID>-partnercenter`). A self-registered GUID in a Marketplace template is usually a leftover.",
    example: "\"name\": \"pid-8d1a1e1b-1f2c-4d3e-9a4b-5c6d7e8f9a0b\"",
    example_lang: "json",
    fix: "Use the plan's Partner Center tracking ID (`pid-<GUID>-partnercenter`).",
    autofix: None,
    check,
};

fn check(cx: &Context, out: &mut Sink) {
    if cx.mode != Mode::Marketplace {
        return;
    }
    for u in &cx.ids {
        let Class::Valid(id) = &u.class else { continue };
        if id.partner_center || !matches!(u.via, Via::Deployment(_)) {
            continue;
        }
        let message = format!("{} is a raw GUID ID; Marketplace plans are attributed through their Partner Center ID (pid-<GUID>-partnercenter)", super::quote(&id.id));
        if let Some(x) = out.emit(&RULE, &cx.files[u.file], u.span, message) {
            x.help = Some("use the tracking ID shown on the plan's Technical configuration page in Partner Center".into());
        }
    }
}
