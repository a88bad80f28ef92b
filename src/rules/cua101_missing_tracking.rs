use super::{Context, Mode, Rule, Sink};
use crate::model::{Kind, Resolved, Scope};
use crate::report::Severity;
use crate::fix::snippets;

pub static RULE: Rule = Rule {
    code: "CUA101",
    name: "missing-tracking",
    severity: Severity::Error,
    applies_to: "ARM, Bicep",
    summary: "A main template has no tracking deployment.",
    why: "Azure attributes a customer's usage to a partner only when the main template deploys a `Microsoft.Resources/deployments` resource named with the partner's tracking ID. Without it the partner silently gets no credit.",
    example: "{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n  \"contentVersion\": \"1.0.0.0\",\n  \"resources\": [\n    { \"type\": \"Microsoft.Storage/storageAccounts\", \"apiVersion\": \"2023-01-01\", \"name\": \"data\", \"location\": \"westeurope\", \"kind\": \"StorageV2\", \"sku\": { \"name\": \"Standard_LRS\" } }\n  ]\n}",
    example_lang: "json",
    fix: "Add an empty deployment named `pid-<your GUID>` to the main template's `resources` (`cua-check fix --write` does it when exactly one ID is registered; `cua-check new-id` prints the snippet).",
    check,
};

/// The ID to put in a suggested snippet: the only registered one, or a placeholder to replace.
pub(crate) fn suggested_id(cx: &Context) -> String {
    match cx.registry.single() {
        Some(e) => e.id.id.clone(),
        None => "pid-<your-registered-GUID>".to_string(),
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for f in cx.mains() {
        let file = &cx.files[f];
        if cx.tracked_anywhere(f) {
            continue;
        }
        if cx.mode == Mode::Marketplace {
            continue; // CUA117 or CUA118 speak for marketplace packages
        }
        let scope = file.scope.unwrap_or(Scope::ResourceGroup);
        let unresolved = file.deployments.iter().filter(|d| !d.nested && matches!(d.name, Resolved::Unknown(_))).count();
        let mut message = "main template has no tracking deployment: Azure cannot attribute this solution's usage to you".to_string();
        if unresolved > 0 {
            message.push_str(&format!(
                " ({unresolved} deployment name{} could not be resolved statically; if one of them is the tracking ID, write it as a literal or a variable)",
                if unresolved == 1 { "" } else { "s" }
            ));
        }
        let id = suggested_id(cx);
        let (help, snippet) = match file.kind {
            Kind::Bicep => (
                format!("add a deployment named '{id}' to this file (a resource of type Microsoft.Resources/deployments, or a module of an empty file)"),
                snippets::bicep_resource(&id, scope),
            ),
            _ => (
                format!("add an empty Microsoft.Resources/deployments resource named \"{id}\" to \"resources\""),
                snippets::arm_resource(&id, scope),
            ),
        };
        if let Some(finding) = out.emit(&RULE, file, file.anchor, message) {
            finding.help = Some(help);
            finding.snippet = Some(snippet);
        }
    }
}
