//! Snapshot tests (insta) of what a user reads: the text report of `check` for the first firing
//! fixture of every rule, `explain` for every rule, `rules`, and `new-id`.
//!
//! Update after an intended change with `INSTA_UPDATE=always cargo test --test snapshots` (or
//! `cargo insta review`) and review the `.snap` files under `tests/snapshots/`. With `CI=true`
//! insta fails on any mismatch.

mod common;
use common::*;

/// Rules left out of the per-rule snapshots (none: every rule's first firing fixture fires).
const SKIPPED: &[&str] = &[];

fn first_firing_fixture(code: &str) -> std::path::PathBuf {
    let dir = root().join("tests/fixtures/rules").join(code);
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir() && p.file_name().unwrap().to_string_lossy().starts_with("fires"))
        .collect();
    cases.sort();
    cases.into_iter().next().unwrap_or_else(|| panic!("{code} has no fires-* fixture"))
}

#[test]
fn check_output_per_rule() {
    for rule in cua_check::rules::RULES {
        if SKIPPED.contains(&rule.code.as_str()) {
            continue;
        }
        let dir = first_firing_fixture(rule.code.as_str());
        let mut args: Vec<String> = vec!["check".into(), ".".into(), "--no-config".into()];
        if let Ok(a) = std::fs::read_to_string(dir.join("args")) {
            args.extend(a.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from));
        }
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let r = cua(&dir, &argv);
        assert!(r.stdout.contains(&format!("[{}]", rule.code)), "{} does not fire in {}:\n{}", rule.code, dir.display(), r.stdout);
        let case = dir.file_name().unwrap().to_string_lossy().to_string();
        let shown = format!("$ cua-check {} (in tests/fixtures/rules/{}/{case}; exit {})\n{}{}", args.join(" "), rule.code, r.code, r.stdout, r.stderr);
        insta::assert_snapshot!(format!("check_{}", rule.code), shown);
    }
}

#[test]
fn explain_every_rule() {
    for rule in cua_check::rules::RULES {
        let r = cua(&root(), &["explain", rule.code.as_str()]);
        assert_eq!(r.code, 0);
        insta::assert_snapshot!(format!("explain_{}", rule.code), r.stdout);
    }
}

#[test]
fn rules_list() {
    let r = cua(&root(), &["rules"]);
    assert_eq!(r.code, 0);
    insta::assert_snapshot!("rules", r.stdout);
}

#[test]
fn new_id() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cua-check"))
        .arg("new-id")
        .env("CUA_CHECK_TEST_GUID", GUID)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    insta::assert_snapshot!("new_id", stdout);
}

/// `cua-check map` in all three formats, on the bundled examples and on a tree of several
/// solutions (two IDs each covering solutions in two folders, a registry, a placeholder ID).
#[test]
fn attribution_map() {
    let cases = [("examples", root(), "examples/"), ("multi_solution", root().join("tests/fixtures/map"), "multi-solution")];
    for (name, cwd, arg) in cases {
        for format in ["text", "json", "markdown"] {
            let r = cua(&cwd, &["map", arg, "--format", format, "--no-config"]);
            assert_eq!(r.code, 0, "{}", r.stderr);
            if format == "json" {
                let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("map --format json is JSON");
                assert_eq!(v["version"], 1);
            }
            insta::assert_snapshot!(format!("map_{name}_{format}"), format!("$ cua-check map {arg} --format {format}\n{}", r.stdout));
        }
    }
}
