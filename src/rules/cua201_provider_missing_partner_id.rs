use super::{is_attempt, Code, Context, Rule, Sink};
use crate::model::Kind;
use crate::report::Severity;

pub static RULE: Rule = Rule {
    code: Code::CUA201,
    name: "provider-missing-partner-id",
    severity: Severity::Error,
    applies_to: "Terraform",
    summary: "An `azurerm` or `azapi` provider block has no `partner_id`, and `ARM_PARTNER_ID` is not set for the run.",
    why: "Terraform attributes usage through each provider's `partner_id`. A provider without one (often `azapi` beside an `azurerm` that has it) sends the default Terraform ID, so that part of the usage is not yours. When the configuration (its folder, or a local module it calls) carries a `pid-` tracking deployment instead (the telemetry of the Bicep-era Azure landing zones modules), or the Azure Verified Modules' `modtm_telemetry`, the finding is a warning: the configuration is a module library's example or test, tracked its own way. It stays an error when another provider block of the same folder has `partner_id`.",
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
        let mut tracked: Option<Option<(usize, u32, Telemetry)>> = None;
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
                Some((g, line, Telemetry::Deployment)) => (
                    Severity::Warning,
                    format!(
                        "{name} has no partner_id, and ARM_PARTNER_ID is not set: the configuration is tracked only through the tracking deployment at {}:{line}, so the provider's own calls carry no partner ID",
                        cx.files[g].path
                    ),
                ),
                Some((g, line, Telemetry::Avm)) => (
                    Severity::Warning,
                    format!(
                        "{name} has no partner_id, and ARM_PARTNER_ID is not set: the configuration calls an Azure Verified Module at {}:{line}, which reports its use through its own module telemetry and attributes nothing to a partner",
                        cx.files[g].path
                    ),
                ),
                Some((g, line, Telemetry::Modtm)) => (
                    Severity::Warning,
                    format!(
                        "{name} has no partner_id, and ARM_PARTNER_ID is not set: the configuration reports its use only through the module telemetry at {}:{line} (modtm_telemetry), which attributes nothing to a partner",
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

/// How a Terraform configuration reports its use without `partner_id`.
#[derive(Clone, Copy)]
enum Telemetry {
    /// A `pid-…` tracking deployment.
    Deployment,
    /// The Azure Verified Modules' `modtm_telemetry` resource: the module library counts its
    /// use; nothing is attributed to a partner.
    Modtm,
    /// A call of an Azure Verified Module from the Terraform registry (`Azure/avm-…/azurerm`):
    /// the AVM specification requires each to carry `modtm_telemetry`.
    Avm,
}

/// `Azure/avm-<name>/azurerm` (or `registry.terraform.io/Azure/avm-…`).
fn avm_registry_module(source: &str) -> bool {
    let s = source.strip_prefix("registry.terraform.io/").unwrap_or(source).to_ascii_lowercase();
    let mut parts = s.split('/');
    matches!((parts.next(), parts.next(), parts.next(), parts.next()), (Some("azure"), Some(n), Some("azurerm" | "azapi"), None) if n.starts_with("avm-"))
}

/// Terraform reads a folder at a time: when the folder of file `f`, or a local module it calls
/// (followed transitively), carries a tracking deployment (`pid-…`), the configuration is
/// tracked that way (the Azure Verified Modules' telemetry), and a provider without
/// `partner_id` is a warning, not an error; the same for the Azure Verified Modules'
/// `modtm_telemetry` (a module library, not a partner solution). Never when another provider of
/// the same folder has `partner_id`. Returns the first one found.
fn tracked_through_modules(cx: &Context, f: usize) -> Option<(usize, u32, Telemetry)> {
    let folder = |p: &str| p.rsplit_once('/').map_or(String::new(), |(d, _)| d.to_string());
    let tf: Vec<usize> = (0..cx.files.len()).filter(|&g| cx.files[g].kind == Kind::Terraform).collect();
    let mut seen = std::collections::BTreeSet::new();
    let home = folder(&cx.files[f].path);
    // A configuration that gives `partner_id` to some of its providers attributes its usage that
    // way: one without it loses that part, whatever modules it calls.
    if tf.iter().any(|&g| folder(&cx.files[g].path) == home && cx.files[g].providers.iter().any(|p| p.partner_id.is_some())) {
        return None;
    }
    let mut queue = vec![home];
    while let Some(dir) = queue.pop() {
        if !seen.insert(dir.clone()) || seen.len() > 256 {
            continue;
        }
        for &g in tf.iter().filter(|&&g| folder(&cx.files[g].path) == dir) {
            if let Some((d, _)) = cx.deployments(g).find(|(d, c)| !d.nested && is_attempt(c)) {
                return Some((g, d.name_span.line, Telemetry::Deployment));
            }
            if let Some(r) = cx.files[g].resources.iter().find(|r| r.value == "modtm_telemetry") {
                return Some((g, r.span.line, Telemetry::Modtm));
            }
            for m in &cx.files[g].modules {
                match &m.folder {
                    Some(dir) => {
                        queue.push(dir.clone());
                        // The standard module structure: a nested module lives in
                        // `<module>/modules/<name>`, and belongs to `<module>`.
                        if let Some((parent, _)) = dir.rsplit_once("/modules/").or_else(|| dir.strip_prefix("modules/").map(|r| ("", r))) {
                            queue.push(parent.to_string());
                        }
                    }
                    None if avm_registry_module(&m.source) => return Some((g, m.span.line, Telemetry::Avm)),
                    None => {}
                }
            }
        }
    }
    None
}
