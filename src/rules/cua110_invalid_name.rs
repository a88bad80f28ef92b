use super::{Code, is_attempt, Context, Rule, Sink};
use crate::model::{Part, Resolved};
use crate::report::Severity;

pub static RULE: Rule = Rule {
    code: Code::CUA110,
    name: "invalid-name",
    severity: Severity::Error,
    applies_to: "ARM, Bicep, Terraform",
    summary: "The tracking deployment's name is over 64 characters or has characters a deployment name may not have.",
    why: "Deployment names are 1 to 64 letters, digits, `-`, `_`, `.`, `(` and `)`. Azure rejects other names, and the whole deployment fails.",
    example: "\"name\": \"[concat('pid-8d1a1e1b-1f2c-4d3e-9a4b-5c6d7e8f9a0b-', parameters('solutionName'), '-', uniqueString(resourceGroup().id))]\"",
    example_lang: "json",
    fix: "Shorten the name (wrap a built name in `take(…, 64)`) and remove spaces and other characters.",
    autofix: None,
    check,
};

fn allowed(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '(' | ')')
}

fn check(cx: &Context, out: &mut Sink) {
    for (f, file) in cx.files.iter().enumerate() {
        for (d, c) in cx.deployments(f) {
            if !is_attempt(c) {
                continue;
            }
            // A build placeholder (`${prop}`) is replaced before deployment: the name Azure
            // sees is the build's value (CUA105 when the build does not define it).
            if matches!(&d.name, Resolved::Known(s) if crate::tracking::build_token(s).is_some()) {
                continue;
            }
            let (min_len, exact, literal): (usize, bool, String) = match &d.name {
                Resolved::Known(s) => (s.chars().count(), true, s.clone()),
                Resolved::Partial(parts) => {
                    let mut min = 0;
                    let mut exact = true;
                    let mut lit = String::new();
                    for p in parts {
                        match p {
                            Part::Lit(s) => {
                                min += s.chars().count();
                                lit.push_str(s);
                            }
                            Part::Opaque { len: Some(n), .. } => min += n,
                            Part::Opaque { len: None, .. } => exact = false,
                        }
                    }
                    (min, exact, lit)
                }
                Resolved::Unknown(_) => continue,
            };
            let bad: Vec<char> = literal.chars().filter(|&c| !allowed(c)).collect();
            let message = if min_len > 64 {
                format!(
                    "deployment name {} is {}{min_len} characters long; Azure allows at most 64",
                    super::quote(&d.name.display()),
                    if exact { "" } else { "at least " }
                )
            } else if let Some(&ch) = bad.first() {
                format!(
                    "deployment name {} contains {}, which a deployment name may not contain",
                    super::quote(&d.name.display()),
                    super::quote(&ch.to_string())
                )
            } else {
                continue;
            };
            if let Some(x) = out.emit(&RULE, file, d.name_span, message) {
                x.help = Some(if min_len > 64 {
                    "shorten the name, or wrap it in take(…, 64)".into()
                } else {
                    "use only letters, digits, '-', '_', '.', '(' and ')'".into()
                });
            }
        }
    }
}
