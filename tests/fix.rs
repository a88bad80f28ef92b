//! `cua-check fix`: each fix, on templates written with CRLF, a BOM, tabs, 2 and 4 spaces; the
//! diff changes only the intended lines, and `check` afterwards has none of the fixed findings.

mod common;
use common::*;

const SCHEMA: &str = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";
const SUB_SCHEMA: &str = "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#";

fn pid() -> String {
    format!("pid-{GUID}")
}

/// Lines of `a` missing from `b`, counting repeats (line ends included).
fn minus(a: &str, b: &str) -> Vec<String> {
    let mut rest: Vec<&str> = b.split_inclusive('\n').collect();
    let mut out = Vec::new();
    for l in a.split_inclusive('\n') {
        match rest.iter().position(|x| *x == l) {
            Some(i) => {
                rest.remove(i);
            }
            None => out.push(l.to_string()),
        }
    }
    out
}

/// (removed lines, added lines) between two texts.
fn changed(old: &str, new: &str) -> (Vec<String>, Vec<String>) {
    (minus(old, new), minus(new, old))
}

fn rules_of(dir: &std::path::Path, args: &[&str]) -> Vec<String> {
    let mut all = vec!["."];
    all.extend_from_slice(args);
    let (_, r) = report(dir, &all);
    findings(&r).into_iter().map(|(rule, _, _)| rule).collect()
}

fn read(t: &TempTree, rel: &str) -> Vec<u8> {
    std::fs::read(t.path().join(rel)).unwrap()
}

fn text(t: &TempTree, rel: &str) -> String {
    String::from_utf8(read(t, rel)).unwrap()
}

#[test]
fn adds_missing_tracking_keeping_crlf_bom_and_four_spaces() {
    let t = TempTree::new("fix-101");
    let body = format!(
        "{{\r\n    \"$schema\": \"{SCHEMA}\",\r\n    \"contentVersion\": \"1.0.0.0\",\r\n    \"parameters\": {{}},\r\n    \"resources\": [\r\n        {{\r\n            \"type\": \"Microsoft.Storage/storageAccounts\",\r\n            \"apiVersion\": \"2023-01-01\",\r\n            \"name\": \"contosodata\",\r\n            \"location\": \"westeurope\",\r\n            \"kind\": \"StorageV2\",\r\n            \"sku\": {{ \"name\": \"Standard_LRS\" }}\r\n        }}\r\n    ]\r\n}}\r\n"
    );
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(body.as_bytes());
    t.write("azuredeploy.json", &bytes);
    assert!(rules_of(t.path(), &[]).contains(&"CUA101".to_string()));

    // Dry run: a diff on stdout, exit 1, nothing written.
    let r = cua(t.path(), &["fix", "--registered", &pid()]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.starts_with("--- a/azuredeploy.json\n+++ b/azuredeploy.json\n@@ -4,6 +4,19 @@\n"), "{}", r.stdout);
    assert!(r.stdout.contains("\n+            \"type\": \"Microsoft.Resources/deployments\",\r\n"), "diff lines keep CRLF: {:?}", r.stdout);
    assert!(r.stderr.contains("added the tracking deployment"), "{}", r.stderr);
    assert!(r.stderr.contains("run 'cua-check fix --write'"), "{}", r.stderr);
    assert_eq!(read(&t, "azuredeploy.json"), bytes);

    let r = cua(t.path(), &["fix", "--write", "--registered", &pid()]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("fixed azuredeploy.json:"), "{}", r.stdout);
    let after = read(&t, "azuredeploy.json");
    assert!(after.starts_with(&[0xEF, 0xBB, 0xBF]), "the byte order mark is kept");
    let after = String::from_utf8(after[3..].to_vec()).unwrap();
    assert_eq!(after.matches('\n').count(), after.matches("\r\n").count(), "every line end is still CRLF:\n{after:?}");
    assert!(after.ends_with("}\r\n"));
    let (removed, added) = changed(&body, &after);
    assert!(removed.is_empty(), "no line removed: {removed:?}");
    assert_eq!(added.len(), 13, "only the tracking deployment is added: {added:?}");
    assert!(added.contains(&"        {\r\n".to_string()) && added.contains(&"        },\r\n".to_string()), "{added:?}");
    assert!(added.contains(&format!("            \"name\": \"{}\",\r\n", pid())), "{added:?}");
    assert!(added.contains(&"                \"mode\": \"Incremental\",\r\n".to_string()), "four-space steps: {added:?}");
    // It is the first element of "resources".
    let i = after.find(&pid()).unwrap();
    assert!(i < after.find("contosodata").unwrap());
    let rules = rules_of(t.path(), &["--registered", &pid()]);
    // The added deployment is unconditional and there is no README: only the CUA401 warning
    // (no customer notice) and the CUA402 notice (no opt-out) are left.
    assert_eq!(rules, vec!["CUA401".to_string(), "CUA402".to_string()], "{rules:?}");
    // Nothing left to fix: exit 0.
    let r = cua(t.path(), &["fix", "--registered", &pid()]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{}", r.stderr);
    assert!(r.stderr.contains("nothing to fix"));
}

#[test]
fn adds_tracking_to_an_empty_array_at_subscription_scope_with_location() {
    let t = TempTree::new("fix-101-sub");
    let before = format!("{{\n  \"$schema\": \"{SUB_SCHEMA}\",\n  \"contentVersion\": \"1.0.0.0\",\n  \"resources\": []\n}}");
    t.write("mainTemplate.json", &before);
    let r = cua(t.path(), &["fix", "--write", "--registered", &pid()]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let after = text(&t, "mainTemplate.json");
    assert!(!after.ends_with('\n'), "no final newline added");
    assert!(after.contains("\n  \"resources\": [\n    {\n      \"type\": \"Microsoft.Resources/deployments\""), "{after}");
    assert!(after.contains("      \"location\": \"[deployment().location]\",\n"), "{after}");
    assert!(after.contains("\n    }\n  ]\n}"), "{after}");
    let (removed, _) = changed(&before, &after);
    assert_eq!(removed, vec!["  \"resources\": []\n".to_string()]);
    let rules = rules_of(t.path(), &["--registered", &pid()]);
    assert!(!rules.iter().any(|r| r == "CUA101" || r == "CUA109"), "{rules:?}");
}

#[test]
fn adds_a_partner_tracking_member_to_language_version_2_resources() {
    let t = TempTree::new("fix-101-lv2");
    let before = format!(
        "{{\n  \"$schema\": \"{SCHEMA}\",\n  \"languageVersion\": \"2.0\",\n  \"contentVersion\": \"1.0.0.0\",\n  \"resources\": {{\n    \"data\": {{\n      \"type\": \"Microsoft.Storage/storageAccounts\",\n      \"apiVersion\": \"2023-01-01\",\n      \"name\": \"contosodata\",\n      \"location\": \"westeurope\"\n    }}\n  }}\n}}\n"
    );
    t.write("azuredeploy.json", &before);
    let r = cua(t.path(), &["fix", "--write", "--registered", &pid()]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let after = text(&t, "azuredeploy.json");
    assert!(after.contains("  \"resources\": {\n    \"partnerTracking\": {\n      \"type\": \"Microsoft.Resources/deployments\""), "{after}");
    assert!(after.contains("    },\n    \"data\": {"), "{after}");
    let (removed, added) = changed(&before, &after);
    assert!(removed.is_empty() && added.len() == 13, "{removed:?} {added:?}");
    assert!(!rules_of(t.path(), &["--registered", &pid()]).contains(&"CUA101".to_string()));
}

#[test]
fn will_not_guess_which_id_to_add() {
    let t = TempTree::new("fix-101-noid");
    let before = template("    { \"type\": \"Microsoft.Storage/storageAccounts\", \"apiVersion\": \"2023-01-01\", \"name\": \"x\" }");
    t.write("azuredeploy.json", &before);
    for args in [vec!["fix"], vec!["fix", "--write"], vec!["fix", "--registered", &pid(), "--registered", "pid-8d1a1e1b-1f2c-4d3e-9a4b-5c6d7e8f9a0b"]] {
        let r = cua(t.path(), &args);
        assert_eq!(r.code, 1, "{args:?}: {}{}", r.stdout, r.stderr);
        assert_eq!(r.stdout.lines().filter(|l| l.starts_with("+++")).count(), 0, "{}", r.stdout);
        assert!(
            r.stderr.contains("azuredeploy.json: cannot add a tracking deployment: register exactly one ID (--registered) so cua-check knows which one"),
            "{}",
            r.stderr
        );
    }
    assert_eq!(text(&t, "azuredeploy.json"), before);
}

#[test]
fn sets_the_mode_keeping_tabs() {
    let t = TempTree::new("fix-107-tabs");
    let before = format!(
        "{{\n\t\"$schema\": \"{SCHEMA}\",\n\t\"contentVersion\": \"1.0.0.0\",\n\t\"resources\": [\n\t\t{{\n\t\t\t\"type\": \"Microsoft.Resources/deployments\",\n\t\t\t\"apiVersion\": \"2021-04-01\",\n\t\t\t\"name\": \"{}\",\n\t\t\t\"properties\": {{\n\t\t\t\t\"mode\": \"Complete\",\n\t\t\t\t\"template\": {{\n\t\t\t\t\t\"$schema\": \"{SCHEMA}\",\n\t\t\t\t\t\"contentVersion\": \"1.0.0.0\",\n\t\t\t\t\t\"resources\": []\n\t\t\t\t}}\n\t\t\t}}\n\t\t}}\n\t]\n}}\n",
        pid()
    );
    t.write("azuredeploy.json", &before);
    let r = cua(t.path(), &["fix"]);
    assert_eq!(r.code, 1);
    let minus_lines: Vec<&str> = r.stdout.lines().filter(|l| l.starts_with('-') && !l.starts_with("---")).collect();
    let plus_lines: Vec<&str> = r.stdout.lines().filter(|l| l.starts_with('+') && !l.starts_with("+++")).collect();
    assert_eq!(minus_lines, vec!["-\t\t\t\t\"mode\": \"Complete\","], "{}", r.stdout);
    assert_eq!(plus_lines, vec!["+\t\t\t\t\"mode\": \"Incremental\","], "{}", r.stdout);
    // three lines of context on each side
    assert!(r.stdout.contains("@@ -7,7 +7,7 @@\n"), "{}", r.stdout);
    let r = cua(t.path(), &["fix", "--write"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("set the mode of"), "{}", r.stdout);
    let after = text(&t, "azuredeploy.json");
    assert_eq!(after, before.replace("\"Complete\"", "\"Incremental\""));
    assert!(!rules_of(t.path(), &[]).contains(&"CUA107".to_string()));
}

#[test]
fn adds_a_missing_mode_with_two_spaces() {
    let t = TempTree::new("fix-107-add");
    let before = template(&format!(
        "    {{\n      \"type\": \"Microsoft.Resources/deployments\",\n      \"apiVersion\": \"2021-04-01\",\n      \"name\": \"{}\",\n      \"properties\": {{\n        \"template\": {{\n          \"$schema\": \"{SCHEMA}\",\n          \"contentVersion\": \"1.0.0.0\",\n          \"resources\": []\n        }}\n      }}\n    }}",
        pid()
    ));
    t.write("azuredeploy.json", &before);
    assert!(rules_of(t.path(), &[]).contains(&"CUA107".to_string()));
    let r = cua(t.path(), &["fix", "--write"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let after = text(&t, "azuredeploy.json");
    let (removed, added) = changed(&before, &after);
    assert!(removed.is_empty(), "{removed:?}");
    assert_eq!(added, vec!["        \"mode\": \"Incremental\",\n".to_string()]);
    assert!(!rules_of(t.path(), &[]).contains(&"CUA107".to_string()));
}

#[test]
fn lower_cases_an_upper_case_literal_id() {
    let t = TempTree::new("fix-upper");
    let upper = format!("pid-{}", GUID.to_ascii_uppercase());
    let before = template(&format!(
        "    {{\n      \"type\": \"Microsoft.Resources/deployments\",\n      \"apiVersion\": \"2021-04-01\",\n      \"name\": \"{upper}\",\n      \"properties\": {{ \"mode\": \"Incremental\", \"template\": {{ \"resources\": [] }} }}\n    }}"
    ));
    t.write("azuredeploy.json", &before);
    let r = cua(t.path(), &["fix", "--write"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("lower-cased the tracking ID"), "{}", r.stdout);
    let after = text(&t, "azuredeploy.json");
    assert_eq!(after, before.replace(&upper, &pid()));
}

#[test]
fn moves_a_nested_tracking_deployment_to_the_top_level() {
    let t = TempTree::new("fix-102");
    let before = template(&format!(
        "    {{\n      \"type\": \"Microsoft.Storage/storageAccounts\",\n      \"apiVersion\": \"2023-01-01\",\n      \"name\": \"contosodata\"\n    }},\n    {{\n      \"type\": \"Microsoft.Resources/deployments\",\n      \"apiVersion\": \"2021-04-01\",\n      \"name\": \"app\",\n      \"properties\": {{\n        \"mode\": \"Incremental\",\n        \"template\": {{\n          \"$schema\": \"{SCHEMA}\",\n          \"contentVersion\": \"1.0.0.0\",\n          \"resources\": [\n            {{\n              \"type\": \"Microsoft.Web/sites\",\n              \"apiVersion\": \"2022-09-01\",\n              \"name\": \"contosoweb\"\n            }},\n            {{\n              \"type\": \"Microsoft.Resources/deployments\",\n              \"apiVersion\": \"2021-04-01\",\n              \"name\": \"{}\",\n              \"properties\": {{\n                \"mode\": \"Incremental\",\n                \"template\": {{ \"resources\": [] }}\n              }}\n            }}\n          ]\n        }}\n      }}\n    }}",
        pid()
    ));
    t.write("azuredeploy.json", &before);
    let rules = rules_of(t.path(), &[]);
    assert!(rules.contains(&"CUA102".to_string()), "{rules:?}");
    let r = cua(t.path(), &["fix", "--write"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("moved the tracking deployment"), "{}", r.stdout);
    let after = text(&t, "azuredeploy.json");
    let moved = format!(
        "  \"resources\": [\n    {{\n      \"type\": \"Microsoft.Resources/deployments\",\n      \"apiVersion\": \"2021-04-01\",\n      \"name\": \"{}\",\n      \"properties\": {{\n        \"mode\": \"Incremental\",\n        \"template\": {{ \"resources\": [] }}\n      }}\n    }},\n    {{\n      \"type\": \"Microsoft.Storage/storageAccounts\",",
        pid()
    );
    assert!(after.contains(&moved), "{after}");
    // The nested array keeps its other resource and loses the comma.
    assert!(after.contains("              \"name\": \"contosoweb\"\n            }\n          ]"), "{after}");
    // Only moved lines change: every added line is a removed one re-indented (commas aside).
    let (removed, added) = changed(&before, &after);
    let norm = |l: &String| l.trim().trim_end_matches(',').to_string();
    let mut a: Vec<String> = added.iter().map(norm).collect();
    let mut r: Vec<String> = removed.iter().map(norm).collect();
    a.sort();
    r.sort();
    assert_eq!(a, r, "added {added:?}\nremoved {removed:?}");
    let rules = rules_of(t.path(), &[]);
    assert!(!rules.iter().any(|r| r == "CUA101" || r == "CUA102"), "{rules:?}");
}

#[test]
fn fixes_everything_in_one_run_and_leaves_the_rest_alone() {
    // An upper-case nested ID in Complete mode: lower-cased, mode set, then moved.
    let t = TempTree::new("fix-all");
    let upper = format!("pid-{}", GUID.to_ascii_uppercase());
    let before = template(&format!(
        "    {{\n      \"type\": \"Microsoft.Resources/deployments\",\n      \"apiVersion\": \"2021-04-01\",\n      \"name\": \"app\",\n      \"properties\": {{\n        \"mode\": \"Incremental\",\n        \"template\": {{\n          \"resources\": [\n            {{\n              \"type\": \"Microsoft.Resources/deployments\",\n              \"apiVersion\": \"2021-04-01\",\n              \"name\": \"{upper}\",\n              \"properties\": {{ \"mode\": \"Complete\", \"template\": {{ \"resources\": [] }} }}\n            }}\n          ]\n        }}\n      }}\n    }}"
    ));
    t.write("azuredeploy.json", &before);
    t.write("other.json", "{ \"name\": \"not a template\" ");
    let r = cua(t.path(), &["fix", "--write"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let after = text(&t, "azuredeploy.json");
    assert!(after.contains(&format!("  \"resources\": [\n    {{\n      \"type\": \"Microsoft.Resources/deployments\",\n      \"apiVersion\": \"2021-04-01\",\n      \"name\": \"{}\",\n      \"properties\": {{ \"mode\": \"Incremental\", \"template\": {{ \"resources\": [] }} }}\n    }},\n", pid())), "{after}");
    assert!(after.contains("          \"resources\": []\n"), "{after}");
    let rules = rules_of(t.path(), &[]);
    assert!(!rules.iter().any(|r| r == "CUA101" || r == "CUA102" || r == "CUA107"), "{rules:?}");
    assert_eq!(text(&t, "other.json"), "{ \"name\": \"not a template\" ");
}

#[test]
fn an_unparsable_template_is_left_untouched_with_the_reason() {
    let t = TempTree::new("fix-broken");
    let before = format!("{{\n  \"$schema\": \"{SCHEMA}\",\n  \"resources\": [\n    {{ \"type\": \"Microsoft.Storage/storageAccounts\" \"name\": \"x\" }}\n  ]\n}}\n");
    t.write("azuredeploy.json", &before);
    let r = cua(t.path(), &["fix", "--write", "--registered", &pid()]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("azuredeploy.json: not changed: the file is not valid JSON (line 4, column"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("fix it by hand, then run cua-check fix again"), "{}", r.stderr);
    assert_eq!(text(&t, "azuredeploy.json"), before);
}

#[test]
fn fix_help_and_usage_errors() {
    let r = cua(&root(), &["fix", "--help"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("Usage: cua-check fix [PATH] [OPTIONS]") && r.stdout.contains("--write"), "{}", r.stdout);
    let r = cua(&root(), &["fix", "--format", "json"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("unknown option \"--format\" (known options: --write, --registered,") && r.stderr.contains("cua-check fix --help"), "{}", r.stderr);
    let r = cua(&root(), &["help"]);
    assert!(r.stdout.contains("fix [PATH]"), "{}", r.stdout);
}

/// What `fix` leaves unchanged is listed in the files' order, whichever the reason: an ARM
/// template it cannot edit (UTF-16) and Bicep files (edited by hand) come as the check lists them.
#[test]
fn files_left_unchanged_are_listed_in_file_order() {
    let t = TempTree::new("fix-unfixed-order");
    let arm = format!(
        "{{\n  \"$schema\": \"{SCHEMA}\",\n  \"contentVersion\": \"1.0.0.0\",\n  \"resources\": [\n    {{ \"type\": \"Microsoft.Resources/deployments\", \"apiVersion\": \"2021-04-01\", \"name\": \"{}\",\n      \"properties\": {{ \"mode\": \"Complete\", \"template\": {{ \"$schema\": \"{SCHEMA}\", \"contentVersion\": \"1.0.0.0\", \"resources\": [] }} }} }}\n  ]\n}}\n",
        pid()
    );
    let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain(arm.encode_utf16().flat_map(|u| u.to_le_bytes())).collect();
    let bicep = format!(
        "resource t 'Microsoft.Resources/deployments@2021-04-01' = {{\n  name: '{}'\n  properties: {{\n    mode: 'Complete'\n    template: {{\n      '$schema': '{SCHEMA}'\n      contentVersion: '1.0.0.0'\n      resources: []\n    }}\n  }}\n}}\n",
        pid()
    );
    t.write("a/main.bicep", &bicep);
    t.write("b/azuredeploy.json", &utf16);
    t.write("c/main.bicep", &bicep);
    let r = cua(t.path(), &["fix"]);
    let order: Vec<&str> = r.stderr.lines().filter(|l| l.contains(": not changed:")).map(|l| l.split(": not changed:").next().unwrap()).collect();
    let names: Vec<String> = order.iter().map(|p| p.rsplit_once(|c| c == '/').map(|(d, f)| format!("{}/{f}", d.rsplit('/').next().unwrap())).unwrap_or(p.to_string())).collect();
    assert_eq!(names, ["a/main.bicep", "b/azuredeploy.json", "c/main.bicep"], "{}", r.stderr);
}
