//! The Bicep reader, with a loader that serves the same input for any module path.
#![no_main]
use libfuzzer_sys::fuzz_target;

struct Same<'a>(&'a str);

impl cua_check::model::Loader for Same<'_> {
    fn load(&self, _path: &str) -> Option<String> {
        Some(self.0.to_string())
    }
}

struct Nothing;

impl cua_check::model::Loader for Nothing {
    fn load(&self, _path: &str) -> Option<String> {
        None
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = cua_check::sources::bicep::read("main.bicep", text, &Nothing);
    let _ = cua_check::sources::bicep::read("infra/main.bicep", text, &Same(text));
});
