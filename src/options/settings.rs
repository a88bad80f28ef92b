//! Settings for one run, from the command line, action inputs and the config file.

use crate::util::glob::Glob;
use crate::report::Severity;
use crate::rules::Mode;

/// Which input languages are read (`--sources arm,bicep,terraform,code`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sources {
    pub arm: bool,
    pub bicep: bool,
    pub terraform: bool,
    pub code: bool,
}

impl Sources {
    pub const ALL: Sources = Sources { arm: true, bicep: true, terraform: true, code: true };

    pub fn parse(s: &str) -> Result<Sources, String> {
        let mut out = Sources { arm: false, bicep: false, terraform: false, code: false };
        for part in s.split([',', '\n', ' ']).map(str::trim).filter(|p| !p.is_empty()) {
            match part.to_ascii_lowercase().as_str() {
                "arm" => out.arm = true,
                "bicep" => out.bicep = true,
                "terraform" | "tf" => out.terraform = true,
                "code" => out.code = true,
                "all" => out = Sources::ALL,
                other => return Err(format!("unknown source {other:?} (expected a comma-separated list of arm, bicep, terraform, code)")),
            }
        }
        if out == (Sources { arm: false, bicep: false, terraform: false, code: false }) {
            return Err("no sources given (expected a comma-separated list of arm, bicep, terraform, code)".into());
        }
        Ok(out)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    Error,
    Warning,
    Never,
}

impl FailOn {
    pub fn parse(s: &str) -> Option<FailOn> {
        match s.trim().to_ascii_lowercase().as_str() {
            "error" => Some(FailOn::Error),
            "warning" => Some(FailOn::Warning),
            "never" | "none" => Some(FailOn::Never),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            FailOn::Error => "error",
            FailOn::Warning => "warning",
            FailOn::Never => "never",
        }
    }
    /// Does a finding of this severity fail the gate?
    pub fn fails(self, s: Severity) -> bool {
        match self {
            FailOn::Error => s >= Severity::Error,
            FailOn::Warning => s >= Severity::Warning,
            FailOn::Never => false,
        }
    }
}

pub fn parse_mode(s: &str) -> Option<Mode> {
    match s.trim().to_ascii_lowercase().as_str() {
        "standard" => Some(Mode::Standard),
        "marketplace" => Some(Mode::Marketplace),
        _ => None,
    }
}

/// Parse a size such as `32MiB`, `50MB`, `1048576`.
pub fn parse_size(s: &str) -> Option<u64> {
    let t = s.trim();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let n: u64 = t[..digits].parse().ok()?;
    let mult = match t[digits..].trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1024,
        "m" | "mb" | "mib" => 1024 * 1024,
        "g" | "gb" | "gib" => 1024 * 1024 * 1024,
        _ => return None,
    };
    n.checked_mul(mult)
}

pub const DEFAULT_MAX_FILE_SIZE: u64 = 32 * 1024 * 1024;

/// A path named by the repository (or an action input), read only inside `root`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfinedPath {
    /// As the host opens it.
    pub path: String,
    /// The folder it must stay in.
    pub root: String,
    /// Where it was named, for messages (`cua-check.toml:3`, `input 'registry-file'`).
    pub from: String,
}

/// Everything a check run needs to know.
#[derive(Clone, Debug)]
pub struct Settings {
    pub root: String,
    pub registered: Vec<(String, String)>,
    /// Registry files the user named (command line): read as given.
    pub registry_files: Vec<String>,
    /// Registry files the checked repository names (its config file) or an action input names:
    /// read only inside their `root` ([`crate::util::host::read_confined`]).
    pub confined_registry_files: Vec<ConfinedPath>,
    pub mains: Vec<Glob>,
    pub excludes: Vec<Glob>,
    pub mode: Mode,
    pub fail_on: FailOn,
    pub sources: Sources,
    pub max_file_size: u64,
    /// Per-rule severity overrides (`None` = off).
    pub severities: Vec<(&'static str, Option<Severity>)>,
    /// Rules ignored under paths matching a glob.
    pub ignores: Vec<(Glob, Vec<&'static str>)>,
    /// Only report findings on these root-relative paths (`scope: changed`).
    pub only_paths: Option<Vec<String>>,
    /// `ARM_PARTNER_ID` as set in the environment of the run.
    pub env_partner_id: Option<String>,
    /// Config file that was read, for messages.
    pub config_file: Option<String>,
    /// `owner/name` of the repository being checked (`GITHUB_REPOSITORY`), used to follow
    /// absolute GitHub links into it; when unset, the git remote of the root is read.
    pub repository: Option<String>,
    /// Where the checked root sits inside that repository (`infra` when `path: infra`).
    pub repo_prefix: String,
    /// `notice-pattern` of the config file: a regular expression that recognises the customer
    /// notice (CUA401) instead of the built-in wording.
    pub notice_pattern: Option<String>,
}

impl Settings {
    pub fn new(root: &str) -> Settings {
        Settings {
            root: root.to_string(),
            registered: Vec::new(),
            registry_files: Vec::new(),
            confined_registry_files: Vec::new(),
            mains: Vec::new(),
            excludes: Vec::new(),
            mode: Mode::Standard,
            fail_on: FailOn::Error,
            sources: Sources::ALL,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            severities: Vec::new(),
            ignores: Vec::new(),
            only_paths: None,
            env_partner_id: None,
            repository: None,
            repo_prefix: String::new(),
            config_file: None,
            notice_pattern: None,
        }
    }
}
