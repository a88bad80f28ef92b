//! The attribution map as text (`cua-check map`) and as Markdown (`--format markdown`, and the
//! section of the action's job summary). The JSON form is [`Map::to_json`].

use super::{md_code, md_text, plural};
use crate::map::{IdEntry, Map};

/// Text for the terminal: control characters in repository text are made visible.
fn clean(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { '\u{FFFD}' } else { c }).collect()
}

fn registration(e: &IdEntry) -> String {
    match (e.registered, &e.description) {
        (None, _) => "registration not checked".into(),
        (Some(true), Some(d)) => format!("registered: {}", clean(d)),
        (Some(true), None) => "registered".into(),
        (Some(false), _) => "NOT registered".into(),
    }
}

fn resources(e: &crate::map::SolutionEntry) -> String {
    if e.resources.is_empty() {
        return "nothing besides the tracking deployment".into();
    }
    e.resources
        .iter()
        .map(|r| if r.count > 1 { format!("{} ×{}", clean(&r.resource_type), r.count) } else { clean(&r.resource_type) })
        .collect::<Vec<_>>()
        .join(", ")
}

fn headline(map: &Map) -> String {
    let solutions: usize = map.ids.iter().map(|e| e.solutions.len()).sum();
    format!("{} in {}", plural(map.ids.len(), "tracking ID"), plural(solutions, "solution"))
}

/// `cua-check map`: one block per ID.
pub fn text(map: &Map) -> String {
    let mut out = format!("Attribution map: {}\n", headline(map));
    if map.ids.is_empty() {
        out.push_str("\nNo well-formed tracking ID was found.\n");
    }
    for e in &map.ids {
        out.push_str(&format!("\n{}  ({})\n", e.id, registration(e)));
        out.push_str(&format!("  channels: {}\n", e.channels.join(", ")));
        for s in &e.solutions {
            out.push_str(&format!("  solution {} ({})\n", clean(&s.name), s.channel));
            out.push_str(&format!("    tracked in: {}\n", s.files.iter().map(|f| clean(f)).collect::<Vec<_>>().join(", ")));
            out.push_str(&format!("    deploys: {}\n", resources(s)));
        }
        let outside: Vec<String> = e
            .uses
            .iter()
            .filter(|u| !e.solutions.iter().any(|s| s.files.contains(&format!("{}:{}", u.path, u.line))))
            .map(|u| format!("{}:{}", clean(&u.path), u.line))
            .collect();
        if !outside.is_empty() {
            out.push_str(&format!("  also written in (no solution deploys it): {}\n", outside.join(", ")));
        }
        if let Some(n) = &e.notice {
            out.push_str(&format!("  notice: {n}\n"));
        }
    }
    if !map.solutions_without_id.is_empty() {
        out.push_str(&format!(
            "\nTracked solutions without a well-formed ID (see `cua-check check`): {}\n",
            map.solutions_without_id.iter().map(|s| clean(s)).collect::<Vec<_>>().join(", ")
        ));
    }
    out
}

/// In Markdown (a job summary is limited to 1 MiB), at most this many solutions are named in
/// the table row of an ID, and listed under it.
const TABLE_MAX: usize = 5;
const LIST_MAX: usize = 25;

/// Markdown: a table of the IDs, then the solutions of each. `prefix` is put before every path
/// (the action's `path` input), `heading` is the Markdown heading level (`##`, `###`).
pub fn markdown(map: &Map, prefix: &str, heading: &str) -> String {
    let p = |s: &str| md_code(&if prefix.is_empty() || s == "." { s.to_string() } else { format!("{}/{}", prefix.trim_end_matches('/'), s) });
    let mut out = format!("{heading} Attribution map\n\n{}\n\n", md_text(&headline(map)));
    if map.ids.is_empty() {
        out.push_str("No well-formed tracking ID was found.\n");
    } else {
        out.push_str("| Tracking ID | Registry | Channels | Solutions |\n|---|---|---|---|\n");
        for e in &map.ids {
            let reg = match (e.registered, &e.description) {
                (None, _) => "not checked".to_string(),
                (Some(true), Some(d)) => format!("registered: {}", md_text(d)),
                (Some(true), None) => "registered".into(),
                (Some(false), _) => "**not registered**".into(),
            };
            let mut sols = if e.solutions.is_empty() { "none".to_string() } else { e.solutions.iter().take(TABLE_MAX).map(|s| p(&s.name)).collect::<Vec<_>>().join(", ") };
            if e.solutions.len() > TABLE_MAX {
                sols.push_str(&format!(" and {} more", e.solutions.len() - TABLE_MAX));
            }
            out.push_str(&format!("| {} | {} | {} | {} |\n", md_code(&e.id), reg, e.channels.join(", "), sols));
        }
        for e in &map.ids {
            out.push_str(&format!("\n**{}**\n\n", md_code(&e.id)));
            for s in e.solutions.iter().take(LIST_MAX) {
                let deploys = if s.resources.is_empty() {
                    "nothing besides the tracking deployment".to_string()
                } else {
                    s.resources
                        .iter()
                        .map(|r| if r.count > 1 { format!("{} ×{}", md_code(&r.resource_type), r.count) } else { md_code(&r.resource_type) })
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let at = s.files.iter().map(|f| p(f)).collect::<Vec<_>>().join(", ");
                out.push_str(&format!("- {} ({}), tracked in {at}: deploys {deploys}\n", p(&s.name), s.channel));
            }
            if e.solutions.len() > LIST_MAX {
                out.push_str(&format!("- and {} more (`cua-check map` lists them all)\n", e.solutions.len() - LIST_MAX));
            }
            if e.solutions.is_empty() {
                let at = e.uses.iter().map(|u| p(&format!("{}:{}", u.path, u.line))).collect::<Vec<_>>().join(", ");
                out.push_str(&format!("- written in {at}; no tracked solution deploys it\n"));
            }
            if let Some(n) = &e.notice {
                out.push_str(&format!("\n> ℹ️ {}\n", md_text(n)));
            }
        }
    }
    if !map.solutions_without_id.is_empty() {
        let n = map.solutions_without_id.len();
        let more = if n > LIST_MAX { format!(" and {} more", n - LIST_MAX) } else { String::new() };
        out.push_str(&format!(
            "\nTracked solutions without a well-formed ID: {}{more}\n",
            map.solutions_without_id.iter().take(LIST_MAX).map(|s| p(s)).collect::<Vec<_>>().join(", ")
        ));
    }
    out
}
