use super::{is_attempt, Code, Context, Rule, Sink};
use crate::model::Kind;
use crate::report::Severity;

pub static RULE: Rule = Rule {
    code: Code::CUA201,
    name: "provider-missing-partner-id",
    severity: Severity::Error,
    applies_to: "Terraform",
    summary: "An `azurerm` or `azapi` provider block has no `partner_id`, and `ARM_PARTNER_ID` is not set for the run.",
    why: "Terraform attributes usage through each provider's `partner_id`. A provider without one (often `azapi` beside an `azurerm` that has it) sends the default Terraform ID, so that part of the usage is not yours. When the configuration (its folder, or a local module it calls) carries a `pid-` tracking deployment instead, as the Azure Verified Modules' telemetry does, the finding is a warning.",
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
    for (f, file) in cx.files.iter().enumerate() {
        let mut tracked: Option<Option<(usize, u32)>> = None;
        for p in file.providers.iter().filter(|p| p.partner_id.is_none()) {
            let name = match &p.alias {
                Some(a) => format!("provider \"{}\" (alias {})", p.name, super::quote(a)),
                None => format!("provider \"{}\"", p.name),
            };
            let by_module = *tracked.get_or_insert_with(|| tracked_through_modules(cx, f));
            let (severity, message) = match by_module {
                None => (
                    RULE.severity,
                    format!("{name} has no partner_id, and ARM_PARTNER_ID is not set: its Azure usage is not attributed to you"),
                ),
                Some((g, line)) => (
                    Severity::Warning,
                    format!(
                        "{name} has no partner_id, and ARM_PARTNER_ID is not set: the configuration is tracked only through the tracking deployment at {}:{line}, so the provider's own calls carry no partner ID",
                        cx.files[g].path
                    ),
                ),
            };
            let guid = super::cua101_missing_tracking::suggested_id(cx);
            let guid = guid.trim_start_matches("pid-").trim_end_matches("-partnercenter").to_string();
            if let Some(x) = out.emit_at(&RULE, severity, file, p.span, message) {
                x.help = Some(format!("add partner_id = \"{guid}\" to the block"));
                x.snippet = Some(format!("partner_id = \"{guid}\""));
            }
        }
    }
}

/// Terraform reads a folder at a time: when the folder of file `f`, or a local module it calls
/// (followed transitively), carries a tracking deployment (`pid-…`), the configuration is
/// tracked that way (the Azure Verified Modules' telemetry), and a provider without
/// `partner_id` is a warning, not an error. Returns the first such deployment (file, line).
fn tracked_through_modules(cx: &Context, f: usize) -> Option<(usize, u32)> {
    let folder = |p: &str| p.rsplit_once('/').map_or(String::new(), |(d, _)| d.to_string());
    let tf: Vec<usize> = (0..cx.files.len()).filter(|&g| cx.files[g].kind == Kind::Terraform).collect();
    let mut seen = std::collections::BTreeSet::new();
    let mut queue = vec![folder(&cx.files[f].path)];
    while let Some(dir) = queue.pop() {
        if !seen.insert(dir.clone()) || seen.len() > 256 {
            continue;
        }
        for &g in tf.iter().filter(|&&g| folder(&cx.files[g].path) == dir) {
            if let Some((d, _)) = cx.deployments(g).find(|(d, c)| !d.nested && is_attempt(c)) {
                return Some((g, d.name_span.line));
            }
            queue.extend(cx.files[g].modules.iter().map(|m| m.value.clone()));
        }
    }
    None
}
