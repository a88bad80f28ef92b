//! Fixture tests for every rule. Each case is a folder `tests/fixtures/rules/<CODE>/<fires|silent>-<name>/`
//! holding the files to check, an optional `args` file (extra command-line flags, one per line)
//! and, for `fires-*` cases, an `expect` file listing `path:line` for every finding of that
//! rule the case must produce (exactly those). `silent-*` cases must produce none of that rule.
//! Every rule in the registry must have at least one case of each kind.

mod common;
use common::*;
use std::collections::BTreeSet;
use std::path::Path;

fn run_case(code: &str, dir: &Path) -> Result<(), String> {
    let mut args: Vec<String> = vec!["check".into(), ".".into(), "--format".into(), "json".into()];
    if let Ok(a) = std::fs::read_to_string(dir.join("args")) {
        args.extend(a.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from));
    }
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let r = cua(dir, &argv);
    let report: serde_json::Value =
        serde_json::from_str(&r.stdout).map_err(|e| format!("not JSON ({e}): {}{}", r.stdout, r.stderr))?;
    let got: BTreeSet<String> = findings(&report)
        .into_iter()
        .filter(|(rule, path, _)| rule == code && path != "args" && path != "expect")
        .map(|(_, path, line)| format!("{path}:{line}"))
        .collect();
    let name = dir.file_name().unwrap().to_string_lossy().to_string();
    let want: BTreeSet<String> = if name.starts_with("fires") {
        let e = std::fs::read_to_string(dir.join("expect")).map_err(|_| "fires case without an expect file".to_string())?;
        e.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect()
    } else {
        BTreeSet::new()
    };
    if name.starts_with("fires") && want.is_empty() {
        return Err("fires case with an empty expect file".into());
    }
    if got != want {
        return Err(format!("expected {code} at {want:?}, got {got:?}\nreport: {}", r.stdout));
    }
    Ok(())
}

#[test]
fn every_rule_fixture() {
    let base = root().join("tests/fixtures/rules");
    let mut failures = Vec::new();
    let mut ran = 0;
    for rule in cua_check::rules::RULES {
        let dir = base.join(rule.code.as_str());
        let mut kinds = (0, 0);
        let mut cases: Vec<_> = std::fs::read_dir(&dir).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
        cases.sort();
        for case in cases.iter().filter(|p| p.is_dir()) {
            let name = case.file_name().unwrap().to_string_lossy().to_string();
            if name.starts_with("fires") {
                kinds.0 += 1;
            } else if name.starts_with("silent") {
                kinds.1 += 1;
            } else {
                failures.push(format!("{}: case name must start with fires- or silent-", case.display()));
                continue;
            }
            ran += 1;
            if let Err(e) = run_case(rule.code.as_str(), case) {
                failures.push(format!("{}/{}: {e}", rule.code, name));
            }
        }
        if kinds.0 == 0 || kinds.1 == 0 {
            failures.push(format!("{} has {} firing and {} silent fixtures; it needs both", rule.code, kinds.0, kinds.1));
        }
    }
    assert!(failures.is_empty(), "{} of {ran} cases failed:\n{}", failures.len(), failures.join("\n\n"));
}

/// What a parse failure costs (CUA001): an error where the file could hide tracking (a main
/// template, or text that mentions a tracking ID or a way to carry one), a warning elsewhere,
/// so a broken helper file does not fail the gate.
#[test]
fn cua001_severity_follows_what_the_file_could_hide() {
    let t = TempTree::new("cua001-severity");
    let broken = |extra: &str| {
        format!(
            "{{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n  \"contentVersion\": \"1.0.0.0\",{extra}\n  \"resources\": [\n}}\n"
        )
    };
    t.write("helper/other.json", broken(""));
    t.write("helper/rapid.json", broken("\n  \"metadata\": {\"d\": \"rapid-deploy\"},"));
    t.write("azuredeploy.json", broken(""));
    t.write("tracked/nested.json", broken("\n  \"variables\": {\"n\": \"pid-7867e591-c1ee-4530-bed8-7387ab893a26\"},"));
    t.write("mod/main.tf", "provider \"azurerm\" {\n  features {}\n  partner_id = \"x\"\n  = 1\n}\n");
    t.write("mod2/variables.tf", "variable \"a\" {\n  = 1\n}\n");
    t.write("pinned/deploy.json", broken(""));
    let (_, r) = report(t.path(), &[".", "--main", "pinned/deploy.json"]);
    let mut got: Vec<(String, String)> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "CUA001")
        .map(|f| (f["path"].as_str().unwrap().to_string(), f["severity"].as_str().unwrap().to_string()))
        .collect();
    got.sort();
    let want: Vec<(String, String)> = [
        ("azuredeploy.json", "error"),
        ("helper/other.json", "warning"),
        ("helper/rapid.json", "warning"),
        ("mod/main.tf", "error"),
        ("mod2/variables.tf", "warning"),
        ("pinned/deploy.json", "error"),
        ("tracked/nested.json", "error"),
    ]
    .iter()
    .map(|(p, s)| (p.to_string(), s.to_string()))
    .collect();
    assert_eq!(got, want, "{r}");
}

/// CUA401 is a warning in the standard mode and a notice in the marketplace mode (the offer's
/// listing may carry the notice); `[rules]` overrides it like any rule; a `notice-pattern` that
/// is not a regular expression stops the run with the file and line.
#[test]
fn cua401_severity_follows_the_mode_and_the_config() {
    let base = root().join("tests/fixtures/rules/CUA401/fires-arm-no-readme");
    let severity = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["check", ".", "--format", "json", "--no-config"];
        all.extend_from_slice(args);
        let r = cua(&base, &all);
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}{}", r.stdout, r.stderr));
        v["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == "CUA401").map(|f| f["severity"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(severity(&[]), vec!["warning"]);
    assert_eq!(severity(&["--mode", "marketplace"]), vec!["notice"]);

    let t = TempTree::new("cua401-config");
    t.write("azuredeploy.json", std::fs::read(base.join("azuredeploy.json")).unwrap());
    t.write("cua-check.toml", "[rules]\nCUA401 = \"error\"\n");
    let (code, r) = report(t.path(), &["."]);
    assert_eq!(code, 1, "an error fails the gate");
    assert!(findings(&r).iter().any(|(rule, _, _)| rule == "CUA401"));
    t.write("cua-check.toml", "mode = \"standard\"\nnotice-pattern = \"(unclosed\"\n");
    let r = cua(t.path(), &["check", "."]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("cua-check.toml:2: key \"notice-pattern\": not a valid regular expression"), "{}", r.stderr);
}

/// A provider without `partner_id` in a configuration whose local module carries a `pid-`
/// tracking deployment is tracked that way: a warning that names the deployment, not an
/// error. Without the module call, the same provider block is an error.
#[test]
fn cua201_is_a_warning_when_a_local_module_carries_the_tracking_deployment() {
    let base = root().join("tests/fixtures/rules/CUA201/fires-provider-beside-module-telemetry");
    let cua201 = |dir: &Path| -> Vec<(String, String)> {
        let r = cua(dir, &["check", ".", "--format", "json", "--no-config"]);
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}{}", r.stdout, r.stderr));
        v["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == "CUA201")
            .map(|f| (f["severity"].as_str().unwrap().to_string(), f["message"].as_str().unwrap().to_string())).collect()
    };
    let got = cua201(&base);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "warning");
    assert!(got[0].1.contains("modules/landing-zone/telemetry.tf:4"), "{}", got[0].1);

    let t = TempTree::new("cua201-no-module");
    let main = std::fs::read_to_string(base.join("examples/basic/main.tf")).unwrap();
    t.write("examples/basic/main.tf", main.replace("../../modules/landing-zone", "Azure/landing-zone/azurerm"));
    t.write("modules/landing-zone/telemetry.tf", std::fs::read(base.join("modules/landing-zone/telemetry.tf")).unwrap());
    let got = cua201(t.path());
    assert_eq!(got.iter().map(|g| g.0.as_str()).collect::<Vec<_>>(), vec!["error"], "a registry source is not followed: {got:?}");

    // An Azure Verified Module from the registry reports its own use (modtm): a warning.
    t.write("examples/basic/main.tf", main.replace("../../modules/landing-zone", "Azure/avm-res-network-virtualnetwork/azurerm"));
    let got = cua201(t.path());
    assert_eq!(got.iter().map(|g| g.0.as_str()).collect::<Vec<_>>(), vec!["warning"], "{got:?}");
    assert!(got[0].1.contains("Azure Verified Module at examples/basic/main.tf:13"), "{}", got[0].1);

    // A nested module (`modules/<name>` of a module with telemetry) belongs to that module.
    let t2 = TempTree::new("cua201-nested-module");
    t2.write("main.telemetry.tf", "resource \"modtm_telemetry\" \"telemetry\" {\n  tags = {}\n}\n");
    t2.write("modules/peering/main.tf", "resource \"azurerm_virtual_network_peering\" \"this\" {\n  name = \"p\"\n}\n");
    t2.write("examples/peering/main.tf", main.replace("../../modules/landing-zone", "../../modules/peering"));
    let got = cua201(t2.path());
    assert_eq!(got.iter().map(|g| g.0.as_str()).collect::<Vec<_>>(), vec!["warning"], "{got:?}");
    assert!(got[0].1.contains("main.telemetry.tf:1 (modtm_telemetry)"), "{}", got[0].1);

    // A configuration that sets partner_id on one provider and not on another loses that part,
    // whatever its modules do: an error.
    let both = main.replace("provider \"azurerm\" {\n  features {}\n}", "provider \"azurerm\" {\n  features {}\n  partner_id = \"0c5b6a2e-5d94-4f2a-9a51-3a9c1f4e7d21\"\n}\n\nprovider \"azurerm\" {\n  alias = \"hub\"\n  features {}\n}");
    assert_ne!(both, main);
    t2.write("examples/peering/main.tf", both);
    let got = cua201(t2.path());
    assert_eq!(got.iter().map(|g| g.0.as_str()).collect::<Vec<_>>(), vec!["error"], "{got:?}");
}

/// Issue 14: a raw GitHub link is followed to this repository's own path when
/// `GITHUB_REPOSITORY` names the repository it points into, and is an external link (its target
/// not checked, never matched by file name) when it names another one.
#[test]
fn raw_github_link_follows_github_repository() {
    let base = root().join("tests/fixtures/rules/CUA102/fires-linked-raw-github");
    let run = |repo: &str| -> (Vec<String>, serde_json::Value) {
        let r = cua_env(&base, &["check", ".", "--format", "json", "--no-config"], &[("GITHUB_REPOSITORY", repo)]);
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}{}", r.stdout, r.stderr));
        let rules = v["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap().to_string()).collect();
        (rules, v)
    };
    let (same, _) = run("example-org/example-templates");
    assert!(same.contains(&"CUA102".to_string()), "own repository: the link is followed to nested/core.json: {same:?}");
    assert!(!same.contains(&"CUA101".to_string()), "{same:?}");
    let (other, v) = run("another-org/another-repo");
    assert!(!other.contains(&"CUA102".to_string()), "another repository: the link is external, not followed: {other:?}");
    assert!(other.contains(&"CUA101".to_string()), "the main template has no tracking of its own: {other:?}");
    let text = v.to_string();
    assert!(text.contains("github.com/example-org/example-templates"), "the external link is named: {text}");
}

/// Issue 14: `"pid-${var.cuaId}"` with an empty default is a tracking entry, never dropped:
/// `id` null when nothing in the repository sets the variable, and the value of
/// `TF_VAR_cuaId` (followed through `$CUA_ID` in the same script) with where it came from when
/// a script sets it.
#[test]
fn terraform_dynamic_id_is_reported_with_the_value_a_script_sets() {
    let tf = std::fs::read_to_string("tests/fixtures/rules/CUA114/fires-terraform-tf-var-in-script/infra/main.tf").unwrap();
    let script = std::fs::read_to_string("tests/fixtures/rules/CUA114/fires-terraform-tf-var-in-script/scripts/deploy.sh").unwrap();
    let entry = |r: &serde_json::Value| -> serde_json::Value {
        let f = r["files"].as_array().unwrap().iter().find(|f| f["path"] == "infra/main.tf").expect("infra/main.tf in the report");
        let t = f["tracking"].as_array().unwrap();
        assert_eq!(t.len(), 1, "one tracking entry: {t:?}");
        t[0].clone()
    };

    let bare = TempTree::new("tfvar-none");
    bare.write("infra/main.tf", tf.clone());
    let (_, r) = report(bare.path(), &["."]);
    let e = entry(&r);
    assert!(e["id"].is_null(), "{e}");
    assert!(e.get("valueFrom").is_none(), "{e}");
    assert!(findings(&r).iter().any(|(c, p, l)| c == "CUA114" && p == "infra/main.tf" && *l == 18));
    assert!(findings(&r).iter().any(|(c, p, l)| c == "CUA111" && p == "infra/main.tf" && *l == 17));

    let with = TempTree::new("tfvar-script");
    with.write("infra/main.tf", tf);
    with.write("scripts/deploy.sh", script);
    let (_, r) = report(with.path(), &["."]);
    let e = entry(&r);
    assert_eq!(e["id"], "pid-0c0f6d52-2a9c-4a1c-9b1a-6f6d1f1b7e3a", "{e}");
    assert_eq!(e["valueFrom"], "TF_VAR_cuaId at scripts/deploy.sh:5, from CUA_ID at scripts/deploy.sh:3", "{e}");
    let msg = r["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "CUA114").expect("CUA114")["message"].as_str().unwrap().to_string();
    assert!(msg.contains("scripts/deploy.sh:5"), "{msg}");
}

/// Issue 14: a Terraform tracking name built as `substr(format("pid-%s_%s", <GUID>, var.v), 0, 64)`
/// (the shape of the CAF enterprise-scale module's telemetry) keeps its ID: it is a tracking
/// entry, not dropped.
#[test]
fn terraform_substr_of_format_keeps_the_tracking_id() {
    let (_, r) = report(Path::new("tests/fixtures/rules/CUA114/silent-terraform-substr-format"), &["."]);
    let ids: Vec<&str> = r["files"].as_array().unwrap().iter().flat_map(|f| f["tracking"].as_array().unwrap()).filter_map(|t| t["id"].as_str()).collect();
    assert_eq!(ids, ["pid-7867e591-c1ee-4530-bed8-7387ab893a26"], "{r}");
}

/// Issue 14: a deployment named `${customer.usage.attribution.id}` (Maven resource filtering) is
/// resolved through `pom.xml`, the profile active by default winning over the project's
/// properties, and the entry says where the value came from; never CUA101.
#[test]
fn maven_placeholder_is_resolved_through_the_pom() {
    let (_, r) = report(Path::new("tests/fixtures/rules/CUA105/silent-maven-placeholder-resolved"), &["."]);
    let t: Vec<&serde_json::Value> = r["files"].as_array().unwrap().iter().flat_map(|f| f["tracking"].as_array().unwrap()).collect();
    assert_eq!(t.len(), 1, "{r}");
    assert_eq!(t[0]["id"], "pid-7867e591-c1ee-4530-bed8-7387ab893a26-partnercenter");
    assert_eq!(t[0]["valueFrom"], "pom.xml:17 (property `customer.usage.attribution.id`)");
    let codes: Vec<String> = findings(&r).into_iter().map(|(c, _, _)| c).collect();
    assert!(!codes.iter().any(|c| c == "CUA101" || c == "CUA105" || c == "CUA110"), "{codes:?}");
}

/// Issue 14: the JSON report says why each file has its role: a main-named Bicep file that
/// another file deploys as a module is `linked`, naming its deployer; the solution's own
/// `main.bicep` is `main` because nothing deploys it.
#[test]
fn json_report_gives_the_reason_for_each_role() {
    let (_, r) = report(Path::new("tests/fixtures/rules/CUA101/silent-module-main-bicep"), &["."]);
    let file = |p: &str| r["files"].as_array().unwrap().iter().find(|f| f["path"] == p).unwrap_or_else(|| panic!("{p} in {r}")).clone();
    let module = file("modules/storage/main.bicep");
    assert_eq!(module["role"], "linked", "{module}");
    assert!(module["roleReason"].as_str().unwrap().contains("deployed by solution/main.bicep"), "{module}");
    let solution = file("solution/main.bicep");
    assert_eq!(solution["role"], "main", "{solution}");
    assert!(solution["roleReason"].as_str().unwrap().contains("deployed by no other file"), "{solution}");
}
