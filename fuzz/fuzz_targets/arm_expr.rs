//! The ARM expression evaluator, reached through its public path: the input is a JSON string
//! value placed in a template as a deployment name, a variable, a parameter default, a
//! condition and a mode, then the template is read (which evaluates all of them).
#![no_main]
use libfuzzer_sys::fuzz_target;

const SCHEMA: &str = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // `[` + input + `]` makes most inputs an expression; the raw input covers literals and `[[`.
    for value in [format!("[{text}]"), text.to_string()] {
        let s = serde_json::to_string(&value).unwrap();
        let t = format!(
            r#"{{"$schema":"{SCHEMA}","contentVersion":"1.0.0.0","parameters":{{"p":{{"type":"string","defaultValue":{s}}},"o":{{"type":"object","defaultValue":{{"a":{s}}}}}}},"variables":{{"v":{s},"w":"[concat(variables('v'), parameters('p'), parameters('o').a)]"}},"resources":[{{"type":"Microsoft.Resources/deployments","apiVersion":"2021-04-01","name":{s},"condition":{s},"properties":{{"mode":{s},"template":{{"$schema":"{SCHEMA}","contentVersion":"1.0.0.0","resources":[]}}}}}},{{"type":"Microsoft.Resources/deployments","apiVersion":"2021-04-01","name":"[variables('w')]","properties":{{"mode":"Incremental","template":{{"$schema":"{SCHEMA}","contentVersion":"1.0.0.0","resources":[]}}}}}}]}}"#
        );
        let _ = cua_check::sources::arm::template::read("azuredeploy.json", &t, true);
    }
});
