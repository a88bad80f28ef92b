//! Hostile pull requests (issue 16): what the repository names is read only inside the checked
//! folder, never a special file, and nothing of a refused file is printed.

mod common;
use common::*;
use std::path::Path;
use std::process::Command;

const SECRET: &str = "s3cr3t-token-do-not-print";

/// Run the binary with a secret in its environment, as a runner's job would have.
fn run(cwd: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_cua-check"))
        .args(args)
        .current_dir(cwd)
        .env_remove("ARM_PARTNER_ID")
        .env("NO_COLOR", "1")
        .env("AZURE_ACCESS_TOKEN", SECRET)
        .output()
        .expect("run cua-check");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn printed(r: &Run) -> String {
    format!("{}\n{}", r.stdout, r.stderr)
}

/// Nothing of the environment, `/etc/passwd` or `/etc/shadow` in what was printed.
fn nothing_leaked(r: &Run) {
    let all = printed(r);
    assert!(!all.contains(SECRET), "the environment leaked: {all}");
    assert!(!all.contains("root:x:0") && !all.contains("root:*:") && !all.contains("root:!"), "a system file leaked: {all}");
    assert!(!all.contains("PATH="), "the environment leaked: {all}");
}

#[test]
fn a_registry_named_outside_the_tree_is_refused_by_path() {
    for (name, registry) in [("environ", "/proc/self/environ"), ("shadow", "../../../../../../../../etc/shadow"), ("passwd", "/etc/passwd")] {
        let t = TempTree::new(&format!("reg-{name}"));
        t.write("cua-check.toml", format!("registry = {registry:?}\n"));
        let r = run(t.path(), &["check", "."]);
        assert_eq!(r.code, 2, "{}", printed(&r));
        assert!(r.stderr.contains("leads outside the checked folder"), "{}", r.stderr);
        assert!(r.stderr.contains(registry.trim_start_matches("../")), "the path is named: {}", r.stderr);
        nothing_leaked(&r);
    }
}

#[cfg(unix)]
#[test]
fn a_config_file_linked_outside_the_tree_is_refused() {
    let t = TempTree::new("config-link");
    std::os::unix::fs::symlink("/etc/passwd", t.path().join("cua-check.toml")).unwrap();
    let r = run(t.path(), &["check", "."]);
    assert_eq!(r.code, 2, "{}", printed(&r));
    assert!(r.stderr.contains("cua-check.toml: the config file could not be read: it leads outside"), "{}", r.stderr);
    nothing_leaked(&r);
    // A folder linked outside (`.github` -> /etc) is no way round it.
    let t = TempTree::new("config-dir-link");
    let outside = TempTree::new("config-dir-outside");
    outside.write("cua-check.toml", "registry = \"/proc/self/environ\"\n");
    std::os::unix::fs::symlink(outside.path(), t.path().join(".github")).unwrap();
    let r = run(t.path(), &["check", "."]);
    assert_eq!(r.code, 2, "{}", printed(&r));
    assert!(r.stderr.contains("leads outside"), "{}", r.stderr);
    nothing_leaked(&r);
}

#[cfg(unix)]
#[test]
fn a_registry_linked_outside_through_the_tree_is_refused() {
    let t = TempTree::new("reg-link");
    std::os::unix::fs::symlink("/etc/passwd", t.path().join("ids.txt")).unwrap();
    t.write("cua-check.toml", "registry = \"ids.txt\"\n");
    let r = run(t.path(), &["check", "."]);
    assert_eq!(r.code, 2, "{}", printed(&r));
    assert!(r.stderr.contains("registry file ids.txt") && r.stderr.contains("leads outside"), "{}", r.stderr);
    nothing_leaked(&r);
}

fn mkfifo(p: &Path) {
    let ok = Command::new("mkfifo").arg(p).status().map(|s| s.success()).unwrap_or(false);
    assert!(ok, "mkfifo {}", p.display());
}

#[cfg(unix)]
#[test]
fn fifos_and_devices_are_refused_without_waiting() {
    let t = TempTree::new("fifo");
    t.write("cua-check.toml", "registry = \"ids.txt\"\n");
    mkfifo(&t.path().join("ids.txt"));
    mkfifo(&t.path().join("cua-registry.json"));
    mkfifo(&t.path().join("azuredeploy.json"));
    let start = std::time::Instant::now();
    let r = run(t.path(), &["check", "."]);
    assert!(start.elapsed().as_secs() < 20, "hung on a FIFO");
    assert_eq!(r.code, 2, "{}", printed(&r));
    assert!(r.stderr.contains("ids.txt") && r.stderr.contains("not a regular file"), "{}", r.stderr);

    // Without the config: the FIFOs in the tree are findings, not a hang and not a silent skip.
    std::fs::remove_file(t.path().join("cua-check.toml")).unwrap();
    let (code, rep) = report(t.path(), &["."]);
    assert_eq!(code, 1, "{rep}");
    for p in ["azuredeploy.json", "cua-registry.json"] {
        assert!(findings(&rep).contains(&("CUA001".into(), p.into(), 1)), "{p}: {rep}");
    }
    // `/dev/zero` named by the repository: refused at once, not a 32 MiB read.
    let t = TempTree::new("devzero");
    t.write("cua-check.toml", "registry = \"/dev/zero\"\n");
    let r = run(t.path(), &["check", "."]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.len() < 1000, "{} bytes of error", r.stderr.len());
}

#[cfg(unix)]
#[test]
fn bicep_load_text_content_does_not_follow_a_link_out() {
    let outside = TempTree::new("bicep-outside");
    outside.write("secret.txt", SECRET);
    let t = TempTree::new("bicep-link");
    std::os::unix::fs::symlink(outside.path().join("secret.txt"), t.path().join("name.txt")).unwrap();
    t.write("main.bicep", "var n = loadTextContent('name.txt')\n\nmodule partnerTracking './empty.bicep' = {\n  name: n\n}\n");
    t.write("empty.bicep", "targetScope = 'resourceGroup'\n");
    for format in ["text", "json", "sarif", "markdown"] {
        let r = run(t.path(), &["check", ".", "--format", format]);
        nothing_leaked(&r);
    }
    // Inside the tree, through a link, it is read as before.
    let t2 = TempTree::new("bicep-link-inside");
    t2.write("data/name.txt", format!("pid-{GUID}"));
    std::os::unix::fs::symlink(t2.path().join("data/name.txt"), t2.path().join("name.txt")).unwrap();
    t2.write("main.bicep", "var n = loadTextContent('name.txt')\n\nmodule partnerTracking './empty.bicep' = {\n  name: n\n}\n");
    t2.write("empty.bicep", "targetScope = 'resourceGroup'\n");
    let (_, rep) = report(t2.path(), &[".", "--registered", GUID]);
    assert!(rep.to_string().contains(&format!("pid-{GUID}")), "{rep}");
}

#[test]
fn paths_the_user_gives_stay_trusted() {
    let outside = TempTree::new("trusted-outside");
    let reg = outside.write("ids.txt", format!("{GUID} Contoso\n"));
    let cfg = outside.write("my.toml", format!("registry = {:?}\n", reg.to_str().unwrap()));
    let t = TempTree::new("trusted");
    t.write("a.txt", "");
    let r = run(t.path(), &["check", ".", "--registry", reg.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", printed(&r));
    let r = run(t.path(), &["check", ".", "--config", cfg.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", printed(&r));
}

#[test]
fn an_oversized_config_file_is_an_error_not_cut() {
    let t = TempTree::new("big-config");
    let mut text = String::from("mode = \"standard\"\n");
    while text.len() <= 1 << 20 {
        text.push_str("# padding padding padding padding padding padding padding padding\n");
    }
    t.write("cua-check.toml", &text);
    let r = run(t.path(), &["check", "."]);
    assert_eq!(r.code, 2, "{}", printed(&r));
    assert!(r.stderr.contains("larger than 1048576 bytes"), "{}", r.stderr);
}

#[test]
fn config_and_registry_messages_quote_a_short_excerpt() {
    let long = "x".repeat(100_000);
    let t = TempTree::new("long-config");
    t.write("cua-check.toml", format!("mode = \"{long}\"\n"));
    let r = run(t.path(), &["check", "."]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.len() < 1000, "{} bytes: {}", r.stderr.len(), &r.stderr[..200]);
    let t = TempTree::new("long-registry");
    t.write("ids.txt", format!("{long}\n"));
    t.write("cua-check.toml", "registry = \"ids.txt\"\n");
    let r = run(t.path(), &["check", "."]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("ids.txt:1:") && r.stderr.len() < 1000, "{} bytes", r.stderr.len());
}

/// A line the Actions runner would take as a workflow command (`::cmd::` after white space,
/// or `##[cmd]` anywhere).
fn runner_commands(out: &str) -> Vec<&str> {
    out.lines().filter(|l| l.trim_start().starts_with("::") || l.contains("##[")).collect()
}

#[test]
fn text_output_carries_no_workflow_command_from_the_repository() {
    let t = TempTree::new("commands");
    let untracked = template("    { \"type\": \"Microsoft.Storage/storageAccounts\", \"apiVersion\": \"2023-01-01\", \"name\": \"##[error]boom\", \"location\": \"::error::x\" }");
    t.write("##[error]a/azuredeploy.json", &untracked);
    t.write("::warning::b/mainTemplate.json", &untracked);
    t.write("ids.txt", format!("{GUID} ::error file=x::registered ##[warning]desc\n"));
    t.write(
        "c/azuredeploy.json",
        template(&format!("    {{ \"type\": \"Microsoft.Resources/deployments\", \"apiVersion\": \"2021-04-01\", \"name\": \"pid-{GUID}\",\n      \"properties\": {{ \"mode\": \"Incremental\", \"template\": {{ \"resources\": [] }} }} }},\n::error::line\n")),
    );
    for format in ["text", "json", "sarif", "markdown"] {
        let r = run(t.path(), &["check", ".", "--registry", "ids.txt", "--format", format]);
        assert_eq!(runner_commands(&r.stdout), Vec::<&str>::new(), "{format}");
        assert_eq!(runner_commands(&r.stderr), Vec::<&str>::new(), "{format}");
    }
    let r = run(t.path(), &["check", ".", "--registry", "ids.txt"]);
    assert!(r.stdout.contains("a/azuredeploy.json"), "{}", r.stdout);
    // JSON output keeps the values: a JSON reader sees `##[` as written.
    let (_, rep) = report(t.path(), &[".", "--registry", "ids.txt"]);
    assert!(rep["files"].as_array().unwrap().iter().any(|f| f["path"] == "##[error]a/azuredeploy.json"), "{rep}");
}

#[test]
fn a_ten_megabyte_line_gives_a_small_code_frame() {
    let t = TempTree::new("long-line");
    let pad = "x".repeat(10_000_000);
    // One line: the findings point 10 MB into it.
    let body = format!("{{ \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\", \"variables\": {{ \"p\": \"{pad}\" }}, \"resources\": [ {{ \"type\": \"Microsoft.Resources/deployments\", \"apiVersion\": \"2021-04-01\", \"name\": \"pid-{GUID}\", \"properties\": {{ \"mode\": \"Complete\", \"template\": {{ \"resources\": [] }} }} }} ] }}");
    t.write("azuredeploy.json", body);
    let r = run(t.path(), &["check", "."]);
    assert!(r.stdout.len() < 20_000, "{} bytes of output", r.stdout.len());
    assert!(r.stdout.contains("CUA107"), "{}", &r.stdout[..r.stdout.len().min(3000)]);
    assert!(r.stdout.contains(" …"), "{}", &r.stdout[..r.stdout.len().min(3000)]);
}
