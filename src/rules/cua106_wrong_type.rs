use super::{Code, Context, Rule, Sink};
use crate::report::Severity;
use crate::tracking::Class;

pub static RULE: Rule = Rule {
    code: Code::CUA106,
    name: "wrong-type",
    severity: Severity::Error,
    applies_to: "ARM, Bicep",
    summary: "A resource is named with a tracking ID but is not of type `Microsoft.Resources/deployments`.",
    why: "Attribution looks for a deployment with the tracking name. A storage account or tag named `pid-…` is just a resource; nothing is attributed.",
    example: "{ \"type\": \"Microsoft.Storage/storageAccounts\", \"name\": \"pid-8d1a1e1b-1f2c-4d3e-9a4b-5c6d7e8f9a0b\" }",
    example_lang: "json",
    fix: "Give that resource its own name and add a separate, empty `Microsoft.Resources/deployments` resource with the tracking name.",
    autofix: None,
    check,
};

fn check(cx: &Context, out: &mut Sink) {
    for (f, file) in cx.files.iter().enumerate() {
        for (d, c) in cx.deployments(f) {
            let Some(t) = &d.resource_type else { continue };
            if t.value.eq_ignore_ascii_case(crate::model::DEPLOYMENTS) {
                continue;
            }
            if matches!(c, Class::Valid(_) | Class::Malformed { .. } | Class::Placeholder { .. }) {
                let message = format!(
                    "{} is named with a tracking ID but its type is {}: only a Microsoft.Resources/deployments resource is attributed",
                    super::quote(&d.name_raw),
                    super::quote(&t.value)
                );
                if let Some(x) = out.emit(&RULE, file, t.span, message) {
                    x.help = Some("add a separate empty Microsoft.Resources/deployments resource with this name".into());
                }
            }
        }
    }
}
