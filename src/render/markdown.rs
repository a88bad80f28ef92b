//! Markdown for the job summary and the pull-request comment (same layout; the comment adds
//! fix snippets and a hidden marker). Everything read from the repository is escaped.

use super::{md_code, md_message, plural, url_path};
use crate::model::Role;
use crate::report::{Finding, Report, Severity};
use crate::rules::{by_code, doc_url};

pub struct Options<'a> {
    /// Scanned folder relative to the repository root (prefix for links).
    pub prefix: &'a str,
    /// `https://github.com/owner/repo` and the commit, for links to lines; None: no links.
    pub blob_base: Option<String>,
    /// Upper bound on the output size in bytes.
    pub max_bytes: usize,
    /// Include ready-to-paste fix snippets.
    pub snippets: bool,
    /// Where the full report is (for the note when cut).
    pub full_report_hint: &'a str,
    /// Text placed first (the comment's hidden marker).
    pub header: &'a str,
}

fn icon(s: Severity) -> &'static str {
    match s {
        Severity::Error => "❌",
        Severity::Warning => "⚠️",
        Severity::Notice => "ℹ️",
    }
}

/// The status line.
pub fn status(report: &Report) -> String {
    let s = &report.summary;
    if s.passed && s.errors == 0 && s.warnings == 0 {
        format!("✅ **cua-check passed**: every main template carries its tracking ID ({} checked)", plural(s.templates, "template"))
    } else if s.passed {
        format!(
            "✅ **cua-check passed** with {} and {} ({} checked)",
            plural(s.warnings, "warning"),
            plural(s.notices, "notice"),
            plural(s.templates, "template")
        )
    } else {
        format!(
            "❌ **cua-check failed**: {}, {}, {} (fail-on: {})",
            plural(s.errors, "error"),
            plural(s.warnings, "warning"),
            plural(s.notices, "notice"),
            s.fail_on
        )
    }
}

pub fn render(report: &Report, o: &Options) -> String {
    let mut out = String::new();
    out.push_str(o.header);
    out.push_str(&format!("### {}\n\n", status(report)));
    let mains: Vec<_> = report.files.iter().filter(|f| f.role == Role::Main).collect();
    if !mains.is_empty() {
        // The table may take at most half of the budget; the findings need the rest.
        let table_budget = o.max_bytes / 2;
        let mut rows = Vec::new();
        for f in &mains {
            let top: Vec<_> = f.tracking.iter().filter(|t| !t.nested).collect();
            let scope = f.scope.unwrap_or("");
            if top.is_empty() {
                rows.push(format!("| {} | {} | ❌ none | |\n", md_code(&f.path), scope));
            }
            for t in top {
                let reg = match (t.registered, &t.description) {
                    (Some(true), Some(d)) => format!("✅ {}", md_code(d)),
                    (Some(true), None) => "✅".into(),
                    (Some(false), _) => "❌ not registered".into(),
                    (None, _) => "not checked".into(),
                };
                rows.push(format!("| {} | {} | {} | {} |\n", md_code(&f.path), scope, md_code(&t.shown()), reg));
            }
        }
        out.push_str("| Main template | Scope | Tracking ID | Registered |\n|---|---|---|---|\n");
        let mut used = out.len();
        let mut shown = 0;
        for row in &rows {
            if used + row.len() > table_budget {
                break;
            }
            used += row.len();
            out.push_str(row);
            shown += 1;
        }
        if shown < rows.len() {
            out.push_str(&format!("\n_{} more not shown here (size limit); {}._\n", plural(rows.len() - shown, "row"), o.full_report_hint));
        }
        out.push('\n');
    }
    if !report.registry.checked {
        out.push_str("_Registration was not checked: no registry was given (`registered-ids`, `registry-file` or `cua-registry.json`)._\n\n");
    }
    // The one order (errors, warnings, notices; by rule, file, line).
    let order: Vec<&Finding> = crate::report::ordered(&report.findings);
    let reserve = 400; // room for the note when cut
    let mut shown = 0;
    let mut current: Option<&str> = None;
    for f in &order {
        let mut block = String::new();
        if current != Some(f.path.as_str()) {
            block.push_str(&format!("\n**{}**\n\n", md_code(&f.path)));
        }
        block.push_str(&finding_line(f, o));
        if out.len() + block.len() + reserve > o.max_bytes {
            break;
        }
        current = Some(f.path.as_str());
        out.push_str(&block);
        shown += 1;
    }
    if shown < order.len() {
        out.push_str(&format!(
            "\n_{} more not shown here (size limit); {}._\n",
            plural(order.len() - shown, "finding"),
            o.full_report_hint
        ));
    }
    if report.summary.suppressed > 0 {
        out.push_str(&format!("\n_{} suppressed._\n", plural(report.summary.suppressed, "finding")));
    }
    out.push_str("\n<sub>cua-check · [rules](");
    out.push_str(crate::rules::DOCS_URL);
    out.push_str(")</sub>\n");
    out
}

fn finding_line(f: &Finding, o: &Options) -> String {
    let rule = by_code(f.rule.as_str()).map(|r| format!("[{}]({})", f.name, doc_url(r))).unwrap_or_else(|| f.name.to_string());
    let line = match &o.blob_base {
        Some(base) => format!(
            "[line {}]({}/{}#L{})",
            f.line,
            base,
            url_path(&super::sarif::join_prefix(o.prefix, &f.path)),
            f.line
        ),
        None => format!("line {}", f.line),
    };
    let mut s = format!("- {} **{}** {} · {}: {}\n", icon(f.severity), f.rule, rule, line, md_message(&f.message));
    if let Some(h) = &f.help {
        s.push_str(&format!("  - Fix: {}\n", md_message(h)));
    }
    if o.snippets {
        if let Some(snippet) = &f.snippet {
            let lang = if snippet.trim_start().starts_with('{') { "json" } else if snippet.contains("provider") || snippet.contains("partner_id") { "hcl" } else { "bicep" };
            let fence = if snippet.contains("```") { "~~~~" } else { "```" };
            s.push_str(&format!(
                "\n  <details><summary>Ready-to-paste fix</summary>\n\n  {fence}{lang}\n{}\n  {fence}\n  </details>\n\n",
                snippet.lines().map(|l| format!("  {l}")).collect::<Vec<_>>().join("\n")
            ));
        }
    }
    s
}
