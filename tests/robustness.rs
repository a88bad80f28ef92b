//! Bad input gets a clear finding and the rest of the tree is still checked.

mod common;
use common::*;

fn tracked_tree(name: &str) -> TempTree {
    let t = TempTree::new(name);
    let dep = format!(
        r#"    {{ "type": "Microsoft.Resources/deployments", "apiVersion": "2021-04-01", "name": "pid-{GUID}",
      "properties": {{ "mode": "Incremental", "template": {{ "resources": [] }} }} }}"#
    );
    t.write("good/azuredeploy.json", template(&dep));
    t
}

fn good_still_checked(r: &serde_json::Value) {
    let good = r["files"].as_array().unwrap().iter().find(|f| f["path"] == "good/azuredeploy.json").expect("good file checked");
    assert_eq!(good["tracking"][0]["id"], format!("pid-{GUID}"));
}

fn finding<'a>(r: &'a serde_json::Value, rule: &str, path: &str) -> &'a serde_json::Value {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == rule && f["path"] == path)
        .unwrap_or_else(|| panic!("no {rule} on {path}: {r}"))
}

#[test]
fn malformed_json_is_a_finding_with_its_position() {
    let t = tracked_tree("malformed");
    t.write("bad/azuredeploy.json", "{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n  \"resources\": [ { \"type\": 1, } \n");
    let (code, r) = report(t.path(), &["."]);
    assert_eq!(code, 1);
    let f = finding(&r, "CUA001", "bad/azuredeploy.json");
    assert!(f["message"].as_str().unwrap().starts_with("not valid JSON"), "{f}");
    assert_eq!(f["line"], 4, "{f}");
    good_still_checked(&r);
}

#[test]
fn not_utf8_and_empty_files_are_findings() {
    let t = tracked_tree("encoding");
    t.write("latin1/azuredeploy.json", b"{ \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\", \"x\": \"caf\xe9\" }");
    t.write("empty/azuredeploy.json", b"");
    let (_, r) = report(t.path(), &["."]);
    assert!(finding(&r, "CUA001", "latin1/azuredeploy.json")["message"].as_str().unwrap().contains("not valid UTF-8"));
    assert!(finding(&r, "CUA001", "empty/azuredeploy.json")["message"].as_str().unwrap().contains("empty"));
    good_still_checked(&r);
}

#[test]
fn utf16_with_bom_is_read() {
    let t = TempTree::new("utf16");
    let text = template(&format!(r#"{{ "type": "Microsoft.Resources/deployments", "apiVersion": "2021-04-01", "name": "pid-{GUID}", "properties": {{ "mode": "Incremental", "template": {{ "resources": [] }} }} }}"#));
    let mut bytes = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    t.write("azuredeploy.json", bytes);
    let (code, r) = report(t.path(), &["."]);
    assert_eq!(code, 0, "{r}");
}

#[test]
fn deep_nesting_is_a_finding_not_a_crash() {
    let t = tracked_tree("deep");
    let deep = format!(
        "{{\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\", \"resources\": [], \"x\": {}{}}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    t.write("deep/azuredeploy.json", &deep);
    t.write("deeper/azuredeploy.json", "[".repeat(100_000));
    let (_, r) = report(t.path(), &["."]);
    assert!(finding(&r, "CUA001", "deep/azuredeploy.json")["message"].as_str().unwrap().contains("nested deeper than"));
    assert!(finding(&r, "CUA001", "deeper/azuredeploy.json")["message"].as_str().unwrap().contains("nested deeper than"));
    good_still_checked(&r);
}

#[test]
fn a_50_mb_template_is_skipped_with_a_finding_or_read_when_allowed() {
    let t = tracked_tree("big");
    let filler: String = (0..900_000).map(|i| format!("    \"p{i}\": \"value number {i} padding padding padding\",\n")).collect();
    assert!(filler.len() > 50_000_000);
    let big = format!(
        "{{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n  \"variables\": {{\n{filler}    \"last\": 1\n  }},\n  \"resources\": []\n}}\n"
    );
    t.write("big/azuredeploy.json", &big);
    let (_, r) = report(t.path(), &["."]);
    let f = finding(&r, "CUA002", "big/azuredeploy.json");
    assert!(f["message"].as_str().unwrap().contains("--max-file-size"), "{f}");
    good_still_checked(&r);
    // with a higher limit it is read, and judged like any other main template
    let (_, r) = report(t.path(), &[".", "--max-file-size", "64MiB"]);
    finding(&r, "CUA101", "big/azuredeploy.json");
    good_still_checked(&r);
}

#[cfg(unix)]
#[test]
fn links_out_of_the_root_and_loops_are_not_followed() {
    let t = tracked_tree("links");
    let outside = TempTree::new("outside");
    outside.write("azuredeploy.json", template(""));
    std::os::unix::fs::symlink(outside.path(), t.path().join("escape")).unwrap();
    std::os::unix::fs::symlink(t.path().join("good"), t.path().join("good/loop")).unwrap();
    std::os::unix::fs::symlink(t.path().join("missing"), t.path().join("dangling")).unwrap();
    let (_, r) = report(t.path(), &["."]);
    assert!(finding(&r, "CUA004", "escape")["message"].as_str().unwrap().contains("outside"));
    assert!(finding(&r, "CUA004", "good/loop")["message"].as_str().unwrap().contains("loop"));
    finding(&r, "CUA004", "dangling");
    assert!(!r["files"].as_array().unwrap().iter().any(|f| f["path"].as_str().unwrap().starts_with("escape/")));
    good_still_checked(&r);
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_a_finding() {
    use std::os::unix::fs::PermissionsExt;
    let t = tracked_tree("unreadable");
    let p = t.write("locked/azuredeploy.json", template(""));
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&p).is_ok() {
        eprintln!("skipping: running as root, permissions do not stop reads");
        return;
    }
    let (_, r) = report(t.path(), &["."]);
    finding(&r, "CUA001", "locked/azuredeploy.json");
    good_still_checked(&r);
}

#[test]
fn binary_files_and_odd_names_do_not_break_the_run() {
    let t = tracked_tree("odd");
    t.write("bin/data.json", [0u8, 159, 146, 150, 0, 0, 1, 2]);
    t.write("odd name, with: colon %25/azuredeploy.json", template(""));
    #[cfg(unix)]
    t.write("new\nline/azuredeploy.json", template(""));
    let (_, r) = report(t.path(), &["."]);
    finding(&r, "CUA101", "odd name, with: colon %25/azuredeploy.json");
    #[cfg(unix)]
    finding(&r, "CUA101", "new\nline/azuredeploy.json");
    good_still_checked(&r);
}

/// Most JSON in a big repository is judged from its first bytes; what can be a template is
/// still read whole, wherever its `$schema` is.
#[test]
fn json_is_judged_from_its_first_bytes_without_missing_templates() {
    let t = tracked_tree("sniff");
    let untracked = r#"{ "type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "sa" }"#;
    // A linked-style template whose $schema comes after 8 KiB of parameters: still read.
    let params: Vec<String> = (0..200).map(|i| format!(r#""p{i}": {{ "type": "string", "defaultValue": "value number {i}" }}"#)).collect();
    t.write(
        "late/nested.json",
        format!(
            "{{\n  \"contentVersion\": \"1.0.0.0\",\n  \"parameters\": {{ {} }},\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n  \"resources\": [ {untracked}, {{ \"type\": \"Microsoft.Resources/deployments\", \"name\": \"pid-1234\", \"properties\": {{ \"mode\": \"Incremental\", \"template\": {{ \"resources\": [] }} }} }} ]\n}}\n",
            params.join(",\n    ")
        ),
    );
    // An API example (parameters are plain values) that mentions a template schema: not a
    // template, so not reported even though it is broken further on.
    let mut example = String::from(r#"{ "parameters": { "subscriptionId": "00000000", "api-version": "2023-01-01" }, "responses": { "200": { "body": ["#);
    for i in 0..500 {
        example.push_str(&format!(r#"{{ "id": "{i}", "schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#" }},"#));
    }
    example.push_str(" broken");
    t.write("specification/examples/get.json", &example);
    // A parameters file: not a template.
    t.write("good/azuredeploy.parameters.json", r#"{ "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "parameters": { "p": { "value": "pid-1234" } } }"#);
    let (_, r) = report(t.path(), &["."]);
    good_still_checked(&r);
    let paths: Vec<&str> = r["files"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert!(paths.contains(&"late/nested.json"), "{paths:?}");
    assert!(!paths.iter().any(|p| p.contains("examples") || p.contains("parameters")), "{paths:?}");
    // The late template's short ID is found (CUA103), at its line (after 200 parameter lines).
    let f = finding(&r, "CUA103", "late/nested.json");
    assert_eq!(f["line"], 204, "{f}");
    assert!(!r["findings"].as_array().unwrap().iter().any(|f| f["path"].as_str().unwrap().contains("examples")), "{r}");
}

/// Array and object variables are read when a name refers to them (the template parse leaves
/// them unbuilt until then): tracking IDs through them resolve, in the root template and in
/// nested ones, next to a big array no name refers to; a variable built with a copy loop is
/// still not evaluated.
#[test]
fn tracking_ids_through_array_and_object_variables_resolve() {
    let t = TempTree::new("variables");
    let big: Vec<String> = (0..50_000).map(|i| i.to_string()).collect();
    let dep = |name: &str, body: &str| {
        format!(r#"{{ "type": "Microsoft.Resources/deployments", "apiVersion": "2021-04-01", "name": "{name}", "properties": {{ "mode": "Incremental", "template": {body} }} }}"#)
    };
    let empty = r#"{ "resources": [] }"#;
    // A nested template with its own variables (inner scope), deployed by a resource whose
    // type comes after its properties.
    let inner = format!(
        r#"{{ "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "variables": {{ "t": {{ "ids": [ "x", "pid-{GUID}" ] }} }}, "resources": [ {} ] }}"#,
        dep("[variables('t').ids[1]]", empty)
    );
    let resources = [
        dep("[variables('ids').pid]", empty),
        dep("[variables('arr')[1]]", empty),
        dep("[concat('pid-', variables('looped').x)]", empty),
        format!(
            r#"{{ "name": "outer", "apiVersion": "2021-04-01", "properties": {{ "mode": "Incremental", "expressionEvaluationOptions": {{ "scope": "inner" }}, "template": {inner} }}, "type": "Microsoft.Resources/deployments" }}"#
        ),
    ];
    let text = format!(
        r#"{{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "variables": {{
    "big": [ {} ],
    "ids": {{ "pid": "pid-{GUID}", "other": [ 7, 2 ] }},
    "arr": [ "unused", "[concat('pid-', variables('ids').other[0], '{}')]" ],
    "looped": {{ "copy": [ {{ "name": "x", "count": 2, "input": "pid-{GUID}" }} ] }}
  }},
  "resources": [
    {}
  ]
}}
"#,
        big.join(", "),
        &GUID[1..],
        resources.join(",\n    ")
    );
    t.write("azuredeploy.json", &text);
    let (_, r) = report(t.path(), &["."]);
    let f = r["files"].as_array().unwrap().iter().find(|f| f["path"] == "azuredeploy.json").expect("checked");
    let ids: Vec<(&str, &serde_json::Value, bool)> = f["tracking"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["name"].as_str().unwrap(), &d["id"], d["nested"].as_bool().unwrap()))
        .collect();
    let id = |s: &str| serde_json::Value::String(s.to_string());
    assert_eq!(
        ids,
        [
            ("[variables('ids').pid]", &id(&format!("pid-{GUID}")), false),
            ("[variables('arr')[1]]", &id(&format!("pid-{GUID}")), false),
            ("[concat('pid-', variables('looped').x)]", &serde_json::Value::Null, false),
            ("[variables('t').ids[1]]", &id(&format!("pid-{GUID}")), true),
        ],
        "{f}"
    );
    // The copy-loop one is reported as known only at deployment.
    let dynamic = finding(&r, "CUA114", "azuredeploy.json");
    assert!(dynamic["message"].as_str().unwrap().contains("variables('looped')"), "{dynamic}");
}

/// Broken JSON inside a variable is reported where it is, as anywhere else in a template.
#[test]
fn malformed_json_inside_a_variable_is_a_finding_with_its_position() {
    let t = tracked_tree("badvariable");
    let text = "{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n  \"variables\": {\n    \"ok\": [ 1, 2 ],\n    \"arr\": [ 1, 2 3 ],\n    \"obj\": { \"a\": [] }\n  },\n  \"resources\": []\n}\n";
    t.write("bad/azuredeploy.json", text);
    let (code, r) = report(t.path(), &["."]);
    assert_eq!(code, 1);
    let f = finding(&r, "CUA001", "bad/azuredeploy.json");
    let full = cua_check::sources::json::parse(text).unwrap_err();
    assert_eq!(f["message"], format!("not valid JSON: {}", full.message), "{f}");
    assert_eq!((&f["line"], &f["column"]), (&5.into(), &19.into()), "{f}");
    good_still_checked(&r);
}
