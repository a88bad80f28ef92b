//! SARIF 2.1.0, as GitHub code scanning accepts it: every rule in `tool.driver.rules`, results
//! with repository-relative locations and stable `partialFingerprints`.

use serde_json::{json, Value};

use crate::report::{Report, Severity};
use crate::rules::{doc_url, RULES};

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Notice => "note",
    }
}

/// FNV-1a, 64 bits: a stable fingerprint that does not depend on the platform.
fn fnv(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0)) {
            h ^= b as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
    }
    format!("{h:016x}")
}

/// The source line as the fingerprint sees it: white space trimmed and runs of it made one space,
/// so re-indenting or re-wrapping elsewhere does not change it.
fn normalised_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `partialFingerprints` of each finding, in order: the rule, the path, the normalised source
/// line (the message when the line is unknown) and the occurrence index among the findings with
/// the same three, so equal lines in one file get distinct values, and an edit elsewhere in the
/// file (lines shifting) changes none of them.
pub fn fingerprints(report: &Report, prefix: &str) -> Vec<String> {
    let mut seen: std::collections::HashMap<(crate::rules::Code, String, String), usize> = std::collections::HashMap::new();
    report
        .findings
        .iter()
        .map(|f| {
            let path = join_prefix(prefix, &f.path);
            let line = match f.source.as_deref().map(normalised_line).filter(|l| !l.is_empty()) {
                Some(l) => l,
                None => normalised_line(&f.message),
            };
            let n = seen.entry((f.rule, path.clone(), line.clone())).or_insert(0);
            let index = n.to_string();
            *n += 1;
            fnv(&[f.rule.as_str(), &path, &line, &index])
        })
        .collect()
}

/// `category` (the action's input) becomes `runs[].automationDetails.id`; GitHub reads the part
/// up to the last `/` as the analysis category, so a category without a trailing `/` gets one.
pub fn automation_id(category: &str) -> Option<String> {
    let c = category.trim();
    if c.is_empty() {
        None
    } else if c.ends_with('/') {
        Some(c.to_string())
    } else {
        Some(format!("{c}/"))
    }
}

/// `prefix` is prepended to every path (the scanned folder relative to the repository root).
pub fn render(report: &Report, prefix: &str, version: &str) -> String {
    render_with(report, prefix, version, "")
}

/// As [`render`], with the analysis category (empty: none).
pub fn render_with(report: &Report, prefix: &str, version: &str, category: &str) -> String {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": { "text": r.summary },
                "fullDescription": { "text": format!("{} {}", r.summary, r.why) },
                "help": {
                    "text": format!("{}\n\nFix: {}", r.why, r.fix),
                    "markdown": format!("{}\n\n**Example**\n\n```{}\n{}\n```\n\n**Fix**: {}", r.why, r.example_lang, r.example, r.fix)
                },
                "helpUri": doc_url(r),
                "defaultConfiguration": { "level": level(r.severity) },
                "properties": { "tags": ["customer-usage-attribution", r.applies_to] }
            })
        })
        .collect();
    let prints = fingerprints(report, prefix);
    let results: Vec<Value> = report
        .findings
        .iter()
        .zip(prints)
        .map(|(f, print)| {
            let path = join_prefix(prefix, &f.path);
            let index = RULES.iter().position(|r| r.code == f.rule).unwrap_or(0);
            let mut message = f.message.clone();
            if let Some(h) = &f.help {
                message.push_str(&format!(" (help: {h})"));
            }
            json!({
                "ruleId": f.rule,
                "ruleIndex": index,
                "level": level(f.severity),
                "message": { "text": message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": super::url_path(&path), "uriBaseId": "%SRCROOT%" },
                        "region": {
                            "startLine": f.line,
                            "startColumn": f.column,
                            "endLine": f.end_line.max(f.line),
                            "endColumn": if f.end_line > f.line { f.end_column } else { f.end_column.max(f.column) }
                        }
                    }
                }],
                "partialFingerprints": { "cuaCheck/v2": print }
            })
        })
        .collect();
    let mut doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "cua-check",
                "informationUri": "https://github.com/cua-check/cua-check",
                "semanticVersion": version,
                "version": version,
                "rules": rules
            }},
            "columnKind": "unicodeCodePoints",
            "originalUriBaseIds": { "%SRCROOT%": { "description": { "text": "The repository root." } } },
            "results": results
        }]
    });
    if let Some(id) = automation_id(category) {
        doc["runs"][0]["automationDetails"] = json!({ "id": id });
    }
    let mut s = super::json_log_safe(serde_json::to_string_pretty(&doc).expect("SARIF serialises"));
    s.push('\n');
    s
}

/// The repository-relative path of a finding's file: the scanned folder joined with the path
/// under it, `.` and `x/..` segments resolved, so SARIF URIs, annotation files and links never
/// carry `./` or `../`.
pub fn join_prefix(prefix: &str, path: &str) -> String {
    let prefix = prefix.trim_matches('/');
    let joined = if prefix.is_empty() || prefix == "." { path.to_string() } else { format!("{prefix}/{path}") };
    if !joined.split('/').any(|s| s == "." || s == ".." || s.is_empty()) {
        return joined;
    }
    normalise(&joined)
}

/// Lexical normalisation of a `/`-separated relative path: empty and `.` segments dropped, `..`
/// removes the segment before it; a `..` with nothing before it is kept (the path leads outside
/// the repository, which the action refuses as an input error before checking).
pub fn normalise(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if out.last().is_some_and(|s| *s != "..") {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            s => out.push(s),
        }
    }
    if out.is_empty() {
        ".".into()
    } else {
        out.join("/")
    }
}
