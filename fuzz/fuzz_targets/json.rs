//! The JSON-with-comments reader: any text must give a tree or an error, never a panic or hang.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(parsed) = cua_check::json::parse(text) {
            // Converting the tree must not panic either.
            let _ = parsed.root.into_value();
        }
    }
});
