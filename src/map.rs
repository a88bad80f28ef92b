//! The attribution map (`cua-check map`, and a section of the action's job summary): every
//! tracking ID found, what the registry says about it, the channels that carry it, the
//! solutions it covers with the resources each deploys, and a notice when one ID covers several
//! solutions whose reporting then cannot be split. Built from the facts of a check run; the
//! renderers are in `render::map`. The JSON form is a contract like the report's (version 1).

use serde::Serialize;

use crate::model::SourceFile;
use crate::partner_ids::Registry;
use crate::rules::IdUse;
use crate::solutions::{Channel, Solution};
use crate::tracking::Class;

#[derive(Clone, Debug, Serialize)]
pub struct Map {
    pub version: u32,
    /// Every well-formed tracking ID, in ID order.
    pub ids: Vec<IdEntry>,
    /// Tracked solutions whose tracking is not a well-formed ID (malformed, placeholder or not
    /// known before deployment): they are attributed to no one known.
    #[serde(rename = "solutionsWithoutId")]
    pub solutions_without_id: Vec<String>,
    /// Whether registration was checked (a registry or registered IDs were given).
    #[serde(rename = "registryChecked")]
    pub registry_checked: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct IdEntry {
    /// Normalised: lower-case `pid-<guid>` or `pid-…-partnercenter`.
    pub id: String,
    pub guid: Option<String>,
    /// `None` when registration was not checked.
    pub registered: Option<bool>,
    /// The registry's description of the ID.
    pub description: Option<String>,
    /// `ARM`, `Bicep`, `Terraform`, `SDK/CLI`, in that order.
    pub channels: Vec<&'static str>,
    pub solutions: Vec<SolutionEntry>,
    /// Every place the ID is written.
    pub uses: Vec<UseEntry>,
    /// Set when the ID covers solutions in more than one folder.
    pub notice: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct SolutionEntry {
    /// The main template's path, or the folder (`infra/`, `.`) for Terraform and code.
    pub name: String,
    pub channel: &'static str,
    pub folder: String,
    /// Files that carry this ID in the solution, as `path:line`.
    pub files: Vec<String>,
    /// Resource types the solution deploys, with how many declarations of each.
    pub resources: Vec<ResourceEntry>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ResourceEntry {
    #[serde(rename = "type")]
    pub resource_type: String,
    pub count: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct UseEntry {
    pub path: String,
    pub line: u32,
    pub channel: &'static str,
    /// As written in the source.
    pub raw: String,
}

/// The notice for an ID that covers several solutions, worded as the article gives its advice.
pub fn shared_notice(id: &str, names: &[String]) -> String {
    let shown: Vec<String> = names.iter().take(8).cloned().collect();
    let more = if names.len() > 8 { format!(" and {} more", names.len() - 8) } else { String::new() };
    format!(
        "{id} covers {} solutions in different folders ({}{more}): Microsoft reports usage per tracking ID, so their usage is reported together and cannot be split. The article recommends a unique GUID for each offer and distribution channel; using one GUID across the distribution channels of one product is allowed when you do not want to split its reporting.",
        names.len(),
        shown.join(", ")
    )
}

/// Build the map from a run's files, tracking uses and solutions.
pub fn build(files: &[SourceFile], ids: &[IdUse], solutions: &[Solution], registry: &Registry) -> Map {
    let mut out: Vec<IdEntry> = Vec::new();
    // Each ID's entry, and the places already listed: looked up, not searched for each use
    // (one ID is often written in thousands of files).
    let mut entry_of: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut listed: std::collections::HashSet<(usize, &str, u32)> = std::collections::HashSet::new();
    for u in ids {
        let Class::Valid(tid) = &u.class else { continue };
        let file = &files[u.file];
        let channel = Channel::of_use(file, u.via);
        let i = match entry_of.get(tid.id.as_str()) {
            Some(&i) => i,
            None => {
                let entry = registry.lookup(tid);
                out.push(IdEntry {
                    id: tid.id.clone(),
                    guid: tid.guid.clone(),
                    registered: registry.checked.then_some(entry.is_some()),
                    description: entry.and_then(|e| e.description.clone()),
                    channels: Vec::new(),
                    solutions: Vec::new(),
                    uses: Vec::new(),
                    notice: None,
                });
                entry_of.insert(tid.id.as_str(), out.len() - 1);
                out.len() - 1
            }
        };
        let e = &mut out[i];
        if !e.channels.contains(&channel.as_str()) {
            e.channels.push(channel.as_str());
        }
        if listed.insert((i, file.path.as_str(), u.span.line)) {
            e.uses.push(UseEntry { path: file.path.clone(), line: u.span.line, channel: channel.as_str(), raw: u.raw.clone() });
        }
    }
    for e in &mut out {
        let order = |c: &str| ["ARM", "Bicep", "Terraform", "SDK/CLI"].iter().position(|x| *x == c).unwrap_or(9);
        crate::util::sort::sort_by_key(&mut e.channels, |c| order(c));
        crate::util::sort::sort_by(&mut e.uses, |a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    }
    let mut without_id = Vec::new();
    for s in solutions {
        let mut mine: Vec<usize> = Vec::new();
        for &i in &s.ids {
            let Class::Valid(tid) = &ids[i].class else { continue };
            if let Some(&k) = entry_of.get(tid.id.as_str()) {
                if !mine.contains(&k) {
                    mine.push(k);
                }
            }
        }
        if mine.is_empty() {
            without_id.push(s.name(files));
            continue;
        }
        let resources: Vec<ResourceEntry> =
            s.resources(files).into_iter().map(|(t, _, _, n)| ResourceEntry { resource_type: t.to_string(), count: n }).collect();
        for k in mine {
            let mut here: Vec<String> = Vec::new();
            let mut seen: std::collections::HashSet<(&str, u32)> = std::collections::HashSet::new();
            for &i in &s.ids {
                let Class::Valid(tid) = &ids[i].class else { continue };
                if tid.id == out[k].id && seen.insert((files[ids[i].file].path.as_str(), ids[i].span.line)) {
                    here.push(format!("{}:{}", files[ids[i].file].path, ids[i].span.line));
                }
            }
            out[k].solutions.push(SolutionEntry {
                name: s.name(files),
                channel: s.channel.as_str(),
                folder: s.folder.clone(),
                files: here,
                resources: resources.clone(),
            });
        }
    }
    for e in &mut out {
        let mut folders: Vec<&str> = e.solutions.iter().map(|s| s.folder.as_str()).collect();
        crate::util::sort::sort_by(&mut folders, Ord::cmp);
        folders.dedup();
        if folders.len() > 1 {
            let names: Vec<String> = e.solutions.iter().map(|s| s.name.clone()).collect();
            e.notice = Some(shared_notice(&e.id, &names));
        }
    }
    crate::util::sort::sort_by(&mut out, |a, b| a.id.cmp(&b.id));
    Map { version: 1, ids: out, solutions_without_id: without_id, registry_checked: registry.checked }
}

impl Map {
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".into());
        s.push('\n');
        s
    }
}
