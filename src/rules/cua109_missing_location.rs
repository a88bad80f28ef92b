use super::{Code, is_attempt, Context, Rule, Sink};
use crate::model::Form;
use crate::report::Severity;

pub static RULE: Rule = Rule {
    code: Code::CUA109,
    name: "missing-location",
    severity: Severity::Error,
    applies_to: "ARM, Bicep (resource form), Terraform",
    summary: "A tracking deployment at subscription, management-group or tenant scope has no `location`.",
    why: "Deployments above resource-group scope store their metadata in a region and fail without a `location`; the whole solution deployment then fails.",
    example: "\"$schema\": \"https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#\",\n...\n{ \"type\": \"Microsoft.Resources/deployments\", \"name\": \"pid-8d1a1e1b-1f2c-4d3e-9a4b-5c6d7e8f9a0b\", \"properties\": { \"mode\": \"Incremental\", \"template\": { \"resources\": [] } } }",
    example_lang: "json",
    fix: "Add `\"location\": \"[deployment().location]\"` to the tracking deployment.",
    autofix: None,
    check,
};

fn check(cx: &Context, out: &mut Sink) {
    for (f, file) in cx.files.iter().enumerate() {
        for (d, c) in cx.deployments(f) {
            if !is_attempt(c) || d.form == Form::BicepModule || !d.scope.needs_location() || d.has_location {
                continue;
            }
            let message = format!(
                "tracking deployment {} at {} scope has no location; the deployment fails without one",
                super::quote(&d.name_raw),
                d.scope.as_str()
            );
            if let Some(x) = out.emit(&RULE, file, d.span, message) {
                x.help = Some(match d.form {
                    Form::BicepResource => "add `location: deployment().location`".into(),
                    Form::TerraformResource => "add `location = \"<region>\"`".into(),
                    _ => "add \"location\": \"[deployment().location]\"".into(),
                });
            }
        }
    }
}
