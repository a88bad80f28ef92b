use super::{is_attempt, Code, Context, Rule, Sink};
use crate::model::Kind;
use crate::solutions::parent;
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
    // Built once: which Terraform files each folder holds; and each folder's answer, kept
    // (the files of one folder share it), so a big tree is not scanned again per file.
    let index = TfIndex::new(cx);
    let mut by_folder: std::collections::HashMap<&str, Option<(usize, u32, Telemetry)>> = std::collections::HashMap::new();
    for file in cx.files.iter() {
        for p in file.providers.iter().filter(|p| p.partner_id.is_none()) {
            let name = match &p.alias {
                Some(a) => format!("provider \"{}\" (alias {})", p.name, super::quote(a)),
                None => format!("provider \"{}\"", p.name),
            };
            let home = parent(&file.path);
            let by_module = *by_folder.entry(home).or_insert_with(|| tracked_through_modules(cx, &index, home));
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
/// The Terraform files of each folder, and the folders where a provider block has partner_id.
struct TfIndex<'a> {
    files: std::collections::HashMap<&'a str, Vec<usize>>,
    with_partner_id: std::collections::HashSet<&'a str>,
}

impl<'a> TfIndex<'a> {
    fn new(cx: &'a Context) -> Self {
        let mut files: std::collections::HashMap<&str, Vec<usize>> = std::collections::HashMap::new();
        let mut with_partner_id = std::collections::HashSet::new();
        for (g, file) in cx.files.iter().enumerate().filter(|(_, f)| f.kind == Kind::Terraform) {
            let dir = parent(&file.path);
            files.entry(dir).or_default().push(g);
            if file.providers.iter().any(|p| p.partner_id.is_some()) {
                with_partner_id.insert(dir);
            }
        }
        TfIndex { files, with_partner_id }
    }
}

fn tracked_through_modules(cx: &Context, index: &TfIndex, home: &str) -> Option<(usize, u32, Telemetry)> {
    if index.with_partner_id.contains(home) {
        return None;
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut queue = vec![home.to_string()];
    while let Some(dir) = queue.pop() {
        if !seen.insert(dir.clone()) || seen.len() > 256 {
            continue;
        }
        for &g in index.files.get(dir.as_str()).into_iter().flatten() {
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
                        if let Some((owner, _)) = dir.rsplit_once("/modules/").or_else(|| dir.strip_prefix("modules/").map(|r| ("", r))) {
                            queue.push(owner.to_string());
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
