use super::{Code, is_attempt, Context, Rule, Sink};
use crate::model::{Kind, Role};
use crate::report::Severity;

pub static RULE: Rule = Rule {
    code: Code::CUA402,
    name: "no-opt-out",
    severity: Severity::Notice,
    applies_to: "ARM, Bicep, Terraform",
    summary: "The tracking deployment cannot be switched off by the customer: no `condition`, `if` or `count` tied to a parameter or variable.",
    why: "The programme asks partners to tell customers that deployments are tracked and to give them a way to opt out. A tracking deployment without a condition on a parameter or variable can only be removed by editing the template. CUA111 judges a condition that exists (e.g. one that is off by default).",
    example: "{ \"type\": \"Microsoft.Resources/deployments\", \"name\": \"pid-7867e591-c1ee-4530-bed8-7387ab893a26\", ... }   // no \"condition\"",
    example_lang: "json",
    fix: "Add a parameter such as `enableTelemetry` (default true) and make the tracking deployment conditional on it: `\"condition\": \"[parameters('enableTelemetry')]\"` in ARM, `= if (enableTelemetry)` in Bicep, `count = var.enable_telemetry ? 1 : 0` in Terraform.",
    autofix: None,
    check,
};

/// A condition that is always true (`true`, `[true()]`, `1`) gives the customer nothing to switch.
/// A constant `false`/`0` is not judged here: tracking is then off, which is CUA111's concern.
fn always_on(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace() && !matches!(c, '[' | ']' | '(' | ')' | '"' | '\'')).collect();
    matches!(t.to_ascii_lowercase().as_str(), "true" | "1")
}

fn check(cx: &Context, out: &mut Sink) {
    for (f, file) in cx.files.iter().enumerate() {
        if !file.errors.is_empty() {
            continue;
        }
        // ARM and Bicep: the main file's own tracking deployment (a linked template or module
        // can be switched off where it is called). Terraform: every tracking resource.
        let judged = match file.kind {
            Kind::Arm | Kind::Bicep => file.role == Role::Main,
            Kind::Terraform => true,
            Kind::Code => false,
        };
        if !judged {
            continue;
        }
        for (d, c) in cx.deployments(f) {
            if d.nested || !is_attempt(c) {
                continue;
            }
            let word = match file.kind {
                Kind::Terraform => "`count` or `for_each`",
                Kind::Bicep => "`if (...)`",
                Kind::Arm | Kind::Code => "`condition`",
            };
            let message = match &d.condition {
                None => format!(
                    "tracking deployment {} has no {word}: customers cannot opt out of tracking without editing the template",
                    super::quote(&d.name_raw)
                ),
                Some(cond) if always_on(&cond.text) => format!(
                    "tracking deployment {} is conditional on the constant {}: customers cannot opt out without editing the template",
                    super::quote(&d.name_raw),
                    super::quote(&cond.text)
                ),
                Some(_) => continue,
            };
            if let Some(x) = out.emit(&RULE, file, d.name_span, message) {
                x.help = Some("add a parameter or variable (e.g. `enableTelemetry`, default true) and make the tracking deployment conditional on it".into());
            }
        }
    }
}
