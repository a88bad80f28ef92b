//! The registry readers (`cua-registry.json`, a text list, `--registered`): any text must load
//! or give an error naming the file, never a panic; every entry loaded is a valid ID, listed
//! once, and found again by lookup.
#![no_main]
use cua_check::partner_ids::Registry;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut r = Registry::default();
    match r.add_file("ids.json", text) {
        Err(e) => assert!(e.starts_with("ids.json"), "the error names the file: {e}"),
        Ok(()) => {
            let mut seen = std::collections::HashSet::new();
            for e in &r.entries {
                assert!(seen.insert(e.id.id.clone()), "listed twice: {}", e.id.id);
                assert!(r.lookup(&e.id).is_some(), "not found again: {}", e.id.id);
            }
        }
    }
    // The same text as one --registered value.
    let mut r = Registry::default();
    let _ = r.add_str(text, "--registered");
});
