//! `.bicepparam` files and compile-time imports: a tracking name whose value comes only from a
//! parameters file, an imported variable or a user-defined function is resolved.

mod common;
use common::*;

const OTHER: &str = "0d9f2f29-2f6b-4b29-9c0e-0f4f3a1b7c11";

/// (id, valueFrom) of the tracking entries of `path`.
fn tracking(r: &serde_json::Value, path: &str) -> Vec<(Option<String>, Option<String>)> {
    let f = r["files"].as_array().unwrap().iter().find(|f| f["path"] == path).unwrap_or_else(|| panic!("{path} not listed: {r}"));
    f["tracking"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["id"].as_str().map(String::from), t["valueFrom"].as_str().map(String::from)))
        .collect()
}

fn rules(r: &serde_json::Value) -> Vec<String> {
    findings(r).into_iter().map(|(rule, path, line)| format!("{rule} {path}:{line}")).collect()
}

const MAIN: &str = "param partnerId string\n\nmodule pid './empty.bicep' = {\n  name: 'pid-${partnerId}'\n}\n";

fn tree(name: &str) -> TempTree {
    let t = TempTree::new(name);
    t.write("infra/main.bicep", MAIN);
    t.write("infra/empty.bicep", "targetScope = 'resourceGroup'\n");
    t
}

#[test]
fn a_value_set_only_in_the_bicepparam_file_resolves_the_tracking_name() {
    let t = tree("bicepparam-one");
    // Without the parameters file the name is dynamic (CUA114).
    let (_, r) = report(t.path(), &[".", "--registered", GUID]);
    assert_eq!(tracking(&r, "infra/main.bicep"), vec![(None, None)]);
    assert!(rules(&r).iter().any(|f| f.starts_with("CUA114 infra/main.bicep:4")), "{r}");

    t.write("infra/main.bicepparam", format!("using './main.bicep'\n\nvar id = '{GUID}'\nparam partnerId = id\n"));
    let (code, r) = report(t.path(), &[".", "--registered", GUID]);
    assert_eq!(code, 0, "{r}");
    assert_eq!(
        tracking(&r, "infra/main.bicep"),
        vec![(Some(format!("pid-{GUID}")), Some("with the values of infra/main.bicepparam".into()))]
    );
    assert!(!rules(&r).iter().any(|f| f.starts_with("CUA114") || f.starts_with("CUA101")), "{r}");
    // The parameters file is listed, but is not a template: no main, no missing tracking.
    let p = r["files"].as_array().unwrap().iter().find(|f| f["path"] == "infra/main.bicepparam").unwrap();
    assert_eq!(p["role"], "other", "{p}");
    assert_eq!(r["summary"]["templates"], 2, "{r}");
}

#[test]
fn several_parameters_files_resolve_a_name_only_when_they_agree() {
    let t = tree("bicepparam-several");
    t.write("infra/dev.bicepparam", format!("using 'main.bicep'\nparam partnerId = '{GUID}'\n"));
    t.write("infra/prod.bicepparam", format!("using './main.bicep'\nparam partnerId = '{GUID}'\n"));
    let (_, r) = report(t.path(), &[".", "--registered", GUID]);
    assert_eq!(
        tracking(&r, "infra/main.bicep"),
        vec![(Some(format!("pid-{GUID}")), Some("with the values of infra/dev.bicepparam, infra/prod.bicepparam (all agree)".into()))]
    );
    // They disagree: the name stays as the template alone gives it.
    t.write("infra/prod.bicepparam", format!("using './main.bicep'\nparam partnerId = '{OTHER}'\n"));
    let (_, r) = report(t.path(), &[".", "--registered", GUID]);
    let said = format!("its parameters files give different values (infra/dev.bicepparam: pid-{GUID}; infra/prod.bicepparam: pid-{OTHER})");
    assert_eq!(tracking(&r, "infra/main.bicep"), vec![(None, Some(said.clone()))]);
    let cua114: Vec<&str> = r["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == "CUA114").map(|f| f["message"].as_str().unwrap()).collect();
    assert_eq!(cua114, vec![format!("tracking ID `'pid-${{partnerId}}'` cannot be resolved before deployment: {said}")], "{r}");
}

#[test]
fn a_parameters_file_value_wins_over_the_default_and_can_come_from_extends_and_imports() {
    let t = TempTree::new("bicepparam-extends");
    t.write("main.bicep", format!("param partnerId string = '{OTHER}'\n\nmodule pid './empty.bicep' = {{\n  name: 'pid-${{partnerId}}'\n}}\n"));
    t.write("empty.bicep", "targetScope = 'resourceGroup'\n");
    t.write("shared/ids.bicep", format!("@export()\nvar partner = {{\n  id: '{GUID}'\n}}\n"));
    t.write("params/base.bicepparam", "using none\n\nimport {partner as p} from '../shared/ids.bicep'\n\nparam partnerId = p.id\n");
    t.write("params/main.bicepparam", "using '../main.bicep'\nextends './base.bicepparam'\n");
    let (code, r) = report(t.path(), &[".", "--registered", GUID]);
    assert_eq!(code, 0, "{r}");
    assert_eq!(tracking(&r, "main.bicep"), vec![(Some(format!("pid-{GUID}")), Some("with the values of params/main.bicepparam".into()))]);
}

#[test]
fn a_value_known_only_at_deployment_keeps_the_name_dynamic() {
    let t = tree("bicepparam-env");
    t.write("infra/main.bicepparam", "using './main.bicep'\nparam partnerId = readEnvironmentVariable('PARTNER_ID', '')\n");
    let (_, r) = report(t.path(), &["."]);
    assert_eq!(tracking(&r, "infra/main.bicep").len(), 1);
    let msg = r["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "CUA114").map(|f| f["message"].as_str().unwrap().to_string());
    let msg = msg.unwrap_or_else(|| panic!("no CUA114: {r}"));
    assert!(msg.contains("even with the values of infra/main.bicepparam"), "{msg}");
}

#[test]
fn a_broken_parameters_file_is_reported_and_the_rest_is_checked() {
    let t = tree("bicepparam-broken");
    t.write("infra/main.bicepparam", "using './main.bicep'\nparam partnerId = 'pid-\n");
    let (_, r) = report(t.path(), &["."]);
    let f = rules(&r);
    assert!(f.iter().any(|x| x.starts_with("CUA001 infra/main.bicepparam:2")), "{r}");
    assert!(f.iter().any(|x| x.starts_with("CUA114 infra/main.bicep:4")), "{r}");
}

#[test]
fn imported_variables_and_functions_resolve_tracking_names() {
    let t = TempTree::new("bicep-imports");
    t.write("empty.bicep", "targetScope = 'resourceGroup'\n");
    t.write("lib/ids.bicep", format!("@export()\nvar partnerGuid = '{GUID}'\n\n@export()\nvar names = {{\n  tracking: 'pid-${{partnerGuid}}'\n}}\n"));
    t.write(
        "a/main.bicep",
        "import {partnerGuid} from '../lib/ids.bicep'\n\nmodule pid '../empty.bicep' = {\n  name: 'pid-${partnerGuid}'\n}\n",
    );
    t.write(
        "b/main.bicep",
        "import * as ids from '../lib/ids.bicep'\n\nmodule pid '../empty.bicep' = {\n  name: ids.names.tracking\n}\n",
    );
    t.write(
        "c/main.bicep",
        format!("func trackingName(guid string) string => 'pid-${{toLower(guid)}}'\n\nmodule pid '../empty.bicep' = {{\n  name: trackingName('{}')\n}}\n", GUID.to_uppercase()),
    );
    // A registry import is not read: the name stays unknown, with the reason.
    t.write(
        "d/main.bicep",
        "import {partnerGuid} from 'br/public:avm/utl/types/avm-common-types:0.5.1'\n\nmodule pid '../empty.bicep' = {\n  name: 'pid-${partnerGuid}'\n}\n",
    );
    let (_, r) = report(t.path(), &[".", "--registered", GUID]);
    for p in ["a/main.bicep", "b/main.bicep", "c/main.bicep"] {
        assert_eq!(tracking(&r, p), vec![(Some(format!("pid-{GUID}")), None)], "{p}: {r}");
    }
    assert_eq!(tracking(&r, "d/main.bicep"), vec![(None, None)]);
    assert!(!rules(&r).iter().any(|f| f.starts_with("CUA001")), "{r}");
}

#[test]
fn the_params_fixture_resolves_its_tracking_id_through_extends_and_an_import() {
    let dir = root().join("tests/fixtures/bicep/params");
    let (code, r) = report(&dir, &[".", "--registered", GUID]);
    assert_eq!(code, 0, "{r}");
    assert_eq!(tracking(&r, "main.bicep"), vec![(Some(format!("pid-{GUID}")), Some("with the values of main.bicepparam".into()))]);
    for p in ["main.bicepparam", "env/base.bicepparam"] {
        let f = r["files"].as_array().unwrap().iter().find(|f| f["path"] == p).unwrap_or_else(|| panic!("{p}: {r}"));
        assert_eq!(f["role"], "other");
    }
    assert!(!rules(&r).iter().any(|f| f.starts_with("CUA0") || f.starts_with("CUA1") && !f.starts_with("CUA111")), "{r}");
}

#[test]
fn each_construct_of_the_language_carries_the_tracking_id() {
    // tests/fixtures/bicep/constructs/<construct>.bicep: one tracking module each, its name built
    // through `[?…] ??`, `.?`, an imported variable, `import * as`, a lambda, a user-defined
    // function, `\u{…}` and `[^1]`, a multi-line ternary, nested interpolation.
    let dir = root().join("tests/fixtures/bicep/constructs");
    let (code, r) = report(&dir, &[".", "--registered", GUID]);
    assert_eq!(code, 0, "{r}");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if !name.ends_with(".bicep") || name == "empty.bicep" {
            continue;
        }
        n += 1;
        assert_eq!(tracking(&r, &name), vec![(Some(format!("pid-{GUID}")), None)], "{name}");
    }
    assert!(n >= 8, "{n} construct files");
    let bad: Vec<String> = rules(&r).into_iter().filter(|f| !f.starts_with("CUA401")).collect();
    assert!(bad.is_empty(), "{bad:?}");
}
