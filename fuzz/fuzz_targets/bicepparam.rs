//! The `.bicepparam` reader and its values given to the template it points at. The input is
//! the parameters file, optionally followed by a NUL and the template (`main.bicep`); the
//! loader serves that template for every path (`using`, `extends`, `import`), so the bounded
//! following of imports and `extends` is exercised too.
#![no_main]
use libfuzzer_sys::fuzz_target;

struct Same<'a>(&'a str);

impl cua_check::model::Loader for Same<'_> {
    fn load(&self, _path: &str) -> Option<String> {
        Some(self.0.to_string())
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (params, template) = text.split_once('\0').unwrap_or((text, text));
    let f = cua_check::sources::bicep::params::read_params("infra/main.bicepparam", params, &Same(template));
    let Some(p) = &f.params else { panic!("a parameters file without its ParamFile") };
    let given = cua_check::sources::bicep::params::given(&p.values);
    let _ = cua_check::sources::bicep::read_with("infra/main.bicep", template, &Same(template), &given);
});
