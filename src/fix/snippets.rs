//! Ready-to-paste tracking snippets for each channel, used by fix suggestions, the PR comment
//! and `cua-check new-id`. `id` is a full tracking ID such as `pid-<guid>`.

use crate::model::Scope;

/// An empty ARM tracking deployment resource (goes into `resources`).
pub fn arm_resource(id: &str, scope: Scope) -> String {
    let location = if scope.needs_location() { "\n  \"location\": \"[deployment().location]\"," } else { "" };
    format!(
        r#"{{
  "type": "Microsoft.Resources/deployments",
  "apiVersion": "2021-04-01",
  "name": "{id}",{location}
  "properties": {{
    "mode": "Incremental",
    "template": {{
      "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
      "contentVersion": "1.0.0.0",
      "resources": []
    }}
  }}
}}"#
    )
}

/// A Bicep tracking deployment as a resource (works at every scope).
pub fn bicep_resource(id: &str, scope: Scope) -> String {
    let location = if scope.needs_location() { "\n  location: deployment().location" } else { "" };
    format!(
        "resource partnerTracking 'Microsoft.Resources/deployments@2021-04-01' = {{\n  name: '{id}'{location}\n  properties: {{\n    mode: 'Incremental'\n    template: {{\n      '$schema': 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#'\n      contentVersion: '1.0.0.0'\n      resources: []\n    }}\n  }}\n}}"
    )
}

/// A Bicep tracking deployment as a module pointing at an empty Bicep file.
pub fn bicep_module(id: &str) -> String {
    format!("// empty.bicep holds only a targetScope line and no resources\nmodule partnerTracking './empty.bicep' = {{\n  name: '{id}'\n}}")
}

/// Terraform provider blocks carrying the ID (azapi takes the bare GUID).
pub fn terraform(id: &str) -> String {
    let guid = id.strip_prefix("pid-").unwrap_or(id);
    let guid = guid.strip_suffix("-partnercenter").unwrap_or(guid);
    format!(
        "provider \"azurerm\" {{\n  features {{}}\n  partner_id = \"{guid}\"\n}}\n\nprovider \"azapi\" {{\n  partner_id = \"{guid}\"\n}}"
    )
}

/// A user-agent string for SDKs and the Azure CLI.
pub fn user_agent(id: &str) -> String {
    format!("export AZURE_HTTP_USER_AGENT='{id}'")
}
