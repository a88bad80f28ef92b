//! Suppressions: per-path ignores from the configuration and inline comments (read by each
//! reader, one grammar: `crate::sources::suppress`), then `scope: changed`; the findings that
//! remain, sorted and without duplicates.

use crate::model::SourceFile;
use crate::options::settings::Settings;
use crate::report::Finding;

/// The findings that stay, and how many were suppressed.
pub fn apply(all: Vec<Finding>, files: &[SourceFile], settings: &Settings) -> (Vec<Finding>, usize) {
    let before = all.len();
    // The inline suppressions of each path, found once (not a scan of every file per finding).
    let mut inline: std::collections::HashMap<&str, Vec<&crate::model::Suppression>> = std::collections::HashMap::new();
    for f in files.iter().filter(|f| !f.suppressions.is_empty()) {
        inline.entry(f.path.as_str()).or_default().extend(f.suppressions.iter());
    }
    let mut findings: Vec<Finding> = all.into_iter().filter(|x| !suppressed(x, &inline, settings)).collect();
    let suppressed_count = before - findings.len();
    if let Some(only) = &settings.only_paths {
        findings.retain(|x| only.iter().any(|p| p == &x.path));
    }
    crate::util::sort::sort_by(&mut findings, |a, b| (&a.path, a.line, a.column, a.rule, &a.message).cmp(&(&b.path, b.line, b.column, b.rule, &b.message)));
    findings.dedup_by(|a, b| a.path == b.path && a.line == b.line && a.column == b.column && a.rule == b.rule && a.message == b.message);
    (findings, suppressed_count)
}

fn suppressed(x: &Finding, inline: &std::collections::HashMap<&str, Vec<&crate::model::Suppression>>, settings: &Settings) -> bool {
    if settings.ignores.iter().any(|(g, rules)| g.is_match(&x.path) && (rules.is_empty() || rules.iter().any(|r| *r == x.rule))) {
        return true;
    }
    if x.rule == "CUA003" {
        return false;
    }
    inline.get(x.path.as_str()).is_some_and(|list| {
        list.iter().any(|s| s.rule.eq_ignore_ascii_case(x.rule.as_str()) && x.line >= s.span.line && x.line <= s.span.end_line.max(s.span.line))
    })
}
