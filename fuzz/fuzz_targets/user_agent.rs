//! The user-agent scanner over source code, scripts, workflows, Dockerfiles and .env files.
#![no_main]
use libfuzzer_sys::fuzz_target;

const NAMES: &[&str] = &[
    "app.py",
    "src/Program.cs",
    "deploy.ps1",
    "deploy.sh",
    "client.ts",
    "main.go",
    "App.java",
    "Dockerfile",
    "prod.env",
    ".github/workflows/deploy.yml",
    "azure-pipelines.yml",
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let name = NAMES[pick as usize % NAMES.len()];
    let _ = cua_check::sources::code::scan(name, text);
});
