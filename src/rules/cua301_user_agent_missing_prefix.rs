use super::{Code, Context, Rule, Sink};
use crate::model::Resolved;
use crate::report::Severity;

pub static RULE: Rule = Rule {
    code: Code::CUA301,
    name: "user-agent-missing-prefix",
    severity: Severity::Warning,
    applies_to: "code",
    summary: "A registered GUID is passed as a user agent without the `pid-` prefix.",
    why: "Azure Resource Manager recognises a tracking ID in the user agent only as `pid-<GUID>`; the bare GUID is ignored.",
    example: "client.config.add_user_agent(\"8d1a1e1b-1f2c-4d3e-9a4b-5c6d7e8f9a0b\")",
    example_lang: "python",
    fix: "Pass `pid-<GUID>`: `add_user_agent(\"pid-8d1a1e1b-1f2c-4d3e-9a4b-5c6d7e8f9a0b\")`.",
    autofix: None,
    check,
};

fn check(cx: &Context, out: &mut Sink) {
    if !cx.registry.checked {
        return;
    }
    for file in cx.files {
        for ua in &file.user_agents {
            if ua.channel == "ARM_PARTNER_ID" {
                continue; // Terraform's variable takes the bare GUID
            }
            let Resolved::Known(v) = &ua.value else { continue };
            let lower = v.to_ascii_lowercase();
            for entry in &cx.registry.entries {
                let Some(g) = &entry.id.guid else { continue };
                let mut from = 0;
                while let Some(i) = lower[from..].find(g.as_str()) {
                    let at = from + i;
                    if !lower[..at].ends_with("pid-") {
                        let message = format!("user agent {} carries the registered GUID without the pid- prefix, so it is not attributed", super::quote(v));
                        if let Some(x) = out.emit(&RULE, file, ua.span, message) {
                            x.help = Some(format!("write pid-{g}"));
                        }
                    }
                    from = at + g.len();
                }
            }
        }
    }
}
