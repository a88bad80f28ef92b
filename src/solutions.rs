//! Tracked solutions: what a customer deploys as one unit and what carries its tracking ID.
//! Used by the customer-notice and under-reported-service rules (CUA401, CUA403) and by the
//! attribution map (`cua-check map`).
//!
//! - an ARM or Bicep **main** template, with every template it deploys (links and modules,
//!   followed transitively), and any other template that carries tracking at its own top level
//!   and is not part of such a solution (customers deploy it on its own);
//! - a **Terraform folder** (a module: Terraform reads a folder at a time);
//! - a folder of **code** (SDK calls, scripts, CLI) carrying a user agent.
//!
//! A solution is *tracked* when one of its files carries a tracking attempt (a valid,
//! malformed, placeholder or dynamic ID); only tracked solutions are listed.

use crate::model::{Kind, Role, SourceFile, Span};
use crate::rules::{is_attempt, IdUse, Via};

/// How a solution is deployed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Channel {
    Arm,
    Bicep,
    Terraform,
    /// SDK calls, scripts and the Azure CLI (user agents).
    Code,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Arm => "ARM",
            Channel::Bicep => "Bicep",
            Channel::Terraform => "Terraform",
            Channel::Code => "SDK/CLI",
        }
    }

    /// The channel that carries one use of an ID: a user agent is SDK/CLI in any file.
    pub fn of_use(file: &SourceFile, via: Via) -> Channel {
        match (via, file.kind) {
            (Via::UserAgent(_), _) | (_, Kind::Code) => Channel::Code,
            (_, Kind::Arm) => Channel::Arm,
            (_, Kind::Bicep) => Channel::Bicep,
            (_, Kind::Terraform) => Channel::Terraform,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Solution {
    pub channel: Channel,
    /// The file the solution is named by: the main template, or the first file of the folder
    /// that carries tracking.
    pub entry: usize,
    /// Folder of the entry, root-relative (`""` for the root).
    pub folder: String,
    /// Every file that belongs to it: the entry first, then what it deploys (templates) or the
    /// folder's other files (Terraform, code).
    pub files: Vec<usize>,
    /// Indices into `Context::ids` of the tracking attempts in those files.
    pub ids: Vec<usize>,
    /// Where a finding about the solution as a whole is shown.
    pub anchor: Span,
}

impl Solution {
    /// The name shown in messages and the map: the entry's path, or the folder for Terraform
    /// and code (`.` for the root).
    pub fn name(&self, files: &[SourceFile]) -> String {
        match self.channel {
            Channel::Arm | Channel::Bicep => files[self.entry].path.clone(),
            Channel::Terraform | Channel::Code => {
                if self.folder.is_empty() {
                    ".".into()
                } else {
                    format!("{}/", self.folder)
                }
            }
        }
    }

    /// Resource types the solution deploys, in file order, each with the file and span of its
    /// first declaration. Deployments (`Microsoft.Resources/deployments`) are links, not resources.
    pub fn resources<'a>(&self, files: &'a [SourceFile]) -> Vec<(&'a str, usize, Span, usize)> {
        let mut out: Vec<(&str, usize, Span, usize)> = Vec::new();
        for &f in &self.files {
            for r in &files[f].resources {
                if is_deployment_type(&r.value) {
                    continue;
                }
                match out.iter_mut().find(|x| x.0.eq_ignore_ascii_case(&r.value)) {
                    Some(x) => x.3 += 1,
                    None => out.push((r.value.as_str(), f, r.span, 1)),
                }
            }
        }
        out
    }
}

/// Deployment resources (ARM, Bicep, Terraform): they deploy other things, they are not one.
pub fn is_deployment_type(t: &str) -> bool {
    t.eq_ignore_ascii_case("Microsoft.Resources/deployments")
        || (t.starts_with("azurerm_") && t.ends_with("template_deployment"))
}

pub fn parent(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

/// Every tracked solution, in path order of their entries.
pub fn find(files: &[SourceFile], links: &[Vec<usize>], ids: &[IdUse]) -> Vec<Solution> {
    let mut by_file: Vec<Vec<usize>> = vec![Vec::new(); files.len()];
    for (i, u) in ids.iter().enumerate() {
        if is_attempt(&u.class) {
            by_file[u.file].push(i);
        }
    }
    let mut out: Vec<Solution> = Vec::new();
    let closure = |f: usize| {
        let mut members = vec![f];
        let mut seen: std::collections::HashSet<usize> = std::collections::HashSet::from([f]);
        let mut i = 0;
        while i < members.len() {
            for &t in &links[members[i]] {
                if seen.insert(t) {
                    members.push(t);
                }
            }
            i += 1;
        }
        members
    };
    let template = |f: usize| files[f].errors.is_empty() && matches!(files[f].kind, Kind::Arm | Kind::Bicep);
    // Main templates with everything they deploy; then any other template that carries tracking
    // at its own top level and is not deployed as part of one of those (a module deployed only
    // by a sample or a test, a template not named as main): customers deploy it on its own.
    let own_tracking = |f: usize| by_file[f].iter().any(|&i| !ids[i].nested);
    let mut covered = vec![false; files.len()];
    for pass in 0..2 {
        for f in 0..files.len() {
            if !template(f) || covered[f] {
                continue;
            }
            let entry = match pass {
                0 => files[f].role == Role::Main,
                _ => own_tracking(f),
            };
            if !entry {
                continue;
            }
            let members = closure(f);
            let used: Vec<usize> = members.iter().flat_map(|&m| by_file[m].iter().copied()).collect();
            if used.is_empty() {
                continue;
            }
            for &m in &members {
                covered[m] = true;
            }
            let file = &files[f];
            let channel = if file.kind == Kind::Bicep { Channel::Bicep } else { Channel::Arm };
            out.push(Solution { channel, entry: f, folder: parent(&file.path).to_string(), files: members, ids: used, anchor: file.anchor });
        }
    }
    // Terraform and code: a folder at a time (the folders in order of their first file, each
    // with its files in file order; grouped in one pass, not a scan of every file per folder).
    for kind in [Kind::Terraform, Kind::Code] {
        let mut folders: Vec<(&str, Vec<usize>)> = Vec::new();
        let mut at: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for (f, file) in files.iter().enumerate().filter(|(_, x)| x.kind == kind) {
            let d = parent(&file.path);
            let i = *at.entry(d).or_insert_with(|| {
                folders.push((d, Vec::new()));
                folders.len() - 1
            });
            folders[i].1.push(f);
        }
        for (d, members) in folders {
            let used: Vec<usize> = members.iter().flat_map(|&m| by_file[m].iter().copied()).collect();
            let Some(&first) = used.first() else { continue };
            let entry = ids[first].file;
            let mut ordered = vec![entry];
            ordered.extend(members.iter().copied().filter(|&m| m != entry));
            let channel = if kind == Kind::Terraform { Channel::Terraform } else { Channel::Code };
            out.push(Solution { channel, entry, folder: d.to_string(), files: ordered, ids: used, anchor: ids[first].span });
        }
    }
    crate::util::sort::sort_by(&mut out, |a, b| files[a.entry].path.cmp(&files[b.entry].path));
    out
}
