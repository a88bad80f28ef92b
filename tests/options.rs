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
