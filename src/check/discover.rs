//! Walking the scanned tree: which files are read (those a reader claims, see
//! [`crate::sources::claim`]), which are skipped, and links.
//!
//! Skips `.git`, `node_modules` and `.terraform` folders and `--exclude` globs. Symbolic links
//! are followed only when their target stays inside the scanned root and has not been visited
//! (no loops); any other link is reported (CUA004) and not followed.

use crate::util::glob::Glob;
use crate::util::host::{inside, join, EntryKind, Host};
use crate::model::{Problem, ProblemKind, Span};
use crate::sources::{Claim, Reader};

/// Folders never descended into.
pub const SKIPPED_DIRS: &[&str] = &[".git", "node_modules", ".terraform"];

#[derive(Clone, Debug)]
pub struct Candidate {
    /// Relative to the root, `/`-separated.
    pub rel: String,
    /// As passed to the host.
    pub abs: String,
    /// The reader that claimed it.
    pub claim: Claim,
}

pub struct Walk {
    pub files: Vec<Candidate>,
    /// README files, pages under `docs/` and `createUiDefinition.json`: where a customer notice
    /// may be (CUA401). Read only for the folders of tracked solutions.
    pub docs: Vec<(String, String)>,
    pub problems: Vec<Problem>,
    /// The scanned folder as passed to the host.
    pub root: String,
}

/// Walk `root` (a folder, or a single file).
///
/// Costs one `read_dir` per folder and nothing per file (sizes are learnt when a file is
/// opened); the canonical path of a folder is derived from its parent's, so `realpath` is
/// called only for the root and for symbolic links.
pub fn walk(host: &dyn Host, root: &str, excludes: &[Glob], readers: &[&dyn Reader], sources: &crate::options::settings::Sources) -> Result<Walk, String> {
    let root = if root.is_empty() { "." } else { root.trim_end_matches('/') };
    let root = if root.is_empty() { "/" } else { root };
    let mut files = Vec::new();
    let mut docs = Vec::new();
    let mut problems = Vec::new();
    match host.stat(root) {
        None => return Err(format!("{root}: no such file or folder")),
        Some((EntryKind::File, _)) => {
            let (dir, name) = match root.rfind('/') {
                Some(i) => (&root[..i.max(1)], &root[i + 1..]),
                None => (".", root),
            };
            if let Some(claim) = crate::sources::claim(readers, name, sources) {
                files.push(Candidate { rel: name.to_string(), abs: root.to_string(), claim });
            }
            return Ok(Walk { files, docs: Vec::new(), problems, root: dir.to_string() });
        }
        Some(_) => {}
    }
    let root_real = host.realpath(root).unwrap_or_else(|| root.to_string());
    // Canonical paths of the folders scanned or queued: a link into one of them is not followed.
    let mut visited: std::collections::HashSet<String> = std::collections::HashSet::new();
    visited.insert(root_real.clone());
    // (absolute, relative, canonical) folders still to read; processed in sorted order.
    let mut stack: Vec<(String, String, String)> = vec![(root.to_string(), String::new(), root_real.clone())];
    while let Some((dir_abs, dir_rel, dir_real)) = stack.pop() {
        let mut entries = match host.read_dir(&dir_abs) {
            Ok(e) => e,
            Err(e) => {
                problems.push(problem(&dir_rel, ProblemKind::Unreadable, format!("folder could not be read: {e}")));
                continue;
            }
        };
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let mut subdirs = Vec::new();
        for (name, mut kind) in entries {
            let rel = join(&dir_rel, &name);
            let mut real = None;
            if kind == EntryKind::Link {
                let abs = join(&dir_abs, &name);
                match (host.stat(&abs), host.realpath(&abs)) {
                    (Some((k, _)), Some(target)) if inside(&target, &root_real) => {
                        if k == EntryKind::Dir && visited.contains(&target) {
                            problems.push(problem(&rel, ProblemKind::LinkNotFollowed, "symbolic link leads back into a folder already scanned (a loop); not followed".into()));
                            continue;
                        }
                        kind = k;
                        real = Some(target);
                    }
                    (Some(_), Some(_)) => {
                        problems.push(problem(&rel, ProblemKind::LinkNotFollowed, "symbolic link points outside the scanned folder; not followed".into()));
                        continue;
                    }
                    _ => {
                        problems.push(problem(&rel, ProblemKind::LinkNotFollowed, "symbolic link is broken or loops; not followed".into()));
                        continue;
                    }
                }
            }
            match kind {
                EntryKind::Dir => {
                    if SKIPPED_DIRS.contains(&name.as_str()) || excluded(excludes, &rel, true) {
                        continue;
                    }
                    let real = real.unwrap_or_else(|| join(&dir_real, &name));
                    visited.insert(real.clone());
                    subdirs.push((join(&dir_abs, &name), rel, real));
                }
                EntryKind::File => {
                    if excluded(excludes, &rel, false) {
                        continue;
                    }
                    if crate::notice::doc_kind(&rel).is_some() {
                        docs.push((rel.clone(), join(&dir_abs, &name)));
                    }
                    if let Some(claim) = crate::sources::claim(readers, &rel, sources) {
                        files.push(Candidate { abs: join(&dir_abs, &name), rel, claim });
                    }
                }
                EntryKind::Undecodable { dir } => {
                    // Skipping it silently would let a template pass unchecked (the gate passed
                    // on a folder named in Latin-1).
                    if dir || crate::sources::claim(readers, &rel, sources).is_some() {
                        let what = if dir { "folder" } else { "file" };
                        problems.push(problem(&rel, ProblemKind::Unreadable, format!("{what} name is not valid UTF-8 (the bytes that are not are shown as \\xNN); not read: rename it")));
                    }
                }
                _ => {
                    // A FIFO, device or socket under a name that would be read: said, not read
                    // (reading could hang or never end).
                    if !excluded(excludes, &rel, false) && (crate::sources::claim(readers, &rel, sources).is_some() || crate::partner_ids::CONVENTIONAL.contains(&name.as_str())) {
                        problems.push(problem(&rel, ProblemKind::Unreadable, "not a regular file (a FIFO, device or socket); not read".into()));
                    }
                }
            }
        }
        // Reverse so that popping visits folders in name order.
        stack.extend(subdirs.into_iter().rev());
    }
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    docs.sort();
    Ok(Walk { files, docs, problems, root: root.to_string() })
}


fn excluded(excludes: &[Glob], rel: &str, is_dir: bool) -> bool {
    excludes.iter().any(|g| g.is_match(rel) || (is_dir && g.is_match(&format!("{rel}/"))))
}

fn problem(rel: &str, kind: ProblemKind, message: String) -> Problem {
    Problem { path: if rel.is_empty() { ".".into() } else { rel.to_string() }, kind, span: Span::FILE_START, message }
}
