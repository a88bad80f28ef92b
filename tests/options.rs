//! The options table (src/options/table.rs) is the one declaration of every option: `action.yml`
//! and the README's inputs tables are generated from it and held against it here.

use cua_check::options::table;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Set `CUA_CHECK_REGENERATE=1` to write the generated text instead of failing.
fn regenerate() -> bool {
    std::env::var("CUA_CHECK_REGENERATE").is_ok_and(|v| v == "1")
}

/// Replace the text between `start` (a whole line) and the next line starting with `end`.
fn between(text: &str, start: &str, end: &str) -> Option<(usize, usize)> {
    let s = text.find(&format!("\n{start}\n"))? + 1;
    let e = s + text[s..].find(&format!("\n{end}"))? + 1;
    Some((s, e))
}

fn hold(file: &str, start: &str, end: &str, generated: &str) {
    let path = root().join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let (s, e) = between(&text, start, end).unwrap_or_else(|| panic!("{file}: no {start:?} … {end:?} section"));
    if &text[s..e] == generated {
        return;
    }
    if regenerate() {
        std::fs::write(&path, format!("{}{generated}{}", &text[..s], &text[e..])).unwrap();
        return;
    }
    panic!("{file} is stale against src/options/table.rs: run `CUA_CHECK_REGENERATE=1 cargo test --test options`\n--- generated:\n{generated}");
}

#[test]
fn action_yml_inputs_are_the_table() {
    let generated = table::action_yml_inputs();
    hold("action.yml", "inputs:", "outputs:", &generated);
    // What the runner reads: every input of the table, empty defaults but the token's, and each
    // description names the built-in default and the allowed values.
    let yml = std::fs::read_to_string(root().join("action.yml")).unwrap();
    for o in table::OPTIONS {
        let Some(name) = o.input else { continue };
        let at = yml.find(&format!("\n  {name}:\n")).unwrap_or_else(|| panic!("action.yml has no input {name}"));
        let block: String = yml[at + 1..].lines().skip(1).take_while(|l| l.starts_with("    ")).collect::<Vec<_>>().join("\n");
        let default = if o.secret { o.default } else { "" };
        assert!(block.contains(&format!("default: '{default}'")), "{name}: {block}");
        if !o.secret && !o.default.is_empty() {
            assert!(block.contains(&format!("`{}`", o.default)), "{name}: the description names the default: {block}");
        }
        if !o.allowed.is_empty() {
            let allowed = format!("Allowed values: {}.", o.allowed).replace('\'', "''");
            assert!(block.contains(&allowed), "{name}: the description lists the allowed values: {block}");
        }
    }
    // nothing else declares an input
    let declared = yml[..yml.find("\noutputs:").unwrap()].lines().filter(|l| l.starts_with("  ") && !l.starts_with("   ") && l.ends_with(':')).count();
    assert_eq!(declared, table::OPTIONS.iter().filter(|o| o.input.is_some()).count());
}

#[test]
fn the_readme_inputs_tables_are_the_table() {
    for (name, generated) in [("inputs", table::readme_inputs_table()), ("verify", table::readme_verify_table())] {
        let start = format!("<!-- options:{name} (generated from src/options/table.rs; tests/options.rs holds it) -->");
        hold("README.md", &start, &format!("<!-- /options:{name} -->"), &format!("{start}\n{generated}"));
    }
}

/// The lines of README's fenced block that follows `heading`, for the command `cua-check <cmd>`
/// (its first line and the indented lines after it).
fn readme_usage(heading: &str, cmd: &str) -> String {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let at = readme.find(&format!("\n{heading}\n")).unwrap_or_else(|| panic!("README has no {heading:?}"));
    let block = &readme[at..];
    let block = &block[block.find("\n```\n").unwrap() + 5..];
    let block = &block[..block.find("\n```").unwrap()];
    let mut out = String::new();
    let mut inside = false;
    for line in block.lines() {
        if line.starts_with("cua-check ") {
            inside = line.starts_with(&format!("cua-check {cmd} "));
        }
        if inside {
            out.push_str(line);
            out.push('\n');
        }
    }
    assert!(!out.is_empty(), "README {heading:?} has no usage of `cua-check {cmd}`");
    out
}

/// `--flag` → the text of its value in a usage (`standard|marketplace`, `FILE`, "" for a switch).
fn usage_flags(usage: &str) -> std::collections::BTreeMap<String, String> {
    let mut out = std::collections::BTreeMap::new();
    let words: Vec<&str> = usage.split(|c: char| c.is_whitespace() || c == '[' || c == ']').filter(|w| !w.is_empty()).collect();
    for (i, w) in words.iter().enumerate() {
        let w = w.trim_end_matches("...");
        if w.starts_with("--") {
            let value = words.get(i + 1).filter(|v| !v.starts_with('-') && **v != "|").map(|v| v.trim_end_matches("...").to_string()).unwrap_or_default();
            out.insert(w.to_string(), value);
        }
    }
    out
}

/// The README's usage lines name every flag a command takes (as the table declares them), no
/// other, and where they spell out the choices (`--mode standard|marketplace`), the table's
/// allowed values.
#[test]
fn the_readme_command_line_is_the_table() {
    use table::Cmd;
    let verify_flags: Vec<&str> = table::OPTIONS.iter().filter(|o| o.mode != table::Mode::Check).filter_map(|o| o.flag).chain(["--format"]).collect();
    let cases: Vec<(&str, &str, Vec<&str>)> = vec![
        ("## Command line", "check", table::FLAGS.iter().filter(|f| f.commands.contains(&Cmd::Check)).map(|f| f.flag).collect()),
        ("### Fixing findings: `cua-check fix`", "fix", table::FLAGS.iter().filter(|f| f.commands.contains(&Cmd::Fix)).map(|f| f.flag).collect()),
        ("## Command line", "verify", verify_flags),
    ];
    for (heading, cmd, table_flags) in cases {
        let usage = readme_usage(heading, cmd);
        let readme = usage_flags(&usage);
        let mut want: Vec<&str> = table_flags.into_iter().filter(|f| *f != "--help").collect();
        want.sort();
        want.dedup();
        let got: Vec<&str> = readme.keys().map(String::as_str).collect();
        assert_eq!(got, want, "README usage of `cua-check {cmd}` ({heading}) against the table:\n{usage}");
        for (flag, value) in &readme {
            let alts: Vec<&str> = value.split('|').filter(|a| !a.is_empty() && a.chars().all(|c| c.is_ascii_lowercase() || c == '-')).collect();
            if !value.contains('|') || alts.is_empty() {
                continue;
            }
            let allowed = table::FLAGS
                .iter()
                .find(|f| f.flag == flag && f.commands.iter().any(|c| format!("{c:?}").eq_ignore_ascii_case(cmd)))
                .map(|f| f.allowed())
                .or_else(|| table::by_flag(flag).map(|o| o.allowed))
                .filter(|a| !a.is_empty())
                .or((cmd == "verify" && flag == "--format").then_some("text, json"))
                .unwrap_or_else(|| panic!("README lists choices for {flag} of {cmd}, the table none"));
            let mut items: Vec<&str> = allowed.split(", ").filter(|w| w.chars().all(|c| c.is_ascii_lowercase() || c == '-')).collect();
            let mut alts = alts;
            items.sort();
            alts.sort();
            assert_eq!(alts, items, "README `{flag} {value}` of {cmd} against the table's allowed values {allowed:?}");
        }
    }
}

/// The README's config-file example shows every key of the table, and no other.
#[test]
fn the_readme_config_example_is_the_table() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let at = readme.find("\n### Config file\n").expect("README has a Config file section");
    let block = &readme[at..];
    let block = &block[block.find("```toml\n").unwrap() + 8..];
    let block = &block[..block.find("\n```").unwrap()];
    let mut got: Vec<&str> = block.lines().take_while(|l| !l.starts_with('[')).filter_map(|l| l.split_once(" = ").map(|(k, _)| k.trim())).collect();
    let mut want: Vec<&str> = table::config_keys().collect();
    got.sort();
    want.sort();
    assert_eq!(got, want, "README's config example against options::table");
}

mod common;

/// issue 12: a bad value of any option reads the same from every front end that has it: the
/// command line, the action (an input the shim passes as the runner set it) and the config file
/// each give the table's wording ([`table::bad_value`]) for the option's own name.
#[test]
fn every_option_words_a_bad_value_alike_from_every_front_end() {
    use common::{cua, TempTree};
    use cua_check::util::host::native::NativeHost;
    use table::Front;
    let t = TempTree::new("options-bad-values");
    t.write("azuredeploy.json", "{\"resources\": []}\n");
    let path = t.path().to_str().unwrap().to_string();
    // Not a value any option takes: a `!` (no ID, size, number, list, key or URL) and a control character.
    let bogus = "zz!\u{7}";
    let mut checked = 0;
    for o in table::OPTIONS.iter().filter(|o| !o.allowed.is_empty()) {
        if let Some(name) = o.input {
            let mut inputs = serde_json::json!({ "path": path, name: bogus });
            let step = if o.mode == table::Mode::Verify {
                inputs["verify-subscription"] = "00000000-0000-0000-0000-000000000000".into();
                "verify-start"
            } else {
                "context"
            };
            let req = serde_json::json!({ "inputs": inputs, "eventName": "push", "event": {}, "env": {} });
            let out: serde_json::Value = serde_json::from_str(&cua_check::frontends::action::step(step, &req.to_string(), &NativeHost)).unwrap();
            assert_eq!(out["error"].as_str(), Some(o.bad(Front::Action, bogus).as_str()), "input {name}: {out}");
            checked += 1;
        }
        if let Some(flag) = o.flag {
            let args: Vec<&str> = if o.mode == table::Mode::Verify {
                vec!["verify", "--subscription", "00000000-0000-0000-0000-000000000000", flag, bogus]
            } else {
                vec!["check", ".", flag, bogus]
            };
            let r = cua(t.path(), &args);
            assert_eq!(r.code, 2, "{flag}: {}", r.stderr);
            assert_eq!(r.stderr.lines().next().unwrap_or_default(), format!("error: {}", o.bad(Front::Cli, bogus)), "{flag}");
            checked += 1;
        }
        if let Some(key) = o.key {
            let mut last = String::new();
            // a key of a list takes a string or an array of strings
            for toml in [format!("{key} = {bogus:?}\n"), format!("{key} = [{bogus:?}]\n")] {
                let toml = toml.replace("\\u{7}", "\\u0007");
                t.write(".github/cua-check.toml", &toml);
                let r = cua(t.path(), &["check", "."]);
                last = r.stderr.lines().next().unwrap_or_default().to_string();
                if !last.contains("must be") {
                    break;
                }
            }
            std::fs::remove_file(t.path().join(".github/cua-check.toml")).unwrap();
            assert_eq!(last, format!("error: .github/cua-check.toml:1: {}", o.bad(Front::Config, bogus)), "key {key}");
            checked += 1;
        }
    }
    assert!(checked >= 20, "{checked}");
}

/// issue 12: a name no front end knows reads the same from each: the command line (check and
/// verify), the action (check and verify mode) and the config file all say `unknown <what>
/// <name> (known <what>s: …); did you mean <nearest>?` with their own list of names.
#[test]
fn an_unknown_name_reads_alike_from_every_front_end() {
    use common::{cua, TempTree};
    use cua_check::util::host::native::NativeHost;
    let t = TempTree::new("options-unknown");
    t.write("azuredeploy.json", "{\"resources\": []}\n");
    let path = t.path().to_str().unwrap().to_string();
    let first = |s: &str| s.lines().next().unwrap_or_default().to_string();
    let action = |step: &str, inputs: serde_json::Value| -> String {
        let req = serde_json::json!({ "inputs": inputs, "eventName": "push", "event": {}, "env": {} });
        let out: serde_json::Value = serde_json::from_str(&cua_check::frontends::action::step(step, &req.to_string(), &NativeHost)).unwrap();
        out["error"].as_str().unwrap_or_default().to_string()
    };
    t.write(".github/cua-check.toml", "fial-on = \"never\"\n");
    let config = first(&cua(t.path(), &["check", "."]).stderr);
    std::fs::remove_file(t.path().join(".github/cua-check.toml")).unwrap();
    let said = [
        ("option", "\"--fial-on\"", "--fail-on", first(&cua(t.path(), &["check", ".", "--fial-on", "never"]).stderr)),
        ("option", "\"--wirte\"", "--write", first(&cua(t.path(), &["fix", ".", "--wirte"]).stderr)),
        ("option", "\"--locaton\"", "--location", first(&cua(t.path(), &["verify", "--subscription", "s", "--locaton", "x"]).stderr)),
        ("input", "'fial-on'", "fail-on", action("context", serde_json::json!({ "path": path, "fial-on": "never" }))),
        ("input", "'verify-locaton'", "verify-location", action("verify-start", serde_json::json!({ "path": path, "verify-subscription": "s", "verify-locaton": "x" }))),
        ("key", "\"fial-on\"", "fail-on", config),
    ];
    for (what, name, near, got) in said {
        let got = got.strip_prefix("error: ").unwrap_or(&got);
        let got = got.strip_prefix(".github/cua-check.toml:1: ").unwrap_or(got);
        let head = format!("unknown {what} {name} (known {what}s: ");
        assert!(got.starts_with(&head), "want {head}…\ngot  {got}");
        assert!(got.ends_with(&format!("); did you mean {near}?")), "{got}");
    }
}

/// The built-in defaults a run starts from (`Settings::new`, what the command line and the config
/// file leave alone) are the table's, as parsed by the options' own parsers.
#[test]
fn the_built_in_defaults_are_the_table() {
    use cua_check::options::settings::{self, FailOn, Settings, Sources};
    let s = Settings::new(".");
    let default = |key: &str| table::by_key(key).unwrap().default;
    assert_eq!(Some(s.mode), settings::parse_mode(default("mode")));
    assert_eq!(Some(s.fail_on), FailOn::parse(default("fail-on")));
    assert_eq!(Ok(s.sources), Sources::parse(default("sources")));
    assert_eq!(Some(s.max_file_size), settings::parse_size(default("max-file-size")));
}
