use super::{Code, Context, Rule, Sink};
use crate::report::Severity;

pub static RULE: Rule = Rule {
    code: Code::CUA003,
    name: "suppression-without-reason",
    severity: Severity::Warning,
    applies_to: "all",
    summary: "An inline suppression does not say why.",
    why: "A suppression silences a check on a release gate; the next reader needs to know why that is safe.",
    example: "// cua-check-ignore CUA111\nmodule telemetry './empty.bicep' = if (enableTelemetry) {",
    example_lang: "bicep",
    fix: "Add the reason after a colon: `// cua-check-ignore CUA111: telemetry is opt-out by contract`.",
    autofix: None,
    check,
};

fn check(cx: &Context, out: &mut Sink) {
    for f in cx.files {
        for s in f.suppressions.iter().filter(|s| s.reason.as_deref().is_none_or(|r| r.trim().is_empty())) {
            out.emit(&RULE, f, s.span, format!("the suppression of {} gives no reason; it still applies, but say why it is safe", s.rule));
        }
    }
}
