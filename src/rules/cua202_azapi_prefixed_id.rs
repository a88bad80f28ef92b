use super::{Code, Context, Rule, Sink};
use crate::model::Resolved;
use crate::report::Severity;

pub static RULE: Rule = Rule {
    code: Code::CUA202,
    name: "azapi-prefixed-id",
    severity: Severity::Error,
    applies_to: "Terraform",
    summary: "The `azapi` provider's `partner_id` is not a bare GUID.",
    why: "`azurerm` accepts `<GUID>`, `pid-<GUID>` and `pid-<GUID>-partnercenter`, but `azapi` only accepts a bare GUID and fails on the prefixed forms.",
    example: "provider \"azapi\" {\n  partner_id = \"pid-8d1a1e1b-1f2c-4d3e-9a4b-5c6d7e8f9a0b\"\n}",
    example_lang: "hcl",
    fix: "Write only the GUID: `partner_id = \"8d1a1e1b-1f2c-4d3e-9a4b-5c6d7e8f9a0b\"`.",
    autofix: None,
    check,
};

fn check(cx: &Context, out: &mut Sink) {
    for file in cx.files {
        for p in file.providers.iter().filter(|p| p.name == "azapi") {
            let Some(pid) = &p.partner_id else { continue };
            let Resolved::Known(v) = &pid.value else { continue };
            if crate::tracking::is_guid(v.trim()) {
                continue;
            }
            if v.to_ascii_lowercase().starts_with("pid-") {
                let bare = v[4..].trim_end_matches("-partnercenter").to_string();
                let message = format!("azapi partner_id {} has a prefix; azapi accepts only a bare GUID", super::quote(v));
                if let Some(x) = out.emit(&RULE, file, pid.span, message) {
                    x.help = Some(format!("use partner_id = \"{bare}\""));
                }
            }
        }
    }
}
