use super::{Context, Rule, Sink};
use crate::model::ProblemKind;
use crate::report::Severity;

pub static RULE: Rule = Rule {
    code: "CUA001",
    name: "unreadable-file",
    severity: Severity::Error,
    applies_to: "all",
    summary: "A template or source file could not be read or parsed.",
    why: "A template that cannot be parsed cannot be checked, and Azure cannot deploy it either. The rest of the tree is still checked.",
    example: "{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n  \"resources\": [\n}",
    example_lang: "json",
    fix: "Fix the syntax error at the reported line and column (or save the file as UTF-8).",
    check,
};

fn check(cx: &Context, out: &mut Sink) {
    for p in cx.problems.iter().filter(|p| p.kind == ProblemKind::Unreadable) {
        out.emit_path(&RULE, RULE.severity, &p.path, p.span, p.message.clone(), None);
    }
    for f in cx.files {
        for e in &f.errors {
            out.emit(&RULE, f, e.span, e.message.clone());
        }
    }
}
