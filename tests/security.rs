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

// ---- `fix --write`: atomic and exact (issue 16, case 2) ----

const SCHEMA: &str = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";

/// A template without tracking (CUA101, which `fix` adds) carrying `pad` bytes of description.
fn untracked(pad: usize) -> String {
    format!(
        "{{\n  \"$schema\": \"{SCHEMA}\",\n  \"contentVersion\": \"1.0.0.0\",\n  \"metadata\": {{ \"description\": \"{}\" }},\n  \"resources\": [\n    {{\n      \"type\": \"Microsoft.Storage/storageAccounts\",\n      \"apiVersion\": \"2023-01-01\",\n      \"name\": \"contosodata\",\n      \"location\": \"westeurope\"\n    }}\n  ]\n}}\n",
        "x".repeat(pad)
    )
}

fn pid() -> String {
    format!("pid-{GUID}")
}

/// Temporary files `fix --write` would leave in `dir`.
fn temp_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).filter(|n| n.contains(".cua-check-") && n.ends_with(".tmp")).collect()
}

/// What `fix --write` makes of `before` (in a tree of its own).
fn fixed_bytes(name: &str, before: &str) -> Vec<u8> {
    let t = TempTree::new("fix-expected");
    t.write(name, before);
    let r = run(t.path(), &["fix", "--write", "--registered", &pid()]);
    assert_eq!(r.code, 0, "{}", printed(&r));
    let after = std::fs::read(t.path().join(name)).unwrap();
    assert_ne!(after, before.as_bytes());
    after
}

/// Run the binary under a file-size limit (`ulimit -f`, in 512- or 1024-byte blocks), with
/// SIGXFSZ ignored so that a write past it fails with EFBIG, as on a full disk or a quota.
#[cfg(unix)]
fn run_size_limited(cwd: &Path, blocks: u32, args: &[&str]) -> Run {
    let out = Command::new("/bin/sh")
        .arg("-c")
        .arg(format!("trap '' XFSZ; ulimit -f {blocks}; exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_cua-check"))
        .args(args)
        .current_dir(cwd)
        .env_remove("ARM_PARTNER_ID")
        .env("NO_COLOR", "1")
        .output()
        .expect("run cua-check");
    Run { code: out.status.code().unwrap_or(-1), stdout: String::from_utf8_lossy(&out.stdout).into_owned(), stderr: String::from_utf8_lossy(&out.stderr).into_owned() }
}

#[cfg(unix)]
#[test]
fn a_write_that_fails_part_way_leaves_the_file_as_it_was_and_says_so() {
    // big.json's fixed text is past the limit (the write fails with EFBIG after 32 KiB or more),
    // small.json's is not: small.json is written, big.json is left byte-identical, and the
    // output says which is which. (Written in place, big.json was left cut at the limit.)
    let t = TempTree::new("fix-efbig");
    let big = untracked(300_000);
    t.write("big/azuredeploy.json", &big);
    t.write("small/azuredeploy.json", untracked(10));
    let small_fixed = fixed_bytes("azuredeploy.json", &untracked(10));
    let r = run_size_limited(t.path(), 64, &["fix", "--write", "--registered", &pid()]);
    assert_eq!(r.code, 2, "{}", printed(&r));
    assert_eq!(std::fs::read(t.path().join("big/azuredeploy.json")).unwrap(), big.as_bytes(), "big.json must be unchanged");
    assert_eq!(std::fs::read(t.path().join("small/azuredeploy.json")).unwrap(), small_fixed, "small.json is written");
    assert!(r.stderr.contains("error: could not write big/azuredeploy.json:") && r.stderr.contains("the file was left unchanged"), "{}", r.stderr);
    assert!(r.stderr.contains("1 fix in 1 file written; not written (left unchanged): big/azuredeploy.json"), "{}", r.stderr);
    assert!(r.stdout.contains("fixed small/azuredeploy.json:") && !r.stdout.contains("fixed big/"), "{}", r.stdout);
    assert!(temp_files(&t.path().join("big")).is_empty(), "the temporary file is removed: {:?}", temp_files(&t.path().join("big")));
}

#[cfg(unix)]
#[test]
fn a_fix_killed_at_any_moment_leaves_the_old_or_the_new_bytes_never_a_cut() {
    // A 4 MB template. Half the runs are SIGKILLed at a random moment of a run; the other half
    // as soon as the write has begun (a temporary file appears, or the template's size
    // changes, as when it is rewritten in place), plus a random few hundred microseconds. After
    // each, the file must be byte for byte the old text or the fixed one. The delays are
    // seeded (CUA_CHECK_KILL_SEED replays a failure).
    let before = untracked(4_000_000);
    let after = fixed_bytes("azuredeploy.json", &before);
    let t = TempTree::new("fix-kill");
    let file = t.path().join("azuredeploy.json");
    t.write("azuredeploy.json", &before);
    let start = std::time::Instant::now();
    let r = run(t.path(), &["fix", "--write", "--registered", &pid()]);
    assert_eq!(r.code, 0, "{}", printed(&r));
    let full = start.elapsed();
    let mut seed: u64 = std::env::var("CUA_CHECK_KILL_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64
    });
    eprintln!("kill loop: CUA_CHECK_KILL_SEED={seed}, a full run takes {full:?}");
    let (mut old, mut new, mut in_write) = (0, 0, 0);
    for i in 0..16 {
        std::fs::write(&file, &before).unwrap();
        for n in temp_files(t.path()) {
            std::fs::remove_file(t.path().join(n)).unwrap();
        }
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let r = (seed >> 33) as f64 / (1u64 << 31) as f64;
        let mut child = Command::new(env!("CARGO_BIN_EXE_cua-check"))
            .args(["fix", "--write", "--registered", &pid()])
            .current_dir(t.path())
            .env_remove("ARM_PARTNER_ID")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let at = if i % 2 == 0 {
            let at = full.mul_f64(0.2 + r);
            std::thread::sleep(at);
            at
        } else {
            let t0 = std::time::Instant::now();
            loop {
                let began = !temp_files(t.path()).is_empty() || std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0) != before.len() as u64;
                if began || child.try_wait().unwrap().is_some() || t0.elapsed() > full * 20 {
                    break;
                }
            }
            std::thread::sleep(std::time::Duration::from_micros((r * 500.0) as u64));
            t0.elapsed()
        };
        let _ = child.kill(); // SIGKILL
        child.wait().unwrap();
        if !temp_files(t.path()).is_empty() {
            in_write += 1;
        }
        let now = std::fs::read(&file).unwrap();
        if now == before.as_bytes() {
            old += 1;
        } else if now == after {
            new += 1;
        } else {
            panic!("run {i} killed after {at:?}: the file is neither the old nor the new text ({} bytes)", now.len());
        }
    }
    eprintln!("kill loop: {old} old, {new} new; {in_write} killed with the temporary file half written");
}

#[cfg(unix)]
#[test]
fn through_a_link_the_target_is_written_once_with_every_fix_and_the_link_kept() {
    // azuredeploy.json (a main template) has its tracking only in a nested template (CUA102,
    // moved up by fix) in Complete mode (CUA107, set to Incremental by fix); x.json is a link to
    // it, read as a second, non-main template. CUA107 is ignored for azuredeploy.json, so each
    // name wants one of the two fixes. Before, each name was written in turn and the second
    // write undid the first; now the file is planned once with both.
    let t = TempTree::new("fix-alias");
    let nested = format!(
        "{{\n  \"$schema\": \"{SCHEMA}\",\n  \"contentVersion\": \"1.0.0.0\",\n  \"resources\": [\n    {{\n      \"type\": \"Microsoft.Resources/deployments\",\n      \"apiVersion\": \"2021-04-01\",\n      \"name\": \"outer\",\n      \"properties\": {{\n        \"mode\": \"Incremental\",\n        \"template\": {{\n          \"$schema\": \"{SCHEMA}\",\n          \"contentVersion\": \"1.0.0.0\",\n          \"resources\": [\n            {{\n              \"type\": \"Microsoft.Resources/deployments\",\n              \"apiVersion\": \"2021-04-01\",\n              \"name\": \"{}\",\n              \"properties\": {{\n                \"mode\": \"Complete\",\n                \"template\": {{ \"$schema\": \"{SCHEMA}\", \"contentVersion\": \"1.0.0.0\", \"resources\": [] }}\n              }}\n            }}\n          ]\n        }}\n      }}\n    }}\n  ]\n}}\n",
        pid()
    );
    t.write("azuredeploy.json", &nested);
    std::os::unix::fs::symlink("azuredeploy.json", t.path().join("x.json")).unwrap();
    t.write("cua-check.toml", "[[ignore]]\npath = \"azuredeploy.json\"\nrules = [\"CUA107\"]\nreason = \"test\"\n");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(t.path().join("azuredeploy.json"), std::fs::Permissions::from_mode(0o640)).unwrap();
    let (_, rep) = report(t.path(), &["--registered", &pid()]);
    let before: Vec<_> = findings(&rep).into_iter().filter(|f| f.0.starts_with("CUA10")).map(|f| (f.0, f.1)).collect();
    assert!(before.contains(&("CUA102".into(), "azuredeploy.json".into())) && before.contains(&("CUA107".into(), "x.json".into())), "{before:?}");

    // The dry run shows one diff with both fixes.
    let r = run(t.path(), &["fix", "--registered", &pid()]);
    assert_eq!(r.stdout.matches("--- a/").count(), 1, "{}", r.stdout);
    assert!(r.stderr.contains("x.json: the same file as azuredeploy.json"), "{}", r.stderr);

    let r = run(t.path(), &["fix", "--write", "--registered", &pid()]);
    assert_eq!(r.code, 0, "{}", printed(&r));
    assert!(r.stdout.contains("fixed azuredeploy.json (also reached as x.json):") && r.stdout.contains("2 fixes in 1 file written"), "{}", r.stdout);
    let after = std::fs::read_to_string(t.path().join("azuredeploy.json")).unwrap();
    assert!(!after.contains("\"Complete\""), "the CUA107 fix is kept: {after}");
    assert!(after.find(&pid()).unwrap() < after.find("\"outer\"").unwrap(), "the CUA102 fix is kept: {after}");
    let meta = std::fs::symlink_metadata(t.path().join("x.json")).unwrap();
    assert!(meta.file_type().is_symlink(), "x.json is still a link");
    assert_eq!(std::fs::read_link(t.path().join("x.json")).unwrap(), Path::new("azuredeploy.json"));
    assert_eq!(std::fs::metadata(t.path().join("azuredeploy.json")).unwrap().permissions().mode() & 0o777, 0o640, "the mode is kept");
    assert!(temp_files(t.path()).is_empty());
    let (_, rep) = report(t.path(), &["--registered", &pid()]);
    let left: Vec<_> = findings(&rep).into_iter().filter(|f| f.0.starts_with("CUA10")).collect();
    assert!(left.is_empty(), "every fix applied: {left:?}");
}

#[cfg(unix)]
#[test]
fn fixing_a_link_given_on_the_command_line_replaces_its_target() {
    let t = TempTree::new("fix-link-arg");
    t.write("real/azuredeploy.json", untracked(10));
    std::os::unix::fs::symlink("real/azuredeploy.json", t.path().join("azuredeploy.json")).unwrap();
    let r = run(t.path(), &["fix", "--write", "azuredeploy.json", "--registered", &pid()]);
    assert_eq!(r.code, 0, "{}", printed(&r));
    assert!(std::fs::symlink_metadata(t.path().join("azuredeploy.json")).unwrap().file_type().is_symlink());
    assert_eq!(std::fs::read(t.path().join("real/azuredeploy.json")).unwrap(), fixed_bytes("azuredeploy.json", &untracked(10)));
    assert!(temp_files(t.path()).is_empty() && temp_files(&t.path().join("real")).is_empty());
}

// ---- budgets: the config file (issue 16, case 4) ----

#[test]
fn a_config_nested_100000_arrays_deep_is_an_error_not_a_stack_overflow() {
    let t = TempTree::new("config-deep");
    t.write("azuredeploy.json", template(""));
    t.write("cua-check.toml", format!("main = {}\n", "[".repeat(100_000)));
    let r = run(t.path(), &["check", "."]);
    assert_eq!(r.code, 2, "{}", printed(&r));
    assert!(r.stderr.contains("cua-check.toml:1: arrays nested more than 32 deep are not supported"), "{}", r.stderr);
    // 32 levels are still read (and then refused by the schema, with the key named).
    t.write("cua-check.toml", format!("main = {}{}\n", "[".repeat(32), "]".repeat(32)));
    let r = run(t.path(), &["check", "."]);
    assert_eq!(r.code, 2, "{}", printed(&r));
    assert!(!r.stderr.contains("nested more than") && r.stderr.contains("main"), "{}", r.stderr);
}

#[test]
fn a_config_of_a_million_bytes_of_tables_and_keys_is_read_in_linear_time() {
    // 35,000 [[ignore]] tables and 1 MiB of keys: before, each header and each key scanned
    // every earlier one (and each [[ignore]] every entry), minutes of work; now sets. The
    // runs end with the clear outcome (the last key set twice; a valid file checked).
    let t = TempTree::new("config-wide");
    t.write("azuredeploy.json", template(""));
    let mut keys = String::new();
    let mut i = 0;
    while keys.len() < 1_000_000 {
        keys.push_str(&format!("k{i} = 1\n"));
        i += 1;
    }
    keys.push_str("k0 = 2\n");
    t.write("cua-check.toml", &keys);
    let r = run(t.path(), &["check", "."]);
    assert_eq!(r.code, 2, "{}", printed(&r));
    assert!(r.stderr.contains(&format!(":{}: key \"k0\" is set twice", i + 1)), "{}", r.stderr);
    let mut ignores = String::new();
    while ignores.len() < 1_000_000 {
        ignores.push_str("[[ignore]]\npath = \"x/**\"\nreason = \"r\"\n");
    }
    t.write("cua-check.toml", &ignores);
    let r = run(t.path(), &["check", "."]);
    assert!(r.code == 0 || r.code == 1, "{}", printed(&r));
}

// ---- budgets: ARM evaluation per file (issue 16, case 4) ----

#[test]
fn one_large_variable_used_as_thousands_of_names_is_cut_by_the_file_budget() {
    // A 1.6 MB template: one 1 MiB variable, used as the name of 2,000 deployments. Before, every
    // name held its own 1 MiB copy (2 GB, minutes; 4.2 GB and a crash in the action). Now the
    // file's budget (32 MiB of values built) stops evaluation: the first names are checked, the
    // rest are CUA114 with the reason and a note.
    let t = TempTree::new("arm-budget");
    let dep = r#"{"type": "Microsoft.Resources/deployments", "apiVersion": "2021-04-01", "name": "[concat('pid-', variables('v'))]", "properties": {"mode": "Incremental", "template": {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0", "resources": []}}}"#;
    let deps = vec![dep; 2000].join(",\n");
    let text = format!(
        "{{\"$schema\": \"{SCHEMA}\", \"contentVersion\": \"1.0.0.0\", \"variables\": {{\"v\": \"{}\"}},\n\"resources\": [\n{deps}\n]}}\n",
        "a".repeat((1 << 20) - 100)
    );
    t.write("azuredeploy.json", &text);
    let (code, rep) = report(t.path(), &[]);
    assert_eq!(code, 1);
    let all = rep["findings"].as_array().unwrap();
    let spent: Vec<_> = all.iter().filter(|f| f["rule"] == "CUA114").collect();
    assert!(spent.len() > 1900 && spent.len() < 2000, "most names are not evaluated: {}", spent.len());
    assert!(spent[0]["message"].as_str().unwrap().contains("was not evaluated: this file's evaluation budget (32 MiB of values built"), "{}", spent[0]);
    assert!(spent[0]["help"].as_str().unwrap().starts_with("note: the template builds very large values"), "{}", spent[0]);
    // The names evaluated before are checked as before (too long for Azure).
    let long = all.iter().filter(|f| f["rule"] == "CUA110").count();
    assert!(long > 0 && long + spent.len() == 2000, "the first names are still checked: {long}");
    // A template that builds less is not affected: the same variable used 10 times.
    let few = format!(
        "{{\"$schema\": \"{SCHEMA}\", \"contentVersion\": \"1.0.0.0\", \"variables\": {{\"v\": \"pid-{GUID}{}\"}},\n\"resources\": [\n{}\n]}}\n",
        "a".repeat((1 << 20) - 100),
        vec![dep; 10].join(",\n")
    );
    t.write("azuredeploy.json", &few);
    let (_, rep) = report(t.path(), &[]);
    assert!(!rep["findings"].as_array().unwrap().iter().any(|f| f["rule"] == "CUA114"), "{rep}");
}

// ---- budgets: verify against a hostile or broken server (issue 16, case 5) ----

/// A local HTTP server answering each request with `answer(n, path)` = (status, body); returns
/// its URL and the count of requests served.
fn serve(answer: impl Fn(usize, &str) -> (u16, Vec<u8>) + Send + 'static) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let count = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let c = count.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            let path = line.split(' ').nth(1).unwrap_or("/").to_string();
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).is_err() || h.trim().is_empty() {
                    break;
                }
            }
            let n = c.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let (status, body) = answer(n, &path);
            let head = format!("HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
    });
    (url, count)
}

fn verify(url: &str) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_cua-check"))
        .args(["verify", "--subscription", "00000000-0000-0000-0000-000000000001", "--resource-group", "rg", "--tracking-id", &pid(), "--arm-endpoint", url])
        .env("AZURE_ACCESS_TOKEN", SECRET)
        .env("NO_COLOR", "1")
        .env_remove("HTTPS_PROXY")
        .env_remove("HTTP_PROXY")
        .env_remove("https_proxy")
        .env_remove("http_proxy")
        .output()
        .unwrap();
    Run { code: out.status.code().unwrap_or(-1), stdout: String::from_utf8_lossy(&out.stdout).into_owned(), stderr: String::from_utf8_lossy(&out.stderr).into_owned() }
}

#[test]
fn verify_stops_on_a_next_link_back_to_a_page_already_read() {
    // Before: 78,838 requests a minute, forever. The link names the server's own origin (a
    // link to another host is refused already).
    // The first page links to /b, and /b back to the first page.
    let listener_url = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let l2 = listener_url.clone();
    let first = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let (own, served) = serve(move |_, path| {
        let mut f = first.lock().unwrap();
        if f.is_empty() {
            *f = path.to_string();
        }
        let next = if path == "/b" { f.clone() } else { "/b".to_string() };
        (200, format!("{{\"value\": [], \"nextLink\": \"{}{next}\"}}", l2.lock().unwrap()).into_bytes())
    });
    *listener_url.lock().unwrap() = own.clone();
    let r = verify(&own);
    assert_eq!(r.code, 2, "{}", printed(&r));
    assert!(r.stderr.contains("a nextLink to a page already read"), "{}", r.stderr);
    assert_eq!(served.load(std::sync::atomic::Ordering::SeqCst), 2, "the first page and the repeat only");
    nothing_leaked(&r);
}

#[test]
fn verify_stops_after_the_page_limit() {
    let base = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let b = base.clone();
    let (own, served) = serve(move |n, _| (200, format!("{{\"value\": [], \"nextLink\": \"{}/page?n={n}\"}}", b.lock().unwrap()).into_bytes()));
    *base.lock().unwrap() = own.clone();
    let r = verify(&own);
    assert_eq!(r.code, 2, "{}", printed(&r));
    assert!(r.stderr.contains("more than 1000 pages; stopped"), "{}", r.stderr);
    assert_eq!(served.load(std::sync::atomic::Ordering::SeqCst), 1001);
}

#[test]
fn verify_refuses_an_answer_over_32_mib_without_holding_it() {
    let (own, _) = serve(|_, _| (200, vec![b' '; 40 << 20]));
    let r = verify(&own);
    assert_eq!(r.code, 2, "{}", printed(&r));
    assert!(r.stderr.contains("answered with more than 32 MiB (HTTP 200); the answer was not read"), "{}", r.stderr);
}

// ---- no silent skips (issue 16, case 6) ----

#[cfg(target_os = "linux")]
#[test]
fn a_name_that_is_not_utf8_is_a_cua001_error_with_the_bytes_escaped() {
    use std::os::unix::ffi::OsStrExt;
    // Before: skipped silently, exit 0, the gate passed on the template inside.
    let t = TempTree::new("non-utf8");
    let dir = t.path().join(std::ffi::OsStr::from_bytes(b"caf\xe9"));
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("azuredeploy.json"), template("")).unwrap();
    std::fs::write(t.path().join(std::ffi::OsStr::from_bytes(b"x\xff.json")), "{}").unwrap();
    std::fs::write(t.path().join(std::ffi::OsStr::from_bytes(b"photo\xff.png")), "not read").unwrap();
    let (code, rep) = report(t.path(), &[]);
    assert_eq!(code, 1, "{rep}");
    let f = findings(&rep);
    assert!(f.contains(&("CUA001".into(), "caf\\xE9".into(), 1)), "{f:?}");
    assert!(f.contains(&("CUA001".into(), "x\\xFF.json".into(), 1)), "{f:?}");
    assert!(!f.iter().any(|x| x.1.contains("photo")), "a name no reader would read is not reported: {f:?}");
    let msg = rep["findings"].as_array().unwrap().iter().find(|x| x["path"] == "caf\\xE9").unwrap()["message"].as_str().unwrap().to_string();
    assert!(msg.starts_with("folder name is not valid UTF-8"), "{msg}");
    let r = run(t.path(), &["check", "."]);
    assert!(r.stdout.contains("--> caf\\xE9:1:1"), "{}", r.stdout);
}

#[test]
fn lone_cr_line_ends_count_as_lines() {
    // Before: everything was on line 1 (column 250).
    let t = TempTree::new("cr-only");
    let text = format!(
        "{{\r  \"$schema\": \"{SCHEMA}\",\r  \"contentVersion\": \"1.0.0.0\",\r  \"resources\": [\r    {{\r      \"type\": \"Microsoft.Resources/deployments\",\r      \"apiVersion\": \"2021-04-01\",\r      \"name\": \"pid-7867e591-c1ee-4530-bed8-7387ab893a2\",\r      \"properties\": {{ \"mode\": \"Incremental\", \"template\": {{ \"$schema\": \"{SCHEMA}\", \"contentVersion\": \"1.0.0.0\", \"resources\": [] }} }}\r    }}\r  ]\r}}\r"
    );
    t.write("azuredeploy.json", &text);
    let (_, rep) = report(t.path(), &[]);
    assert!(findings(&rep).contains(&("CUA103".into(), "azuredeploy.json".into(), 8)), "{:?}", findings(&rep));
    // A CR-only registry and config file are read line by line too.
    t.write("ids.txt", format!("# ids\rpid-{GUID}\rpid-7867e591-c1ee-4530-bed8-7387ab893a27\r"));
    t.write("cua-check.toml", "# config\rregistry = \"ids.txt\"\rfail-on = \"never\"\r");
    let (code, rep) = report(t.path(), &[]);
    assert_eq!(code, 0, "{rep}");
    assert_eq!(rep["registry"]["ids"], 2, "{}", rep["registry"]);
    t.write("cua-check.toml", "# config\r\rnope = 1\r");
    let r = run(t.path(), &["check", "."]);
    assert!(r.stderr.contains("cua-check.toml:3:"), "{}", r.stderr);
}

#[test]
fn a_key_that_matters_written_twice_is_a_warning_and_the_last_one_counts_everywhere() {
    // Before: the first "resources" was taken, silently; Azure takes the last.
    let t = TempTree::new("dup-keys");
    let tracking = format!("{{ \"type\": \"Microsoft.Resources/deployments\", \"apiVersion\": \"2021-04-01\", \"name\": \"pid-{GUID}\", \"properties\": {{ \"mode\": \"Incremental\", \"mode\": \"Complete\", \"template\": {{ \"$schema\": \"{SCHEMA}\", \"contentVersion\": \"1.0.0.0\", \"resources\": [] }} }} }}");
    let storage = "{ \"type\": \"Microsoft.Storage/storageAccounts\", \"apiVersion\": \"2023-01-01\", \"name\": \"contosodata\", \"location\": \"westeurope\" }";
    let text = format!("{{\n  \"$schema\": \"{SCHEMA}\",\n  \"contentVersion\": \"1.0.0.0\",\n  \"resources\": [\n    {tracking}\n  ],\n  \"resources\": [\n    {storage}\n  ]\n}}\n");
    t.write("azuredeploy.json", &text);
    let (_, rep) = report(t.path(), &[]);
    let all = rep["findings"].as_array().unwrap();
    let dup = all.iter().find(|f| f["rule"] == "CUA001" && f["message"].as_str().unwrap().contains("\"resources\"")).expect("a warning for resources");
    assert_eq!(dup["severity"], "warning");
    assert_eq!(dup["line"], 7);
    assert!(dup["message"].as_str().unwrap().contains("(lines 4, 7); Azure uses the last one (line 7)"), "{dup}");
    // The check reads the last "resources": no tracking there.
    assert!(all.iter().any(|f| f["rule"] == "CUA101"), "{rep}");
    // `fix` agrees: it adds tracking to the last "resources" and leaves the first alone.
    let r = run(t.path(), &["fix", "--write", "--registered", &pid()]);
    assert_eq!(r.code, 0, "{}", printed(&r));
    let after = std::fs::read_to_string(t.path().join("azuredeploy.json")).unwrap();
    let second = after.rfind("\n  \"resources\": [").unwrap();
    assert!(after[second..].contains(&format!("\"name\": \"pid-{GUID}\"")), "added to the last: {after}");
    assert!(after[..second].contains(&tracking), "the first is unchanged: {after}");
    // "mode" twice in a deployment: the last ("Complete") counts, as in Azure.
    let text = format!("{{\n  \"$schema\": \"{SCHEMA}\",\n  \"contentVersion\": \"1.0.0.0\",\n  \"resources\": [\n    {tracking}\n  ]\n}}\n");
    t.write("azuredeploy.json", &text);
    let (_, rep) = report(t.path(), &[]);
    let all = rep["findings"].as_array().unwrap();
    assert!(all.iter().any(|f| f["rule"] == "CUA107" && f["message"].as_str().unwrap().contains("Complete")), "{rep}");
    assert!(all.iter().any(|f| f["rule"] == "CUA001" && f["message"].as_str().unwrap().starts_with("key \"mode\" is written 2 times")), "{rep}");
}
