use super::{Code, Context, Rule, Sink};
use crate::model::{Kind, Role};
use crate::report::Severity;

pub static RULE: Rule = Rule {
    code: Code::CUA112,
    name: "comments",
    severity: Severity::Warning,
    applies_to: "ARM",
    summary: "A main template, or a template carrying tracking, contains `//` or `/* */` comments.",
    why: "Comments are not JSON. Azure's own tools accept them, but the published tracking snippet says to remove them, and Marketplace packaging and other JSON tooling may reject or strip the file.",
    example: "\"resources\": [\n  // partner tracking\n  { \"type\": \"Microsoft.Resources/deployments\", … }\n]",
    example_lang: "json",
    fix: "Remove the comments, or move the text into a `metadata` property (e.g. `\"metadata\": { \"comments\": \"…\" }`).",
    autofix: None,
    check,
};

fn check(cx: &Context, out: &mut Sink) {
    for (f, file) in cx.files.iter().enumerate() {
        if file.kind != Kind::Arm {
            continue;
        }
        let Some(span) = file.comment else { continue };
        if file.role == Role::Main || cx.has_top_level_tracking(f) {
            if let Some(x) = out.emit(&RULE, file, span, "template contains comments, which are not JSON".into()) {
                x.help = Some("remove the comments or move them into a \"metadata\" property".into());
            }
        }
    }
}
