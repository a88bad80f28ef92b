//! Links between files (templateLink, `_artifactsLocation`, GitHub URLs of this repository,
//! Bicep modules) and the roles they decide: main, linked, template.

use crate::model::{LinkKind, Role, SourceFile};
use crate::options::settings::Settings;
use crate::report::LinkEntry;
use crate::sources::main_by_name;
use crate::util::host::{join, Host};

/// Roles from links. A `--main` glob (or the config's `main`) makes a file main; a main-named file
/// (mainTemplate.json, azuredeploy.json, main.bicep) is main unless another file in the tree
/// deploys it (a Bicep module or a templateLink): then it is linked, like any deployed template.
/// Returns each file's followed link targets and each template's role reason.
pub fn assign_roles(files: &mut [SourceFile], resolved: &[Vec<LinkOut>], settings: &Settings) -> (Vec<Vec<usize>>, Vec<Option<String>>) {
    let links: Vec<Vec<usize>> = resolved.iter().map(|l| {
        let mut v: Vec<usize> = Vec::new();
        for x in l {
            if let LinkStatus::Followed(t) = x.status {
                if !v.contains(&t) {
                    v.push(t);
                }
            }
        }
        v
    }).collect();
    let mut deployed_by: Vec<Option<usize>> = vec![None; files.len()];
    for (f, targets) in links.iter().enumerate() {
        for &t in targets {
            if t != f && deployed_by[t].is_none() {
                deployed_by[t] = Some(f);
            }
        }
    }
    let mut role_reasons: Vec<Option<String>> = vec![None; files.len()];
    let paths: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
    // The folders that hold a `main.bicep` (any case), each with its first such file.
    let mut main_bicep: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, p) in paths.iter().enumerate() {
        let (dir, name) = p.rsplit_once('/').unwrap_or(("", p.as_str()));
        if name.eq_ignore_ascii_case("main.bicep") {
            main_bicep.entry(dir).or_insert(i);
        }
    }
    for (f, file) in files.iter_mut().enumerate() {
        // A `.bicepparam` file is not a template: it gives its template's values.
        if let Some(p) = &file.params {
            role_reasons[f] = Some(match &p.using {
                Some(t) => format!("a parameters file: its values are given to {t}"),
                None => "a parameters file for no template of the tree".to_string(),
            });
            continue;
        }
        if !file.kind.is_template() {
            continue;
        }
        let by_glob = settings.mains.iter().find(|g| g.is_match(&file.path));
        let (role, why) = if let Some(g) = by_glob {
            (Role::Main, format!("matches the main glob `{}`", g.as_str()))
        } else if let Some(d) = deployed_by[f] {
            let how = if main_by_name(&file.path) { "main-named, but deployed" } else { "deployed" };
            (Role::Linked, format!("{how} by {}", paths[d]))
        } else if let Some(parent) = main_by_name(&file.path).then(|| enclosing_module(&paths, &main_bicep, f)).flatten() {
            (Role::Template, format!("main-named, but a child module: inside the folder of {}", paths[parent]))
        } else if main_by_name(&file.path) && repository_tooling(&file.path) {
            (Role::Template, "main-named, but under .github/: the repository's own tooling, not a solution it ships (a --main glob makes it main)".to_string())
        } else if main_by_name(&file.path) {
            (Role::Main, "main-named and deployed by no other file in the tree".to_string())
        } else {
            (Role::Template, "not main-named and deployed by no other file".to_string())
        };
        file.role = role;
        role_reasons[f] = Some(why);
    }
    (links, role_reasons)
}

/// A file under the `.github/` folder (at any depth of the checked tree): workflows, actions and
/// the infrastructure of the repository's own automation, which customers never deploy.
fn repository_tooling(path: &str) -> bool {
    path.split('/').rev().skip(1).any(|seg| seg.eq_ignore_ascii_case(".github"))
}

/// For a `main.bicep`, another `main.bicep` of the tree in a folder above it: the module
/// layout of Azure Verified Modules (`storage-account/main.bicep` holds
/// `storage-account/blob-service/main.bicep`), where the inner one is a child module even when
/// the parent's `module` line is gone (commented out in a vendored copy). Only `main.bicep`:
/// ARM `azuredeploy.json` files nest by product folder, each an entry point.
///
/// `main_bicep`: each folder holding a `main.bicep` (any case), with its first one in `paths`.
fn enclosing_module(paths: &[String], main_bicep: &std::collections::HashMap<&str, usize>, f: usize) -> Option<usize> {
    let p = &paths[f];
    let (dir, name) = p.rsplit_once('/')?;
    if !name.eq_ignore_ascii_case("main.bicep") {
        return None;
    }
    let mut d = dir;
    loop {
        let up = d.rsplit_once('/').map(|(a, _)| a).unwrap_or("");
        if let Some(&i) = main_bicep.get(up) {
            return Some(i);
        }
        if up.is_empty() {
            return None;
        }
        d = up;
    }
}

/// A file's links, as the report lists them.
pub fn link_entries(resolved: &[LinkOut]) -> Vec<LinkEntry> {
    resolved
        .iter()
        .map(|l| LinkEntry {
            target: l.shown.clone(),
            line: l.line,
            status: match l.status {
                LinkStatus::Followed(_) => "followed",
                LinkStatus::NotFound => "not-found",
                LinkStatus::External => "external",
            },
        })
        .collect()
}

/// What became of one link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkStatus {
    Followed(usize),
    /// A path in this repository that is not a template in the checked tree.
    NotFound,
    /// Another repository, any other URL, or not resolvable statically: not checked.
    External,
}

pub struct LinkOut {
    /// Path (root-relative) or URL, for the report.
    pub shown: String,
    pub line: u32,
    pub status: LinkStatus,
}

/// `owner/name` of the checked repository: the setting (GITHUB_REPOSITORY), else the `origin`
/// (or first) remote in `<root>/.git/config`. Lower case.
pub fn repo_identity(host: &dyn Host, settings: &Settings, root: &str) -> Option<(String, String)> {
    if let Some(r) = &settings.repository {
        return Some((r.to_ascii_lowercase(), settings.repo_prefix.trim_matches('/').to_string()));
    }
    // Confined like every path the repository names (`.git/config` may be a link).
    let bytes = crate::util::host::read_confined(host, root, &join(&join(root, ".git"), "config"), 1 << 20).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    git_remote_repo(&text).map(|r| (r, String::new()))
}

/// The GitHub `owner/name` of a git config's `origin` remote (else its first remote).
pub fn git_remote_repo(config: &str) -> Option<String> {
    let mut section = String::new();
    let mut first: Option<String> = None;
    for line in config.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            section = t.to_ascii_lowercase();
            continue;
        }
        if !section.starts_with("[remote") {
            continue;
        }
        let Some((k, v)) = t.split_once('=') else { continue };
        if k.trim() != "url" {
            continue;
        }
        let v = v.trim();
        let tail = v
            .strip_prefix("git@github.com:")
            .or_else(|| v.split_once("github.com/").map(|x| x.1))
            .or_else(|| v.split_once("github.com:").map(|x| x.1));
        let Some(tail) = tail else { continue };
        let tail = tail.trim_end_matches('/').trim_end_matches(".git");
        let mut it = tail.split('/');
        let (Some(o), Some(n)) = (it.next(), it.next()) else { continue };
        let id = format!("{o}/{n}").to_ascii_lowercase();
        if section == "[remote \"origin\"]" {
            return Some(id);
        }
        first.get_or_insert(id);
    }
    first
}

/// Resolve each file's references: to the file they reach, or why not.
pub fn resolve_links(files: &[SourceFile], repo: Option<&(String, String)>) -> Vec<Vec<LinkOut>> {
    // Every path, ignoring ASCII case, to its first file: a look-up per reference, not a scan.
    let mut by_path: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    if files.iter().any(|f| !f.references.is_empty()) {
        for (i, g) in files.iter().enumerate() {
            by_path.entry(g.path.to_ascii_lowercase()).or_insert(i);
        }
    }
    let find = |p: &str| by_path.get(&p.to_ascii_lowercase()).copied();
    files
        .iter()
        .map(|f| {
            f.references
                .iter()
                .map(|r| {
                    let status = match &r.kind {
                        LinkKind::Path => find(&r.target).map_or(LinkStatus::NotFound, LinkStatus::Followed),
                        LinkKind::GitHub { owner, repo: name } => {
                            let this = format!("{owner}/{name}").to_ascii_lowercase();
                            match repo {
                                Some((id, prefix)) if *id == this => {
                                    let inside = if prefix.is_empty() {
                                        Some(r.target.as_str())
                                    } else {
                                        r.target.strip_prefix(prefix.as_str()).and_then(|t| t.strip_prefix('/'))
                                    };
                                    match inside {
                                        Some(t) => find(t).map_or(LinkStatus::NotFound, LinkStatus::Followed),
                                        None => LinkStatus::External,
                                    }
                                }
                                Some(_) => LinkStatus::External,
                                // No identity known: only the whole path existing in the tree counts.
                                None => find(&r.target).map_or(LinkStatus::External, LinkStatus::Followed),
                            }
                        }
                        LinkKind::External => LinkStatus::External,
                    };
                    let shown = match (&r.kind, status) {
                        (LinkKind::GitHub { owner, repo }, LinkStatus::External) => format!("github.com/{owner}/{repo}: {}", r.target),
                        _ => r.target.clone(),
                    };
                    LinkOut { shown, line: r.span.line, status }
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod link_tests {
    use super::git_remote_repo;

    #[test]
    fn git_remote_of_the_root_names_the_repository() {
        let cfg = "[core]\n\tbare = false\n[remote \"upstream\"]\n\turl = https://github.com/Up/Stream.git\n[remote \"origin\"]\n\turl = git@github.com:Fortinet/Azure-Templates.git\n";
        assert_eq!(git_remote_repo(cfg).as_deref(), Some("fortinet/azure-templates"));
        let only = "[remote \"fork\"]\n\turl = https://github.com/me/fork\n";
        assert_eq!(git_remote_repo(only).as_deref(), Some("me/fork"));
        assert_eq!(git_remote_repo("[remote \"origin\"]\n\turl = https://dev.azure.com/o/p/_git/r\n"), None);
    }
}
