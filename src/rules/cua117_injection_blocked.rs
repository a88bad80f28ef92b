use super::{Code, Context, Mode, Rule, Sink};
use crate::report::Severity;

pub static RULE: Rule = Rule {
    code: Code::CUA117,
    name: "injection-blocked",
    severity: Severity::Error,
    applies_to: "ARM (--mode marketplace)",
    summary: "A Marketplace main template has no tracking ID and uses Microsoft.Resources/deployments for other work, so Partner Center cannot add one.",
    why: "At publish time Partner Center adds the plan's tracking ID to a main template, but only when the template does not already use `Microsoft.Resources/deployments` resources. A template that does must carry the ID itself, or its usage is never attributed.",
    example: "\"resources\": [\n  { \"type\": \"Microsoft.Resources/deployments\", \"apiVersion\": \"2021-04-01\", \"name\": \"network\",\n    \"properties\": { \"mode\": \"Incremental\", \"templateLink\": { \"relativePath\": \"nested/network.json\" } } }\n]",
    example_lang: "json",
    fix: "Add an empty deployment named with the Partner Center tracking ID shown on the plan's Technical configuration page (`pid-<GUID>-partnercenter`).",
    autofix: None,
    check,
};

fn check(cx: &Context, out: &mut Sink) {
    if cx.mode != Mode::Marketplace {
        return;
    }
    for f in cx.untracked_mains() {
        let file = &cx.files[f];
        if let Some(d) = cx.other_deployment(f) {
            let message = format!(
                "main template has no tracking deployment, and because it already deploys {} (line {}) Partner Center cannot add one at publish",
                super::quote(&d.name_raw),
                d.name_span.line
            );
            if let Some(finding) = out.emit(&RULE, file, file.anchor, message) {
                finding.help = Some("add an empty deployment named with the plan's Partner Center tracking ID (pid-<GUID>-partnercenter)".into());
                finding.snippet = Some(crate::fix::snippets::arm_resource(
                    &super::cua101_missing_tracking::suggested_id(cx),
                    file.scope.unwrap_or(crate::model::Scope::ResourceGroup),
                ));
            }
        }
    }
}
