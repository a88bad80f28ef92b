//! The human-readable format: a code frame per finding (like rustc and ruff), the tracking IDs
//! found per main template, and a one-line summary.

use crate::model::Role;
use crate::report::{Finding, Report, Severity};

/// Findings of one rule in one file shown as code frames; the rest are one line.
pub const FRAMES_PER_FILE: usize = 3;

pub struct Style {
    pub color: bool,
    /// Only errors, and no tracking list.
    pub quiet: bool,
}

struct Paint(bool);

impl Paint {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn sev(&self, s: Severity) -> String {
        match s {
            Severity::Error => self.wrap("1;31", "error"),
            Severity::Warning => self.wrap("1;33", "warning"),
            Severity::Notice => self.wrap("1;36", "notice"),
        }
    }
    fn bold(&self, s: &str) -> String {
        self.wrap("1", s)
    }
    fn blue(&self, s: &str) -> String {
        self.wrap("1;34", s)
    }
    fn green(&self, s: &str) -> String {
        self.wrap("1;32", s)
    }
}

/// Text for the terminal: control characters in repository text are made visible.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() && c != '\t' { '\u{FFFD}' } else { c })
        .collect::<String>()
        .replace('\t', "    ")
}

pub fn render(report: &Report, style: &Style) -> String {
    let p = Paint(style.color);
    let mut out = String::new();
    if !style.quiet {
        for f in report.files.iter().filter(|f| f.role == Role::Main) {
            let top: Vec<_> = f.tracking.iter().filter(|t| !t.nested).collect();
            if top.is_empty() {
                out.push_str(&format!("{} {}: no tracking ID\n", p.wrap("1;31", "✗"), clean(&f.path)));
            }
            for t in top {
                let reg = match (t.registered, &t.description) {
                    (Some(true), Some(d)) => format!(" (registered: {})", clean(d)),
                    (Some(true), None) => " (registered)".to_string(),
                    (Some(false), _) => " (NOT registered)".to_string(),
                    (None, _) => String::new(),
                };
                out.push_str(&format!(
                    "{} {}:{}: tracking ID {}{}\n",
                    if t.id.is_some() { p.green("✓") } else { p.wrap("33", "?") },
                    clean(&f.path),
                    t.line,
                    p.bold(&clean(&t.shown())),
                    reg
                ));
            }
        }
        if !out.is_empty() {
            out.push('\n');
        }
    }
    // Repeated findings of one rule in one file: the first few as frames, the rest on one line.
    let shown: Vec<&Finding> = crate::report::ordered(&report.findings).into_iter().filter(|f| !style.quiet || f.severity == Severity::Error).collect();
    let mut i = 0;
    while i < shown.len() {
        let f = shown[i];
        let mut j = i;
        while j < shown.len() && shown[j].rule == f.rule && shown[j].path == f.path && shown[j].severity == f.severity {
            j += 1;
        }
        let run = &shown[i..j];
        let framed = if run.len() > FRAMES_PER_FILE + 1 { FRAMES_PER_FILE } else { run.len() };
        for g in &run[..framed] {
            frame(&mut out, g, &p);
        }
        if framed < run.len() {
            let rest = &run[framed..];
            let lines: Vec<String> = rest.iter().map(|g| g.line.to_string()).collect();
            out.push_str(&format!(
                "{}{} {} more in {}: lines {} (every one in --format json)\n\n",
                p.sev(f.severity),
                p.bold(&format!("[{}]", f.rule)),
                rest.len(),
                clean(&f.path),
                lines.join(", ")
            ));
        }
        i = j;
    }
    let s = &report.summary;
    let gate = if s.passed { p.green("passed") } else { p.wrap("1;31", "failed") };
    out.push_str(&format!("{}; gate {} (fail-on: {})", super::counts(s), gate, s.fail_on));
    if !report.registry.checked {
        out.push_str("; registration not checked (no registry given)");
    }
    if s.suppressed > 0 {
        out.push_str(&format!("; {} suppressed", s.suppressed));
    }
    out.push('\n');
    // Repository text (paths, source lines, descriptions) must not be read as a workflow
    // command when this is printed in a CI log.
    super::no_commands(out)
}

fn frame(out: &mut String, f: &Finding, p: &Paint) {
    out.push_str(&format!("{}{} {}: {}\n", p.sev(f.severity), p.bold(&format!("[{}]", f.rule)), f.name, clean(&f.message)));
    let loc = format!("{}:{}:{}", clean(&f.path), f.line, f.column);
    let width = f.line.to_string().len();
    let pad = " ".repeat(width);
    out.push_str(&format!("{pad}{} {loc}\n", p.blue("-->")));
    if let Some(src) = &f.source {
        let mut src = clean(src);
        let mut col = (f.column as usize).saturating_sub(1);
        // The source holds the start of a long line only: a span further along is pointed at
        // with a `…` after it (the frame stays small, whatever the line's length).
        let shown = src.chars().count();
        if col > shown {
            src.push_str(" …");
            col = shown + 1;
        }
        out.push_str(&format!("{pad} {}\n", p.blue("|")));
        out.push_str(&format!("{} {} {}\n", p.blue(&f.line.to_string()), p.blue("|"), src));
        let chars = src.chars().count();
        let len = if f.end_line == f.line && f.end_column > f.column {
            (f.end_column - f.column) as usize
        } else {
            chars.saturating_sub(col).max(1)
        };
        let len = len.min(chars.saturating_sub(col).max(1));
        let color = match f.severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Notice => "1;36",
        };
        out.push_str(&format!("{pad} {} {}{}\n", p.blue("|"), " ".repeat(col), p.wrap(color, &"^".repeat(len))));
    }
    if let Some(help) = &f.help {
        out.push_str(&format!("{pad} {} {}: {}\n", p.blue("="), p.bold("help"), clean(help)));
    }
    out.push('\n');
}
