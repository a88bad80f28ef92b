//! The JSON report lists tracking entries from every language with kind, line and column.

mod common;
use common::*;

#[test]
fn report_lists_bicep_terraform_and_code_tracking() {
    let t = TempTree::new("languages");
    t.write("cua.json", format!("{{ \"id\": \"pid-{GUID}\" }}\n"));
    t.write(
        "infra/main.bicep",
        "var ids = json(loadTextContent('../cua.json'))\n\nmodule partnerTracking './empty.bicep' = {\n  name: ids.id\n}\n",
    );
    t.write("infra/empty.bicep", "targetScope = 'resourceGroup'\n");
    t.write(
        "tf/providers.tf",
        format!("variable \"partner_id\" {{\n  default = \"{GUID}\"\n}}\n\nprovider \"azurerm\" {{\n  features {{}}\n  partner_id = var.partner_id\n}}\n\nprovider \"azapi\" {{\n  partner_id = var.partner_id\n}}\n"),
    );
    t.write("scripts/deploy.py", format!("from azure.identity import DefaultAzureCredential\n\nclient.add_user_agent(\"pid-{GUID}\")\n"));
    let (code, r) = report(t.path(), &[".", "--registered", GUID]);
    assert_eq!(code, 0, "{r}");
    let entry = |path: &str| -> (String, Vec<(u64, u64, String)>) {
        let f = r["files"].as_array().unwrap().iter().find(|f| f["path"] == path).unwrap_or_else(|| panic!("{path}: {r}"));
        let list = f["tracking"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                assert_eq!(t["id"], format!("pid-{GUID}"));
                assert_eq!(t["registered"], true);
                (t["line"].as_u64().unwrap(), t["column"].as_u64().unwrap(), t["via"].as_str().unwrap().to_string())
            })
            .collect();
        (f["kind"].as_str().unwrap().to_string(), list)
    };
    assert_eq!(entry("infra/main.bicep"), ("bicep".into(), vec![(4, 9, "module".into())]));
    let (kind, tf) = entry("tf/providers.tf");
    assert_eq!(kind, "terraform");
    assert_eq!(tf, vec![(7, 16, "provider:azurerm".into()), (11, 16, "provider:azapi".into())]);
    assert_eq!(entry("scripts/deploy.py"), ("code".into(), vec![(3, 23, "user-agent:add_user_agent".into())]));
    // --sources narrows what is read
    let (_, r) = report(t.path(), &[".", "--sources", "terraform"]);
    let paths: Vec<&str> = r["files"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert_eq!(paths, vec!["tf/providers.tf"]);
}
