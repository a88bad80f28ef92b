//! Real templates from public repositories (`../shared/corpus/arm/`, see its README for
//! provenance). They are read where they are, never copied into the project; the test skips
//! with a message when the folder is absent (a user's fresh clone has no `../shared`).

mod common;
use common::*;
use serde_json::Value;

fn corpus() -> Option<std::path::PathBuf> {
    let dir = root().join("../shared/corpus/arm");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipping: {} is absent (it holds the shared real-world corpus)", dir.display());
        None
    }
}

fn file<'a>(report: &'a Value, path: &str) -> &'a Value {
    report["files"].as_array().unwrap().iter().find(|f| f["path"] == path).unwrap_or_else(|| panic!("{path} not in report"))
}

#[test]
fn finds_tracking_built_with_take_concat_in_a_variable() {
    let Some(dir) = corpus() else { return };
    let (_, r) = report(&dir, &["."]);
    let f = file(&r, "amba-avs-cpu-alert.json");
    let t = &f["tracking"][0];
    assert_eq!(t["id"], "pid-8bb7cf8a-bcf7-4264-abcb-703ace2fc84d", "{f}");
    assert_eq!(t["line"], 186);
    assert_eq!(t["nested"], false);
    assert_eq!(t["conditional"], true);
    // the condition is on by default ('No' opt-out): a notice, not a warning
    let cua111: Vec<&Value> = r["findings"].as_array().unwrap().iter().filter(|x| x["rule"] == "CUA111" && x["path"] == "amba-avs-cpu-alert.json").collect();
    assert_eq!(cua111.len(), 1);
    assert_eq!(cua111[0]["severity"], "notice");
}

#[test]
fn finds_format_names_in_language_version_2_and_marks_nested_copies() {
    let Some(dir) = corpus() else { return };
    let (_, r) = report(&dir, &["."]);
    for (path, top_line) in [("carml-key-vault-main.json", 587), ("carml-virtual-network-main.json", 343)] {
        let f = file(&r, path);
        let tracking = f["tracking"].as_array().unwrap();
        assert!(tracking.len() >= 2, "{path}: {f}");
        assert!(tracking.iter().all(|t| t["id"] == "pid-47ed15a6-730a-4827-bcb4-0fd963ffbd82"));
        let top: Vec<&Value> = tracking.iter().filter(|t| t["nested"] == false).collect();
        assert_eq!(top.len(), 1, "{path}: exactly one top-level tracking deployment");
        assert_eq!(top[0]["line"], top_line);
        assert!(tracking.iter().filter(|t| t["nested"] == true).count() >= 1, "{path}: nested copies are reported as nested");
    }
}

#[test]
fn empty_main_template_and_untracked_test_templates() {
    let Some(dir) = corpus() else { return };
    let (code, r) = report(&dir, &["."]);
    assert_eq!(code, 1);
    let found = findings(&r);
    // the empty azuredeploy.json beside createUiDefinition.json is a main template without tracking
    assert!(found.contains(&("CUA101".into(), "armttk-credentials-combo/azuredeploy.json".into(), 4)), "{found:?}");
    // createUiDefinition.json is not a template; the template-analyzer files are not main templates
    assert!(!found.iter().any(|(_, p, _)| p.ends_with("createUiDefinition.json")));
    assert!(!found.iter().any(|(rule, p, _)| rule == "CUA101" && p.starts_with("ta-")));
    assert_eq!(file(&r, "ta-double-nested.json")["role"], "template");
    // in marketplace mode Partner Center adds the ID: a notice instead of CUA101
    let (_, r) = report(&dir, &[".", "--mode", "marketplace"]);
    let found = findings(&r);
    assert!(found.contains(&("CUA118".into(), "armttk-credentials-combo/azuredeploy.json".into(), 4)), "{found:?}");
    assert!(!found.iter().any(|(rule, _, _)| rule == "CUA101"));
}
