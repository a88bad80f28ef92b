//! The config file (`.github/cua-check.toml` / `cua-check.toml` / `--config`): what it sets, that
//! flags and action inputs beat it, and that every error names the file, the line and the key.

mod common;
use common::*;

const OTHER: &str = "pid-8d1a1e1b-1f2c-4d3e-9a4b-5c6d7e8f9a0b";

fn tracked(id: &str) -> String {
    template(&format!(
        "    {{\n      \"type\": \"Microsoft.Resources/deployments\",\n      \"apiVersion\": \"2021-04-01\",\n      \"name\": \"{id}\",\n      \"properties\": {{ \"mode\": \"Incremental\", \"template\": {{ \"resources\": [] }} }}\n    }}"
    ))
}

fn untracked() -> String {
    template("    { \"type\": \"Microsoft.Storage/storageAccounts\", \"apiVersion\": \"2023-01-01\", \"name\": \"data\" }")
}

fn rules_at(dir: &std::path::Path, args: &[&str]) -> Vec<(String, String)> {
    let mut all = vec!["."];
    all.extend_from_slice(args);
    let (_, r) = report(dir, &all);
    findings(&r).into_iter().map(|(rule, path, _)| (rule, path)).collect()
}

fn has(f: &[(String, String)], rule: &str, path: &str) -> bool {
    f.iter().any(|(r, p)| r == rule && p == path)
}

#[test]
fn rules_and_ignores_apply() {
    let t = TempTree::new("cfg-rules");
    t.write("azuredeploy.json", format!("// a comment\n{}", tracked(&format!("pid-{GUID}"))));
    t.write("legacy/azuredeploy.json", untracked());
    t.write("other/azuredeploy.json", untracked());
    let before = rules_at(t.path(), &[]);
    assert!(has(&before, "CUA112", "azuredeploy.json") && has(&before, "CUA101", "legacy/azuredeploy.json"), "{before:?}");
    t.write(
        ".github/cua-check.toml",
        "# settings for cua-check\n[rules]\nCUA112 = \"off\"\n\n[[ignore]]\npath = \"legacy/**\"\nrules = [\"CUA101\"]\nreason = \"retired solution\"\n",
    );
    let after = rules_at(t.path(), &[]);
    assert!(!after.iter().any(|(r, _)| r == "CUA112"), "{after:?}");
    assert!(!has(&after, "CUA101", "legacy/azuredeploy.json"), "{after:?}");
    assert!(has(&after, "CUA101", "other/azuredeploy.json"), "{after:?}");
    // --no-config reads none
    let off = rules_at(t.path(), &["--no-config"]);
    assert!(has(&off, "CUA112", "azuredeploy.json"), "{off:?}");
}

#[test]
fn severities_can_be_changed() {
    let t = TempTree::new("cfg-sev");
    t.write("azuredeploy.json", untracked());
    t.write("cua-check.toml", "[rules]\nCUA101 = \"warning\"\n");
    let (code, r) = report(t.path(), &["."]);
    assert_eq!(code, 0, "a warning does not fail the default gate");
    let f = r["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "CUA101").unwrap().clone();
    assert_eq!(f["severity"], "warning");
}

/// A tracking deployment whose condition is false with the default parameter values: CUA111
/// escalates from its default (notice) to a warning.
fn off_by_default() -> String {
    format!(
        "{{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n  \"contentVersion\": \"1.0.0.0\",\n  \"parameters\": {{ \"enableTelemetry\": {{ \"type\": \"bool\", \"defaultValue\": false }} }},\n  \"resources\": [\n    {{\n      \"type\": \"Microsoft.Resources/deployments\",\n      \"apiVersion\": \"2021-04-01\",\n      \"name\": \"pid-{GUID}\",\n      \"condition\": \"[parameters('enableTelemetry')]\",\n      \"properties\": {{ \"mode\": \"Incremental\", \"template\": {{ \"resources\": [] }} }}\n    }}\n  ]\n}}\n"
    )
}

fn severity_of(dir: &std::path::Path, rule: &str) -> Vec<String> {
    let (_, r) = report(dir, &["."]);
    r["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == rule).map(|f| f["severity"].as_str().unwrap().to_string()).collect()
}

#[test]
fn a_configured_severity_wins_over_escalation() {
    let t = TempTree::new("cfg-sev-escalation");
    t.write("azuredeploy.json", off_by_default());
    assert_eq!(severity_of(t.path(), "CUA111"), ["warning"], "off by default escalates CUA111 to a warning");
    // The user's explicit choice wins, also when it names the rule's default severity.
    t.write("cua-check.toml", "[rules]\nCUA111 = \"notice\"\n");
    assert_eq!(severity_of(t.path(), "CUA111"), ["notice"]);
    t.write("cua-check.toml", "[rules]\nCUA111 = \"error\"\n");
    assert_eq!(severity_of(t.path(), "CUA111"), ["error"]);
    t.write("cua-check.toml", "[rules]\nCUA111 = \"off\"\n");
    assert!(severity_of(t.path(), "CUA111").is_empty());
}

#[test]
fn flags_beat_the_file() {
    let t = TempTree::new("cfg-flags");
    t.write("azuredeploy.json", tracked(&format!("pid-{GUID}")));
    t.write("cua-check.toml", format!("registered = [\n  \"{OTHER}\",  # the old offer\n]\nfail-on = \"never\"\n"));
    // From the file: the ID is not registered (CUA104), but fail-on never passes the gate.
    let r = cua(t.path(), &["check"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("error[CUA104]"), "{}", r.stdout);
    // Flags win over the file's keys.
    let r = cua(t.path(), &["check", "--fail-on", "error"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    let r = cua(t.path(), &["check", "--registered", &format!("pid-{GUID}"), "--fail-on", "error"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(!r.stdout.contains("CUA104"), "{}", r.stdout);
}

#[test]
fn github_folder_first_then_root_then_explicit_file() {
    let t = TempTree::new("cfg-where");
    t.write("azuredeploy.json", untracked());
    t.write("cua-check.toml", "fail-on = \"never\"\n");
    assert_eq!(cua(t.path(), &["check"]).code, 0);
    t.write(".github/cua-check.toml", "fail-on = \"error\"\n");
    assert_eq!(cua(t.path(), &["check"]).code, 1, ".github/cua-check.toml is read first");
    t.write("ci/strict.toml", "fail-on = \"never\"\n");
    assert_eq!(cua(t.path(), &["check", "--config", "ci/strict.toml"]).code, 0);
    let r = cua(t.path(), &["check", "--config", "ci/missing.toml"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("ci/missing.toml: config file not found"), "{}", r.stderr);
}

#[test]
fn registry_main_and_exclude_are_relative_to_the_checked_folder() {
    let t = TempTree::new("cfg-paths");
    t.write("sub/ids.json", format!("{{ \"ids\": [\"pid-{GUID}\"] }}"));
    t.write("sub/solution/deploy.json", tracked(&format!("pid-{GUID}")));
    t.write("sub/tests/azuredeploy.json", untracked());
    t.write(
        "sub/cua-check.toml",
        "registry = \"ids.json\"\nmain = [\"solution/*.json\"]\nexclude = [\"tests/**\"]\nsources = [\"arm\", \"bicep\"]\nmax-file-size = \"1MiB\"\nmode = \"standard\"\n",
    );
    let (code, r) = report(t.path(), &["sub"]);
    assert_eq!(code, 0, "{r}");
    assert_eq!(r["registry"]["checked"], true, "{r}");
    assert_eq!(r["summary"]["tracked"], 1, "solution/deploy.json is a main template: {r}");
    assert!(findings(&r).iter().all(|(_, path, _)| !path.starts_with("tests/")), "tests/ is excluded: {r}");
    assert_eq!(r["summary"]["untracked"], 0, "tests/azuredeploy.json (untracked) is excluded: {r}");
}

#[test]
fn fix_reads_the_registered_id_from_the_file() {
    let t = TempTree::new("cfg-fix");
    t.write("azuredeploy.json", untracked());
    t.write(".github/cua-check.toml", format!("registered = [\"pid-{GUID}\"]\n"));
    let r = cua(t.path(), &["fix", "--write"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(std::fs::read_to_string(t.path().join("azuredeploy.json")).unwrap().contains(&format!("pid-{GUID}")));
}

#[test]
fn every_error_names_the_file_line_and_key() {
    let cases: &[(&str, &str)] = &[
        ("mode = \"standard\"\nfrobnicate = true\n", ".github/cua-check.toml:2: unknown key \"frobnicate\" (known keys: registered, registry, main, exclude, mode, fail-on, sources, max-file-size, notice-pattern, or a [rules] or [[ignore]] table)"),
        ("# x\n\nmode = [\"standard\"]\n", ".github/cua-check.toml:3: \"mode\" must be a string, not an array"),
        ("mode = \"fast\"\n", ".github/cua-check.toml:1: invalid value \"fast\" for key \"mode\" (allowed values: standard, marketplace)"),
        ("exclude = [\n  \"ok/**\",\n  \"bad/[\",\n]\n", ".github/cua-check.toml:1: key \"exclude\": invalid glob \"bad/[\""),
        ("registered = [1]\n", ".github/cua-check.toml:1: \"registered\" must be an array of strings, but it holds an integer"),
        ("registered = [\"pid-nope\"]\n", ".github/cua-check.toml:1: invalid value \"pid-nope\" for key \"registered\" (allowed values: pid-<GUID>"),
        ("[rules]\nCUA112 = \"off\"\n\n\n\n\nCUA999 = \"off\"\n", ".github/cua-check.toml:7: unknown rule code \"CUA999\" in [rules]"),
        ("[rules]\nCUA112 = \"loud\"\n", ".github/cua-check.toml:2: \"CUA112\" in [rules]: invalid severity \"loud\" (expected off, error, warning or notice)"),
        ("[rules]\nCUA112 = false\n", ".github/cua-check.toml:2: \"CUA112\" in [rules] must be a string"),
        ("[[ignore]]\npath = \"legacy/**\"\nrules = [\"CUA101\"]\n", ".github/cua-check.toml:1: [[ignore]] needs a \"reason\""),
        ("[[ignore]]\npath = \"legacy/**\"\nrules = [\"CUA000\"]\nreason = \"x\"\n", ".github/cua-check.toml:3: unknown rule code \"CUA000\" in \"rules\" of [[ignore]]"),
        ("[[ignore]]\npath = \"legacy/**\"\nreason = \"\"\n", ".github/cua-check.toml:3: \"reason\" in [[ignore]] is empty"),
        ("[[ignore]]\npaths = \"legacy/**\"\n", ".github/cua-check.toml:2: unknown key \"paths\" in [[ignore]]"),
        ("[rule]\nCUA112 = \"off\"\n", ".github/cua-check.toml:1: unknown table [rule]"),
        ("fail-on = \"sometimes\"\n", ".github/cua-check.toml:1: invalid value \"sometimes\" for key \"fail-on\" (allowed values: error, warning, never)"),
        ("max-file-size = \"big\"\n", ".github/cua-check.toml:1: invalid value \"big\" for key \"max-file-size\""),
        ("sources = [\"arm\", \"cobol\"]\n", ".github/cua-check.toml:1: invalid value \"arm,cobol\" for key \"sources\""),
        ("mode = standard\n", ".github/cua-check.toml:1: expected a value, found 's' (strings need quotes)"),
        ("mode = \"standard\" extra\n", ".github/cua-check.toml:1: unexpected 'e' after the value"),
        ("main = [\"a\",\n  \"b\"\n", ".github/cua-check.toml:3: unterminated array (missing ']')"),
    ];
    let t = TempTree::new("cfg-errors");
    t.write("azuredeploy.json", untracked());
    for (toml, want) in cases {
        t.write(".github/cua-check.toml", toml);
        for cmd in ["check", "fix"] {
            let r = cua(t.path(), &[cmd]);
            assert_eq!(r.code, 2, "{toml:?} with {cmd}: {}{}", r.stdout, r.stderr);
            assert!(r.stderr.starts_with(&format!("error: {want}")), "{toml:?} with {cmd}:\nwant {want}\ngot  {}", r.stderr);
        }
    }
}

#[test]
fn the_action_reads_the_config_under_path_and_set_inputs_win() {
    use cua_check::util::host::native::NativeHost;
    let t = TempTree::new("cfg-action");
    t.write("azuredeploy.json", untracked());
    t.write(".github/cua-check.toml", "fail-on = \"never\"\n[rules]\nCUA112 = \"off\"\n");
    let step = |inputs: serde_json::Value| -> serde_json::Value {
        let req = serde_json::json!({ "inputs": inputs, "eventName": "push", "event": {}, "env": {} });
        serde_json::from_str(&cua_check::frontends::action::step("check", &req.to_string(), &NativeHost)).unwrap()
    };
    let path = t.path().to_str().unwrap();
    let out = step(serde_json::json!({ "path": path }));
    assert_eq!(out["ok"], true, "{out}");
    assert_eq!(out["exitCode"], 0, "fail-on never from the config file: {out}");
    let out = step(serde_json::json!({ "path": path, "fail-on": "error" }));
    assert_eq!(out["exitCode"], 1, "the input beats the file: {out}");
    t.write(".github/cua-check.toml", "fail-on = \"never\"\nfail_on = \"error\"\n");
    let out = step(serde_json::json!({ "path": path }));
    assert_eq!(out["ok"], false);
    let err = out["error"].as_str().unwrap();
    assert!(err.contains(".github/cua-check.toml:2: unknown key \"fail_on\""), "{err}");
    assert!(err.ends_with("; did you mean fail-on?"), "{err}");
}

/// issue 12: the same mistake reads the same from the action and the config file.
#[test]
fn the_action_and_the_config_file_word_a_bad_value_and_an_unknown_name_alike() {
    use cua_check::util::host::native::NativeHost;
    let t = TempTree::new("cfg-wording");
    t.write("azuredeploy.json", untracked());
    let path = t.path().to_str().unwrap();
    let step = |inputs: serde_json::Value| -> String {
        let req = serde_json::json!({ "inputs": inputs, "eventName": "push", "event": {}, "env": {} });
        let out: serde_json::Value = serde_json::from_str(&cua_check::frontends::action::step("check", &req.to_string(), &NativeHost)).unwrap();
        assert_eq!(out["ok"], false, "{out}");
        out["error"].as_str().unwrap().to_string()
    };
    assert_eq!(step(serde_json::json!({ "path": path, "mode": "fast" })), "invalid value \"fast\" for input 'mode' (allowed values: standard, marketplace)");
    let cfg = |toml: &str| -> String {
        t.write(".github/cua-check.toml", toml);
        let r = cua(t.path(), &["check"]);
        assert_eq!(r.code, 2, "{}", r.stderr);
        r.stderr.lines().next().unwrap().to_string()
    };
    assert_eq!(cfg("mode = \"fast\"\n"), "error: .github/cua-check.toml:1: invalid value \"fast\" for key \"mode\" (allowed values: standard, marketplace)");
    std::fs::remove_file(t.path().join(".github/cua-check.toml")).unwrap();
    let r = cua(t.path(), &["check", "--mode", "fast"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.starts_with("error: invalid value \"fast\" for --mode (allowed values: standard, marketplace)\n"), "{}", r.stderr);
    let r = cua(t.path(), &["check", "--fial-on", "never"]);
    assert!(r.stderr.starts_with("error: unknown option \"--fial-on\" (known options: --format, "), "{}", r.stderr);
    assert!(r.stderr.lines().next().unwrap().ends_with("; did you mean --fail-on?"), "{}", r.stderr);
    let err = step(serde_json::json!({ "path": path, "fial-on": "never" }));
    assert!(err.starts_with("unknown input 'fial-on' (known inputs: path, registered-ids, "), "{err}");
    assert!(err.ends_with("; did you mean fail-on?"), "{err}");
    assert!(cfg("fial-on = \"never\"\n").ends_with("; did you mean fail-on?"));
    std::fs::remove_file(t.path().join(".github/cua-check.toml")).unwrap();
    // a boolean `comment` is read as a workflow writes it
    let req = serde_json::json!({ "inputs": { "path": path, "comment": "false" }, "eventName": "push", "event": {}, "env": {} });
    let out: serde_json::Value = serde_json::from_str(&cua_check::frontends::action::step("check", &req.to_string(), &NativeHost)).unwrap();
    assert_eq!(out["ok"], true, "{out}");
    assert!(out["comment"].is_null(), "comment: false is never: {out}");
}
