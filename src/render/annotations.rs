//! GitHub workflow annotations. The runner shows at most 10 of each level per step, so the most
//! important come first, and when findings are left out one notice says how many.

use serde::Serialize;

use super::log_safe;
use crate::report::{Report, Severity};

pub const PER_LEVEL: usize = 10;

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Annotation {
    pub level: &'static str,
    pub message: String,
    pub title: String,
    pub file: String,
    pub start_line: u32,
    pub start_column: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_column: Option<u32>,
}

pub fn build(report: &Report, prefix: &str) -> Vec<Annotation> {
    build_reserving(report, prefix, Reserved::default())
}

/// Slots of the runner's 10 per level that the caller fills itself (the gate's failure line,
/// the scope and fork notices, the event-file warning), so that those are shown too.
#[derive(Clone, Copy, Debug, Default)]
pub struct Reserved {
    pub errors: usize,
    pub warnings: usize,
    pub notices: usize,
}

/// [`build`], leaving the `reserved` slots to annotations the caller adds.
pub fn build_reserving(report: &Report, prefix: &str, reserved: Reserved) -> Vec<Annotation> {
    let mut out = Vec::new();
    let mut left_out = 0;
    let order = crate::report::ordered(&report.findings);
    for sev in [Severity::Error, Severity::Warning, Severity::Notice] {
        let all: Vec<_> = order.iter().copied().filter(|f| f.severity == sev).collect();
        // keep one notice slot for the overflow note
        let room = match sev {
            Severity::Notice => (PER_LEVEL - 1).saturating_sub(reserved.notices),
            Severity::Error => PER_LEVEL.saturating_sub(reserved.errors),
            Severity::Warning => PER_LEVEL.saturating_sub(reserved.warnings),
        };
        for f in all.iter().take(room) {
            let mut message = f.message.clone();
            if let Some(h) = &f.help {
                message.push_str(&format!("\nhelp: {h}"));
            }
            let single_line = f.end_line == f.line;
            out.push(Annotation {
                level: sev.as_str(),
                // Line by line: the lines are kept (the toolkit escapes CR and LF in the
                // message), a `\n` written in the repository's text stays two characters.
                message: message.split('\n').map(log_safe).collect::<Vec<_>>().join("\n"),
                title: format!("{} {}", f.rule, f.name),
                // exact: the toolkit escapes properties (%, CR, LF, ':' and ',')
                file: super::sarif::join_prefix(prefix, &f.path),
                start_line: f.line,
                start_column: f.column,
                end_line: Some(f.end_line),
                end_column: single_line.then_some(f.end_column.max(f.column)),
            });
        }
        left_out += all.len().saturating_sub(room);
    }
    if left_out > 0 {
        out.push(Annotation {
            level: "notice",
            message: format!("{left_out} more findings are not annotated (the runner shows 10 of each kind); the job summary lists them all"),
            title: "cua-check".into(),
            file: String::new(),
            start_line: 0,
            start_column: 0,
            end_line: None,
            end_column: None,
        });
    }
    out
}
