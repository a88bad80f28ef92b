//! What a reader of a big repository's results sees (issue 15): one order everywhere (errors,
//! warnings, notices; by rule, file, line), SARIF fingerprints that are unique and stable, the
//! analysis category, and `path` confined to the workspace.

mod common;

use common::TempTree;
use cua_check::util::host::native::NativeHost;
use serde_json::{json, Value};

const SCHEMA: &str = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";
const NOTICE: &str = "# T\n\nMicrosoft can identify the deployments of these templates with the deployed Azure resources (customer usage attribution). To turn it off, set `enableTelemetry` to `false`.\n";

/// A GUID (version 4 shape) derived from `seed`: a different tracking ID per deployment.
fn guid(seed: &str) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in seed.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    let h2 = h.rotate_left(29).wrapping_mul(0x9E3779B97F4A7C15);
    format!("{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}", h >> 32, (h >> 16) & 0xffff, h & 0xfff, (h2 >> 52) & 0xfff, h2 & 0xffff_ffff_ffff)
}

fn tracking(name: &str, conditional: bool) -> Value {
    let mut d = json!({
        "type": "Microsoft.Resources/deployments", "apiVersion": "2021-04-01", "name": format!("pid-{}", guid(name)),
        "properties": { "mode": "Incremental", "template": { "$schema": SCHEMA, "contentVersion": "1.0.0.0", "resources": [] } }
    });
    if conditional {
        d["condition"] = json!("[equals(parameters('enableTelemetry'), 'Yes')]");
    }
    d
}

/// A tree with `errors` untracked main templates (CUA101), `warnings` tracked templates with a
/// comment (CUA112, and one CUA111 notice each) and `notice_files` templates of `per_file`
/// conditional tracking deployments (CUA111 notices).
fn tree(t: &TempTree, errors: usize, warnings: usize, notice_files: usize, per_file: usize) {
    t.write("README.md", NOTICE);
    let params = json!({ "enableTelemetry": { "type": "string", "defaultValue": "Yes" } });
    for i in 0..errors {
        let doc = json!({ "$schema": SCHEMA, "contentVersion": "1.0.0.0", "resources": [
            { "type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": format!("st{i}"), "location": "westeurope" }
        ] });
        t.write(&format!("errors/e{i:02}/azuredeploy.json"), serde_json::to_string_pretty(&doc).unwrap());
    }
    for i in 0..warnings {
        let doc = json!({ "$schema": SCHEMA, "contentVersion": "1.0.0.0", "parameters": params, "resources": [tracking(&format!("w{i}"), true)] });
        let text = serde_json::to_string_pretty(&doc).unwrap().replacen("{\n", "{\n  // partner tracking\n", 1);
        t.write(&format!("warnings/w{i:03}/azuredeploy.json"), text);
    }
    for i in 0..notice_files {
        let deps: Vec<Value> = (0..per_file).map(|k| tracking(&format!("n{i}-{k}"), true)).collect();
        let doc = json!({ "$schema": SCHEMA, "contentVersion": "1.0.0.0", "parameters": params, "resources": deps });
        t.write(&format!("notices/n{i:02}/azuredeploy.json"), serde_json::to_string_pretty(&doc).unwrap());
    }
}

fn check(t: &TempTree, inputs: Value) -> Value {
    let ws = t.path().to_str().unwrap();
    let mut inputs = inputs;
    if inputs.get("path").is_none() {
        inputs["path"] = json!(ws);
    }
    let req = json!({
        "inputs": inputs, "eventName": "push", "event": {},
        "env": { "GITHUB_WORKSPACE": ws, "GITHUB_REPOSITORY": "o/r", "GITHUB_SHA": "0123456789abcdef0123456789abcdef01234567", "RUNNER_TEMP": ws },
    });
    serde_json::from_str(&cua_check::frontends::action::step("check", &req.to_string(), &NativeHost)).unwrap()
}

fn level_rank(s: &str) -> u8 {
    match s {
        "error" => 0,
        "warning" => 1,
        _ => 2,
    }
}

#[test]
fn annotations_text_and_summary_put_errors_first_then_rule_file_line() {
    let t = TempTree::new("order");
    // `a/` sorts before `errors/` by path; its error is CUA105 (a placeholder ID) and it has a
    // warning (CUA112): a path order would show both before the CUA101 errors of `errors/`.
    tree(&t, 3, 2, 2, 3);
    let mut placeholder = tracking("a", false);
    placeholder["name"] = json!("pid-00000000-0000-4000-8000-000000000001");
    let doc = json!({ "$schema": SCHEMA, "contentVersion": "1.0.0.0", "resources": [placeholder] });
    t.write("a/azuredeploy.json", serde_json::to_string_pretty(&doc).unwrap().replacen("{\n", "{\n  // c\n", 1));
    let out = check(&t, json!({ "sarif-file": t.path().join("o.sarif").to_str().unwrap() }));
    assert_eq!(out["ok"], true, "{out}");

    let ann: Vec<(String, String, String, u64)> = out["annotations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| !a["file"].as_str().unwrap().is_empty())
        .map(|a| (a["level"].as_str().unwrap().to_string(), a["title"].as_str().unwrap().to_string(), a["file"].as_str().unwrap().to_string(), a["startLine"].as_u64().unwrap()))
        .collect();
    assert_eq!((ann[0].0.as_str(), ann[0].1.as_str()), ("error", "CUA101 missing-tracking"), "{ann:?}");
    assert!(ann.iter().any(|a| a.1.starts_with("CUA105") && a.2 == "a/azuredeploy.json"), "{ann:?}");
    let mut sorted = ann.clone();
    sorted.sort_by(|x, y| (level_rank(&x.0), &x.1, &x.2, x.3).cmp(&(level_rank(&y.0), &y.1, &y.2, y.3)));
    assert_eq!(ann, sorted, "annotations: errors, warnings, notices; then rule, file, line");

    // the job summary lists the errors before any warning, the warnings before any notice
    let summary = out["summary"].as_str().unwrap();
    let first = |needle: &str| summary.find(needle).unwrap_or_else(|| panic!("{needle} not in the summary:\n{summary}"));
    let last = |needle: &str| summary.rfind(needle).unwrap();
    assert!(last("**CUA101**") < first("**CUA105**"), "{summary}");
    assert!(last("**CUA105**") < first("**CUA112**"), "{summary}");
    assert!(last("**CUA112**") < first("**CUA111**"), "{summary}");

    // the CLI's text: the same order
    let r = common::cua(t.path(), &["check", ".", "--no-config"]);
    let rules: Vec<&str> = r.stdout.lines().filter_map(|l| l.split_once('[').and_then(|(lvl, rest)| ["error", "warning", "notice"].contains(&lvl).then(|| &rest[..6]))).collect();
    assert!(rules.len() >= 8, "{}", r.stdout);
    let pos = |code: &str| rules.iter().position(|r| *r == code).unwrap();
    let rpos = |code: &str| rules.iter().rposition(|r| *r == code).unwrap();
    assert!(rpos("CUA101") < pos("CUA105") && rpos("CUA105") < pos("CUA112") && rpos("CUA112") < pos("CUA111"), "{rules:?}");
}

fn sarif(t: &TempTree, inputs: Value) -> Value {
    let file = t.path().join("out.sarif");
    let mut inputs = inputs;
    inputs["sarif-file"] = json!(file.to_str().unwrap());
    let out = check(t, inputs);
    assert_eq!(out["ok"], true, "{out}");
    let content = out["files"].as_array().unwrap().iter().find(|f| f["path"] == json!(file.to_str().unwrap())).unwrap()["content"].as_str().unwrap().to_string();
    serde_json::from_str(&content).unwrap()
}

fn prints(doc: &Value) -> Vec<(String, String, u64, String)> {
    doc["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let loc = &r["locations"][0]["physicalLocation"];
            (
                r["ruleId"].as_str().unwrap().to_string(),
                loc["artifactLocation"]["uri"].as_str().unwrap().to_string(),
                loc["region"]["startLine"].as_u64().unwrap(),
                r["partialFingerprints"]["cuaCheck/v2"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn sarif_fingerprints_are_unique_and_survive_unrelated_edits() {
    let t = TempTree::new("sarif-fp");
    // 26 equal lines in one file (the issue's example): one finding each, 26 fingerprints
    let line = "  // partner tracking\n";
    let body = format!("{{\n{}  \"$schema\": \"{SCHEMA}\",\n  \"contentVersion\": \"1.0.0.0\",\n  \"resources\": [{}]\n}}\n", line, serde_json::to_string(&tracking("x", false)).unwrap());
    t.write("README.md", NOTICE);
    t.write("main/azuredeploy.json", &body);
    tree(&t, 0, 0, 1, 26);
    let before = prints(&sarif(&t, json!({})));
    assert!(before.iter().filter(|p| p.0 == "CUA111").count() == 26, "{before:?}");
    let mut fps: Vec<&String> = before.iter().map(|p| &p.3).collect();
    fps.sort();
    fps.dedup();
    assert_eq!(fps.len(), before.len(), "every result has its own fingerprint: {before:?}");

    // an unrelated edit: lines added at the top of both files; every finding moves, no
    // fingerprint changes
    let notices = t.path().join("notices/n00/azuredeploy.json");
    let text = std::fs::read_to_string(&notices).unwrap();
    std::fs::write(&notices, text.replacen("{\n", "{\n\n\n\n", 1)).unwrap();
    t.write("main/azuredeploy.json", body.replacen("{\n", "{\n\n\n", 1));
    let after = prints(&sarif(&t, json!({})));
    assert_eq!(before.len(), after.len());
    for (b, a) in before.iter().zip(&after) {
        assert_ne!(b.2, a.2, "the line moved");
        assert_eq!((&b.0, &b.1, &b.3), (&a.0, &a.1, &a.3), "same finding, same fingerprint");
    }
}

#[test]
fn sarif_category_and_normalised_uris() {
    let t = TempTree::new("sarif-cat");
    tree(&t, 1, 0, 0, 0);
    let doc = sarif(&t, json!({ "category": "cua-check/templates" }));
    assert_eq!(doc["runs"][0]["automationDetails"]["id"], "cua-check/templates/");
    let doc = sarif(&t, json!({}));
    assert!(doc["runs"][0].get("automationDetails").is_none());

    // `path: ./errors/../errors/` is the folder `errors`: URIs carry no `./` or `../`
    let ws = t.path().to_str().unwrap();
    let doc = sarif(&t, json!({ "path": format!("{ws}/./errors/../errors/") }));
    let uris: Vec<String> = prints(&doc).into_iter().map(|p| p.1).collect();
    assert_eq!(uris, vec!["errors/e00/azuredeploy.json".to_string()]);
}

#[test]
fn a_path_outside_the_workspace_is_an_input_error() {
    let t = TempTree::new("confine");
    tree(&t, 1, 0, 0, 0);
    let ws = t.path().to_str().unwrap();
    for path in ["../x".to_string(), "/etc/ssl".to_string(), "errors/../../..".to_string(), format!("{ws}/..")] {
        let out = check(&t, json!({ "path": path }));
        assert_eq!(out["ok"], false, "{path}: {out}");
        let e = out["error"].as_str().unwrap();
        assert!(e.starts_with("input 'path' (") && e.contains("leads outside the workspace"), "{e}");
    }
    let out = check(&t, json!({ "comment-level": "all" }));
    assert_eq!(out["error"], "invalid value \"all\" for input 'comment-level' (allowed values: error, warning, notice)");
}

/// The lines of `text` that list a finding of `code` (the bullet lines under its head).
fn error_lines_listed(body: &str, file: &str) -> Vec<u64> {
    // `- ❌ `errors/e07/azuredeploy.json` [line 4](…)` or `…, line [4](…)`
    body.lines()
        .filter(|l| l.starts_with("- ❌ ") && l.contains(&format!("`{file}`")))
        .flat_map(|l| {
            l.split("#L").skip(1).filter_map(|t| t.split(')').next()?.parse::<u64>().ok()).collect::<Vec<_>>()
        })
        .collect()
}

fn counted(note: &str, code: &str) -> usize {
    // `CUA111 ×3,000 in 158 files`
    let at = note.find(&format!("{code} ×")).unwrap_or_else(|| panic!("{code} not counted in {note}"));
    note[at + code.len() + " ×".len()..].split(' ').next().unwrap().replace(',', "").parse().unwrap()
}

#[test]
fn a_big_tree_gives_a_comment_under_the_limit_with_every_error_first_and_the_rest_folded() {
    let t = TempTree::new("big");
    tree(&t, 50, 100, 58, 50);
    t.write(".github/cua-check.toml", "fail-on = \"error\"\n");
    let out = check(&t, json!({ "token": "t", "sarif-file": t.path().join("o.sarif").to_str().unwrap() }));
    assert_eq!(out["ok"], true, "{out}");
    assert_eq!(out["outputs"]["errors"], "50");
    assert_eq!(out["outputs"]["warnings"], "100");
    assert_eq!(out["outputs"]["notices"], "3000");
    let body = out["comment"]["body"].as_str().unwrap();
    assert!(body.chars().count() < 65_536, "{} characters", body.chars().count());
    assert_eq!(out["comment"]["create"], true);

    // what was checked
    assert!(body.contains("Checked: scope `all` · 208 files (208 templates) · commit [`0123456`](https://github.com/o/r/commit/0123456789abcdef0123456789abcdef01234567) · config `.github/cua-check.toml`"), "{}", &body[..600]);

    // all 50 errors, each with its file and line, before the first warning
    let warnings_at = body.find("#### ⚠️ 100 warnings").expect("a warnings section");
    assert!(body.find("#### ❌ 50 errors").unwrap() < warnings_at);
    let reports: Value = serde_json::from_str(out["files"][0]["content"].as_str().unwrap()).unwrap();
    let errors: Vec<(String, u64)> = reports["findings"].as_array().unwrap().iter().filter(|f| f["severity"] == "error").map(|f| (f["path"].as_str().unwrap().to_string(), f["line"].as_u64().unwrap())).collect();
    assert_eq!(errors.len(), 50);
    for (path, line) in &errors {
        let listed = error_lines_listed(&body[..warnings_at], path);
        assert!(listed.contains(line), "{path}:{line} is not listed before the warnings");
    }
    // the 100 warnings of one rule: one explanation, one fix, one line for the 100 files
    let warnings = &body[warnings_at..];
    assert_eq!(warnings.matches("**CUA112**").count(), 1);
    assert!(warnings.contains("**CUA112** [comments]") && warnings.contains(" ×100 in 100 files: "), "{warnings}");
    assert_eq!(warnings.matches("Fix: ").count(), 1, "{warnings}");
    assert!(warnings.contains("- ⚠️ ×100 in 100 files: in `warnings/w000/azuredeploy.json` (1),"), "{warnings}");
    // the notices: counts, which are true, and where the complete list is
    let note = &body[body.find("#### Not listed here: ").expect("a counts-only section")..];
    assert!(note.starts_with("#### Not listed here: 3,000 notices (CUA111 ×3,000 in 158 files)"), "{note}");
    assert_eq!(counted(note, "CUA111"), reports["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == "CUA111").count());
    assert!(note.contains("(input `comment-level`). The complete list: the job summary of this run, the JSON report (output `report-file`) and the SARIF file `"), "{note}");
    assert!(!body.contains("notices/n00/azuredeploy.json` ×"), "no notice is listed one by one");

    // the job summary: under 1 MiB, every finding's file and line, errors first
    let summary = out["summary"].as_str().unwrap();
    assert!(summary.len() < 1 << 20, "{} bytes", summary.len());
    assert!(!summary.contains("_Not shown here (size limit)"), "no finding cut");
    let (e, w, n) = (summary.find("#### ❌ 50 errors").unwrap(), summary.find("#### ⚠️ 100 warnings").unwrap(), summary.find("#### ℹ️ 3,000 notices").unwrap());
    assert!(e < w && w < n, "errors, warnings, notices");
    for f in reports["findings"].as_array().unwrap() {
        let (path, line) = (f["path"].as_str().unwrap(), f["line"].as_u64().unwrap());
        let link = format!("/{path}#L{line})");
        assert!(summary.contains(&link), "{path}:{line} is not in the summary");
    }
    // folded per file: 50 notices of one file on one line
    assert_eq!(summary.matches("- ℹ️ `notices/n00/azuredeploy.json` ×50, lines [").count(), 1);
}

#[test]
fn comment_level_chooses_what_is_listed_and_whether_a_comment_is_created() {
    let t = TempTree::new("level");
    tree(&t, 0, 0, 2, 26);
    // notices only: no new comment by default; an existing one is still updated
    let out = check(&t, json!({ "token": "t" }));
    assert_eq!((out["comment"]["create"].clone(), out["comment"]["update"].clone()), (json!(false), json!(true)));
    let body = out["comment"]["body"].as_str().unwrap();
    assert!(body.contains("#### Not listed here: 52 notices (CUA111 ×52 in 2 files)"), "{body}");
    // comment-level notice: listed, folded per file, and a comment is created
    let out = check(&t, json!({ "token": "t", "comment-level": "notice" }));
    assert_eq!(out["comment"]["create"], true);
    let body = out["comment"]["body"].as_str().unwrap();
    assert!(!body.contains("Not listed here"), "{body}");
    let folded: Vec<&str> = body.lines().filter(|l| l.starts_with("- ℹ️ `notices/n00/azuredeploy.json` ×26, lines [")).collect();
    assert_eq!(folded.len(), 1, "{body}");
    assert!(folded[0].contains(", … (16 more); the first: tracking deployment `pid-"), "{}", folded[0]);

    // comment-level error: warnings become counts too
    let t = TempTree::new("level-error");
    tree(&t, 2, 3, 0, 0);
    let out = check(&t, json!({ "token": "t", "comment-level": "error" }));
    let body = out["comment"]["body"].as_str().unwrap();
    assert!(body.contains("#### Not listed here: 3 warnings (CUA112 ×3 in 3 files), 3 notices (CUA111 ×3 in 3 files)"), "{body}");
    assert!(body.contains("#### ❌ 2 errors"));
}

#[test]
fn errors_beyond_the_comment_size_are_cut_with_a_true_note_and_no_warning_before_them() {
    let t = TempTree::new("cut");
    tree(&t, 1200, 5, 0, 0);
    let out = check(&t, json!({ "token": "t" }));
    let body = out["comment"]["body"].as_str().unwrap();
    assert!(body.len() <= cua_check::render::comment::MAX_COMMENT_BYTES, "{}", body.len());
    // no warning is listed: the errors did not all fit
    assert!(!body.contains("#### ⚠️"), "a warning before every error");
    let shown: usize = (0..1200).filter(|i| !error_lines_listed(body, &format!("errors/e{i:02}/azuredeploy.json")).is_empty()).count();
    assert!(shown > 100, "{shown} errors shown");
    assert!(shown < 1200);
    let note = &body[body.find("_Not shown here (size limit): ").expect("a cut note")..];
    assert!(
        note.starts_with(&format!(
            "_Not shown here (size limit): {} errors (CUA101 ×{} in {} files), 5 warnings (CUA112 ×5 in 5 files). The complete list: the job summary of this run, the JSON report (output `report-file`)._",
            1200 - shown,
            1200 - shown,
            1200 - shown
        )),
        "{note}"
    );
    // the notices (below `comment-level`) are counted in their own section, before the cut note
    assert!(body.contains("#### Not listed here: 5 notices (CUA111 ×5 in 5 files)"), "{body}");
    // the summary has room for all of them
    let summary = out["summary"].as_str().unwrap();
    assert!(!summary.contains("Not shown here"));
    for i in [0, 599, 1199] {
        assert!(summary.contains(&format!("`errors/e{i:02}/azuredeploy.json` [line 4]")), "{i}");
    }
}

#[test]
fn the_text_output_folds_repeated_findings_of_a_rule_in_a_file() {
    let t = TempTree::new("text-fold");
    tree(&t, 0, 0, 1, 26);
    let r = common::cua(t.path(), &["check", ".", "--no-config"]);
    let frames = r.stdout.lines().filter(|l| l.starts_with("notice[CUA111] conditional: ")).count();
    assert_eq!(frames, 3, "{}", r.stdout);
    let (_, report) = common::report(t.path(), &[".", "--no-config"]);
    let lines: Vec<String> = report["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == "CUA111").skip(3).map(|f| f["line"].to_string()).collect();
    assert_eq!(lines.len(), 23);
    let want = format!("notice[CUA111] 23 more in notices/n00/azuredeploy.json: lines {} (every one in --format json)", lines.join(", "));
    assert!(r.stdout.lines().any(|l| l == want), "{want}\n{}", r.stdout);
    assert!(r.stdout.ends_with("0 errors, 0 warnings, 26 notices in 1 file (1 template); gate passed (fail-on: error); registration not checked (no registry given)\n"), "{}", r.stdout);
}

/// The main-templates table has one row per template: a template with many tracking
/// deployments lists each distinct ID once (`×N` when repeated), at most three, and counts the
/// rest, so a big repository's table stays one row per template.
#[test]
fn main_templates_table_has_one_row_per_template() {
    let t = TempTree::new("table-rows");
    t.write("README.md", NOTICE);
    let params = json!({ "enableTelemetry": { "type": "string", "defaultValue": "Yes" } });
    let mut deps: Vec<Value> = (0..5).map(|k| tracking(&format!("many-{k}"), true)).collect();
    deps.push(tracking("many-0", true));
    let doc = json!({ "$schema": SCHEMA, "contentVersion": "1.0.0.0", "parameters": params, "resources": deps });
    t.write("many/azuredeploy.json", serde_json::to_string_pretty(&doc).unwrap());
    let one = json!({ "$schema": SCHEMA, "contentVersion": "1.0.0.0", "resources": [tracking("single", false)] });
    t.write("single/azuredeploy.json", serde_json::to_string_pretty(&one).unwrap());
    let out = check(&t, json!({}));
    let summary = out["summary"].as_str().unwrap();
    let rows: Vec<&str> = summary.lines().filter(|l| l.starts_with("| `many/azuredeploy.json`") || l.starts_with("| `single/azuredeploy.json`")).collect();
    assert_eq!(rows.len(), 2, "one row per template:\n{summary}");
    let many = rows.iter().find(|r| r.contains("many/")).unwrap();
    assert!(many.contains(&format!("`pid-{}` ×2", guid("many-0"))), "{many}");
    assert!(many.contains(&format!("`pid-{}`", guid("many-2"))), "{many}");
    assert!(!many.contains(&guid("many-3")), "only three IDs listed: {many}");
    assert!(many.contains("and 2 more (2 deployments)"), "{many}");
    let single = rows.iter().find(|r| r.contains("single/")).unwrap();
    assert!(single.contains(&format!("`pid-{}`", guid("single"))) && !single.contains("<br>"), "{single}");
}
