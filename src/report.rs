//! The report: what every renderer (text, JSON, SARIF, markdown, PR comment) is made from.
//! The JSON form is a public contract (version 1): fields may be added, never renamed.
//! Must not import: `check`, `render`, `frontends`, `sources`.

use serde::Serialize;

use crate::model::{Kind, Role};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Notice,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Notice => "notice",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
    pub fn parse(s: &str) -> Option<Severity> {
        match s.to_ascii_lowercase().as_str() {
            "notice" | "info" => Some(Severity::Notice),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub version: u32,
    pub summary: Summary,
    pub files: Vec<FileEntry>,
    pub findings: Vec<Finding>,
    pub registry: RegistryInfo,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub notices: usize,
    /// Files read.
    pub files: usize,
    /// Deployment templates (ARM and Bicep) among them.
    pub templates: usize,
    pub passed: bool,
    /// Main templates carrying a valid (and, when a registry is given, registered) tracking ID.
    pub tracked: usize,
    /// Main templates without one.
    pub untracked: usize,
    /// Findings silenced by inline suppressions or config ignores.
    pub suppressed: usize,
    /// The severity at which the gate fails (`error`, `warning` or `never`).
    #[serde(rename = "failOn")]
    pub fail_on: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct RegistryInfo {
    /// False when no registry was given: registration was not checked.
    pub checked: bool,
    pub ids: usize,
    pub sources: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct FileEntry {
    pub path: String,
    pub kind: Kind,
    pub role: Role,
    /// Why the file has its role (templates only).
    #[serde(rename = "roleReason", skip_serializing_if = "Option::is_none")]
    pub role_reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<&'static str>,
    pub tracking: Vec<TrackingEntry>,
    /// The file's links (templateLink, Bicep modules) and what became of each.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<LinkEntry>,
}

/// One link: `followed` (the target was checked), `not-found` (a path in this repository that
/// is not in the checked tree) or `external` (another repository, another URL, or not
/// resolvable statically; its target is not checked).
#[derive(Clone, Debug, Serialize)]
pub struct LinkEntry {
    pub target: String,
    pub line: u32,
    pub status: &'static str,
}

#[derive(Clone, Debug, Serialize)]
pub struct TrackingEntry {
    /// The name (or value) as written.
    pub name: String,
    /// Normalised tracking ID (`pid-<guid>` or `pid-…-partnercenter`); null when the ID is only
    /// known at deployment (a parameter or variable without a usable default: CUA114).
    pub id: Option<String>,
    pub guid: Option<String>,
    pub line: u32,
    pub column: u32,
    /// Null when no registry was given.
    pub registered: Option<bool>,
    pub nested: bool,
    pub conditional: bool,
    /// How it is carried: `deployment`, `module`, `provider`, `user-agent`, …
    pub via: String,
    /// Where the value of a dynamic name is set outside the template (`TF_VAR_cuaId at
    /// scripts/deploy.sh:3`); the ID in `id` is that value's.
    #[serde(rename = "valueFrom", skip_serializing_if = "Option::is_none")]
    pub value_from: Option<String>,
    /// The registry's description of the ID, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl TrackingEntry {
    /// The ID as shown to a reader: the normalised ID, or the name as written when the ID is
    /// only known at deployment.
    pub fn shown(&self) -> String {
        match &self.id {
            Some(id) => id.clone(),
            None => format!("{} (known only at deployment)", self.name),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    pub rule: crate::rules::Code,
    pub name: &'static str,
    pub severity: Severity,
    pub path: String,
    pub line: u32,
    pub column: u32,
    #[serde(rename = "endLine")]
    pub end_line: u32,
    #[serde(rename = "endColumn")]
    pub end_column: u32,
    pub message: String,
    /// How to fix it, when there is one right fix.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// A ready-to-paste snippet that fixes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snippet: Option<String>,
    /// The source line the finding points at (for code frames), when known.
    #[serde(skip)]
    pub source: Option<String>,
}

impl Report {
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("report serialises");
        s.push('\n');
        crate::render::json_log_safe(s)
    }
}

/// The one order every reader-facing output follows (annotations, text, Markdown, the PR comment,
/// the job summary): errors, then warnings, then notices; within a level by rule, then file,
/// then line (then column). The JSON report and SARIF keep their file order: they are complete
/// and read by programs.
pub fn ordered(findings: &[Finding]) -> Vec<&Finding> {
    let mut v: Vec<&Finding> = findings.iter().collect();
    crate::util::sort::sort_by(&mut v, |a, b| {
        (std::cmp::Reverse(a.severity), a.rule, &a.path, a.line, a.column).cmp(&(std::cmp::Reverse(b.severity), b.rule, &b.path, b.line, b.column))
    });
    v
}
