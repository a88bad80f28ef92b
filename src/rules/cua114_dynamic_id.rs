use super::{Code, Context, Rule, Sink, Via};
use crate::report::Severity;
use crate::tracking::Class;

pub static RULE: Rule = Rule {
    code: Code::CUA114,
    name: "dynamic-id",
    severity: Severity::Warning,
    applies_to: "ARM, Bicep, Terraform",
    summary: "A tracking name cannot be resolved statically.",
    why: "When the GUID comes from a parameter without a default, a runtime function or another deployment's output, nobody can check before release that it is well formed and registered, and a caller can silently pass anything.",
    example: "\"name\": \"[concat('pid-', parameters('partnerGuid'))]\"   // parameter without defaultValue",
    example_lang: "json",
    fix: "Write the ID as a literal or a variable, or give the parameter the registered ID as its default.",
    autofix: None,
    check,
};

fn check(cx: &Context, out: &mut Sink) {
    for u in &cx.ids {
        if !matches!(u.class, Class::Dynamic { .. }) || matches!(u.via, Via::UserAgent(_)) {
            continue;
        }
        let spent = match u.via {
            Via::Deployment(d) => matches!(&cx.files[u.file].deployments[d].name, crate::model::Resolved::Unknown(r) if r == crate::sources::arm::expr::budget::FILE_SPENT),
            _ => false,
        };
        if spent {
            let message = format!(
                "tracking ID {} was not evaluated: this file's evaluation budget (32 MiB of values built or 4,000,000 steps) was spent before it, so it cannot be checked",
                super::quote(&u.raw)
            );
            if let Some(x) = out.emit(&RULE, &cx.files[u.file], u.span, message) {
                x.help = Some("note: the template builds very large values (e.g. one large variable used as many names); write the tracking name as a literal or a small variable".into());
            }
            continue;
        }
        let message = match &u.run_value {
            Some(r) if cx.files[u.file].kind == crate::model::Kind::Bicep && r.from.starts_with("with the values of") => format!(
                "tracking ID {} cannot be resolved before deployment, even {}: {}",
                super::quote(&u.raw),
                r.from,
                super::quote(&r.value)
            ),
            Some(r) if cx.files[u.file].kind == crate::model::Kind::Bicep => {
                format!("tracking ID {} cannot be resolved before deployment: {}", super::quote(&u.raw), r.from)
            }
            Some(r) => format!(
                "tracking ID {} cannot be resolved from the Terraform code alone; the repository sets it at run time ({}: {})",
                super::quote(&u.raw),
                r.from,
                super::quote(&r.value)
            ),
            None => format!("tracking ID {} cannot be resolved before deployment, so it cannot be checked", super::quote(&u.raw)),
        };
        if let Some(x) = out.emit(&RULE, &cx.files[u.file], u.span, message) {
            x.help = Some("write the ID as a literal or variable, or give the parameter a default value".into());
        }
    }
}
