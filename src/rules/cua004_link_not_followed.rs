use super::{Code, Context, Rule, Sink};
use crate::model::ProblemKind;
use crate::report::Severity;

pub static RULE: Rule = Rule {
    code: Code::CUA004,
    name: "link-not-followed",
    severity: Severity::Notice,
    applies_to: "all",
    summary: "A symbolic link points outside the scanned folder, or into a loop, and was not followed.",
    why: "Following links out of the repository could read files that are not part of the solution (or never end).",
    example: "templates/shared -> ../../other-repo/templates",
    example_lang: "text",
    fix: "Check the target folder directly (`cua-check check <target>`), or replace the link with the files.",
    autofix: None,
    check,
};

fn check(cx: &Context, out: &mut Sink) {
    for p in cx.problems.iter().filter(|p| p.kind == ProblemKind::LinkNotFollowed) {
        out.emit_path(&RULE, RULE.severity, &p.path, p.span, p.message.clone(), None);
    }
}
