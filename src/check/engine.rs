//! One check run: walk the tree, read each file once, hand it to its language reader, then run
//! the rules over the facts and build the report.

use crate::sources::arm::template as arm;
use crate::options::settings::Settings;
use crate::check::discover::{self, Candidate, FileClass};
use crate::util::host::{join, Host};
use crate::model::{Kind, LinkKind, Problem, ProblemKind, Resolved, Role, SourceFile, Span};
use crate::partner_ids::{Registry, CONVENTIONAL};
use crate::report::{FileEntry, Finding, LinkEntry, RegistryInfo, Report, Severity, Summary, TrackingEntry};
use crate::rules::{self, Context, IdUse, Sink, Via};
use crate::tracking::{self, Class};

/// File names that make an ARM template or Bicep file the main one.
pub fn main_by_name(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel).to_ascii_lowercase();
    matches!(name.as_str(), "maintemplate.json" | "azuredeploy.json" | "main.bicep")
}

/// Does `text` mention a tracking ID or a way to carry one: `pid-` (not inside a word such as
/// `rapid-`), `partner_id` (also `ARM_PARTNER_ID`), or a user agent (`user_agent`,
/// `userAgent`, `User-Agent`)? Case-insensitive. Used for files that could not be parsed:
/// what they could hide decides how much the failure costs (CUA001).
pub fn mentions_tracking(text: &[u8]) -> bool {
    let lower = text.to_ascii_lowercase();
    let find = |needle: &[u8], word_start: bool| {
        lower.windows(needle.len()).enumerate().any(|(i, w)| {
            w == needle && (!word_start || i == 0 || !lower[i - 1].is_ascii_alphanumeric())
        })
    };
    find(b"pid-", true)
        || find(b"partner_id", false)
        || find(b"user_agent", false)
        || find(b"useragent", false)
        || find(b"user-agent", false)
}

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
    let walk = discover::walk(host, &settings.root, &settings.excludes, &settings.sources)?;
    let mut registry = load_registry(host, settings)?;
    let mut problems = walk.problems;
    let mut files: Vec<SourceFile> = Vec::new();
    let mut read_count = 0usize;

    // Terraform is read a folder (module) at a time, after everything else.
    let mut tf_dirs: std::collections::BTreeMap<&str, Vec<&Candidate>> = Default::default();
    let mut singles: Vec<&Candidate> = Vec::new();
    for c in &walk.files {
        if is_registry_file(&c.rel) {
            if let Some(bytes) = read_bytes(host, c, settings, &mut problems) {
                let loaded = decode(&bytes).map_err(|e| format!("registry file: {e}")).and_then(|t| registry.add_file(&c.rel, &t));
                if let Err(e) = loaded {
                    problems.push(Problem { path: c.rel.clone(), kind: ProblemKind::Unreadable, span: Span::FILE_START, message: e });
                }
            }
        } else if matches!(c.class, FileClass::Terraform | FileClass::TfVars) {
            tf_dirs.entry(parent(&c.rel)).or_default().push(c);
        } else {
            singles.push(c);
        }
    }
    for got in read_all(host, &singles, settings, &walk.root) {
        files.extend(got.files);
        problems.extend(got.problems);
        read_count += got.count;
    }
    for group in tf_dirs.values() {
        read_terraform(host, group, settings, &mut files, &mut problems, &mut read_count);
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
        if !matches!(file.kind, Kind::Arm | Kind::Bicep) {
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
    summary.templates = files.iter().filter(|f| matches!(f.kind, Kind::Arm | Kind::Bicep)).count();

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
        let is_template = matches!(f.kind, Kind::Arm | Kind::Bicep);
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

fn read_into(host: &dyn Host, c: &Candidate, settings: &Settings, root: &str) -> Got {
    let loader = HostLoader { host, root: root.to_string(), limit: settings.max_file_size };
    let mut got = Got::default();
    read_one(host, c, settings, &loader, &mut got.files, &mut got.problems, &mut got.count);
    got
}

/// Read and check every candidate, in their order. Where the host allows it (natively), the
/// files are shared out between threads, one file at a time each; the results are put back in
/// order, so the report is the same as from one thread (and from the WebAssembly build).
fn read_all(host: &dyn Host, list: &[&Candidate], settings: &Settings, root: &str) -> Vec<Got> {
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
                                mine.push((i, read_into(shared, c, settings, root)));
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
    list.iter().map(|c| read_into(host, c, settings, root)).collect()
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

/// Decode file bytes: UTF-8 (BOM stripped) or UTF-16 with a BOM. `Err` says why not.
pub fn decode(bytes: &[u8]) -> Result<std::borrow::Cow<'_, str>, String> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return std::str::from_utf8(rest).map(Into::into).map_err(|e| utf8_error(e, 3));
    }
    let utf16 = |le: bool, b: &[u8]| {
        let units = b.chunks_exact(2).map(|c| if le { u16::from_le_bytes([c[0], c[1]]) } else { u16::from_be_bytes([c[0], c[1]]) });
        char::decode_utf16(units).collect::<Result<String, _>>().map(Into::into).map_err(|_| "not valid UTF-16".to_string())
    };
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(true, rest);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(false, rest);
    }
    std::str::from_utf8(bytes).map(Into::into).map_err(|e| utf8_error(e, 0))
}

fn utf8_error(e: std::str::Utf8Error, offset: usize) -> String {
    format!("not valid UTF-8 (invalid byte at offset {}); save the file as UTF-8", e.valid_up_to() + offset)
}

/// How much of a JSON file is read before judging whether it can be a template
/// ([`arm::sniff`]); the rest is read only when it can.
const JSON_HEAD: u64 = 4096;

/// Open a candidate and read its first `max` bytes (all of it when `max` is over the limit).
/// Returns the bytes and the file's size, or records why it was not read.
fn read_start(host: &dyn Host, c: &Candidate, settings: &Settings, max: u64, problems: &mut Vec<Problem>) -> Option<(Vec<u8>, u64)> {
    let limit = settings.max_file_size;
    match host.read_start(&c.abs, max, limit) {
        Ok((_, size)) if size > limit => {
            problems.push(Problem {
                path: c.rel.clone(),
                kind: ProblemKind::TooLarge,
                span: Span::FILE_START,
                message: format!("file is {} and over the {} limit; skipped (raise it with --max-file-size)", human(size), human(limit)),
            });
            None
        }
        Ok(read) => Some(read),
        Err(e) => {
            problems.push(Problem { path: c.rel.clone(), kind: ProblemKind::Unreadable, span: Span::FILE_START, message: format!("file could not be read: {e}") });
            None
        }
    }
}

/// The whole of a candidate, or `None` (and a problem) when it is over the size limit or unreadable.
fn read_bytes(host: &dyn Host, c: &Candidate, settings: &Settings, problems: &mut Vec<Problem>) -> Option<Vec<u8>> {
    read_start(host, c, settings, settings.max_file_size.saturating_add(1), problems).map(|(b, _)| b)
}

pub fn human(n: u64) -> String {
    // Integer arithmetic only: float formatting costs ~15 KB of wasm.
    let tenths = |unit: u64| {
        let t = (n * 10 + unit / 2) / unit;
        format!("{}.{}", t / 10, t % 10)
    };
    if n >= 1024 * 1024 {
        format!("{} MiB", tenths(1024 * 1024))
    } else if n >= 1024 {
        format!("{} KiB", tenths(1024))
    } else {
        format!("{n} bytes")
    }
}

fn read_one(
    host: &dyn Host,
    c: &Candidate,
    settings: &Settings,
    loader: &HostLoader,
    files: &mut Vec<SourceFile>,
    problems: &mut Vec<Problem>,
    count: &mut usize,
) {
    // JSON is read in two steps (its head, then the rest only when it can be a template);
    // everything else at once.
    let bytes = match c.class {
        FileClass::Json | FileClass::Terraform | FileClass::TfVars => Vec::new(),
        FileClass::Bicep | FileClass::Code => {
            let Some(bytes) = read_bytes(host, c, settings, problems) else { return };
            *count += 1;
            bytes
        }
    };
    let file = match c.class {
        FileClass::Json => {
            let main = main_by_name(&c.rel) || settings.mains.iter().any(|g| g.is_match(&c.rel));
            let max = if main { settings.max_file_size.saturating_add(1) } else { JSON_HEAD };
            let Some((mut bytes, size)) = read_start(host, c, settings, max, problems) else { return };
            *count += 1;
            if !main {
                // Judged from the first bytes: most JSON (test data, manifests) stops here.
                let mut sniff = arm::sniff(&bytes, bytes.len() as u64 >= size);
                if sniff == arm::Sniff::Unknown && (bytes.len() as u64) < size {
                    let Some(all) = read_bytes(host, c, settings, problems) else { return };
                    bytes = all;
                    sniff = arm::sniff(&bytes, true);
                }
                match sniff {
                    arm::Sniff::NotTemplate => return,
                    arm::Sniff::Template => {
                        if (bytes.len() as u64) < size {
                            let Some(all) = read_bytes(host, c, settings, problems) else { return };
                            bytes = all;
                        }
                    }
                    arm::Sniff::Unknown => {
                        let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
                        if !utf16 && !arm::mentions_template_schema(&bytes) {
                            return; // not a template: decided from the bytes, never parsed
                        }
                    }
                }
            }
            let text = match decode(&bytes) {
                Ok(t) => t,
                Err(e) => {
                    problems.push(Problem { path: c.rel.clone(), kind: ProblemKind::Unreadable, span: Span::FILE_START, message: e });
                    return;
                }
            };
            if !settings.sources.arm {
                return;
            }
            arm::read(&c.rel, &text, main).map(|mut f| {
                capture_snippets(&mut f, &text);
                f
            })
        }
        FileClass::Bicep => with_text(&bytes, c, problems, |text| {
            let mut f = crate::sources::bicep::read(&c.rel, text, loader);
            capture_snippets(&mut f, text);
            Some(f)
        }),
        FileClass::Code => {
            if bytes.iter().take(8192).any(|&b| b == 0) {
                return; // binary
            }
            let Ok(text) = std::str::from_utf8(bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(&bytes)) else { return };
            crate::sources::code::scan(&c.rel, text).map(|mut f| {
                capture_snippets(&mut f, text);
                f
            })
        }
        FileClass::Terraform | FileClass::TfVars => None,
    };
    if let Some(f) = file {
        files.push(f);
    }
}

fn with_text(bytes: &[u8], c: &Candidate, problems: &mut Vec<Problem>, f: impl FnOnce(&str) -> Option<SourceFile>) -> Option<SourceFile> {
    match decode(bytes) {
        Ok(t) => f(&t),
        Err(e) => {
            problems.push(Problem { path: c.rel.clone(), kind: ProblemKind::Unreadable, span: Span::FILE_START, message: e });
            None
        }
    }
}

fn read_terraform(
    host: &dyn Host,
    group: &[&Candidate],
    settings: &Settings,
    files: &mut Vec<SourceFile>,
    problems: &mut Vec<Problem>,
    count: &mut usize,
) {
    let mut texts: Vec<(String, String, bool)> = Vec::new();
    for c in group {
        let Some(bytes) = read_bytes(host, c, settings, problems) else { continue };
        *count += 1;
        match decode(&bytes) {
            Ok(t) => texts.push((c.rel.clone(), t.into_owned(), c.class == FileClass::TfVars)),
            Err(e) => problems.push(Problem { path: c.rel.clone(), kind: ProblemKind::Unreadable, span: Span::FILE_START, message: e }),
        }
    }
    let tf: Vec<crate::sources::terraform::TfInput> =
        texts.iter().filter(|t| !t.2).map(|t| crate::sources::terraform::TfInput { path: &t.0, text: &t.1 }).collect();
    let vars: Vec<crate::sources::terraform::TfInput> =
        texts.iter().filter(|t| t.2).map(|t| crate::sources::terraform::TfInput { path: &t.0, text: &t.1 }).collect();
    if tf.is_empty() {
        return;
    }
    for mut f in crate::sources::terraform::read_module(&tf, &vars) {
        if let Some(t) = texts.iter().find(|t| t.0 == f.path) {
            capture_snippets(&mut f, &t.1);
        }
        if !f.providers.is_empty() || !f.deployments.is_empty() || !f.errors.is_empty() || !f.user_agents.is_empty() {
            files.push(f);
        }
    }
}

/// Keep the text of every line a fact points at (for code frames), capped in length.
pub fn capture_snippets(f: &mut SourceFile, text: &str) {
    if !f.errors.is_empty() {
        f.mentions_tracking = mentions_tracking(text.as_bytes());
    }
    // (line, byte offset on that line) of every place a finding may point at.
    let mut at: Vec<(u32, usize)> = vec![(f.anchor.line, f.anchor.start)];
    let mut span = |s: &Span| at.push((s.line, s.start));
    for d in &f.deployments {
        span(&d.name_span);
        span(&d.span);
        if let Some(m) = &d.mode {
            span(&m.span);
        }
        if let Some(c) = &d.condition {
            span(&c.span);
        }
        if let Some(t) = &d.resource_type {
            span(&t.span);
        }
        match &d.content {
            crate::model::Content::Resources(s) | crate::model::Content::Linked(s) => span(s),
            _ => {}
        }
    }
    for p in &f.providers {
        span(&p.span);
        if let Some(x) = &p.partner_id {
            span(&x.span);
        }
    }
    f.user_agents.iter().for_each(|u| span(&u.span));
    f.errors.iter().for_each(|e| span(&e.span));
    f.suppressions.iter().for_each(|s| span(&s.span));
    if let Some(c) = &f.comment {
        span(c);
    }
    at.sort_unstable();
    at.dedup_by_key(|x| x.0);
    // Cut each line out around its offset: no pass over the rest of the text.
    let b = text.as_bytes();
    for (line, offset) in at {
        if line == 0 || line == u32::MAX || offset > b.len() || !text.is_char_boundary(offset) {
            continue;
        }
        let from = b[..offset].iter().rposition(|&c| c == b'\n').map_or(0, |i| i + 1);
        let to = b[offset..].iter().position(|&c| c == b'\n').map_or(b.len(), |i| offset + i);
        let line_text = &text[from..to];
        let line_text = line_text.strip_suffix('\r').unwrap_or(line_text);
        let line_text = if from == 0 { line_text.strip_prefix('\u{feff}').unwrap_or(line_text) } else { line_text };
        f.snippets.insert(line, line_text.chars().take(400).collect());
    }
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
            let class = partner_id_class(&pid.value);
            if class == Class::None {
                continue;
            }
            ids.push(IdUse { file: fi, via: Via::Provider(pi), span: pid.span, raw: pid.raw.clone(), class, nested: false, conditional: false });
        }
        for (ui, u) in f.user_agents.iter().enumerate() {
            for class in user_agent_classes(&u.value, &u.channel) {
                ids.push(IdUse { file: fi, via: Via::UserAgent(ui), span: u.span, raw: u.raw.clone(), class, nested: false, conditional: false });
            }
        }
    }
    ids
}

/// A Terraform `partner_id` may be a bare GUID or a `pid-` form.
fn partner_id_class(v: &Resolved) -> Class {
    let prefixed = |r: &Resolved| -> Resolved {
        match r {
            Resolved::Known(s) if !s.to_ascii_lowercase().starts_with("pid-") => Resolved::Known(format!("pid-{}", s.trim())),
            Resolved::Partial(p) => {
                let mut parts = vec![crate::model::Part::Lit("pid-".into())];
                let starts_pid = matches!(p.first(), Some(crate::model::Part::Lit(s)) if s.to_ascii_lowercase().starts_with("pid-"));
                if starts_pid {
                    return r.clone();
                }
                parts.extend(p.iter().cloned());
                Resolved::from_parts(parts)
            }
            other => other.clone(),
        }
    };
    match v {
        Resolved::Unknown(_) => Class::Dynamic { prefix: String::new() },
        Resolved::Known(s) if s.trim().is_empty() => Class::Placeholder { text: String::new(), why: "it is empty".into() },
        other => match tracking::classify(&prefixed(other)) {
            Class::None => Class::Malformed { text: other.display(), why: "it is not a GUID or a pid-<GUID> tracking ID".into() },
            c => c,
        },
    }
}

/// Every `pid-…` occurrence inside a user-agent value (user agents are free text).
fn user_agent_classes(v: &Resolved, channel: &str) -> Vec<Class> {
    if channel == "ARM_PARTNER_ID" {
        return match partner_id_class(v) {
            Class::Dynamic { .. } => Vec::new(), // a secret or variable: fine for a run setting
            c => vec![c],
        };
    }
    let text = match v {
        Resolved::Known(s) => s.clone(),
        Resolved::Partial(_) => v.display(),
        Resolved::Unknown(_) => return Vec::new(),
    };
    let lower = text.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = lower[from..].find("pid-") {
        let at = from + i;
        let token: String = text[at..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '{' || *c == '}' || *c == '$' || *c == '_' || *c == '#').collect();
        let class = tracking::classify(&Resolved::Known(token.replace('…', "")));
        if class != Class::None {
            out.push(class);
        }
        from = at + 4;
    }
    out
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

struct HostLoader<'h> {
    host: &'h dyn Host,
    root: String,
    limit: u64,
}

impl crate::model::Loader for HostLoader<'_> {
    fn load(&self, path: &str) -> Option<String> {
        if path.split('/').any(|s| s == "..") {
            return None;
        }
        // The path comes from the repository: it must stay inside the checked tree, links
        // followed, and be a regular file.
        let bytes = crate::util::host::read_confined(self.host, &self.root, &join(&self.root, path), self.limit).ok()?;
        decode(&bytes).ok().map(|c| c.into_owned())
    }
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
