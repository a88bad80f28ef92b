//! The summary and the per-file entries of the report.

use crate::check::{ids, links};
use crate::check::links::LinkOut;
use crate::model::Role;
use crate::options::settings::Settings;
use crate::partner_ids::Registry;
use crate::report::{FileEntry, Finding, Severity, Summary};
use crate::rules::Context;

/// What the report says of the run and of each file.
pub struct Made {
    pub summary: Summary,
    pub entries: Vec<FileEntry>,
}

pub fn summarize(
    cx: &Context,
    findings: &[Finding],
    read_count: usize,
    suppressed_count: usize,
    resolved: &[Vec<LinkOut>],
    role_reasons: &[Option<String>],
    registry: &Registry,
    settings: &Settings,
) -> Made {
    let files = cx.files;
    let mut summary = Summary { files: read_count, fail_on: settings.fail_on.as_str().to_string(), suppressed: suppressed_count, ..Default::default() };
    for x in findings {
        match x.severity {
            Severity::Error => summary.errors += 1,
            Severity::Warning => summary.warnings += 1,
            Severity::Notice => summary.notices += 1,
        }
    }
    summary.passed = !findings.iter().any(|x| settings.fail_on.fails(x.severity));
    summary.templates = files.iter().filter(|f| f.kind.is_template() && f.params.is_none()).count();

    let mut entries = Vec::new();
    let uses = ids::by_file(files.len(), &cx.ids);
    for (fi, f) in files.iter().enumerate() {
        let tracking = ids::tracking_entries(f, uses[fi].iter().map(|&i| &cx.ids[i]), registry);
        if f.role == Role::Main {
            let ok = tracking.iter().any(|t| !t.nested && t.id.is_some() && t.registered != Some(false));
            if ok {
                summary.tracked += 1;
            } else {
                summary.untracked += 1;
            }
        }
        let is_template = f.kind.is_template();
        if is_template || !tracking.is_empty() || !f.providers.is_empty() {
            if let Some(only) = &settings.only_paths {
                if !only.iter().any(|p| p == &f.path) {
                    continue;
                }
            }
            let links = links::link_entries(&resolved[fi]);
            entries.push(FileEntry {
                path: f.path.clone(),
                kind: f.kind,
                role: f.role,
                role_reason: role_reasons[fi].clone(),
                scope: f.scope.map(|s| s.as_str()),
                tracking,
                links,
            });
        }
    }
    crate::util::sort::sort_by(&mut entries, |a, b| a.path.cmp(&b.path));
    Made { summary, entries }
}
