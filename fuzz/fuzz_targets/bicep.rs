//! The Bicep reader, with a loader that serves the same input for any module path; reading one
//! declaration at a time (as a file over 2 MiB is read) gives the same facts as reading whole.
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
    let whole = cua_check::sources::bicep::read("main.bicep", text, &Nothing);
    let deferred = cua_check::sources::bicep::read_deferred("main.bicep", text, &Nothing);
    assert_eq!(format!("{whole:?}"), format!("{deferred:?}"), "reading one declaration at a time differs");
    let _ = cua_check::sources::bicep::read("infra/main.bicep", text, &Same(text));
});
