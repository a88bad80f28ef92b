use super::{Code, Context, Mode, Rule, Sink};
use crate::notice::chain;
use crate::report::Severity;

pub static RULE: Rule = Rule {
    code: Code::CUA401,
    name: "missing-customer-notice",
    severity: Severity::Warning,
    applies_to: "ARM, Bicep, Terraform, SDK/CLI",
    summary: "A tracked solution has no customer notice: nothing in its README or docs, its `createUiDefinition.json` or the template's `metadata` tells customers that deployments are tracked for attribution and how to opt out.",
    why: "The programme asks partners to notify customers about deployments that use customer usage attribution (Microsoft reports the Azure usage of those deployments to the partner), and to make the notice consistent with their privacy and data collection policies, including an option for customers to be excluded from tracking. The article gives the text: \"When you deploy this template, Microsoft is able to identify the installation of <PARTNER> software with the deployed Azure resources...\". Looked for in the solution's folder and every parent folder up to the root: `README*`, `docs/**/*.md`, `createUiDefinition.json`, and the template's own `metadata`. Recognised: the article's wording and the usual variants (\"customer usage attribution\", \"telemetry\", a \"Data Collection\" section) together with a way to opt out (\"opt out\", \"turn off the telemetry\", `enableTelemetry`, `telemetryOptOut`, ...), or your own wording through `notice-pattern` in cua-check.toml. With `--mode marketplace` it is a notice: the offer's listing may carry the notice instead.",
    example: "infra/main.bicep      // carries pid-<GUID>\ninfra/README.md       // says nothing about tracking\nREADME.md             // nor does this",
    example_lang: "text",
    fix: "Add a notice to the solution's README (or `docs/`, `createUiDefinition.json` or the template's `metadata`), e.g. the article's text: \"When you deploy this template, Microsoft is able to identify the installation of <PARTNER> software with the deployed Azure resources. Microsoft is able to correlate these resources used to support the software. Microsoft collects this information to provide the best experiences with their products and to operate their business. The data is collected and governed by Microsoft's privacy policies.\", and say how to opt out (e.g. set the `enableTelemetry` parameter to false). If your notice uses other words, set `notice-pattern = \"<regex>\"` in cua-check.toml.",
    check,
    autofix: None,
};

/// At most this many files are named in a message.
const SHOWN: usize = 6;

fn check(cx: &Context, out: &mut Sink) {
    let severity = if cx.mode == Mode::Marketplace { Severity::Notice } else { RULE.severity };
    // The docs that speak for each folder, in docs order (a look-up per folder, not a scan).
    let mut docs_of: std::collections::HashMap<&str, Vec<&crate::notice::DocFile>> = std::collections::HashMap::new();
    for d in &cx.docs {
        let mut owners: Vec<&str> = Vec::new();
        for o in &d.owners {
            if !owners.contains(&o.as_str()) {
                owners.push(o);
                docs_of.entry(o).or_default().push(d);
            }
        }
    }
    for sol in &cx.solutions {
        let folders = chain(&sol.folder);
        // The template's own metadata (the main template, or any file of a Terraform folder).
        let mut partial: Option<String> = None;
        let mut complete = false;
        for &f in &sol.files {
            let Some(meta) = &cx.files[f].metadata else { continue };
            match cx.notice.scan(&meta.value) {
                Some(x) if x.opt_out => complete = true,
                Some(_) => {
                    partial.get_or_insert_with(|| format!("the metadata of {}:{}", cx.files[f].path, meta.span.line));
                }
                None => {}
            }
        }
        // Docs that speak for the folder or a parent, nearest first.
        let mut read: Vec<&str> = Vec::new();
        for folder in &folders {
            for &d in docs_of.get(folder.as_str()).into_iter().flatten() {
                if read.contains(&d.path.as_str()) {
                    continue;
                }
                read.push(&d.path);
                match d.found {
                    Some(x) if x.opt_out => complete = true,
                    Some(x) => {
                        partial.get_or_insert_with(|| format!("{}:{}", d.path, x.line));
                    }
                    None => {}
                }
            }
        }
        if complete {
            continue;
        }
        let name = sol.name(cx.files);
        let shown_folders: Vec<String> = folders.iter().map(|f| if f.is_empty() { "`.` (the root)".to_string() } else { super::quote(f) }).collect();
        let mut files: Vec<String> = read.iter().take(SHOWN).map(|p| super::quote(p)).collect();
        if read.len() > SHOWN {
            files.push(format!("and {} more", read.len() - SHOWN));
        }
        let has_meta = sol.files.iter().any(|&f| cx.files[f].metadata.is_some());
        let looked = format!(
            "looked in {} (README*, docs/**/*.md, createUiDefinition.json){}; files read: {}",
            shown_folders.join(", "),
            if has_meta { " and the template's metadata" } else { "" },
            if files.is_empty() { "none found".to_string() } else { files.join(", ") },
        );
        let pattern = if cx.notice.is_custom() { " (recognised by the config's notice-pattern)" } else { "" };
        let message = match partial {
            Some(at) => format!(
                "tracked solution {} mentions tracking in {at}, but no notice{pattern} says how customers can opt out: {looked}",
                super::quote(&name)
            ),
            None => format!(
                "tracked solution {} has no customer notice{pattern} saying that deployments are tracked for attribution and how to opt out: {looked}",
                super::quote(&name)
            ),
        };
        let file = &cx.files[sol.entry];
        if let Some(x) = out.emit_at(&RULE, severity, file, sol.anchor, message) {
            x.help = Some("add the article's notice (\"Microsoft is able to identify the installation of <PARTNER> software with the deployed Azure resources...\") and how to opt out to the README, or set notice-pattern in cua-check.toml to your wording".into());
        }
    }
}
