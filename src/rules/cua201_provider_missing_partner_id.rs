use super::{Code, Context, Rule, Sink};
use crate::report::Severity;

pub static RULE: Rule = Rule {
    code: Code::CUA201,
    name: "provider-missing-partner-id",
    severity: Severity::Error,
    applies_to: "Terraform",
    summary: "An `azurerm` or `azapi` provider block has no `partner_id`, and `ARM_PARTNER_ID` is not set for the run.",
    why: "Terraform attributes usage through each provider's `partner_id`. A provider without one (often `azapi` beside an `azurerm` that has it) sends the default Terraform ID, so that part of the usage is not yours.",
    example: "provider \"azurerm\" {\n  features {}\n  partner_id = \"8d1a1e1b-1f2c-4d3e-9a4b-5c6d7e8f9a0b\"\n}\n\nprovider \"azapi\" {\n}",
    example_lang: "hcl",
    fix: "Add `partner_id = \"<GUID>\"` to every azurerm and azapi provider block, or set `ARM_PARTNER_ID` in the environment that runs Terraform.",
    autofix: None,
    check,
};

fn check(cx: &Context, out: &mut Sink) {
    if cx.env_partner_id.is_some() {
        return;
    }
    for file in cx.files {
        for p in file.providers.iter().filter(|p| p.partner_id.is_none()) {
            let name = match &p.alias {
                Some(a) => format!("provider \"{}\" (alias {})", p.name, super::quote(a)),
                None => format!("provider \"{}\"", p.name),
            };
            let message = format!("{name} has no partner_id, and ARM_PARTNER_ID is not set: its Azure usage is not attributed to you");
            let guid = super::cua101_missing_tracking::suggested_id(cx);
            let guid = guid.trim_start_matches("pid-").trim_end_matches("-partnercenter").to_string();
            if let Some(x) = out.emit(&RULE, file, p.span, message) {
                x.help = Some(format!("add partner_id = \"{guid}\" to the block"));
                x.snippet = Some(format!("partner_id = \"{guid}\""));
            }
        }
    }
}
