use super::{Code, Context, Rule, Sink};
use crate::report::Severity;
use crate::tracking::Class;

pub static RULE: Rule = Rule {
    code: Code::CUA113,
    name: "duplicate",
    severity: Severity::Error,
    applies_to: "ARM, Bicep",
    summary: "Two resources in one template have the same tracking name.",
    why: "Two deployments with one name in one template make the deployment fail with a conflict.",
    example: "\"resources\": [\n  { \"type\": \"Microsoft.Resources/deployments\", \"name\": \"pid-8d1a1e1b-1f2c-4d3e-9a4b-5c6d7e8f9a0b\", … },\n  { \"type\": \"Microsoft.Resources/deployments\", \"name\": \"pid-8d1a1e1b-1f2c-4d3e-9a4b-5c6d7e8f9a0b\", … }\n]",
    example_lang: "json",
    fix: "Keep one tracking deployment per template.",
    autofix: None,
    check,
};

fn check(cx: &Context, out: &mut Sink) {
    for (f, file) in cx.files.iter().enumerate() {
        let mut seen: Vec<(String, u32)> = Vec::new();
        for (d, c) in cx.deployments(f) {
            if d.nested || !matches!(c, Class::Valid(_)) || d.condition.is_some() {
                continue;
            }
            let key = d.name.display().to_ascii_lowercase();
            if let Some((_, line)) = seen.iter().find(|(k, _)| *k == key) {
                let message = format!("tracking deployment {} is declared twice (first at line {line}); the deployment fails with a conflict", super::quote(&d.name_raw));
                if let Some(x) = out.emit(&RULE, file, d.name_span, message) {
                    x.help = Some("remove one of the two".into());
                }
            } else {
                seen.push((key, d.name_span.line));
            }
        }
    }
}
