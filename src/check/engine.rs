//! One check run, as a pipeline: walk the tree, read each file once with its reader, decide
//! links and roles, run the rules, apply suppressions, and build the report. The engine knows no
//! input language: each step is in its own module of `check/`.

use crate::check::{discover, docs, ids, links, read, summary, suppress};
use crate::model::SourceFile;
use crate::options::settings::Settings;
use crate::partner_ids::Registry;
use crate::report::{RegistryInfo, Report};
use crate::rules::{self, Context, Sink};
use crate::sources::{Reader, READERS};
use crate::util::host::Host;

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
    /// The attribution map (`cua-check map`, the job summary's section).
    pub map: crate::map::Map,
}

/// Like [`check`], keeping the facts.
pub fn run(host: &dyn Host, settings: &Settings) -> Result<Run, String> {
    run_with(host, settings, READERS)
}

/// Like [`run`], with the given readers instead of [`READERS`] (a test can plug in its own).
pub fn run_with(host: &dyn Host, settings: &Settings, readers: &[&dyn Reader]) -> Result<Run, String> {
    let walk = discover::walk(host, &settings.root, &settings.excludes, readers, &settings.sources)?;
    let read::Read { mut files, problems, count, registry } = read::read_tree(host, settings, readers, &walk)?;

    let from_params = crate::check::bicepparam::apply(host, &walk.root, settings.max_file_size, &mut files);
    let repo = links::repo_identity(host, settings, &walk.root);
    let resolved = links::resolve_links(&files, repo.as_ref());
    let (links, role_reasons) = links::assign_roles(&mut files, &resolved, settings);

    let mut classes = ids::classes(&files);
    let from_build = crate::check::placeholders::resolve(host, &walk.root, settings.max_file_size, &files, &mut classes);
    let mut ids = ids::collect_ids(&files, &classes);
    if !from_build.is_empty() || !from_params.is_empty() {
        // The uses of each deployment `(file, deployment)`, found once.
        let mut uses: std::collections::HashMap<(usize, usize), Vec<usize>> = std::collections::HashMap::new();
        for (i, u) in ids.iter().enumerate() {
            if let rules::Via::Deployment(d) = u.via {
                uses.entry((u.file, d)).or_default().push(i);
            }
        }
        for ((fi, di), value, from) in from_build {
            for &i in uses.get(&(fi, di)).into_iter().flatten() {
                let u = &mut ids[i];
                u.run_value = Some(rules::RunValue { value: value.clone(), class: u.class.clone(), from: from.clone() });
            }
        }
        for ((fi, di), from) in from_params {
            for &i in uses.get(&(fi, di)).into_iter().flatten() {
                let u = &mut ids[i];
                let value = files[fi].deployments[di].name.display();
                u.run_value = Some(rules::RunValue { value, class: u.class.clone(), from: from.clone() });
            }
        }
    }
    crate::check::tfvars::attach_run_values(host, &walk, settings.max_file_size, &files, &mut ids);
    let env_partner_id = settings.env_partner_id.clone().or_else(|| {
        files.iter().flat_map(|f| f.user_agents.iter().map(move |u| (f, u))).find(|(_, u)| u.channel == "ARM_PARTNER_ID").map(|(f, u)| format!("{}:{}", f.path, u.span.line))
    });
    let solutions = crate::solutions::find(&files, &links, &ids);
    let notice = crate::notice::Matcher::new(settings.notice_pattern.as_deref()).map_err(|e| format!("notice-pattern: {e}"))?;
    let docs = docs::read_docs(host, &walk.docs, &solutions, &notice, settings);
    let cx = Context { files: &files, classes, links, registry: &registry, mode: settings.mode, env_partner_id, ids, problems: &problems, solutions, docs, notice };
    let mut sink = Sink { findings: Vec::new(), overrides: settings.severities.clone() };
    rules::run(&cx, &mut sink);

    let (findings, suppressed) = suppress::apply(sink.findings, &files, settings);
    let made = summary::summarize(&cx, &findings, count, suppressed, &resolved, &role_reasons, &registry, settings);
    let report = Report {
        version: 1,
        summary: made.summary,
        files: made.entries,
        findings,
        registry: RegistryInfo { checked: registry.checked, ids: registry.entries.len(), sources: registry.sources.clone() },
    };
    let map = crate::map::build(&files, &cx.ids, &cx.solutions, &registry);
    drop(cx);
    Ok(Run { report, files, root: walk.root, registry, map })
}
