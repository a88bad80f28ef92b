//! The command line as a user meets it: exit codes, the text report, help, docs.

mod common;
use common::*;

#[test]
fn good_example_passes_and_names_its_tracking_id() {
    let r = cua(&root(), &["check", "examples/good"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains(&format!("pid-{GUID}")), "{}", r.stdout);
    assert!(r.stdout.contains("registered: Contoso Storage Accelerator"), "{}", r.stdout);
    assert!(r.stdout.contains("gate passed"), "{}", r.stdout);
}

#[test]
fn bad_example_fails_and_says_the_main_template_lacks_tracking() {
    let r = cua(&root(), &["check", "examples/bad"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("error[CUA101] missing-tracking"), "{}", r.stdout);
    assert!(r.stdout.contains("main template has no tracking deployment"), "{}", r.stdout);
    // code frame: location, source line and a help line with the fix
    assert!(r.stdout.contains("--> azuredeploy.json:"), "{}", r.stdout);
    assert!(r.stdout.contains("\"resources\": ["), "{}", r.stdout);
    assert!(r.stdout.contains("= help: add an empty Microsoft.Resources/deployments resource named"), "{}", r.stdout);
    assert!(r.stdout.contains("gate failed"), "{}", r.stdout);
}

#[test]
fn fail_on_never_passes_the_gate_with_errors() {
    let r = cua(&root(), &["check", "examples/bad", "--fail-on", "never"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("1 error"), "{}", r.stdout);
}

#[test]
fn usage_errors_exit_2_and_say_what_to_do() {
    let r = cua(&root(), &["check", "--format", "yaml"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("invalid value \"yaml\" for --format (allowed values: text, json, sarif, markdown)"), "{}", r.stderr);
    assert!(r.stderr.contains("cua-check check --help"), "{}", r.stderr);
    let r = cua(&root(), &["check", "no/such/folder"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no/such/folder: no such file or folder"), "{}", r.stderr);
    let r = cua(&root(), &["frobnicate"]);
    assert_eq!(r.code, 2);
    let r = cua(&root(), &["check", "--registered", "pid-nope"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.starts_with("error: invalid value \"pid-nope\" for --registered (allowed values: pid-<GUID>, pid-<GUID>-partnercenter or a bare GUID)"), "{}", r.stderr);
}

#[test]
fn a_panic_is_reported_not_silent() {
    let r = cua(&root(), &["__panic"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("internal error: deliberate panic"), "{}", r.stderr);
}

#[test]
fn rules_and_explain_come_from_the_registry() {
    let r = cua(&root(), &["rules"]);
    assert_eq!(r.code, 0);
    for code in ["CUA101", "CUA117", "CUA201", "CUA301"] {
        assert!(r.stdout.contains(code), "{code} missing from rules:\n{}", r.stdout);
    }
    let r = cua(&root(), &["explain", "cua104"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.starts_with("CUA104 unregistered-id"), "{}", r.stdout);
    for section in ["What it checks", "Why it matters", "Example", "Fix"] {
        assert!(r.stdout.contains(section), "{section}");
    }
    let r = cua(&root(), &["explain", "CUA999"]);
    assert_eq!(r.code, 2);
}

#[test]
fn generated_rule_docs_are_current() {
    let r = cua(&root(), &["rules", "--format", "markdown"]);
    let committed = std::fs::read_to_string(root().join("docs/rules.md")).expect("docs/rules.md");
    assert!(
        committed == r.stdout,
        "docs/rules.md is stale: run `cargo run -- rules --format markdown > docs/rules.md`"
    );
    // The README's rule table names every rule with its code and name.
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    for line in cua(&root(), &["rules"]).stdout.lines().skip(1) {
        let mut cols = line.split_whitespace();
        let (code, name) = (cols.next().unwrap(), cols.next().unwrap());
        assert!(readme.contains(&format!("| {code} | {name} |")), "README lacks {code} {name}");
    }
}

#[test]
fn new_id_prints_snippets_for_every_channel() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cua-check"))
        .arg("new-id")
        .env("CUA_CHECK_TEST_GUID", GUID)
        .output()
        .unwrap();
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.starts_with(&format!("Tracking ID: pid-{GUID}")), "{s}");
    assert!(s.contains("Partner Center"));
    assert!(s.contains("\"type\": \"Microsoft.Resources/deployments\""));
    assert!(s.contains("resource partnerTracking 'Microsoft.Resources/deployments@"));
    assert!(s.contains(&format!("partner_id = \"{GUID}\"")));
    assert!(s.contains(&format!("AZURE_HTTP_USER_AGENT='pid-{GUID}'")));
    // random when not pinned, and a valid v4 GUID
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cua-check")).arg("new-id").output().unwrap();
    let s = String::from_utf8(out.stdout).unwrap();
    let id = s.lines().next().unwrap().trim_start_matches("Tracking ID: pid-");
    assert!(cua_check::tracking::is_guid(id) && id.as_bytes()[14] == b'4', "{id}");
    assert!(!s.contains(GUID));
}

/// The real file system, with a terminal (or not) and NO_COLOR as the test says.
struct Tty {
    tty: bool,
    no_color: Option<&'static str>,
}

impl cua_check::util::host::Host for Tty {
    fn read_dir(&self, p: &str) -> Result<Vec<(String, cua_check::util::host::EntryKind)>, String> {
        cua_check::util::host::native::NativeHost.read_dir(p)
    }
    fn stat(&self, p: &str) -> Option<(cua_check::util::host::EntryKind, u64)> {
        cua_check::util::host::native::NativeHost.stat(p)
    }
    fn realpath(&self, p: &str) -> Option<String> {
        cua_check::util::host::native::NativeHost.realpath(p)
    }
    fn read_file(&self, p: &str, limit: u64) -> Result<Vec<u8>, String> {
        cua_check::util::host::native::NativeHost.read_file(p, limit)
    }
    fn write_file(&self, _: &str, _: &[u8]) -> Result<(), String> {
        Err("read-only in this test".into())
    }
    fn env(&self, name: &str) -> Option<String> {
        match name {
            "NO_COLOR" => self.no_color.map(str::to_string),
            _ => None,
        }
    }
    fn is_tty(&self) -> bool {
        self.tty
    }
    fn random_bytes(&self) -> [u8; 16] {
        [0; 16]
    }
}

#[test]
fn colour_follows_the_terminal_no_color_and_the_flag() {
    let bad = root().join("examples/bad").to_string_lossy().to_string();
    let run = |tty: bool, no_color: Option<&'static str>, extra: &[&str]| -> String {
        let mut args: Vec<String> = vec!["check".into(), bad.clone(), "--no-config".into()];
        args.extend(extra.iter().map(|s| s.to_string()));
        cua_check::frontends::cli::run(&args, &Tty { tty, no_color }).stdout
    };
    const RED_ERROR: &str = "\x1b[1;31merror\x1b[0m";
    assert!(run(true, None, &[]).contains(RED_ERROR), "a terminal gets colour");
    assert!(!run(true, Some("1"), &[]).contains('\x1b'), "NO_COLOR=1 turns it off");
    assert!(run(true, Some(""), &[]).contains(RED_ERROR), "an empty NO_COLOR does not count");
    assert!(!run(false, None, &[]).contains('\x1b'), "no colour into a pipe");
    assert!(run(false, Some("1"), &["--color", "always"]).contains(RED_ERROR), "--color always wins");
    assert!(!run(true, None, &["--color=never"]).contains('\x1b'));
    // The binary: --color always gives colour, NO_COLOR=1 (set by `cua`) keeps it off otherwise.
    let r = cua(&root(), &["check", "examples/bad", "--color", "always"]);
    assert!(r.stdout.contains(RED_ERROR), "{}", r.stdout);
    assert!(r.stdout.contains("\x1b[1;34m-->\x1b[0m"), "{}", r.stdout);
    let r = cua(&root(), &["check", "examples/bad"]);
    assert!(!r.stdout.contains('\x1b'), "{}", r.stdout);
}

#[test]
fn quiet_shows_only_errors() {
    let t = TempTree::new("quiet");
    t.write(
        "azuredeploy.json",
        format!("// deployed by the pipeline\n{}", template("    { \"type\": \"Microsoft.Storage/storageAccounts\", \"apiVersion\": \"2023-01-01\", \"name\": \"data\" }")),
    );
    let r = cua(t.path(), &["check"]);
    assert!(r.stdout.contains("warning[CUA112]") && r.stdout.contains("error[CUA101]"), "{}", r.stdout);
    assert!(r.stdout.contains("✗ azuredeploy.json: no tracking ID"), "{}", r.stdout);
    for flag in ["--quiet", "-q"] {
        let r = cua(t.path(), &["check", flag]);
        assert_eq!(r.code, 1);
        assert!(r.stdout.starts_with("error[CUA101] missing-tracking"), "{}", r.stdout);
        assert!(!r.stdout.contains("warning[") && !r.stdout.contains("notice["), "{}", r.stdout);
        assert!(!r.stdout.contains("no tracking ID\n"), "no tracking list: {}", r.stdout);
        assert!(r.stdout.ends_with("1 error, 1 warning, 0 notices in 1 file (1 template); gate failed (fail-on: error); registration not checked (no registry given)\n"), "{}", r.stdout);
    }
}

/// The attribution map names each ID's channels, solutions and resources (also those deployed
/// through a Bicep module), the registry's description, and a notice when one ID covers
/// solutions in several folders; a solution whose ID is a placeholder is listed apart.
#[test]
fn map_shows_what_each_id_covers() {
    let r = cua(&root().join("tests/fixtures/map"), &["map", "multi-solution", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let ids = v["ids"].as_array().unwrap();
    assert_eq!(ids.len(), 2);
    let a = ids.iter().find(|e| e["id"] == "pid-7867e591-c1ee-4530-bed8-7387ab893a26").unwrap();
    assert_eq!(a["description"], "Contoso web and AKS offers");
    assert_eq!(a["channels"], serde_json::json!(["ARM", "Bicep"]));
    let aks = a["solutions"].as_array().unwrap().iter().find(|s| s["name"] == "aks/main.bicep").unwrap();
    assert!(aks["resources"].as_array().unwrap().iter().any(|r| r["type"] == "Microsoft.ContainerService/managedClusters"), "{aks}");
    assert!(a["notice"].as_str().unwrap().contains("unique GUID for each offer and distribution channel"));
    let b = ids.iter().find(|e| e["id"] == "pid-3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b").unwrap();
    assert_eq!((b["registered"].as_bool(), b["channels"].clone()), (Some(false), serde_json::json!(["Terraform", "SDK/CLI"])));
    assert_eq!(v["solutionsWithoutId"], serde_json::json!(["legacy/azuredeploy.json"]));
    // One solution per ID: no notice.
    let r = cua(&root(), &["map", "examples/", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(v["ids"][0]["notice"].is_null());
    // Usage errors name the command.
    let r = cua(&root(), &["map", "--format", "sarif"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("invalid value \"sarif\" for --format (allowed values: text, json, markdown)") && r.stderr.contains("cua-check map --help"), "{}", r.stderr);
}
