use super::{Code, Context, Rule, Sink};
use crate::model::{ProblemKind, Role};
use crate::report::Severity;

pub static RULE: Rule = Rule {
    code: Code::CUA001,
    name: "unreadable-file",
    severity: Severity::Error,
    applies_to: "all",
    summary: "A template or source file could not be read or parsed.",
    why: "A template that cannot be parsed cannot be checked, and Azure cannot deploy it either. The rest of the tree is still checked. The failure is an error when it can hide tracking: the file is a main template (main-named, or matched by --main / `main` in the configuration) or its text mentions a tracking ID or a way to carry one (`pid-`, `partner_id`, `ARM_PARTNER_ID`, a user agent). Otherwise it is a warning: the file is reported, but it does not fail the gate. Files that cannot be read at all (not UTF-8/UTF-16, over the size limit, a name that is not UTF-8) are errors. A key that decides what is deployed (`resources`, `name`, `type`, `properties`, `mode`) written twice in one object is a warning naming both lines: Azure uses the last one, and so do cua-check and `fix`.",
    example: "{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n  \"resources\": [\n}",
    example_lang: "json",
    fix: "Fix the syntax error at the reported line and column (or save the file as UTF-8).",
    autofix: None,
    check,
};

fn check(cx: &Context, out: &mut Sink) {
    for p in cx.problems.iter().filter(|p| p.kind == ProblemKind::Unreadable) {
        out.emit_path(&RULE, RULE.severity, &p.path, p.span, p.message.clone(), None);
    }
    // A build input (CUA005) is reported as such, not as a broken file.
    for f in cx.files.iter().filter(|f| f.build_tokens.is_empty()) {
        // What a parse failure costs follows what the file could hide.
        let severity = if f.role == Role::Main || f.mentions_tracking { RULE.severity } else { Severity::Warning };
        for e in &f.errors {
            out.emit_at(&RULE, severity, f, e.span, e.message.clone());
        }
        for w in &f.warnings {
            out.emit_at(&RULE, Severity::Warning, f, w.span, w.message.clone());
        }
    }
}
