//! The ARM template reader, including the expression evaluator (names, variables, conditions).
//!
//! The input is used three ways: as a whole template (also as a main template), and as a string
//! placed in a minimal template as a deployment name and as a variable the name refers to, so the
//! evaluator sees arbitrary expressions even when the input is not JSON.
#![no_main]
use libfuzzer_sys::fuzz_target;

const SCHEMA: &str = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";

fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = cua_check::sources::arm::template::read("azuredeploy.json", text, true);
    let _ = cua_check::sources::arm::template::read("nested/linked.json", text, false);

    let s = json_string(text);
    let as_name = format!(
        r#"{{"$schema":"{SCHEMA}","contentVersion":"1.0.0.0","parameters":{{"p":{{"type":"string","defaultValue":{s}}}}},"variables":{{"v":{s}}},"resources":[{{"type":"Microsoft.Resources/deployments","apiVersion":"2021-04-01","name":{s},"condition":{s},"properties":{{"mode":{s},"template":{{"$schema":"{SCHEMA}","contentVersion":"1.0.0.0","resources":[]}}}}}}]}}"#
    );
    let _ = cua_check::sources::arm::template::read("azuredeploy.json", &as_name, true);
    let via_variable = format!(
        r#"{{"$schema":"{SCHEMA}","contentVersion":"1.0.0.0","variables":{{"v":{s},"w":"[variables('v')]"}},"resources":[{{"type":"Microsoft.Resources/deployments","apiVersion":"2021-04-01","name":"[concat(variables('w'), parameters('p'))]","properties":{{"mode":"Incremental","template":{{"$schema":"{SCHEMA}","contentVersion":"1.0.0.0","resources":[]}}}}}}],"parameters":{{"p":{{"type":"string","defaultValue":"[variables('v')]"}}}}}}"#
    );
    let _ = cua_check::sources::arm::template::read("mainTemplate.json", &via_variable, true);
});
