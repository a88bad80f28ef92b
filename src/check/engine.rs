//! One check run: walk the tree, read each file once, hand it to its language reader, then run
//! the rules over the facts and build the report.

use crate::options::settings::Settings;
use crate::check::discover::{self, Candidate};
use crate::sources::{decode, main_by_name, HostLoader, Input, ReadCx, Reader, Unit, READERS};
use crate::util::host::{join, Host};
use crate::model::{LinkKind, Problem, Resolved, Role, SourceFile};
use crate::partner_ids::{Registry, CONVENTIONAL};
use crate::report::{FileEntry, Finding, LinkEntry, RegistryInfo, Report, Severity, Summary, TrackingEntry};
use crate::rules::{self, Context, IdUse, Sink, Via};
use crate::tracking::{self, Class};

/// Run a check. `Err` is for problems with the run itself (bad root, bad registry file), which
/// the command line reports as usage errors (exit 2); problems with files become findings.
pub fn check(host: &dyn Host, settings: &Settings) -> Result<Report, String> {
    run(host, settings).map(|r| r.report)
}

/// A check run with the facts it was made from (used by `fix`).
pub struct Run {
    pub report: Report,
    /// Every file read, with its facts.
    pub files: Vec<SourceFile>,
    /// The scanned folder as passed to the host (file paths in the report are relative to it).
    pub root: String,
    pub registry: Registry,
}

/// Like [`check`], keeping the facts.
pub fn run(host: &dyn Host, settings: &Settings) -> Result<Run, String> {
    run_with(host, settings, READERS)
}

/// Like [`run`], with the given readers instead of [`READERS`] (a test can plug in its own).
pub fn run_with(host: &dyn Host, settings: &Settings, readers: &[&dyn Reader]) -> Result<Run, String> {
    let walk = discover::walk(host, &settings.root, &settings.excludes, readers, &settings.sources)?;
    let mut registry = load_registry(host, settings)?;
    let mut problems = walk.problems;
    let mut files: Vec<SourceFile> = Vec::new();
    let mut read_count = 0usize;

    // File readers first (in parallel where the host allows), then folder readers (a Terraform
    // module at a time), each folder in path order.
    let mut folders: std::collections::BTreeMap<(usize, &str), Vec<&Candidate>> = Default::default();
    let mut singles: Vec<&Candidate> = Vec::new();
    for c in &walk.files {
        if is_registry_file(&c.rel) {
            let loader = HostLoader { host, root: walk.root.clone(), limit: settings.max_file_size };
            let mut cx = read_cx(host, settings, &loader);
            let input = Input { rel: &c.rel, abs: &c.abs, tag: c.claim.tag };
            if let Some(bytes) = cx.reread(&input) {
                let loaded = decode(&bytes).map_err(|e| format!("registry file: {e}")).and_then(|t| registry.add_file(&c.rel, &t));
                if let Err(e) = loaded {
                    cx.unreadable(&c.rel, e);
                }
            }
            problems.extend(cx.problems);
            continue;
        }
        match readers[c.claim.reader].unit() {
            Unit::File => singles.push(c),
            Unit::Folder => folders.entry((c.claim.reader, parent(&c.rel))).or_default().push(c),
        }
    }
    for got in read_all(host, readers, &singles, settings, &walk.root) {
        files.extend(got.files);
        problems.extend(got.problems);
        read_count += got.count;
    }
    for ((reader, _), group) in &folders {
        let got = read_unit(host, readers[*reader], group, settings, &walk.root);
        files.extend(got.files);
        problems.extend(got.problems);
        read_count += got.count;
    }

    // Roles. A `--main` glob (or the config's `main`) makes a file main; a main-named file
    // (mainTemplate.json, azuredeploy.json, main.bicep) is main unless another file in the tree
    // deploys it (a Bicep module or a templateLink): then it is linked, like any deployed template.
    let repo = repo_identity(host, settings, &walk.root);
    let resolved = resolve_links(&files, repo.as_ref());
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
    for (f, file) in files.iter_mut().enumerate() {
        if !file.kind.is_template() {
            continue;
        }
        let by_glob = settings.mains.iter().find(|g| g.is_match(&file.path));
        let (role, why) = if let Some(g) = by_glob {
            (Role::Main, format!("matches the main glob `{}`", g.as_str()))
        } else if let Some(d) = deployed_by[f] {
            let how = if main_by_name(&file.path) { "main-named, but deployed" } else { "deployed" };
            (Role::Linked, format!("{how} by {}", paths[d]))
        } else if main_by_name(&file.path) {
            (Role::Main, "main-named and deployed by no other file in the tree".to_string())
        } else {
            (Role::Template, "not main-named and deployed by no other file".to_string())
        };
        file.role = role;
        role_reasons[f] = Some(why);
    }

    let classes: Vec<Vec<Class>> =
        files.iter().map(|f| f.deployments.iter().map(|d| tracking::classify(&d.name)).collect()).collect();
    let ids = collect_ids(&files, &classes);
    let env_partner_id = settings.env_partner_id.clone().or_else(|| {
        files.iter().flat_map(|f| f.user_agents.iter().map(move |u| (f, u))).find(|(_, u)| u.channel == "ARM_PARTNER_ID").map(|(f, u)| format!("{}:{}", f.path, u.span.line))
    });
    let cx = Context { files: &files, classes, links, registry: &registry, mode: settings.mode, env_partner_id, ids, problems: &problems };
    let mut sink = Sink { findings: Vec::new(), overrides: settings.severities.clone() };
    rules::run(&cx, &mut sink);

    // Suppressions (inline and per-path ignores), then `scope: changed`.
    let before = sink.findings.len();
    let mut findings: Vec<Finding> = sink
        .findings
        .into_iter()
        .filter(|x| !suppressed(x, &files, settings))
        .collect();
    let suppressed_count = before - findings.len();
    if let Some(only) = &settings.only_paths {
        findings.retain(|x| only.iter().any(|p| p == &x.path));
    }
    findings.sort_by(|a, b| (&a.path, a.line, a.column, a.rule, &a.message).cmp(&(&b.path, b.line, b.column, b.rule, &b.message)));
    findings.dedup_by(|a, b| a.path == b.path && a.line == b.line && a.column == b.column && a.rule == b.rule && a.message == b.message);

    let mut summary = Summary { files: read_count, fail_on: settings.fail_on.as_str().to_string(), suppressed: suppressed_count, ..Default::default() };
    for x in &findings {
        match x.severity {
            Severity::Error => summary.errors += 1,
            Severity::Warning => summary.warnings += 1,
            Severity::Notice => summary.notices += 1,
        }
    }
    summary.passed = !findings.iter().any(|x| settings.fail_on.fails(x.severity));
    summary.templates = files.iter().filter(|f| f.kind.is_template()).count();

    let mut entries = Vec::new();
    for (fi, f) in files.iter().enumerate() {
        let tracking: Vec<TrackingEntry> = cx
            .ids
            .iter()
            .filter(|u| u.file == fi)
            .filter_map(|u| {
                let Class::Valid(id) = &u.class else { return None };
                let reg = registry.checked.then(|| registry.lookup(id).is_some());
                Some(TrackingEntry {
                    name: u.raw.clone(),
                    id: id.id.clone(),
                    guid: id.guid.clone(),
                    line: u.span.line,
                    column: u.span.column,
                    registered: reg,
                    nested: u.nested,
                    conditional: u.conditional,
                    via: via_name(f, u.via),
                    description: registry.lookup(id).and_then(|e| e.description.clone()),
                })
            })
            .collect();
        if f.role == Role::Main {
            let ok = tracking.iter().any(|t| !t.nested && t.registered != Some(false));
            if ok {
                summary.tracked += 1;
            } else {
                summary.untracked += 1;
            }
        }
        let is_template = f.kind.is_template();
        if is_template || !tracking.is_empty() || !f.providers.is_empty() {
            if let Some(only) = &settings.only_paths {
                if !only.iter().any(|p| p == &f.path) {
                    continue;
                }
            }
            let links = resolved[fi]
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
                .collect();
            entries.push(FileEntry {
                path: f.path.clone(),
                kind: f.kind,
                role: f.role,
                role_reason: role_reasons[fi].clone(),
                scope: f.scope.map(|s| s.as_str()),
                tracking,
                links,
            });
        }
    }
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    let report = Report {
        version: 1,
        summary,
        files: entries,
        findings,
        registry: RegistryInfo { checked: registry.checked, ids: registry.entries.len(), sources: registry.sources.clone() },
    };
    drop(cx);
    Ok(Run { report, files, root: walk.root, registry })
}

/// What reading one file gave.
#[derive(Default)]
struct Got {
    files: Vec<SourceFile>,
    problems: Vec<Problem>,
    count: usize,
}

fn read_cx<'a>(host: &'a dyn Host, settings: &'a Settings, loader: &'a HostLoader<'a>) -> ReadCx<'a> {
    ReadCx { host, limit: settings.max_file_size, mains: &settings.mains, sources: settings.sources, loader, problems: Vec::new(), count: 0 }
}

/// Read one unit (a file, or a folder's files) with its reader.
fn read_unit(host: &dyn Host, reader: &dyn Reader, group: &[&Candidate], settings: &Settings, root: &str) -> Got {
    let loader = HostLoader { host, root: root.to_string(), limit: settings.max_file_size };
    let mut cx = read_cx(host, settings, &loader);
    let inputs: Vec<Input> = group.iter().map(|c| Input { rel: &c.rel, abs: &c.abs, tag: c.claim.tag }).collect();
    let files = reader.read(&inputs, &mut cx);
    Got { files, problems: cx.problems, count: cx.count }
}

fn read_into(host: &dyn Host, readers: &[&dyn Reader], c: &Candidate, settings: &Settings, root: &str) -> Got {
    read_unit(host, readers[c.claim.reader], &[c], settings, root)
}

/// Read and check every candidate, in their order. Where the host allows it (natively), the
/// files are shared out between threads, one file at a time each; the results are put back in
/// order, so the report is the same as from one thread (and from the WebAssembly build).
fn read_all(host: &dyn Host, readers: &[&dyn Reader], list: &[&Candidate], settings: &Settings, root: &str) -> Vec<Got> {
    #[cfg(not(target_arch = "wasm32"))]
    if let Some(shared) = host.shared() {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
        if threads > 1 && list.len() >= 64 {
            use std::sync::atomic::{AtomicUsize, Ordering};
            let next = AtomicUsize::new(0);
            let mut slots: Vec<Option<Got>> = (0..list.len()).map(|_| None).collect();
            let parts: Vec<Vec<(usize, Got)>> = std::thread::scope(|scope| {
                let workers: Vec<_> = (0..threads)
                    .map(|_| {
                        scope.spawn(|| {
                            let mut mine = Vec::new();
                            loop {
                                let i = next.fetch_add(1, Ordering::Relaxed);
                                let Some(c) = list.get(i) else { break };
                                mine.push((i, read_into(shared, readers, c, settings, root)));
                            }
                            mine
                        })
                    })
                    .collect();
                // A panic in a worker is re-raised here, as it would be on one thread.
                workers.into_iter().map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
            });
            for (i, got) in parts.into_iter().flatten() {
                slots[i] = Some(got);
            }
            return slots.into_iter().map(Option::unwrap_or_default).collect();
        }
    }
    list.iter().map(|c| read_into(host, readers, c, settings, root)).collect()
}

fn via_name(f: &SourceFile, via: Via) -> String {
    match via {
        Via::Deployment(i) => match f.deployments[i].form {
            crate::model::Form::BicepModule => "module".into(),
            crate::model::Form::TerraformResource => "terraform-deployment".into(),
            _ => "deployment".into(),
        },
        Via::Provider(i) => format!("provider:{}", f.providers[i].name),
        Via::UserAgent(i) => format!("user-agent:{}", f.user_agents[i].channel),
    }
}

fn parent(rel: &str) -> &str {
    rel.rfind('/').map(|i| &rel[..i]).unwrap_or("")
}

/// Registry files found in the tree (any folder) are read too.
fn is_registry_file(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    CONVENTIONAL.iter().any(|c| c.rsplit('/').next() == Some(name))
}

/// The largest registry file read.
const REGISTRY_LIMIT: u64 = 16 * 1024 * 1024;

fn load_registry(host: &dyn Host, settings: &Settings) -> Result<Registry, String> {
    let mut reg = Registry::default();
    for (id, source) in &settings.registered {
        reg.add_str(id, source)?;
    }
    for path in &settings.registry_files {
        let bytes = host.read_file(path, REGISTRY_LIMIT).map_err(|e| format!("registry file {path}: {e}"))?;
        let text = decode(&bytes).map_err(|e| format!("registry file {path}: {e}"))?;
        reg.add_file(path, &text)?;
    }
    for c in &settings.confined_registry_files {
        let named = || format!("registry file {} (named in {})", crate::util::host::shown(&c.path, 200), crate::util::host::shown(&c.from, 200));
        let bytes = crate::util::host::read_confined(host, &c.root, &c.path, REGISTRY_LIMIT).map_err(|e| format!("{}: {e}", named()))?;
        let text = decode(&bytes).map_err(|e| format!("{}: {e}", named()))?;
        reg.add_file(&c.path, &text).map_err(|e| crate::util::host::shown(&e, 400))?;
    }
    Ok(reg)
}

/// What became of one link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LinkStatus {
    Followed(usize),
    /// A path in this repository that is not a template in the checked tree.
    NotFound,
    /// Another repository, any other URL, or not resolvable statically: not checked.
    External,
}

struct LinkOut {
    /// Path (root-relative) or URL, for the report.
    shown: String,
    line: u32,
    status: LinkStatus,
}

/// `owner/name` of the checked repository: the setting (GITHUB_REPOSITORY), else the `origin`
/// (or first) remote in `<root>/.git/config`. Lower case.
fn repo_identity(host: &dyn Host, settings: &Settings, root: &str) -> Option<(String, String)> {
    if let Some(r) = &settings.repository {
        return Some((r.to_ascii_lowercase(), settings.repo_prefix.trim_matches('/').to_string()));
    }
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
fn resolve_links(files: &[SourceFile], repo: Option<&(String, String)>) -> Vec<Vec<LinkOut>> {
    let find = |p: &str| files.iter().position(|g| g.path.eq_ignore_ascii_case(p));
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

fn collect_ids(files: &[SourceFile], classes: &[Vec<Class>]) -> Vec<IdUse> {
    let mut ids = Vec::new();
    for (fi, f) in files.iter().enumerate() {
        for (di, d) in f.deployments.iter().enumerate() {
            let class = classes[fi][di].clone();
            let class = match (&class, &d.name) {
                // `[parameters('x')]` with no default, written for a pid- name: dynamic.
                (Class::None, Resolved::Unknown(_)) if d.name_raw.to_ascii_lowercase().contains("pid") => {
                    Class::Dynamic { prefix: String::new() }
                }
                _ => class,
            };
            if class == Class::None {
                continue;
            }
            ids.push(IdUse {
                file: fi,
                via: Via::Deployment(di),
                span: d.name_span,
                raw: d.name_raw.clone(),
                class,
                nested: d.nested,
                conditional: d.condition.is_some(),
            });
        }
        for (pi, p) in f.providers.iter().enumerate() {
            let Some(pid) = &p.partner_id else { continue };
            let class = tracking::classify_partner_id(&pid.value);
            if class == Class::None {
                continue;
            }
            ids.push(IdUse { file: fi, via: Via::Provider(pi), span: pid.span, raw: pid.raw.clone(), class, nested: false, conditional: false });
        }
        for (ui, u) in f.user_agents.iter().enumerate() {
            for class in tracking::classify_user_agent(&u.value, &u.channel) {
                ids.push(IdUse { file: fi, via: Via::UserAgent(ui), span: u.span, raw: u.raw.clone(), class, nested: false, conditional: false });
            }
        }
    }
    ids
}

fn suppressed(x: &Finding, files: &[SourceFile], settings: &Settings) -> bool {
    if settings.ignores.iter().any(|(g, rules)| g.is_match(&x.path) && (rules.is_empty() || rules.contains(&x.rule))) {
        return true;
    }
    if x.rule == "CUA003" {
        return false;
    }
    files.iter().filter(|f| f.path == x.path).any(|f| {
        f.suppressions.iter().any(|s| {
            s.rule.eq_ignore_ascii_case(x.rule)
                && x.line >= s.span.line
                && x.line <= s.span.end_line.max(s.span.line)
        })
    })
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
