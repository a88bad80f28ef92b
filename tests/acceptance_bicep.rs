//! Valid Bicep from projects whose CI compiles it is read without CUA001 (issue 13).
//! The data is the corpora next to the project (`$CUA_CHECK_CORPORA`, default `../corpora`);
//! each test skips with a message when its repository is absent.

mod common;
use common::*;
use serde_json::Value;
use std::path::PathBuf;

fn unreadable(r: &Value) -> Vec<String> {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "CUA001")
        .filter(|f| {
            let p = f["path"].as_str().unwrap();
            p.ends_with(".bicep") || p.ends_with(".bicepparam")
        })
        .map(|f| format!("{}:{}: {}", f["path"].as_str().unwrap(), f["line"], f["message"].as_str().unwrap()))
        .collect()
}

fn baselines() -> Option<Vec<(String, PathBuf)>> {
    let dir = corpus("Azure+bicep/src/Bicep.Core.Samples/Files/baselines")?;
    let mut v: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("main.bicep").is_file())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .collect();
    v.sort();
    Some(v)
}

#[test]
fn valid_compiler_baselines_are_read() {
    let Some(dirs) = baselines() else { return };
    let mut bad = Vec::new();
    let mut n = 0;
    for (name, dir) in dirs.iter().filter(|(n, _)| !n.starts_with("Invalid")) {
        n += 1;
        let (_, r) = report(dir, &["."]);
        // main.bicep is the compiler's input; the other files are its output dumps.
        bad.extend(unreadable(&r).into_iter().filter(|m| m.starts_with("main.bicep:")).map(|m| format!("{name}/{m}")));
    }
    assert!(n >= 30, "only {n} valid baselines found");
    assert!(bad.is_empty(), "valid baselines rejected:\n{}", bad.join("\n"));
}

/// The `Invalid*` baselines whose errors are all semantic.
const SEMANTIC_ONLY: &[&str] = &[
    "InvalidExtensions_CRLF",
    "InvalidLoadFunctions_CRLF",
    "InvalidModulesManagementGroup_LF",
    "InvalidModulesSubscription_LF",
    "InvalidModulesTenant_LF",
    "InvalidRuntimeValueUsages_LF",
];

#[test]
fn invalid_compiler_baselines_get_a_positioned_cua001_and_the_rest_is_checked() {
    let Some(dirs) = baselines() else { return };
    let mut n = 0;
    let mut wrong = Vec::new();
    for (name, dir) in dirs.iter().filter(|(n, _)| n.starts_with("Invalid")) {
        n += 1;
        let (_, r) = report(dir, &["."]);
        let errors: Vec<&Value> = r["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == "CUA001" && f["path"] == "main.bicep").collect();
        for f in &errors {
            assert!(f["line"].as_u64().unwrap() >= 1 && f["column"].as_u64().unwrap() >= 1, "{name}: {f}");
        }
        // Only these have no error from the compiler's parser (their main.diagnostics.bicep lists
        // type, scope and file errors only): accepting them is right, a reader cannot see those.
        let semantic = SEMANTIC_ONLY.contains(&name.as_str());
        if semantic != errors.is_empty() {
            wrong.push(format!("{name}: {}", if semantic { "rejected, but only semantically invalid" } else { "accepted, but has syntax errors" }));
        }
        // The other files of the folder are still read and listed.
        assert!(r["files"].as_array().unwrap().len() >= 2, "{name}: {r}");
    }
    assert!(n >= 20, "only {n} Invalid baselines");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn azure_verified_modules_are_read() {
    for rel in ["Azure+bicep-registry-modules/avm/res", "Azure+bicep-registry-modules/avm/ptn"] {
        let Some(dir) = corpus(rel) else { return };
        let (_, r) = report(&dir, &["."]);
        let bicep = r["files"].as_array().unwrap().iter().filter(|f| f["kind"] == "bicep").count();
        assert!(bicep >= 100, "{rel}: only {bicep} Bicep files read");
        let bad = unreadable(&r);
        assert!(bad.is_empty(), "{rel}: {} rejected:\n{}", bad.len(), bad.join("\n"));
    }
}

#[test]
fn accelerators_are_read() {
    // Not built by the repository's CI and not valid Bicep: parameters files with the
    // decompiler's `param time = ?` placeholder ("TODO : please fix the value").
    let known_invalid = ["workload/bicep/parameters/deploy-baseline-all.bicepparam:", "workload/bicep/parameters/deploy-custom-image-all.bicepparam:"];
    for rel in ["Azure+avdaccelerator", "Azure+ALZ-Bicep"] {
        let Some(dir) = corpus(rel) else { return };
        let (_, r) = report(&dir, &["."]);
        let bad: Vec<String> = unreadable(&r).into_iter().filter(|m| !known_invalid.iter().any(|k| m.starts_with(k))).collect();
        assert!(bad.is_empty(), "{rel}: {} rejected:\n{}", bad.len(), bad.join("\n"));
    }
}

/// Reads files of one folder (the baseline's), never outside it.
struct Dir(PathBuf);

impl cua_check::model::Loader for Dir {
    fn load(&self, path: &str) -> Option<String> {
        if path.split('/').any(|s| s == "..") {
            return None;
        }
        let t = std::fs::read_to_string(self.0.join(path)).ok()?;
        Some(t.strip_prefix('\u{feff}').map(String::from).unwrap_or(t))
    }
}

#[test]
fn bicepparam_baselines_are_read_and_their_known_values_match_the_compiled_parameters() {
    let Some(dir) = corpus("Azure+bicep/src/Bicep.Core.Samples/Files/baselines_bicepparam") else { return };
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().filter_map(|e| e.ok()).map(|e| e.path()).collect();
    dirs.sort();
    let (mut compared, mut valid, mut rejected_invalid, mut invalid) = (0, 0, 0, 0);
    let mut wrong = Vec::new();
    for d in &dirs {
        let name = d.file_name().unwrap().to_string_lossy().into_owned();
        let Ok(text) = std::fs::read_to_string(d.join("parameters.bicepparam")) else { continue };
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let f = cua_check::sources::bicep::params::read_params("parameters.bicepparam", text, &Dir(d.clone()));
        if name.starts_with("Invalid") {
            invalid += 1;
            rejected_invalid += usize::from(!f.errors.is_empty());
            // Those with no error from the compiler's parser are accepted; the others rejected.
            let semantic = ["Invalid_Expressions", "Invalid_Imports", "Invalid_MismatchedTypes"].contains(&name.as_str());
            if semantic != f.errors.is_empty() {
                wrong.push(format!("{name}: {}", if semantic { "rejected, but only semantically invalid" } else { "accepted, but has syntax errors" }));
            }
            continue;
        }
        valid += 1;
        assert!(f.errors.is_empty(), "{name}: {:?}", f.errors);
        let p = f.params.as_ref().unwrap();
        if text.contains("using 'main.bicep'") || text.contains("using './main.bicep'") {
            assert_eq!(p.using.as_deref(), Some("main.bicep"), "{name}");
        }
        // The compiler's own output: every value we say is known must be the one it wrote.
        let Ok(json) = std::fs::read_to_string(d.join("parameters.json")) else { continue };
        let json: Value = serde_json::from_str(json.trim_start_matches('\u{feff}')).unwrap();
        for v in &p.values {
            let cua_check::model::ParamVal::Known(ours) = &v.value else { continue };
            let Some(theirs) = json["parameters"][&v.name].get("value") else { continue };
            compared += 1;
            if ours != theirs {
                wrong.push(format!("{name}: param {} = {ours} but the compiler wrote {theirs}", v.name));
            }
        }
    }
    assert!(valid >= 8, "only {valid} valid bicepparam baselines");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(compared >= 20, "only {compared} values compared");
    eprintln!("bicepparam baselines: {valid} valid read, {compared} values equal to the compiler's; {rejected_invalid} of {invalid} Invalid rejected");
}
