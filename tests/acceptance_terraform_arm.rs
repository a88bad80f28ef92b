//! Valid Terraform and ARM JSON from projects whose CI builds or deploys them is read without
//! CUA001, and generator templates are build inputs (CUA005), not broken files (issue 13).
//! The data is the corpora next to the project (`$CUA_CHECK_CORPORA`, default `../corpora`,
//! pinned in its PINS.txt); each test skips with a message when its repository is absent.

mod common;
use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn findings<'a>(r: &'a Value, rule: &'a str, ext: &'a [&'a str]) -> impl Iterator<Item = &'a Value> + 'a {
    r["findings"].as_array().unwrap().iter().filter(move |f| {
        let p = f["path"].as_str().unwrap_or("");
        f["rule"] == rule && ext.iter().any(|e| p.ends_with(e))
    })
}

fn describe(f: &Value) -> String {
    format!("{}:{}: {}", f["path"].as_str().unwrap_or(""), f["line"], f["message"].as_str().unwrap_or(""))
}

/// Every file under `dir` whose name ends with one of `ext`.
fn files_under(dir: &Path, ext: &[&str], out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, ext, out);
        } else if ext.iter().any(|x| p.to_string_lossy().ends_with(x)) {
            out.push(p);
        }
    }
}

/// Terraform modules whose CI runs `terraform validate` (the AVM modules' shared checks, the
/// caf-enterprise-scale and lz-vending test workflows): none of their `.tf` files is unreadable,
/// including the constructs hcl-edit 0.10 rejected (a line break after `&&` inside a `for`
/// expression in caf-enterprise-scale's modules/connectivity/locals.tf).
#[test]
fn terraform_modules_validated_in_ci_are_read() {
    let repos = [
        "Azure+terraform-azurerm-caf-enterprise-scale",
        "Azure+terraform-azurerm-lz-vending",
        "Azure+terraform-azurerm-avm-res-network-virtualnetwork",
        "Azure+terraform-azurerm-avm-ptn-alz",
    ];
    let mut checked = 0;
    let mut bad = Vec::new();
    for repo in repos {
        let Some(dir) = corpus(repo) else { continue };
        let mut tf = Vec::new();
        files_under(&dir, &[".tf"], &mut tf);
        assert!(tf.len() >= 10, "{repo}: only {} .tf files", tf.len());
        // Each file through the Terraform reader itself (the report lists only files with facts).
        for p in &tf {
            let Ok(text) = std::fs::read_to_string(p) else { continue };
            let rel = p.strip_prefix(&dir).unwrap().to_string_lossy().replace('\\', "/");
            let read = cua_check::sources::terraform::read_module(&[cua_check::sources::terraform::TfInput { path: &rel, text: &text }], &[]);
            bad.extend(read.iter().flat_map(|f| f.errors.iter().map(move |e| format!("{repo}/{}:{}: {}", f.path, e.span.line, e.message))));
        }
        let (_, r) = report(&dir, &["."]);
        bad.extend(findings(&r, "CUA001", &[".tf", ".tf.json", ".tfvars", ".tfvars.json"]).map(|f| format!("{repo}/{}", describe(f))));
        checked += 1;
    }
    assert!(bad.is_empty(), "valid Terraform rejected:\n{}", bad.join("\n"));
    if checked == 0 {
        eprintln!("skipping: no Terraform corpus present");
    }
}

/// Whether `text` has a raw line break inside a JSON string (a cheap scan: strings, escapes
/// and `//` comments only).
fn has_line_break_in_string(text: &str) -> bool {
    let b = text.as_bytes();
    let (mut i, mut in_str) = (0, false);
    while i < b.len() {
        match (in_str, b[i]) {
            (true, b'\\') => i += 1,
            (true, b'"') => in_str = false,
            (true, b'\n') => return true,
            (false, b'"') => in_str = true,
            (false, b'/') if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    false
}

/// ARM templates that the Azure landing zones deploy through the portal carry raw line breaks
/// inside strings (`"scriptContent": "` and a new line); ARM reads them, and so does the checker.
#[test]
fn arm_templates_with_line_breaks_in_strings_are_read() {
    let Some(dir) = corpus("Azure+Enterprise-Scale") else { return };
    let mut json = Vec::new();
    files_under(&dir.join("eslzArm"), &[".json"], &mut json);
    let with_breaks: Vec<String> = json
        .iter()
        .filter(|p| std::fs::read_to_string(p).is_ok_and(|t| has_line_break_in_string(&t)))
        .map(|p| p.strip_prefix(&dir).unwrap().to_string_lossy().replace('\\', "/"))
        .collect();
    assert!(!with_breaks.is_empty(), "no eslzArm template with a line break in a string: the test would prove nothing");
    let (_, r) = report(&dir, &["."]);
    let read: Vec<&str> = r["files"].as_array().unwrap().iter().filter_map(|f| f["path"].as_str()).collect();
    for p in &with_breaks {
        assert!(read.contains(&p.as_str()), "{p} was not read as a template");
    }
    let bad: Vec<String> = findings(&r, "CUA001", &[".json"]).map(describe).collect();
    assert!(bad.is_empty(), "{} templates with line breaks in strings; rejected JSON:\n{}", with_breaks.len(), bad.join("\n"));
}

/// Azure Monitor Baseline Alerts' generator templates (`tooling/generate-templates/**`, with
/// `##SEVERITY##`-style tokens) are build inputs: one CUA005 notice each, no CUA001.
#[test]
fn generator_templates_are_build_inputs_not_broken_files() {
    let Some(dir) = corpus("Azure+azure-monitor-baseline-alerts/tooling/generate-templates") else { return };
    let (_, r) = report(&dir, &["."]);
    let exts = [".json", ".bicep"];
    let broken: Vec<String> = findings(&r, "CUA001", &exts).map(describe).collect();
    assert!(broken.is_empty(), "generator templates reported as broken:\n{}", broken.join("\n"));
    let notices: Vec<&Value> = findings(&r, "CUA005", &exts).collect();
    assert!(notices.len() >= 12, "only {} CUA005 notices", notices.len());
    let mut paths: Vec<&str> = notices.iter().map(|f| f["path"].as_str().unwrap()).collect();
    let n = paths.len();
    paths.dedup();
    assert_eq!(paths.len(), n, "one notice per file");
    for f in &notices {
        assert_eq!(f["severity"], "notice", "{f}");
        assert!(f["message"].as_str().unwrap().contains("##"), "{f}");
    }
}
