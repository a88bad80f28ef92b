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

/// `prefix` is prepended to every path (the scanned folder relative to the repository root).
pub fn render(report: &Report, prefix: &str, version: &str) -> String {
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
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let path = join_prefix(prefix, &f.path);
            let index = RULES.iter().position(|r| r.code == f.rule).unwrap_or(0);
            let source = f.source.as_deref().unwrap_or("").trim();
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
                "partialFingerprints": { "cuaCheck/v1": fnv(&[f.rule.as_str(), &path, source, &f.message]) }
            })
        })
        .collect();
    let doc = json!({
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
    let mut s = super::json_log_safe(serde_json::to_string_pretty(&doc).expect("SARIF serialises"));
    s.push('\n');
    s
}

pub fn join_prefix(prefix: &str, path: &str) -> String {
    let prefix = prefix.trim_matches('/');
    if prefix.is_empty() || prefix == "." {
        path.to_string()
    } else {
        format!("{prefix}/{path}")
    }
}
