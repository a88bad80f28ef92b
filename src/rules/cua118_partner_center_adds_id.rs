use super::{Code, Context, Mode, Rule, Sink};
use crate::report::Severity;

pub static RULE: Rule = Rule {
    code: Code::CUA118,
    name: "partner-center-adds-id",
    severity: Severity::Notice,
    applies_to: "ARM (--mode marketplace)",
    summary: "A Marketplace main template has no tracking ID, which is fine: Partner Center adds it at publish.",
    why: "For Azure Application offers, Partner Center adds the plan's tracking deployment to the main template when it is uploaded, as long as the template uses no `Microsoft.Resources/deployments` of its own.",
    example: "\"resources\": [ { \"type\": \"Microsoft.Storage/storageAccounts\", \"apiVersion\": \"2023-01-01\", \"name\": \"data\" } ]",
    example_lang: "json",
    fix: "Nothing to do. If you later add nested or linked deployments, add the Partner Center tracking ID yourself (see CUA117).",
    autofix: None,
    check,
};

fn check(cx: &Context, out: &mut Sink) {
    if cx.mode != Mode::Marketplace {
        return;
    }
    for f in cx.untracked_mains() {
        let file = &cx.files[f];
        if cx.other_deployment(f).is_none() {
            out.emit(
                &RULE,
                file,
                file.anchor,
                "no tracking deployment here; Partner Center adds the plan's tracking ID when this template is published".into(),
            );
        }
    }
}
