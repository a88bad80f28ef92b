//! The config file (`cua-check.toml`, read from the pull request): any text must give a
//! document or an error with a line inside the file, never a panic, a stack overflow or a hang;
//! applying a document must give settings or an error, never a panic.
#![no_main]
use cua_check::options::config_file::{apply, parse, Given};
use cua_check::options::settings::Settings;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // Lines as editors count them (and as the reader reports them): LF, CRLF and a lone CR
    // each end a line.
    let lines = text.replace("\r\n", "\n").split(['\n', '\r']).count();
    match parse(text) {
        Err((line, msg)) => {
            assert!(line >= 1 && line <= lines, "error line {line} outside the file ({lines} lines): {msg}");
            assert!(!msg.is_empty());
        }
        Ok(doc) => {
            for e in &doc.entries {
                assert!(e.line >= 1 && e.line <= lines, "entry line {} outside the file", e.line);
            }
            let mut settings = Settings::new(".");
            let _ = apply(&doc, "cua-check.toml", ".", &mut settings, &Given::default());
        }
    }
});
