use super::{Code, Context, Rule, Sink};
use crate::model::ProblemKind;
use crate::report::Severity;

pub static RULE: Rule = Rule {
    code: Code::CUA002,
    name: "file-too-large",
    severity: Severity::Warning,
    applies_to: "all",
    summary: "A file is larger than the size limit and was skipped.",
    why: "Very large files are almost never hand-written templates; skipping them keeps runs fast and memory bounded. A skipped main template is not checked.",
    example: "(a 200 MB generated JSON file)",
    example_lang: "text",
    fix: "Raise the limit with `--max-file-size` (action input `max-file-size`), or exclude the file with `--exclude`.",
    autofix: None,
    check,
};

fn check(cx: &Context, out: &mut Sink) {
    for p in cx.problems.iter().filter(|p| p.kind == ProblemKind::TooLarge) {
        out.emit_path(&RULE, RULE.severity, &p.path, p.span, p.message.clone(), None);
    }
}
