//! The verify report as text (terminal and runner log), JSON, and Markdown (job summary and the
//! pull-request comment). Names and IDs read from ARM are escaped in every form but JSON.

use serde_json::json;

use super::VerifyReport;
use crate::render::{log_safe, md_code, md_text, plural};

pub fn render_json(r: &VerifyReport) -> String {
    let v = json!({
        "version": 1,
        "found": r.found,
        "trackingId": r.tracking_id,
        "deployment": r.deployment,
        "correlationId": r.correlation_id,
        "registered": r.registered,
        "registration": r.registration,
        "passed": r.code == 0,
        "message": r.message,
        "subscription": r.subscription,
        "resourceGroup": r.resource_group,
        "location": r.location,
        "correlatedDeployments": r.correlated,
        "resources": r.resources,
    });
    let mut s = crate::render::json_log_safe(serde_json::to_string_pretty(&v).expect("serialises"));
    s.push('\n');
    s
}

/// Text, one item per line, each line safe for a terminal and the Actions runner's log (no
/// control characters, no workflow commands).
pub fn render_text(r: &VerifyReport) -> String {
    text_lines(r).iter().map(|l| format!("{l}\n")).collect()
}

/// The lines of [`render_text`], already made log-safe.
pub fn text_lines(r: &VerifyReport) -> Vec<String> {
    let mut lines = vec![format!("{} {}", if r.code == 0 { "✓" } else { "✗" }, r.message)];
    if let Some(c) = &r.correlation_id {
        lines.push(format!("  correlation ID: {c}"));
    }
    if r.correlated.len() > 1 {
        lines.push(format!("  deployments sharing it: {}", r.correlated.join(", ")));
    }
    if let Some(d) = &r.registration {
        lines.push(format!("  registered as: {d}"));
    }
    for x in &r.resources {
        lines.push(format!("  {} {} ({})", x.resource_type, x.resource_name, x.id));
    }
    lines.iter().map(|l| log_safe(l)).collect()
}

pub struct MarkdownOptions<'a> {
    /// Text placed first (the comment's hidden marker).
    pub header: &'a str,
    /// Upper bound on the output size in bytes.
    pub max_bytes: usize,
    /// This workflow run, for the footer and the note when the resource list is cut.
    pub run_url: Option<&'a str>,
}

impl Default for MarkdownOptions<'_> {
    fn default() -> Self {
        MarkdownOptions { header: "", max_bytes: 1_000_000, run_url: None }
    }
}

/// Markdown for the job summary and the pull-request comment.
pub fn render_markdown(r: &VerifyReport, o: &MarkdownOptions) -> String {
    let mut out = String::from(o.header);
    let title = match r.code {
        0 => "✅ **cua-check verify: tracked**",
        1 => "❌ **cua-check verify: not tracked**",
        _ => "⚠️ **cua-check verify could not check the deployment**",
    };
    out.push_str(&format!("### {title}\n\n{}\n\n", md_text(&r.message)));
    let scope = match (&r.resource_group, &r.location) {
        (Some(rg), _) => format!("resource group {} · subscription {}", md_code(rg), md_code(&r.subscription)),
        (None, Some(l)) => format!("subscription {} · location {}", md_code(&r.subscription), md_code(l)),
        (None, None) => format!("subscription {}", md_code(&r.subscription)),
    };
    out.push_str("| | |\n|---|---|\n");
    out.push_str(&format!("| Scope | {scope} |\n"));
    if r.found {
        out.push_str(&format!("| Tracking deployment | {} |\n", md_code(r.deployment.as_deref().unwrap_or(""))));
        out.push_str(&format!(
            "| Tracking ID | {} |\n",
            r.tracking_id.as_deref().map(md_code).unwrap_or_else(|| "❌ none in the deployment name".into())
        ));
        let reg = match (r.registered, &r.registration) {
            (Some(true), Some(d)) => format!("✅ {}", md_code(d)),
            (Some(true), None) => "✅".into(),
            (Some(false), _) => "❌ not registered".into(),
            (None, _) => "not checked (no registry given)".into(),
        };
        out.push_str(&format!("| Registered | {reg} |\n"));
        if let Some(c) = &r.correlation_id {
            out.push_str(&format!("| Correlation ID | {} |\n", md_code(c)));
        }
        if !r.correlated.is_empty() {
            const SHOWN: usize = 20;
            let mut names: Vec<String> = r.correlated.iter().take(SHOWN).map(|n| md_code(n)).collect();
            if r.correlated.len() > SHOWN {
                names.push(format!("and {} more", r.correlated.len() - SHOWN));
            }
            out.push_str(&format!("| Deployments read | {} |\n", names.join(", ")));
        }
    } else if r.code == 1 {
        out.push_str(&format!("| Looked for | {} |\n", md_code(&r.wanted)));
    }
    if r.found {
        if r.resources.is_empty() {
            out.push_str("\n_No resources attributed: the deployments sharing the correlation ID created none (deployments themselves are not counted)._\n");
        } else {
            out.push_str(&format!(
                "\n**{}** (created by the deployments sharing the correlation ID; deployments themselves are not counted)\n\n",
                plural(r.resources.len(), "attributed resource")
            ));
            out.push_str("| Type | Name | Resource ID |\n|---|---|---|\n");
            let reserve = 600; // the note and the footer
            let mut shown = 0;
            for x in &r.resources {
                let row = format!("| {} | {} | {} |\n", md_code(&x.resource_type), md_code(&x.resource_name), md_code(&x.id));
                if out.len() + row.len() + reserve > o.max_bytes {
                    break;
                }
                out.push_str(&row);
                shown += 1;
            }
            if shown < r.resources.len() {
                let hint = match o.run_url {
                    Some(u) => format!("the job summary of [this run]({u}) lists them all"),
                    None => "the JSON report (`--format json`, or the action's `report-file` output) lists them all".into(),
                };
                out.push_str(&format!("\n_{} more not shown here (size limit); {hint}._\n", plural(r.resources.len() - shown, "resource")));
            }
        }
    }
    out.push_str("\n<sub>cua-check verify");
    if let Some(u) = o.run_url {
        out.push_str(&format!(" · [workflow run]({u})"));
    }
    out.push_str("</sub>\n");
    out
}
