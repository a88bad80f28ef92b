use super::{Code, Context, Mode, Rule, Sink};
use crate::model::{Kind, Resolved, Scope};
use crate::report::Severity;
use crate::fix::snippets;
use crate::fix::edit::{apply, article, free_key, insert_at, items, json_str, parse, reindent};
use crate::fix::{Fix, FixCx, Stage, MSG_REGISTER_ONE};
use crate::model::Role;
use crate::sources::json::Value;

pub static RULE: Rule = Rule {
    code: Code::CUA101,
    name: "missing-tracking",
    severity: Severity::Error,
    applies_to: "ARM, Bicep",
    summary: "A main template has no tracking deployment.",
    why: "Azure attributes a customer's usage to a partner only when the main template deploys a `Microsoft.Resources/deployments` resource named with the partner's tracking ID. Without it the partner silently gets no credit.",
    example: "{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n  \"contentVersion\": \"1.0.0.0\",\n  \"resources\": [\n    { \"type\": \"Microsoft.Storage/storageAccounts\", \"apiVersion\": \"2023-01-01\", \"name\": \"data\", \"location\": \"westeurope\", \"kind\": \"StorageV2\", \"sku\": { \"name\": \"Standard_LRS\" } }\n  ]\n}",
    example_lang: "json",
    fix: "Add an empty deployment named `pid-<your GUID>` to the main template's `resources` (`cua-check fix --write` does it when exactly one ID is registered; `cua-check new-id` prints the snippet).",
    autofix: Some(&FIX),
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
    for f in cx.untracked_mains() {
        let file = &cx.files[f];
        // A Bicep file that declares no resource and no module (only metadata, or types,
        // functions and variables for others to import) deploys nothing to attribute.
        if file.kind == Kind::Bicep && file.errors.is_empty() && file.resources.is_empty() && file.deployments.is_empty() && file.references.is_empty() {
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
            Kind::Arm | Kind::Terraform | Kind::Code => (
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

static FIX: Fix = Fix {
    help: "adds the tracking deployment to the main template's \"resources\" (only when exactly one ID is registered: --registered, --registry or a registry file)",
    stage: Stage::Rewrite { order: 2, apply: fix },
    // A main template that could not be parsed only has CUA001; it still needs tracking, and
    // the fix says why it cannot be edited.
    also_when: Some(|f| f.kind == Kind::Arm && f.role == Role::Main && !f.errors.is_empty()),
};

fn fix(cx: &mut FixCx, text: &mut String) -> Result<(), String> {
    if cx.file.role != Role::Main {
        return Ok(());
    }
    match cx.single {
        None => cx.unfixed.push(MSG_REGISTER_ONE.to_string()),
        Some(id) => {
            let parsed = parse(text)?;
            let scope = cx.file.scope.unwrap_or(Scope::ResourceGroup);
            let snippet = reindent(&snippets::arm_resource(id, scope), &cx.style.unit);
            let root = &parsed.root;
            let edit = match root.get("resources") {
                Some(r) if matches!(r.value, Value::Array(_)) => Some(insert_at(text, r, 0, &snippet, cx.style)),
                Some(r) if matches!(r.value, Value::Object(_)) => {
                    let key = free_key(r, "partnerTracking");
                    Some(insert_at(text, r, 0, &format!("{}: {snippet}", json_str(&key)), cx.style))
                }
                Some(r) => {
                    cx.unfixed.push(format!("CUA101 not fixed: \"resources\" is {} {}, not an array", article(r.kind_name()), r.kind_name()));
                    None
                }
                None => {
                    let item = format!("\"resources\": [\n{}\n]", snippet.split('\n').map(|l| format!("{}{l}", cx.style.unit)).collect::<Vec<_>>().join("\n"));
                    Some(insert_at(text, root, items(root).len(), &item, cx.style))
                }
            };
            if let Some(e) = edit {
                *text = apply(text, vec![e])?;
                cx.notes.push(format!("added the tracking deployment \"{id}\" to the top-level \"resources\" (CUA101)"));
            }
        }
    }
    Ok(())
}
