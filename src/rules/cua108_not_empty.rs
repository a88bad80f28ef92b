use super::{Code, is_attempt, Context, Rule, Sink};
use crate::model::Content;
use crate::report::Severity;

pub static RULE: Rule = Rule {
    code: Code::CUA108,
    name: "not-empty",
    severity: Severity::Warning,
    applies_to: "ARM, Bicep",
    summary: "The tracking deployment deploys resources or links a template.",
    why: "The documented tracking deployment is empty. A working deployment renamed to `pid-…` mixes tracking with real work: renaming or removing either later breaks the other, and nested resources in it are not what is attributed.",
    example: "{ \"type\": \"Microsoft.Resources/deployments\", \"name\": \"pid-8d1a1e1b-1f2c-4d3e-9a4b-5c6d7e8f9a0b\",\n  \"properties\": { \"mode\": \"Incremental\", \"templateLink\": { \"relativePath\": \"app.json\" } } }",
    example_lang: "json",
    fix: "Give the working deployment its own name and add a separate empty tracking deployment.",
    autofix: None,
    check,
};

fn check(cx: &Context, out: &mut Sink) {
    for (f, file) in cx.files.iter().enumerate() {
        for (d, c) in cx.deployments(f) {
            if !is_attempt(c) {
                continue;
            }
            let (span, what) = match &d.content {
                Content::Resources(s) => (*s, "deploys resources"),
                Content::Linked(s) => (*s, "links a template that deploys resources"),
                _ => continue,
            };
            let message = format!("tracking deployment {} {what}; a tracking deployment should be empty", super::quote(&d.name_raw));
            if let Some(x) = out.emit(&RULE, file, span, message) {
                x.help = Some("keep the real work in a deployment of its own and make the tracking deployment's template empty".into());
            }
        }
    }
}
