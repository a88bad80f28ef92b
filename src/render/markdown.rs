//! Markdown for the job summary and the pull-request comment (same layout; the comment adds
//! fix snippets and a hidden marker). Everything read from the repository is escaped.

use super::{md_code, md_message, url_path};
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
    /// Where the complete list is, for the notes on what is not shown here (Markdown, e.g. "the
    /// job summary of this run, the JSON report (output `report-file`)").
    pub full_report_hint: &'a str,
    /// Text placed first (the comment's hidden marker).
    pub header: &'a str,
    /// The lowest level listed finding by finding; lower levels appear as counts per rule.
    pub list_level: Severity,
    /// What was checked, one Markdown line placed under the status (scope, files, commit,
    /// config file); None: none.
    pub checked: Option<String>,
    /// Fold the findings of a warning or notice rule found in many files into one line, and
    /// list at most a few line numbers per file (the comment). Off: every file and line (the
    /// job summary), unless the size limit needs it.
    pub fold: bool,
}

/// A rendering and whether it lists every finding (nothing cut for size, no level shown as
/// counts only).
pub struct Rendered {
    pub text: String,
    pub complete: bool,
}

/// A file with this many findings of one rule or more gets one line for them all.
pub const FOLD_IN_FILE: usize = 3;
/// A warning or notice rule found in more files than this is one line for all of them.
pub const FOLD_ACROSS_FILES: usize = 10;
/// Line numbers listed on a folded line of warnings or notices (errors list every line).
const LINES_LISTED: usize = 10;

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
        format!("✅ **cua-check passed**: every main template carries its tracking ID ({} checked)", count_of(s.templates, "template"))
    } else if s.passed {
        format!(
            "✅ **cua-check passed** with {} and {} ({} checked)",
            count_of(s.warnings, "warning"),
            count_of(s.notices, "notice"),
            count_of(s.templates, "template")
        )
    } else {
        format!(
            "❌ **cua-check failed**: {}, {}, {} (fail-on: {})",
            count_of(s.errors, "error"),
            count_of(s.warnings, "warning"),
            count_of(s.notices, "notice"),
            s.fail_on
        )
    }
}

pub fn render(report: &Report, o: &Options) -> String {
    render_full(report, o).text
}

/// `2,561`.
pub fn thousands(n: usize) -> String {
    let d = n.to_string();
    let mut out = String::new();
    for (i, c) in d.chars().enumerate() {
        if i > 0 && (d.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn count_of(n: usize, word: &str) -> String {
    format!("{} {word}{}", thousands(n), if n == 1 { "" } else { "s" })
}

fn level_word(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Notice => "notice",
    }
}

/// The findings of one rule (all of one level), by file, in the one order.
struct Group<'a> {
    rule: crate::rules::Code,
    severity: Severity,
    files: Vec<(&'a str, Vec<&'a Finding>)>,
    count: usize,
}

fn groups(report: &Report) -> Vec<Group<'_>> {
    let mut out: Vec<Group> = Vec::new();
    for f in crate::report::ordered(&report.findings) {
        match out.last_mut() {
            Some(g) if g.rule == f.rule && g.severity == f.severity => {
                g.count += 1;
                match g.files.last_mut() {
                    Some((p, list)) if *p == f.path.as_str() => list.push(f),
                    _ => g.files.push((f.path.as_str(), vec![f])),
                }
            }
            _ => out.push(Group { rule: f.rule, severity: f.severity, files: vec![(f.path.as_str(), vec![f])], count: 1 }),
        }
    }
    out
}

/// What a cut or a counts-only level left out: per level, per rule, findings and files.
#[derive(Default)]
struct Left {
    rules: Vec<(Severity, crate::rules::Code, usize, usize)>,
}

impl Left {
    fn add(&mut self, sev: Severity, rule: crate::rules::Code, findings: usize, files: usize) {
        if findings > 0 {
            self.rules.push((sev, rule, findings, files));
        }
    }
    fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
    /// `2 errors (CUA101 ×2 in 2 files), 100 warnings (CUA112 ×100 in 100 files)`.
    fn describe(&self) -> String {
        let mut parts = Vec::new();
        for sev in [Severity::Error, Severity::Warning, Severity::Notice] {
            let rules: Vec<_> = self.rules.iter().filter(|r| r.0 == sev).collect();
            if rules.is_empty() {
                continue;
            }
            let total: usize = rules.iter().map(|r| r.2).sum();
            let mut per: Vec<String> = rules.iter().take(8).map(|r| format!("{} ×{} in {}", r.1, thousands(r.2), count_of(r.3, "file"))).collect();
            if rules.len() > 8 {
                per.push(format!("{} more", count_of(rules.len() - 8, "rule")));
            }
            parts.push(format!("{} ({})", count_of(total, level_word(sev)), per.join(", ")));
        }
        parts.join(", ")
    }
}

/// Tracking IDs listed in one row of the main-templates table; the rest are counted.
const IDS_PER_ROW: usize = 3;

/// One row per main template: its top-level tracking IDs (each distinct ID once, `×N` when it
/// is deployed more than once, at most [`IDS_PER_ROW`] listed and the rest counted), each with
/// whether it is registered.
fn table_rows(report: &Report) -> Vec<String> {
    let mut rows = Vec::new();
    for f in report.files.iter().filter(|f| f.role == Role::Main) {
        let scope = f.scope.unwrap_or("");
        let mut ids: Vec<(String, String, usize)> = Vec::new();
        for t in f.tracking.iter().filter(|t| !t.nested) {
            let shown = t.shown();
            if let Some(e) = ids.iter_mut().find(|e| e.0 == shown) {
                e.2 += 1;
                continue;
            }
            let reg = match (t.registered, &t.description) {
                (Some(true), Some(d)) => format!("✅ {}", md_code(d)),
                (Some(true), None) => "✅".into(),
                (Some(false), _) => "❌ not registered".into(),
                (None, _) => "not checked".into(),
            };
            ids.push((shown, reg, 1));
        }
        if ids.is_empty() {
            rows.push(format!("| {} | {} | ❌ none | |\n", md_code(&f.path), scope));
            continue;
        }
        let listed = &ids[..ids.len().min(IDS_PER_ROW)];
        let mut id_cell: Vec<String> = listed.iter().map(|(id, _, n)| if *n > 1 { format!("{} ×{}", md_code(id), thousands(*n)) } else { md_code(id) }).collect();
        let mut reg_cell: Vec<String> = listed.iter().map(|e| e.1.clone()).collect();
        if ids.len() > IDS_PER_ROW {
            let rest = &ids[IDS_PER_ROW..];
            let deployments: usize = rest.iter().map(|e| e.2).sum();
            id_cell.push(format!("and {} more ({})", thousands(rest.len()), count_of(deployments, "deployment")));
            let unregistered = rest.iter().filter(|e| e.1.starts_with('❌')).count();
            if unregistered > 0 {
                reg_cell.push(format!("❌ {} of them not registered", thousands(unregistered)));
            }
        }
        rows.push(format!("| {} | {} | {} | {} |\n", md_code(&f.path), scope, id_cell.join("<br>"), reg_cell.join("<br>")));
    }
    rows
}

const TABLE_HEAD: &str = "| Main template | Scope | Tracking ID | Registered |\n|---|---|---|---|\n";

/// The comment or summary: status, what was checked, the main templates, then the findings
/// level by level (errors, warnings, notices), each rule once with one explanation and one fix,
/// repeated findings folded per file and, for warnings and notices, across files. Within
/// `max_bytes`, every error comes before any warning; whatever does not fit is named in a note
/// that says where the complete list is.
pub fn render_full(report: &Report, o: &Options) -> Rendered {
    let mut head = String::new();
    head.push_str(o.header);
    head.push_str(&format!("### {}\n\n", status(report)));
    if let Some(c) = &o.checked {
        head.push_str(c);
        head.push_str("\n\n");
    }
    if !report.registry.checked {
        head.push_str("_Registration was not checked: no registry was given (`registered-ids`, `registry-file` or `cua-registry.json`)._\n\n");
    }
    let mut tail = String::new();
    if report.summary.suppressed > 0 {
        tail.push_str(&format!("\n_{} suppressed._\n", count_of(report.summary.suppressed, "finding")));
    }
    tail.push_str("\n<sub>cua-check · [rules](");
    tail.push_str(crate::rules::DOCS_URL);
    tail.push_str(")</sub>\n");

    let rows = table_rows(report);
    let table_full: usize = if rows.is_empty() { 0 } else { TABLE_HEAD.len() + 24 + rows.iter().map(String::len).sum::<usize>() + 1 };
    // The findings come first in the budget; the table keeps up to a quarter for itself (a
    // table row is what a reader of a small repository looks for first).
    let fixed = head.len() + tail.len();
    let table_floor = table_full.min(o.max_bytes / 4);
    let findings_budget = o.max_bytes.saturating_sub(fixed + table_floor);
    let (findings, complete) = findings_part(report, o, findings_budget);

    let mut out = head;
    out.push_str(&findings);
    if !rows.is_empty() {
        let table_budget = o.max_bytes.saturating_sub(fixed + findings.len()).min(o.max_bytes / 2);
        let note_room = 300;
        let mut table = format!("\n#### Main templates\n\n{TABLE_HEAD}");
        let mut shown = 0;
        for row in &rows {
            if table.len() + row.len() + note_room > table_budget && table_full > table_budget {
                break;
            }
            table.push_str(row);
            shown += 1;
        }
        if shown < rows.len() {
            table.push_str(&format!(
                "\n_{} of {} main templates not shown here (size limit); the complete list: {}._\n",
                thousands(rows.len() - shown),
                thousands(rows.len()),
                o.full_report_hint
            ));
        }
        table.push('\n');
        out.push_str(&table);
    }
    out.push_str(&tail);
    Rendered { text: out, complete }
}

fn findings_part(report: &Report, o: &Options, budget: usize) -> (String, bool) {
    let groups = groups(report);
    let mut out = String::new();
    let mut left = Left::default();
    let mut counts_only = Left::default();
    let reserve = 1_500; // the cut note
    let room = budget.saturating_sub(reserve);
    let mut cut = false;
    // every finding's file and line is listed (no fold across files, no `… more` lines)
    let mut lossless = true;
    for sev in [Severity::Error, Severity::Warning, Severity::Notice] {
        let of_level: Vec<&Group> = groups.iter().filter(|g| g.severity == sev).collect();
        if of_level.is_empty() {
            continue;
        }
        let total: usize = of_level.iter().map(|g| g.count).sum();
        if sev < o.list_level {
            for g in &of_level {
                counts_only.add(sev, g.rule, g.count, g.files.len());
            }
            continue;
        }
        if cut {
            for g in &of_level {
                left.add(sev, g.rule, g.count, g.files.len());
            }
            continue;
        }
        let heading = format!("\n#### {} {}\n", icon(sev), count_of(total, level_word(sev)));
        if out.len() + heading.len() > room {
            cut = true;
            for g in &of_level {
                left.add(sev, g.rule, g.count, g.files.len());
            }
            continue;
        }
        out.push_str(&heading);
        for g in &of_level {
            if cut {
                left.add(sev, g.rule, g.count, g.files.len());
                continue;
            }
            let (full, all) = group_block(g, o, Stage::Full);
            if out.len() + full.len() <= room {
                out.push_str(&full);
                lossless &= all;
                continue;
            }
            let (compact, all) = group_block(g, o, Stage::PerFile);
            if out.len() + compact.len() <= room {
                out.push_str(&compact);
                lossless &= all;
                continue;
            }
            if g.severity != Severity::Error {
                let (across, _) = group_block(g, o, Stage::Across);
                if out.len() + across.len() <= room {
                    out.push_str(&across);
                    lossless = false;
                    continue;
                }
            }
            // Partial: the rule's head and as many of its files as fit, in order.
            cut = true;
            let mut part = group_head(g, o, true, false);
            let mut shown_files = 0;
            let mut shown = 0;
            for (path, list) in &g.files {
                let (line, _) = file_line(g, path, list, o, true);
                if out.len() + part.len() + line.len() > room {
                    break;
                }
                part.push_str(&line);
                shown_files += 1;
                shown += list.len();
            }
            if shown_files > 0 {
                out.push_str(&part);
            }
            left.add(sev, g.rule, g.count - shown, g.files.len() - shown_files);
        }
    }
    if !counts_only.is_empty() {
        out.push_str(&format!(
            "\n#### Not listed here: {}\n\n_The lowest level this comment lists is `{}` (input `comment-level`). The complete list: {}._\n",
            counts_only.describe(),
            level_word(o.list_level),
            o.full_report_hint
        ));
    }
    if !left.is_empty() {
        out.push_str(&format!("\n_Not shown here (size limit): {}. The complete list: {}._\n", left.describe(), o.full_report_hint));
    }
    (out, lossless && left.is_empty() && counts_only.is_empty())
}

fn rule_link(g: &Group) -> String {
    match by_code(g.rule.as_str()) {
        Some(r) => format!("[{}]({})", r.name, doc_url(r)),
        None => g.files[0].1[0].name.to_string(),
    }
}

/// The help all findings of the group share, else the rule's fix.
fn group_fix(g: &Group) -> Option<String> {
    let first = g.files[0].1[0].help.as_deref();
    let same = g.files.iter().flat_map(|(_, l)| l.iter()).all(|f| f.help.as_deref() == first);
    match (same, first) {
        (true, Some(h)) => Some(h.to_string()),
        _ => by_code(g.rule.as_str()).map(|r| r.fix.to_string()),
    }
}

fn group_head(g: &Group, o: &Options, compact: bool, snippet: bool) -> String {
    let summary = by_code(g.rule.as_str()).map(|r| r.summary).unwrap_or("");
    let times = if g.count > 1 { format!(" ×{} in {}", thousands(g.count), count_of(g.files.len(), "file")) } else { String::new() };
    let mut s = format!("\n{} **{}** {}{}: {}\n", icon(g.severity), g.rule, rule_link(g), times, md_message(summary));
    if let Some(fix) = group_fix(g) {
        s.push_str(&format!("Fix: {}\n", md_message(&fix)));
    }
    if snippet && !compact && o.snippets {
        if let Some(snippet) = g.files.iter().flat_map(|(_, l)| l.iter()).find_map(|f| f.snippet.as_deref()) {
            let lang = if snippet.trim_start().starts_with('{') { "json" } else if snippet.contains("provider") || snippet.contains("partner_id") { "hcl" } else { "bicep" };
            let fence = if snippet.contains("```") { "~~~~" } else { "```" };
            s.push_str(&format!(
                "\n<details><summary>Ready-to-paste fix</summary>\n\n{fence}{lang}\n{}\n{fence}\n</details>\n",
                snippet.lines().collect::<Vec<_>>().join("\n")
            ));
        }
    }
    s.push('\n');
    s
}

fn line_link(f: &Finding, o: &Options, word: bool) -> String {
    let text = if word { format!("line {}", f.line) } else { f.line.to_string() };
    match &o.blob_base {
        Some(base) => format!("[{}]({}/{}#L{})", text, base, url_path(&super::sarif::join_prefix(o.prefix, &f.path)), f.line),
        None => text,
    }
}

/// One file's findings of the group: one line each, or one line for all (`×26, lines …`).
/// `compact`: no messages (the line numbers of errors are still all there).
fn file_line(g: &Group, path: &str, list: &[&Finding], o: &Options, compact: bool) -> (String, bool) {
    let ic = icon(g.severity);
    let fix = group_fix(g);
    if list.len() < FOLD_IN_FILE && !compact {
        let mut s = String::new();
        for f in list {
            s.push_str(&format!("- {ic} {} {}: {}\n", md_code(path), line_link(f, o, true), md_message(&f.message)));
            if let Some(h) = f.help.as_deref().filter(|h| Some(*h) != fix.as_deref()) {
                s.push_str(&format!("  - Fix: {}\n", md_message(h)));
            }
        }
        return (s, true);
    }
    let all = g.severity == Severity::Error || !o.fold;
    let listed = if all { list.len() } else { list.len().min(LINES_LISTED) };
    let mut lines: Vec<String> = list.iter().take(listed).map(|f| line_link(f, o, false)).collect();
    if listed < list.len() {
        lines.push(format!("… ({} more)", thousands(list.len() - listed)));
    }
    let word = if list.len() == 1 { "line" } else { "lines" };
    let times = if list.len() > 1 { format!(" ×{}", thousands(list.len())) } else { String::new() };
    let line = if compact {
        format!("- {ic} {}{times}, {word} {}\n", md_code(path), lines.join(", "))
    } else {
        format!("- {ic} {}{times}, {word} {}; the first: {}\n", md_code(path), lines.join(", "), md_message(&list[0].message))
    };
    (line, listed == list.len())
}

/// How much of a rule's findings a block shows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// Messages, one line per finding or per file (and, with `fold`, warnings and notices in
    /// many files on one line).
    Full,
    /// One line per file, line numbers only.
    PerFile,
    /// Warnings and notices: one line for all files.
    Across,
}

/// A rule's block, and whether it names every finding's file and line. Errors always list
/// every file and line.
fn group_block(g: &Group, o: &Options, stage: Stage) -> (String, bool) {
    let mut s = group_head(g, o, stage != Stage::Full, true);
    let across = g.severity != Severity::Error && (stage == Stage::Across || (stage == Stage::Full && o.fold && g.files.len() > FOLD_ACROSS_FILES));
    if across {
        let mut by_count: Vec<&(&str, Vec<&Finding>)> = g.files.iter().collect();
        crate::util::sort::sort_by(&mut by_count, |a, b| b.1.len().cmp(&a.1.len()));
        let top: Vec<String> = by_count.iter().take(5).map(|(p, l)| format!("{} ({})", md_code(p), thousands(l.len()))).collect();
        let rest = g.files.len().saturating_sub(5);
        let more = if rest > 0 { format!(" and {} more {}", thousands(rest), if rest == 1 { "file" } else { "files" }) } else { String::new() };
        let most = if by_count[0].1.len() > 1 { "most in" } else { "in" };
        s.push_str(&format!("- {} ×{} in {}: {most} {}{more}\n", icon(g.severity), thousands(g.count), count_of(g.files.len(), "file"), top.join(", ")));
        if stage == Stage::Across {
            s.push_str(&format!("\n_Every file and line of these: {}._\n", o.full_report_hint));
        }
        return (s, false);
    }
    let mut all = true;
    for (path, list) in &g.files {
        let (line, every) = file_line(g, path, list, o, stage != Stage::Full);
        s.push_str(&line);
        all &= every;
    }
    (s, all)
}
