#![allow(dead_code)]
//! Helpers shared by the integration tests: run the native binary, make temporary trees.

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A public repository checked out for the acceptance tests (`$CUA_CHECK_CORPORA`, default
/// `../corpora`, pinned in its PINS.txt), or `None` with a message saying the test is skipped.
pub fn corpus(rel: &str) -> Option<PathBuf> {
    let base = std::env::var_os("CUA_CHECK_CORPORA").map(PathBuf::from).unwrap_or_else(|| root().join("../corpora"));
    let dir = base.join(rel);
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipping: {} is absent (set CUA_CHECK_CORPORA to the corpora folder)", dir.display());
        None
    }
}

/// Run `cua-check` with `args` in `cwd` (no colour, no inherited ARM_PARTNER_ID or
/// GITHUB_REPOSITORY: a test run inside GitHub Actions must see what a local one sees).
pub fn cua(cwd: &Path, args: &[&str]) -> Run {
    cua_env(cwd, args, &[])
}

/// [`cua`] with extra environment variables.
pub fn cua_env(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_cua-check"))
        .args(args)
        .current_dir(cwd)
        .env_remove("ARM_PARTNER_ID")
        .env_remove("GITHUB_REPOSITORY")
        .envs(env.iter().copied())
        .env("NO_COLOR", "1")
        .output()
        .expect("run cua-check");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A temporary folder, removed on drop.
pub struct TempTree(pub PathBuf);

impl TempTree {
    pub fn new(name: &str) -> TempTree {
        let dir = std::env::temp_dir().join(format!("cua-check-test-{}-{}-{}", name, std::process::id(), unique()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempTree(dir)
    }
    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let p = self.0.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, content).unwrap();
        p
    }
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempTree {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

/// The JSON report of a check.
pub fn report(cwd: &Path, args: &[&str]) -> (i32, serde_json::Value) {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let r = cua(cwd, &all);
    let v = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", r.stdout, r.stderr));
    (r.code, v)
}

/// (rule, path, line) of every finding.
pub fn findings(report: &serde_json::Value) -> Vec<(String, String, u64)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap().to_string(), f["path"].as_str().unwrap().to_string(), f["line"].as_u64().unwrap()))
        .collect()
}

/// A minimal ARM template around the given resources (JSON text of the array items).
pub fn template(resources: &str) -> String {
    format!(
        "{{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n  \"contentVersion\": \"1.0.0.0\",\n  \"resources\": [\n{resources}\n  ]\n}}\n"
    )
}

pub const GUID: &str = "7867e591-c1ee-4530-bed8-7387ab893a26";
