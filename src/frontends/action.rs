//! The GitHub Action's logic, as pure steps the Node shim calls in turn (the shim only performs
//! I/O): `context` validates inputs and reads the event, `check` runs the check and renders
//! everything the runner shows, `comment` picks our existing PR comment and says whether to
//! create, update or leave it, `http-failure` words the warning for a failed GitHub request. In verify mode (a
//! `verify-*` input is set), `verify-start` replaces `context` and plans the first ARM request,
//! and `verify` renders the result the way `check` does.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::options::settings::{self, FailOn, Settings, Sources};
use crate::util::glob::Glob;
use crate::util::host::Host;
use crate::render;
use crate::report::Report;
use crate::options::table::{self, Front};

/// Raw inputs, as `core.getInput` gives them ('' when unset).
#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub struct Inputs {
    pub path: String,
    #[serde(rename = "registered-ids")]
    pub registered_ids: String,
    #[serde(rename = "registry-file")]
    pub registry_file: String,
    #[serde(rename = "main-templates")]
    pub main_templates: String,
    pub exclude: String,
    pub mode: String,
    #[serde(rename = "fail-on")]
    pub fail_on: String,
    pub comment: String,
    #[serde(rename = "comment-key")]
    pub comment_key: String,
    pub scope: String,
    #[serde(rename = "sarif-file")]
    pub sarif_file: String,
    pub token: String,
    pub sources: String,
    #[serde(rename = "max-file-size")]
    pub max_file_size: String,
    /// The lowest level the PR comment lists finding by finding (`error`, `warning`, `notice`);
    /// lower levels appear as counts.
    #[serde(rename = "comment-level")]
    pub comment_level: String,
    /// SARIF `runs[].automationDetails.id` (code scanning's analysis category).
    pub category: String,
    /// The pull request to comment on and (with `scope: changed`) to read the changed files of,
    /// for events that name none (`workflow_run`, `workflow_dispatch`, `schedule`, …).
    #[serde(rename = "pr-number")]
    pub pr_number: String,
    #[serde(rename = "verify-subscription")]
    pub verify_subscription: String,
    #[serde(rename = "verify-resource-group")]
    pub verify_resource_group: String,
    #[serde(rename = "verify-deployment")]
    pub verify_deployment: String,
    #[serde(rename = "verify-tracking-id")]
    pub verify_tracking_id: String,
    #[serde(rename = "verify-location")]
    pub verify_location: String,
    #[serde(rename = "verify-arm-endpoint")]
    pub verify_arm_endpoint: String,
    /// Inputs `action.yml` does not declare (the shim passes every `INPUT_*` variable): an error.
    #[serde(flatten)]
    pub other: std::collections::BTreeMap<String, Value>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Request {
    pub inputs: Inputs,
    #[serde(rename = "eventName")]
    pub event_name: String,
    pub event: Value,
    pub env: Map<String, Value>,
    #[serde(rename = "pullRequest")]
    pub pull_request: Option<PullRef>,
    #[serde(rename = "changedFiles")]
    pub changed_files: Option<Vec<String>>,
    /// Verify mode: the verifier's result (the `report` of its `done` answer).
    pub report: Option<crate::verify::VerifyReport>,
    /// Why the shim could not read GITHUB_EVENT_PATH (`null` when it read it).
    #[serde(rename = "eventError")]
    pub event_error: Option<String>,
}

#[derive(Deserialize, Serialize, Clone, Copy, Debug)]
pub struct PullRef {
    pub number: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommentMode {
    Auto,
    Always,
    OnFailure,
    Never,
}

/// Inputs after validation.
pub struct Valid {
    pub settings: Settings,
    pub comment: CommentMode,
    pub comment_key: String,
    pub changed_only: bool,
    pub sarif_file: Option<String>,
    /// Scanned folder relative to the workspace, for repository-relative paths.
    pub prefix: String,
    /// The lowest level the comment lists one by one.
    pub comment_level: crate::report::Severity,
    /// SARIF analysis category ('' for none).
    pub category: String,
    /// The `pr-number` input.
    pub pr_number: Option<u64>,
}

fn lines(s: &str) -> impl Iterator<Item = &str> {
    s.split(['\n', '\r']).map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// The one wording of a bad input value ([`table::bad_value`]).
fn bad(input: &str, value: &str) -> String {
    table::get(Front::Action, input).bad(Front::Action, value)
}

/// A value the input's parser refused, with the reason.
fn because(input: &str, reason: &str) -> String {
    table::get(Front::Action, input).because(Front::Action, reason)
}

/// The entries of the `registered-ids` input. IDs are separated by new lines, commas, semicolons or spaces;
/// a description is only read from the documented `id: description` form, one per line (it runs to the end
/// of the line). Lines starting with `#` are comments. Each item is `id` or `id description`, the form
/// `Registry::add_str` and the engine read.
pub fn registered_id_items(s: &str) -> Vec<String> {
    let split_ids = |t: &str| t.split([',', ';', ' ', '\t']).map(str::trim).filter(|t| !t.is_empty()).map(str::to_string).collect::<Vec<_>>();
    let mut out = Vec::new();
    for line in s.split(['\n', '\r']).map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        if let Some((id, desc)) = line.split_once(':') {
            // `a, b: text` gives `a` and `b` the one description only where it was written: on `b`.
            let mut ids = split_ids(id);
            let last = ids.pop().unwrap_or_default();
            out.extend(ids);
            let desc = desc.trim();
            out.push(if desc.is_empty() { last } else { format!("{last} {desc}") });
        } else {
            out.extend(split_ids(line));
        }
    }
    out
}

/// Validate the inputs. Errors name the input and the allowed values.
pub fn validate(i: &Inputs, env: &Map<String, Value>) -> Result<Valid, String> {
    if let Some(name) = i.other.keys().next() {
        return Err(table::unknown(Front::Action, name, &table::inputs_of(table::Mode::Both), ""));
    }
    let workspace = env.get("GITHUB_WORKSPACE").and_then(Value::as_str).unwrap_or("");
    let (path, prefix) = workspace_path(i.path.trim(), workspace)?;
    let mut settings = Settings::new(&path);
    let pr_number = pr_number(&i.pr_number)?;
    for id in registered_id_items(&i.registered_ids) {
        crate::partner_ids::item_id(&id).map_err(|bad_id| bad("registered-ids", bad_id))?;
        settings.registered.push((id, "input 'registered-ids'".into()));
    }
    if !i.registry_file.trim().is_empty() {
        // An input of the workflow: read only inside the workspace.
        settings.confined_registry_files.push(crate::options::settings::ConfinedPath {
            path: i.registry_file.trim().to_string(),
            root: if workspace.is_empty() { ".".into() } else { workspace.to_string() },
            from: "input 'registry-file'".into(),
        });
    }
    for g in lines(&i.main_templates) {
        settings.mains.push(Glob::new(g).map_err(|e| because("main-templates", &e))?);
    }
    for g in lines(&i.exclude) {
        settings.excludes.push(Glob::new(g).map_err(|e| because("exclude", &e))?);
    }
    // An input left empty takes the table's default.
    let or = |s: &str, input: &str| -> String { if s.trim().is_empty() { table::get(Front::Action, input).default.to_string() } else { s.trim().to_string() } };
    let mode = or(&i.mode, "mode");
    settings.mode = settings::parse_mode(&mode).ok_or_else(|| bad("mode", &mode))?;
    let fail_on = or(&i.fail_on, "fail-on");
    settings.fail_on = FailOn::parse(&fail_on).ok_or_else(|| bad("fail-on", &fail_on))?;
    let comment = match or(&i.comment, "comment").to_ascii_lowercase().as_str() {
        "auto" => CommentMode::Auto,
        "always" => CommentMode::Always,
        "on-failure" => CommentMode::OnFailure,
        "never" => CommentMode::Never,
        // A boolean as a workflow writes one: `comment: false`.
        _ => match table::parse_bool(&i.comment) {
            Some(true) => CommentMode::Auto,
            Some(false) => CommentMode::Never,
            None => return Err(bad("comment", &i.comment)),
        },
    };
    let scope = or(&i.scope, "scope");
    let changed_only = match scope.to_ascii_lowercase().as_str() {
        "all" => false,
        "changed" => true,
        _ => return Err(bad("scope", &scope)),
    };
    let sources = or(&i.sources, "sources");
    settings.sources = Sources::parse(&sources).map_err(|_| bad("sources", &sources))?;
    let size = or(&i.max_file_size, "max-file-size");
    settings.max_file_size = settings::parse_size(&size).filter(|&n| n > 0).ok_or_else(|| bad("max-file-size", &size))?;
    let level = or(&i.comment_level, "comment-level");
    let comment_level = match level.to_ascii_lowercase().as_str() {
        "error" => crate::report::Severity::Error,
        "warning" => crate::report::Severity::Warning,
        "notice" => crate::report::Severity::Notice,
        _ => return Err(bad("comment-level", &level)),
    };
    let category = i.category.trim().to_string();
    if category.len() > 200 || category.chars().any(|c| c.is_control()) {
        return Err(bad("category", &category));
    }
    let key = or(&i.comment_key, "comment-key");
    if key.len() > 64 || !key.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')) {
        return Err(bad("comment-key", &key));
    }
    Ok(Valid {
        settings,
        comment,
        comment_key: key,
        changed_only,
        sarif_file: Some(i.sarif_file.trim().to_string()).filter(|s| !s.is_empty()),
        prefix,
        comment_level,
        category,
        pr_number,
    })
}

/// The `pr-number` input: empty, or a pull request number (`42` or `#42`).
fn pr_number(s: &str) -> Result<Option<u64>, String> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match t.strip_prefix('#').unwrap_or(t).parse::<u64>() {
        Ok(n) if n > 0 => Ok(Some(n)),
        _ => Err(bad("pr-number", t)),
    }
}

/// The `path` input as the folder to check and its path relative to the workspace (the prefix
/// of repository-relative paths, `""` for the workspace itself). `a/./b/../c` is `a/c`. With
/// GITHUB_WORKSPACE set, a path that leads outside it (`../x`, `/etc/ssl`) is an input error:
/// the action checks the repository it runs on, and its reports name files of that repository.
pub fn workspace_path(input: &str, workspace: &str) -> Result<(String, String), String> {
    let input = if input.is_empty() { "." } else { input };
    let windows = workspace.contains('\\') || workspace.as_bytes().get(1) == Some(&b':');
    let is_sep = |c: char| c == '/' || (windows && c == '\\');
    let absolute = |p: &str| p.starts_with(is_sep) || (windows && p.as_bytes().get(1) == Some(&b':'));
    let parts = |p: &str| p.split(is_sep).filter(|c| !c.is_empty() && *c != ".").map(str::to_string).collect::<Vec<_>>();
    let outside = || {
        format!(
            "input 'path' ({}) leads outside the workspace (GITHUB_WORKSPACE, {}); give a folder or file of the checked-out repository, relative to it",
            crate::util::host::shown(input, 200),
            crate::util::host::shown(workspace, 200)
        )
    };
    let rel_parts: Vec<String> = if absolute(input) {
        if workspace.is_empty() {
            return Ok((input.to_string(), input.trim_end_matches('/').to_string()));
        }
        let same = |a: &str, b: &str| if windows { a.eq_ignore_ascii_case(b) } else { a == b };
        let ws = parts(workspace);
        let mut p: Vec<String> = Vec::new();
        for c in parts(input) {
            if c == ".." {
                p.pop();
            } else {
                p.push(c);
            }
        }
        if p.len() < ws.len() || !ws.iter().zip(&p).all(|(a, b)| same(a, b)) {
            return Err(outside());
        }
        p[ws.len()..].to_vec()
    } else {
        parts(input)
    };
    let mut norm: Vec<String> = Vec::new();
    for c in rel_parts {
        if c == ".." {
            if norm.last().is_some_and(|l| l != "..") {
                norm.pop();
            } else if workspace.is_empty() {
                norm.push(c); // no workspace to stay in (a local run): kept as given
            } else {
                return Err(outside());
            }
        } else {
            norm.push(c);
        }
    }
    let prefix = norm.join("/");
    // the workspace is the runner's working folder; named in full, the check does not depend on it
    let path = match (workspace.is_empty(), prefix.is_empty()) {
        (true, true) => ".".to_string(),
        (true, false) => prefix.clone(),
        (false, true) => workspace.to_string(),
        (false, false) => crate::util::host::join(workspace, &prefix),
    };
    Ok((path, prefix))
}

fn env_str<'a>(env: &'a Map<String, Value>, k: &str) -> Option<&'a str> {
    env.get(k).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// What the event says about the pull request: (number, from a fork).
fn pull_from_event(name: &str, event: &Value) -> Option<(u64, bool)> {
    if !matches!(name, "pull_request" | "pull_request_target") {
        return None;
    }
    let pr = event.get("pull_request")?;
    let number = pr.get("number").and_then(Value::as_u64).or_else(|| event.get("number").and_then(Value::as_u64))?;
    let head_repo = pr.get("head").and_then(|h| h.get("repo"));
    let base_owner = pr.get("base").and_then(|b| b.get("repo")).and_then(|r| r.get("owner")).and_then(|o| o.get("id"));
    let fork = match head_repo {
        None | Some(Value::Null) => true,
        Some(r) => r.get("owner").and_then(|o| o.get("id")) != base_owner,
    };
    Some((number, fork))
}

/// Step 1: validate inputs, read the event.
pub fn context(req: &Request) -> Value {
    match validate(&req.inputs, &req.env) {
        Ok(v) => context_of(req, &v, false),
        Err(e) => json!({ "ok": false, "error": e, "log": [] }),
    }
}

/// A fork pull request under `pull_request`: the workflow token can only read, so nothing is
/// written to the pull request. (Under `pull_request_target` the token can write, forks included.)
fn read_only_fork(req: &Request) -> bool {
    req.event_name == "pull_request" && matches!(pull_from_event(&req.event_name, &req.event), Some((_, true)))
}

/// The pull request this run is about: the `pr-number` input, else the event's.
fn pull_number(req: &Request, v: &Valid) -> Option<u64> {
    v.pr_number.or_else(|| pull_from_event(&req.event_name, &req.event).map(|(n, _)| n))
}

/// The warning for an event file the shim could not read.
fn event_warning(req: &Request) -> Option<String> {
    let e = req.event_error.as_deref()?;
    Some(format!(
        "cua-check could not read the event file (GITHUB_EVENT_PATH): {}. It goes on without the event: it knows no pull request from it (set the `pr-number` input to comment), and `scope: changed` checks every file.",
        crate::util::host::shown(e, 300)
    ))
}

fn context_of(req: &Request, v: &Valid, verify: bool) -> Value {
    let repo = env_str(&req.env, "GITHUB_REPOSITORY").and_then(|r| r.split_once('/')).map(|(o, n)| json!({"owner": o, "name": n}));
    let has_token = !req.inputs.token.trim().is_empty();
    let mut log = Vec::new();
    let mut fork_notice = Value::Null;
    let mut lookup = Value::Null;
    let fork = read_only_fork(req);
    let pull = match pull_number(req, v) {
        Some(n) => json!({ "number": n }),
        None => Value::Null,
    };
    if fork && v.comment != CommentMode::Never {
        fork_notice = json!("This pull request comes from a fork, whose workflow token cannot write to the base repository, so cua-check posts no comment here (annotations and the job summary still show every finding). To get comments on fork pull requests, upload the report as an artifact and post it from a separate workflow triggered by `workflow_run`, with the `pr-number` input.");
    }
    if pull.is_null() && req.event_name == "push" {
        let sha = req.event.get("after").and_then(Value::as_str).or_else(|| env_str(&req.env, "GITHUB_SHA"));
        if let Some(sha) = sha.filter(|s| s.chars().all(|c| c.is_ascii_hexdigit()) && !s.chars().all(|c| c == '0')) {
            if has_token && (v.comment != CommentMode::Never || (v.changed_only && !verify)) {
                lookup = json!(sha);
            }
        }
    }
    let comment_wanted = v.comment != CommentMode::Never && has_token && !fork && repo.is_some();
    if !has_token && v.comment != CommentMode::Never {
        log.push("No token given: no pull-request comment.".to_string());
    }
    json!({
        "ok": true,
        "log": log,
        "warnings": event_warning(req).into_iter().collect::<Vec<_>>(),
        "repo": repo,
        "pullRequest": pull,
        "lookupPullForSha": lookup,
        "needChangedFiles": v.changed_only && has_token && !verify,
        "commentWanted": comment_wanted,
        "forkNotice": fork_notice,
        "messages": messages(),
    })
}

/// Step 2: run the check and render everything.
pub fn check(req: &Request, host: &dyn Host) -> Value {
    let mut v = match validate(&req.inputs, &req.env) {
        Ok(v) => v,
        Err(e) => return json!({ "ok": false, "error": e }),
    };
    // The config file under `path` (.github/cua-check.toml or cua-check.toml); inputs that are
    // set override it.
    let i = &req.inputs;
    let set = |s: &str| !s.trim().is_empty();
    let given = crate::options::config_file::Given {
        registered: set(&i.registered_ids),
        registry: set(&i.registry_file),
        main: set(&i.main_templates),
        exclude: set(&i.exclude),
        mode: set(&i.mode),
        sources: set(&i.sources),
        fail_on: set(&i.fail_on),
        max_file_size: set(&i.max_file_size),
    };
    if let Err(e) = crate::options::config_file::load_and_apply(host, &crate::options::config_file::Choice::Auto, &mut v.settings, &given) {
        return json!({ "ok": false, "error": format!("invalid config file: {e}") });
    }
    if host.env("CUA_CHECK_TEST_PANIC").is_some_and(|x| x == "1") {
        panic!("deliberate panic requested by CUA_CHECK_TEST_PANIC");
    }
    if let Some(e) = outside_workspace(host, &v.settings.root, &req.env) {
        return json!({ "ok": false, "error": e });
    }
    let mut log = Vec::new();
    let mut notices = Vec::new();
    let scope = if v.changed_only { changed_scope(req, &v) } else { Scope::All };
    match &scope {
        Scope::Changed(list) => {
            let prefix = if v.prefix.is_empty() { String::new() } else { format!("{}/", v.prefix) };
            v.settings.only_paths = Some(list.iter().filter_map(|p| p.strip_prefix(prefix.as_str()).map(str::to_string)).collect());
            log.push(format!("scope: changed: reporting on the {} this change touches", render::plural(list.len(), "file")));
        }
        Scope::FellBack(why) => notices.push(format!(
            "scope: changed: {why}; cua-check checks every file instead, so that the verdict does not pass on a change set it could not see."
        )),
        Scope::All => {}
    }
    v.settings.env_partner_id = host.env("ARM_PARTNER_ID").filter(|s| !s.trim().is_empty()).map(|_| "ARM_PARTNER_ID in the environment".into());
    v.settings.repository = env_str(&req.env, "GITHUB_REPOSITORY").map(str::to_string).filter(|r| r.contains('/'));
    v.settings.repo_prefix = v.prefix.clone();
    let config_used = crate::options::config_file::found(host, &v.settings.root);
    let run = match crate::check::engine::run(host, &v.settings) {
        Ok(r) => r,
        Err(e) => return json!({ "ok": false, "error": format!("cua-check could not run: {e}. Check the 'path' and 'registry-file' inputs.") }),
    };
    let report = run.report;
    let server = env_str(&req.env, "GITHUB_SERVER_URL").unwrap_or("https://github.com").trim_end_matches('/');
    let repo = env_str(&req.env, "GITHUB_REPOSITORY");
    let sha = req
        .event
        .get("pull_request")
        .and_then(|p| p.get("head"))
        .and_then(|h| h.get("sha"))
        .and_then(Value::as_str)
        .or_else(|| env_str(&req.env, "GITHUB_SHA"));
    let blob_base = match (repo, sha) {
        (Some(r), Some(s)) => Some(format!("{server}/{r}/blob/{s}")),
        _ => None,
    };
    let run_url = run_url_of(&req.env);
    let report_file = report_path(&req.env, "cua-check-report");
    let mut files = vec![json!({ "path": report_file, "content": report.to_json() })];
    if let Some(sarif) = &v.sarif_file {
        files.push(json!({ "path": sarif, "content": render::sarif::render_with(&report, &v.prefix, crate::frontends::cli::VERSION, &v.category) }));
    }
    // Where the complete list is: the JSON report (and SARIF) always; the job summary when it
    // holds every finding.
    let files_hint = match &v.sarif_file {
        Some(f) => format!("the JSON report (output `report-file`) and the SARIF file {}", render::md_code(f)),
        None => "the JSON report (output `report-file`)".to_string(),
    };
    let checked = Some(checked_line(&report, &scope, &req.env, config_used, &v.prefix));
    // The attribution map: which tracking ID covers which solutions (`cua-check map`).
    let map = if !run.map.ids.is_empty() || !run.map.solutions_without_id.is_empty() {
        format!("\n{}", render::map::markdown(&run.map, &v.prefix, "###"))
    } else {
        String::new()
    };
    let summary_part = render::markdown::render_full(
        &report,
        &render::markdown::Options {
            prefix: &v.prefix,
            blob_base: blob_base.clone(),
            // GitHub takes 1 MiB of summary per step; the map comes after the findings.
            max_bytes: SUMMARY_MAX_BYTES.saturating_sub(map.len().min(SUMMARY_MAX_BYTES / 4)),
            snippets: false,
            full_report_hint: &files_hint,
            header: "",
            list_level: crate::report::Severity::Notice,
            checked: checked.clone(),
            fold: false,
        },
    );
    let mut summary = summary_part.text;
    if summary.len() + map.len() <= SUMMARY_MAX_BYTES {
        summary.push_str(&map);
    } else {
        summary.push_str("\n_The attribution map is not shown here (size limit); `cua-check map` prints it._\n");
    }
    let comment_hint = match (&run_url, summary_part.complete) {
        (Some(u), true) => format!("the job summary of [this run]({u}), {files_hint}"),
        (None, true) => format!("the job summary of this run, {files_hint}"),
        (_, false) => files_hint.clone(),
    };
    log.extend(log_lines(&report, &v.prefix, &scope_status(&scope)));
    let s = &report.summary;
    let outputs = json!({
        "result": if s.passed { "passed" } else { "failed" },
        "errors": s.errors.to_string(),
        "warnings": s.warnings.to_string(),
        "notices": s.notices.to_string(),
        "tracked": s.tracked.to_string(),
        "untracked": s.untracked.to_string(),
        "report-file": report_file,
        "sarif-file": v.sarif_file.clone().unwrap_or_default(),
    });
    let fork = read_only_fork(req);
    let comment = if v.comment == CommentMode::Never || fork {
        Value::Null
    } else {
        // `auto`: a run with nothing at `comment-level` or above (by default, a notice-only run)
        // has nothing the author must act on: it creates no new comment (an existing one is
        // still updated). The shim obeys `create` and `update`.
        let something = report.findings.iter().any(|f| f.severity >= v.comment_level);
        let create = match v.comment {
            CommentMode::Always => true,
            CommentMode::Auto => something,
            CommentMode::OnFailure => !s.passed,
            CommentMode::Never => false,
        };
        json!({
            "marker": render::comment::marker(&v.comment_key),
            "body": render::comment::body(
                &report,
                &v.comment_key,
                &render::comment::Parts { prefix: &v.prefix, blob_base, complete_list: &comment_hint, list_level: v.comment_level, checked },
            ),
            "create": create,
            "update": true,
        })
    };
    let failure = (!s.passed).then(|| gate_failure(&report, v.settings.fail_on, &report_file));
    // The runner shows 10 annotations of each level: the gate's `::error::` line, the scope and
    // fork notices and the event-file warning are among them.
    let reserved = render::annotations::Reserved {
        errors: usize::from(failure.is_some()),
        warnings: usize::from(event_warning(req).is_some()),
        notices: notices.len() + usize::from(fork && v.comment != CommentMode::Never),
    };
    let annotations = render::annotations::build_reserving(&report, &v.prefix, reserved);
    json!({
        "ok": true,
        "exitCode": if s.passed { 0 } else { 1 },
        "log": log,
        "notices": notices,
        "failure": failure,
        "annotations": annotations,
        "outputs": outputs,
        "files": files,
        "summary": summary,
        "comment": comment,
        "messages": messages(),
    })
}

/// This workflow run's page.
fn run_url_of(env: &Map<String, Value>) -> Option<String> {
    let server = env_str(env, "GITHUB_SERVER_URL").unwrap_or("https://github.com").trim_end_matches('/');
    match (env_str(env, "GITHUB_REPOSITORY"), env_str(env, "GITHUB_RUN_ID")) {
        (Some(r), Some(id)) => Some(format!("{server}/{r}/actions/runs/{id}")),
        _ => None,
    }
}

/// Verify mode: the verifier's options from the inputs. Errors name the input.
pub fn verify_opts(i: &Inputs, host: &dyn Host) -> Result<crate::verify::Opts, String> {
    let set = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let subscription = set(&i.verify_subscription).ok_or_else(|| {
        "input 'verify-subscription' is required in verify mode: the ID of the subscription holding the deployment".to_string()
    })?;
    let resource_group = set(&i.verify_resource_group);
    let deployment = set(&i.verify_deployment);
    let tracking_id = match set(&i.verify_tracking_id) {
        Some(t) => Some(crate::tracking::parse_registered(&t).ok_or_else(|| bad("verify-tracking-id", &t))?.id),
        None => None,
    };
    if deployment.is_some() && tracking_id.is_some() {
        return Err("inputs 'verify-deployment' and 'verify-tracking-id' are both set; give one of them".into());
    }
    let location = set(&i.verify_location);
    if location.is_some() && resource_group.is_some() {
        return Err("input 'verify-location' applies to subscription-scope deployments only; leave it empty when 'verify-resource-group' is set".into());
    }
    let endpoint = crate::verify::endpoint(&i.verify_arm_endpoint)
        .map_err(|_| bad("verify-arm-endpoint", &i.verify_arm_endpoint))?;
    let mut reg = crate::partner_ids::Registry::default();
    for id in registered_id_items(&i.registered_ids) {
        reg.add_str(&id, "input 'registered-ids'")?;
    }
    let file = i.registry_file.trim();
    if !file.is_empty() {
        // An input of the workflow: read only inside the workspace.
        let workspace = host.env("GITHUB_WORKSPACE").filter(|w| !w.is_empty()).unwrap_or_else(|| ".".into());
        let shown = crate::util::host::shown(file, 200);
        let bytes = crate::util::host::read_confined(host, &workspace, file, 1 << 20).map_err(|e| format!("input 'registry-file': {shown}: {e}"))?;
        reg.add_file(file, &String::from_utf8_lossy(&bytes)).map_err(|e| crate::util::host::shown(&e, 400))?;
    }
    Ok(crate::verify::Opts {
        subscription,
        resource_group,
        deployment,
        tracking_id,
        location,
        endpoint,
        json: false,
        registry: crate::verify::registry_entries(&reg),
        retry_base_ms: crate::verify::retry_base_ms(host),
    })
}

/// Verify mode, step 1: validate the inputs and read the event (as `context` does), and plan the
/// first ARM request (`verify`: `{state, request}`, see [`crate::verify::drive`]).
pub fn verify_start(req: &Request, host: &dyn Host) -> Value {
    let v = match validate(&req.inputs, &req.env) {
        Ok(v) => v,
        Err(e) => return json!({ "ok": false, "error": e, "log": [] }),
    };
    let opts = match verify_opts(&req.inputs, host) {
        Ok(o) => o,
        Err(e) => return json!({ "ok": false, "error": e, "log": [] }),
    };
    let mut out = context_of(req, &v, true);
    out["verify"] = crate::verify::drive(crate::verify::Verifier::new(opts));
    out
}

/// Verify mode, step 2: everything the runner shows of the result (log lines, outputs, the JSON
/// report file, the job summary, the comment), like `check`.
pub fn verify(req: &Request) -> Value {
    use crate::verify::{render_json, render_markdown, MarkdownOptions};
    let v = match validate(&req.inputs, &req.env) {
        Ok(v) => v,
        Err(e) => return json!({ "ok": false, "error": e }),
    };
    let Some(r) = &req.report else {
        return json!({ "ok": false, "error": "internal error: the verify step got no report" });
    };
    let run_url = run_url_of(&req.env);
    let report_file = report_path(&req.env, "cua-check-verify");
    let yes_no = |b: bool| if b { "true" } else { "false" };
    let outputs = json!({
        "result": if r.code == 0 { "passed" } else { "failed" },
        "tracked": if r.code == 0 { "1" } else { "0" },
        "found": if r.code == 2 { "" } else { yes_no(r.found) },
        "tracking-id": r.tracking_id.clone().unwrap_or_default(),
        "deployment": r.deployment.clone().unwrap_or_default(),
        "correlation-id": r.correlation_id.clone().unwrap_or_default(),
        "registered": r.registered.map(yes_no).unwrap_or(""),
        "resources": r.resources.len().to_string(),
        "report-file": report_file,
    });
    let fork = read_only_fork(req);
    let comment = if v.comment == CommentMode::Never || fork {
        Value::Null
    } else {
        let marker = render::comment::verify_marker(&v.comment_key);
        let header = format!("{marker}\n");
        json!({
            "marker": marker,
            "body": render_markdown(r, &MarkdownOptions { header: &header, max_bytes: render::comment::MAX_COMMENT_BYTES, run_url: run_url.as_deref() }),
            // `auto`: the result is what the step is for, tracked or not; a failure to check
            // (HTTP, permissions) only updates an existing comment.
            "create": match v.comment {
                CommentMode::Always => true,
                CommentMode::Auto => r.code != 2,
                CommentMode::OnFailure => r.code != 0,
                CommentMode::Never => false,
            },
            "update": true,
        })
    };
    json!({
        "ok": true,
        "exitCode": if r.code == 0 { 0 } else { 1 },
        "log": if r.code == 2 { Vec::new() } else { crate::verify::render::text_lines(r) },
        "outputs": outputs,
        "files": [{ "path": report_file, "content": render_json(r) }],
        "summary": render_markdown(r, &MarkdownOptions { header: "", max_bytes: 1_000_000, run_url: run_url.as_deref() }),
        "comment": comment,
        "failure": if r.code == 0 { Value::Null } else { json!(render::log_safe(&format!("cua-check verify: {}", r.message))) },
        "messages": messages(),
    })
}

/// Texts the shim shows as they are (a failed GitHub request is worded by the `http-failure` step).
fn messages() -> Value {
    json!({
        "noAzureToken": "cua-check verify: no Azure access token: set the AZURE_ACCESS_TOKEN environment variable (e.g. from `az account get-access-token` after azure/login), or run on a runner with the Azure CLI logged in.",
    })
}

/// What `scope: changed` reports on.
#[derive(Debug, PartialEq)]
enum Scope {
    /// `scope: all`.
    All,
    /// The files the change touches (paths relative to the workspace).
    Changed(Vec<String>),
    /// `scope: changed`, but the change set is empty, truncated or unknown: every file is
    /// checked (fail closed), for the reason given.
    FellBack(String),
}

/// GitHub lists at most this many files of a pull request (REST "List pull requests files").
const PULL_FILES_LIMIT: usize = 3000;
/// A push event lists at most this many commits.
const PUSH_COMMITS_LIMIT: usize = 2048;

/// The change set of `scope: changed`, failing closed: only a complete, non-empty list of the
/// files the change touches narrows the report.
fn changed_scope(req: &Request, v: &Valid) -> Scope {
    let fell = |s: String| Scope::FellBack(s);
    if let Some(list) = &req.changed_files {
        let n = req.pull_request.map(|p| p.number).or_else(|| pull_number(req, v)).unwrap_or(0);
        // the event's count, when the event is about this pull request
        let count = req
            .event
            .get("pull_request")
            .filter(|p| p.get("number").and_then(Value::as_u64) == Some(n))
            .and_then(|p| p.get("changed_files"))
            .and_then(Value::as_u64)
            .map(|c| c as usize);
        if list.is_empty() {
            return fell(format!("GitHub lists no changed files for pull request #{n}"));
        }
        if list.len() >= PULL_FILES_LIMIT || count.is_some_and(|c| c > list.len()) {
            let total = count.filter(|&c| c > list.len()).map(|c| format!("changes {c} files but ")).unwrap_or_default();
            return fell(format!(
                "pull request #{n} {total}GitHub lists only {} of its files (it lists at most {PULL_FILES_LIMIT})",
                list.len()
            ));
        }
        return Scope::Changed(list.clone());
    }
    if let Some(pr) = req.pull_request.or_else(|| pull_number(req, v).map(|number| PullRef { number })) {
        return fell(if req.inputs.token.trim().is_empty() {
            format!("the files of pull request #{} are not known: no `token` to ask GitHub", pr.number)
        } else {
            format!("GitHub did not list the files of pull request #{} (see the warning above)", pr.number)
        });
    }
    if req.event_name == "push" {
        let e = &req.event;
        let Some(commits) = e.get("commits").and_then(Value::as_array) else {
            return fell("the push event lists no commits, so the files it changes are not known".into());
        };
        if e.get("forced").and_then(Value::as_bool) == Some(true) {
            return fell("this push was forced: its commits do not tell which files differ from the branch before".into());
        }
        if e.get("created").and_then(Value::as_bool) == Some(true) {
            return fell("this push creates the branch or tag: the files it changes against an earlier state are not known".into());
        }
        if commits.is_empty() {
            return fell("this push changes no files (no commits: a tag push, or a branch moved to an existing commit)".into());
        }
        if commits.len() >= PUSH_COMMITS_LIMIT {
            return fell(format!("the push event lists {} commits, the most it lists, so it may leave some out", commits.len()));
        }
        // GitHub leaves a very large commit's lists empty when it cannot compute them in time
        let listed = |c: &Value| ["added", "modified", "removed"].iter().any(|k| c.get(*k).and_then(Value::as_array).is_some_and(|a| !a.is_empty()));
        if let Some(c) = commits.iter().find(|c| !listed(c)) {
            let id: String = c.get("id").and_then(Value::as_str).unwrap_or("").chars().take(12).collect();
            return fell(format!("the push event lists no files for commit {} (GitHub leaves the lists of a very large commit empty)", render::log_safe(&id)));
        }
        let mut out: Vec<String> = Vec::new();
        for c in commits {
            for k in ["added", "modified"] {
                for p in c.get(k).and_then(Value::as_array).into_iter().flatten() {
                    if let Some(p) = p.as_str() {
                        if !out.iter().any(|x| x == p) {
                            out.push(p.to_string());
                        }
                    }
                }
            }
        }
        if out.is_empty() {
            return fell("the commits of this push add or modify no files (only deletions)".into());
        }
        return Scope::Changed(out);
    }
    if req.event.is_null() || req.event_name.is_empty() {
        return fell("the event is not known (see the warning above), so the changed files are not known".into());
    }
    fell(format!(
        "the files a `{}` event changes are not known (give `pr-number` to check a pull request's files)",
        render::log_safe(&req.event_name)
    ))
}

/// The checked folder must resolve (links followed) inside GITHUB_WORKSPACE.
fn outside_workspace(host: &dyn Host, root: &str, env: &Map<String, Value>) -> Option<String> {
    let ws = env_str(env, "GITHUB_WORKSPACE")?;
    // Windows gives `D:\a\r\r\infra`: compared with `/` and without case
    let norm = |p: String| if p.as_bytes().get(1) == Some(&b':') || p.starts_with("\\\\") { p.replace('\\', "/").to_ascii_lowercase() } else { p };
    let ws_real = norm(host.realpath(ws)?);
    let real = norm(host.realpath(root)?);
    (!crate::util::host::inside(&real, &ws_real)).then(|| {
        format!(
            "input 'path' ({}) leads outside the workspace (GITHUB_WORKSPACE) once links are followed; give a folder or file of the checked-out repository",
            crate::util::host::shown(root, 200)
        )
    })
}

/// The JSON report's file under RUNNER_TEMP: one per step (GITHUB_ACTION names the step), so a
/// second cua-check step in the job does not overwrite the first one's.
fn report_path(env: &Map<String, Value>, stem: &str) -> String {
    let temp = env_str(env, "RUNNER_TEMP").unwrap_or(".");
    let step: String = env_str(env, "GITHUB_ACTION")
        .unwrap_or("")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' })
        .take(100)
        .collect();
    let step = step.trim_matches('.');
    let name = if step.is_empty() { format!("{stem}.json") } else { format!("{stem}-{step}.json") };
    crate::util::host::join(temp, &name)
}

/// The one `::error::` line of a failed gate: which findings failed it, and where the details are.
fn gate_failure(report: &Report, fail_on: FailOn, report_file: &str) -> String {
    use crate::report::Severity;
    let failing: Vec<_> = report.findings.iter().filter(|f| fail_on.fails(f.severity)).collect();
    let count = |sev: Severity| failing.iter().filter(|f| f.severity == sev).count();
    let mut levels = Vec::new();
    for (sev, word) in [(Severity::Error, "error"), (Severity::Warning, "warning"), (Severity::Notice, "notice")] {
        if count(sev) > 0 {
            levels.push(render::plural(count(sev), word));
        }
    }
    let mut rules: Vec<(&str, usize)> = Vec::new();
    for f in &failing {
        match rules.iter_mut().find(|(r, _)| *r == f.rule.as_str()) {
            Some(e) => e.1 += 1,
            None => rules.push((f.rule.as_str(), 1)),
        }
    }
    crate::util::sort::sort_by(&mut rules, |a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let shown: Vec<String> = rules.iter().take(6).map(|(r, n)| format!("{r} ×{n}")).collect();
    let more = if rules.len() > 6 { format!(", and {} more rules", rules.len() - 6) } else { String::new() };
    let level = match fail_on {
        FailOn::Warning => "warning or error",
        _ => "error",
    };
    render::log_safe(&format!(
        "cua-check failed the gate (fail-on: {}): {} at {level} level ({}{more}). Details: the annotations of this step, the job summary, and the JSON report {report_file} (output `report-file`).",
        fail_on.as_str(),
        levels.join(" and "),
        shown.join(", "),
    ))
}

/// What the status line says of the scope.
/// GitHub's limit on one step's job summary.
const SUMMARY_MAX_BYTES: usize = 1_000_000;

/// The comment's and summary's "Checked:" line: the scope, the number of files, the commit and
/// the config file, so that a reader knows what the verdict covers.
fn checked_line(report: &Report, scope: &Scope, env: &Map<String, Value>, config: Option<&str>, prefix: &str) -> String {
    let scope = match scope {
        Scope::All => "`all`".to_string(),
        Scope::Changed(list) => format!("`changed` ({} changed)", count_files(list.len())),
        Scope::FellBack(_) => "`changed`, but every file was checked (the change set was not usable)".to_string(),
    };
    let s = &report.summary;
    let mut line = format!(
        "Checked: scope {scope} · {} ({}) · ",
        count_files(s.files),
        format!("{} {}", render::markdown::thousands(s.templates), if s.templates == 1 { "template" } else { "templates" })
    );
    let sha = env_str(env, "GITHUB_SHA").filter(|s| s.len() >= 7 && s.chars().all(|c| c.is_ascii_hexdigit()));
    let server = env_str(env, "GITHUB_SERVER_URL").unwrap_or("https://github.com").trim_end_matches('/');
    match (sha, env_str(env, "GITHUB_REPOSITORY").filter(|r| r.contains('/'))) {
        (Some(sha), Some(repo)) => line.push_str(&format!("commit [`{}`]({server}/{}/commit/{sha})", &sha[..7], render::url_path(repo))),
        (Some(sha), None) => line.push_str(&format!("commit `{}`", &sha[..7])),
        _ => line.push_str("commit unknown"),
    }
    line.push_str(" · ");
    match config {
        Some(c) => line.push_str(&format!("config {}", render::md_code(&render::sarif::join_prefix(prefix, c)))),
        None => line.push_str("no config file"),
    }
    line
}

fn count_files(n: usize) -> String {
    format!("{} {}", render::markdown::thousands(n), if n == 1 { "file" } else { "files" })
}

fn scope_status(scope: &Scope) -> String {
    match scope {
        Scope::All => "scope: all files".into(),
        Scope::Changed(list) => format!("scope: changed ({} changed)", render::plural(list.len(), "file")),
        Scope::FellBack(_) => "scope: changed, but every file was checked (the change set was not usable; see the notice)".into(),
    }
}

/// The lines the action prints to the log (sanitised).
fn log_lines(report: &Report, prefix: &str, scope: &str) -> Vec<String> {
    let mut out = Vec::new();
    for f in report.files.iter().filter(|f| f.role == crate::model::Role::Main) {
        let top: Vec<_> = f.tracking.iter().filter(|t| !t.nested).map(|t| t.shown()).collect();
        out.push(render::log_safe(&if top.is_empty() {
            format!("✗ {}: no tracking ID", render::sarif::join_prefix(prefix, &f.path))
        } else {
            format!("✓ {}: {}", render::sarif::join_prefix(prefix, &f.path), top.join(", "))
        }));
    }
    let s = &report.summary;
    out.push(format!("cua-check: {}; gate {}; {scope}", render::counts(s), if s.passed { "passed" } else { "failed" }));
    out
}

#[derive(Deserialize)]
pub struct CommentRequest {
    pub comments: Vec<render::comment::ExistingComment>,
    #[serde(default)]
    pub viewer: render::comment::Viewer,
    pub marker: String,
    /// The comment the check planned (body, create, update); without it only `id` is answered.
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub create: bool,
    #[serde(default)]
    pub update: bool,
}

/// Step 3: which existing comment is ours, and what to do: `update` (PATCH), `create` (POST) or
/// `none` (no write: nothing to create, or our comment already says exactly this).
pub fn comment(req: &CommentRequest) -> Value {
    let id = render::comment::choose(&req.comments, &req.marker, &req.viewer);
    let action = match (id, &req.body) {
        (_, None) => "none",
        (Some(id), Some(body)) => {
            let old = req.comments.iter().find(|c| c.id == id).and_then(|c| c.body.as_deref()).unwrap_or("");
            if !req.update || render::comment::same_body(old, body) {
                "none"
            } else {
                "update"
            }
        }
        (None, Some(_)) => {
            if req.create {
                "create"
            } else {
                "none"
            }
        }
    };
    json!({ "id": id, "action": action })
}

/// The warning for a GitHub API request that failed: what failed, the status and GitHub's
/// message, and a hint that matches the status.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct HttpFailure {
    /// `comment`, `lookup` (the pull request of a commit) or `files` (a pull request's files).
    pub what: String,
    /// The HTTP status; 0 when no answer came.
    pub status: u16,
    pub detail: String,
}

pub fn http_failure(req: &HttpFailure) -> Value {
    let what = match req.what.as_str() {
        "comment" => "cua-check could not write its pull-request comment",
        "files" => "cua-check could not list the files of the pull request",
        _ => "cua-check could not ask GitHub about this commit or pull request",
    };
    let detail = crate::util::host::shown(req.detail.trim(), 300);
    let status = match (req.status, detail.is_empty()) {
        (0, _) => format!("no answer: {}", if detail.is_empty() { "network error" } else { &detail }),
        (n, true) => format!("HTTP {n}"),
        (n, false) => format!("HTTP {n}: {detail}"),
    };
    let rate = detail.to_ascii_lowercase().contains("rate limit");
    let comment = req.what == "comment";
    let hint = match req.status {
        _ if rate || req.status == 429 => "GitHub's rate limit was reached (cua-check waited and retried); re-run the job later.",
        0 => "GitHub's API did not answer: check GITHUB_API_URL and the runner's network or proxy settings.",
        401 => "The token was refused: check the `token` input (expired or revoked?).",
        403 | 404 if comment => "The token may not write here: give the job `permissions: pull-requests: write` (a GitHub App token needs the Pull requests: write permission), and check `pr-number` if you set it.",
        403 | 404 => "The token may not read this: give the job `permissions: pull-requests: read` and `contents: read`, and check `pr-number` if you set it.",
        422 if comment => "GitHub refused the comment's content (for example a locked pull request, or a body it does not accept).",
        500..=599 => "GitHub had trouble answering (a server error, retried several times); this is not a problem of your workflow: re-run the job later (https://www.githubstatus.com shows incidents).",
        _ => "",
    };
    let tail = match req.what.as_str() {
        "comment" => "The check result is not affected.",
        "files" => "",
        _ => "Continuing without that information.",
    };
    let text = [format!("{what} ({status})."), hint.to_string(), tail.to_string()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" ");
    json!({ "text": render::log_safe(&text) })
}

/// Dispatch a step by name (the wasm boundary calls this).
pub fn step(name: &str, request: &str, host: &dyn Host) -> String {
    let out = match name {
        "context" | "check" | "verify-start" | "verify" => match serde_json::from_str::<Request>(request) {
            Ok(req) => match name {
                "context" => context(&req),
                "check" => check(&req, host),
                "verify-start" => verify_start(&req, host),
                _ => verify(&req),
            },
            Err(e) => json!({ "ok": false, "error": format!("internal error: bad request from the shim: {e}") }),
        },
        "comment" => match serde_json::from_str::<CommentRequest>(request) {
            Ok(req) => comment(&req),
            Err(e) => json!({ "ok": false, "error": format!("internal error: bad request from the shim: {e}") }),
        },
        "http-failure" => match serde_json::from_str::<HttpFailure>(request) {
            Ok(req) => http_failure(&req),
            Err(e) => json!({ "ok": false, "error": format!("internal error: bad request from the shim: {e}") }),
        },
        other => json!({ "ok": false, "error": format!("internal error: unknown step {other:?}") }),
    };
    out.to_string()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod verify_tests {
    use super::*;
    use crate::util::host::native::NativeHost;
    use crate::verify::{Resource, VerifyReport};

    const PID: &str = "pid-7867e591-c1ee-4530-bed8-7387ab893a26";

    fn request(inputs: Value, report: Option<VerifyReport>) -> String {
        let event = json!({ "pull_request": { "number": 7, "head": { "repo": { "owner": { "id": 1 } } }, "base": { "repo": { "owner": { "id": 1 } } } } });
        let mut req = json!({
            "inputs": inputs,
            "eventName": "pull_request",
            "event": event,
            "env": { "GITHUB_REPOSITORY": "o/r", "GITHUB_RUN_ID": "9", "RUNNER_TEMP": "/tmp/rt" },
        });
        if let Some(r) = report {
            req["report"] = serde_json::to_value(r).unwrap();
        }
        req.to_string()
    }

    fn call(name: &str, inputs: Value, report: Option<VerifyReport>) -> Value {
        serde_json::from_str(&step(name, &request(inputs, report), &NativeHost)).unwrap()
    }

    fn report(code: i32) -> VerifyReport {
        VerifyReport {
            code,
            found: code == 0,
            tracking_id: (code == 0).then(|| PID.to_string()),
            deployment: (code == 0).then(|| PID.to_string()),
            subscription: "sub".into(),
            resource_group: Some("rg".into()),
            resources: vec![Resource { id: "/s/x".into(), resource_type: "T/x".into(), resource_name: "x".into(), deployment: "main".into() }],
            message: format!("message {code}"),
            ..Default::default()
        }
    }

    #[test]
    fn registered_ids_are_split_on_lines_commas_semicolons_and_spaces() {
        const B: &str = "pid-11111111-2222-4333-8444-555555555555";
        // issue 15 #4: a space or `;` separates IDs; the second ID is never the first one's description
        for input in [format!("{PID} {B}"), format!("{PID};{B}"), format!("{PID}, {B}"), format!("{PID}\n{B}\n"), format!("# ours\n{PID} ; {B}")] {
            assert_eq!(registered_id_items(&input), vec![PID.to_string(), B.to_string()], "{input:?}");
        }
        // a description only in the documented `id: description` form; it runs to the end of the line
        assert_eq!(
            registered_id_items(&format!("{PID}: Contoso, storage offer\n{B}")),
            vec![format!("{PID} Contoso, storage offer"), B.to_string()]
        );
        assert_eq!(registered_id_items(&format!("{B} {PID}: Contoso")), vec![B.to_string(), format!("{PID} Contoso")]);
        // the registry reads both IDs: the second one is registered, not a description
        let mut reg = crate::partner_ids::Registry::default();
        for id in registered_id_items(&format!("{PID} {B}")) {
            reg.add_str(&id, "input").unwrap();
        }
        let ids: Vec<String> = reg.entries.iter().map(|e| e.id.id.clone()).collect();
        assert_eq!(ids.len(), 2, "{ids:?}");
        assert!(reg.entries.iter().all(|e| e.description.is_none()));
    }

    #[test]
    fn verify_start_validates_the_inputs_and_plans_the_first_request() {
        let a = call("verify-start", json!({ "verify-resource-group": "rg", "token": "t" }), None);
        assert_eq!(a["ok"], false);
        assert!(a["error"].as_str().unwrap().contains("'verify-subscription'"), "{a}");

        let a = call("verify-start", json!({ "verify-resource-group": "rg", "verify-subscription": "sub", "verify-location": "westus2" }), None);
        assert!(a["error"].as_str().unwrap().contains("'verify-location'"), "{a}");

        let a = call(
            "verify-start",
            json!({ "verify-resource-group": "rg", "verify-subscription": "sub", "verify-deployment": PID, "verify-arm-endpoint": "usgov", "token": "t", "scope": "changed" }),
            None,
        );
        assert_eq!(a["ok"], true, "{a}");
        assert_eq!(a["pullRequest"]["number"], 7);
        assert_eq!(a["commentWanted"], true);
        assert_eq!(a["needChangedFiles"], false, "verify mode reads no changed files");
        let url = a["verify"]["request"]["url"].as_str().unwrap();
        assert_eq!(url, format!("https://management.usgovcloudapi.net/subscriptions/sub/resourcegroups/rg/providers/Microsoft.Resources/deployments/{PID}?api-version=2021-04-01"));
        assert!(a["verify"]["state"].is_string());
    }

    #[test]
    fn verify_renders_outputs_summary_and_a_comment_of_its_own() {
        let a = call("verify", json!({ "comment-key": "infra" }), Some(report(0)));
        assert_eq!(a["exitCode"], 0);
        assert_eq!(a["outputs"]["found"], "true");
        assert_eq!(a["outputs"]["tracking-id"], PID);
        assert_eq!(a["outputs"]["resources"], "1");
        assert_eq!(a["outputs"]["registered"], "");
        assert_eq!(a["outputs"]["report-file"], "/tmp/rt/cua-check-verify.json");
        assert!(a["failure"].is_null());
        let marker = a["comment"]["marker"].as_str().unwrap();
        assert_eq!(marker, "<!-- cua-check:verify key=infra -->");
        assert_ne!(marker, render::comment::marker("infra"), "never the check comment's marker");
        assert!(a["comment"]["body"].as_str().unwrap().starts_with(&format!("{marker}\n### ✅")));
        assert!(a["comment"]["body"].as_str().unwrap().contains("[workflow run](https://github.com/o/r/actions/runs/9)"));
        assert_eq!(a["comment"]["create"], true);
        assert!(!a["summary"].as_str().unwrap().contains("cua-check:verify"), "no marker in the summary");

        // not tracked: a failure message, and a comment under `auto`
        let a = call("verify", json!({}), Some(report(1)));
        assert_eq!(a["exitCode"], 1);
        assert_eq!(a["outputs"]["found"], "false");
        assert_eq!(a["failure"], "cua-check verify: message 1");
        assert_eq!(a["comment"]["create"], true);

        // could not check: `auto` only updates, `on-failure` creates, `never` has none
        let a = call("verify", json!({}), Some(report(2)));
        assert_eq!((a["comment"]["create"].clone(), a["comment"]["update"].clone()), (json!(false), json!(true)));
        assert_eq!(a["outputs"]["found"], "");
        assert!(a["log"].as_array().unwrap().is_empty());
        let a = call("verify", json!({ "comment": "on-failure" }), Some(report(2)));
        assert_eq!(a["comment"]["create"], true);
        let a = call("verify", json!({ "comment": "on-failure" }), Some(report(0)));
        assert_eq!(a["comment"]["create"], false);
        let a = call("verify", json!({ "comment": "never" }), Some(report(1)));
        assert!(a["comment"].is_null());
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod behaviour_tests {
    use super::*;

    #[test]
    fn path_is_normalised_and_confined_to_the_workspace() {
        let ok = |p: &str, ws: &str| workspace_path(p, ws).unwrap();
        assert_eq!(ok("", "/ws"), ("/ws".into(), "".into()));
        assert_eq!(ok("./", "/ws"), ("/ws".into(), "".into()));
        assert_eq!(ok("a/./b/../c/", "/ws"), ("/ws/a/c".into(), "a/c".into()));
        assert_eq!(ok("/ws/infra", "/ws"), ("/ws/infra".into(), "infra".into()));
        assert_eq!(ok("/ws", "/ws/"), ("/ws/".into(), "".into()));
        assert_eq!(ok("D:\\a\\r\\r\\infra", "D:\\a\\r\\r"), ("D:\\a\\r\\r/infra".into(), "infra".into()));
        assert_eq!(ok("/ws/a/../b", "/ws"), ("/ws/b".into(), "b".into()));
        assert_eq!(ok("a/./b/../c/", ""), ("a/c".into(), "a/c".into()));
        assert_eq!(ok(".", ""), (".".into(), "".into()));
        // issue 15 #5: outside the workspace is an input error naming the input
        for (p, ws) in [("../x", "/ws"), ("a/../../x", "/ws"), ("/etc/ssl", "/ws"), ("/wsx/a", "/ws"), ("/ws/../etc", "/ws"), ("C:\\other", "D:\\a\\r")] {
            let e = workspace_path(p, ws).unwrap_err();
            assert!(e.contains("input 'path'") && e.contains("outside the workspace"), "{p}: {e}");
        }
        // a local run without GITHUB_WORKSPACE keeps what it is given
        assert_eq!(ok("../x", ""), ("../x".into(), "../x".into()));
        // on Linux a backslash is part of a name
        assert_eq!(ok("a\\..\\b", "/ws"), ("/ws/a\\..\\b".into(), "a\\..\\b".into()));
    }

    fn req(event_name: &str, event: Value, changed: Option<Vec<&str>>) -> Request {
        Request {
            inputs: Inputs { scope: "changed".into(), token: "t".into(), ..Default::default() },
            event_name: event_name.into(),
            event,
            changed_files: changed.map(|l| l.into_iter().map(String::from).collect()),
            pull_request: None,
            ..Default::default()
        }
    }

    fn scope(r: &Request) -> Scope {
        let v = validate(&r.inputs, &r.env).unwrap();
        changed_scope(r, &v)
    }

    #[test]
    fn scope_changed_fails_closed() {
        let fell = |s: Scope| matches!(s, Scope::FellBack(_));
        // a tag push and a push of no commits: check everything
        assert!(fell(scope(&req("push", json!({ "commits": [] }), None))));
        assert!(fell(scope(&req("push", json!({ "commits": [{ "added": [] }], "created": true }), None))));
        assert!(fell(scope(&req("push", json!({ "commits": [{ "modified": ["a.json"] }], "forced": true }), None))));
        assert!(fell(scope(&req("push", json!({ "commits": [{ "removed": ["a.json"] }] }), None))));
        assert!(fell(scope(&req("push", json!({}), None))));
        // a commit whose file lists GitHub left empty (too large)
        assert!(fell(scope(&req("push", json!({ "commits": [{ "id": "a", "added": ["a.json"] }, { "id": "b", "added": [], "modified": [], "removed": [] }] }), None))));
        assert!(fell(scope(&req("workflow_dispatch", json!({ "inputs": {} }), None))));
        assert_eq!(scope(&req("push", json!({ "commits": [{ "added": ["a.json"], "modified": ["b.json", "a.json"] }] }), None)), Scope::Changed(vec!["a.json".into(), "b.json".into()]));
        // a pull request: its listed files, unless the list is empty or shorter than the PR
        let pr = |n: u64, files: u64| json!({ "pull_request": { "number": n, "changed_files": files } });
        let mut r = req("pull_request", pr(2, 2), Some(vec!["a.json", "b.json"]));
        r.pull_request = Some(PullRef { number: 2 });
        assert_eq!(scope(&r), Scope::Changed(vec!["a.json".into(), "b.json".into()]));
        r.event = pr(2, 5000);
        let Scope::FellBack(why) = scope(&r) else { panic!() };
        assert!(why.contains("changes 5000 files") && why.contains("only 2"), "{why}");
        let many: Vec<String> = (0..PULL_FILES_LIMIT).map(|i| format!("f{i}.json")).collect();
        r.changed_files = Some(many);
        r.event = json!({});
        assert!(fell(scope(&r)));
        r.changed_files = Some(vec![]);
        assert!(fell(scope(&r)));
        // the files could not be listed
        r.changed_files = None;
        let Scope::FellBack(why) = scope(&r) else { panic!() };
        assert!(why.contains("did not list the files of pull request #2"), "{why}");
    }

    #[test]
    fn the_check_answer_names_the_scope_and_the_fallback() {
        let dir = std::env::temp_dir().join(format!("cua-scope-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("azuredeploy.json"), r#"{"$schema":"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#","contentVersion":"1.0.0.0","resources":[]}"#).unwrap();
        let ws = dir.to_str().unwrap();
        let mut r = req("push", json!({ "commits": [] }), None);
        r.inputs.path = ws.into();
        r.env.insert("GITHUB_WORKSPACE".into(), json!(ws));
        r.env.insert("GITHUB_ACTION".into(), json!("__owner_cua-check_2"));
        r.env.insert("RUNNER_TEMP".into(), json!("/tmp/rt"));
        let a = check(&r, &crate::util::host::native::NativeHost);
        assert_eq!(a["ok"], true, "{a}");
        let notice = a["notices"][0].as_str().unwrap();
        assert!(notice.contains("checks every file instead") && notice.contains("no commits"), "{notice}");
        let status = a["log"].as_array().unwrap().last().unwrap().as_str().unwrap();
        assert!(status.contains("scope: changed, but every file was checked"), "{status}");
        assert_eq!(a["outputs"]["report-file"], "/tmp/rt/cua-check-report-__owner_cua-check_2.json");
        // the gate failed (no tracking ID): one failure line naming the rule and the report
        let failure = a["failure"].as_str().unwrap();
        assert!(failure.contains("fail-on: error") && failure.contains("CUA101 ×1") && failure.contains("/tmp/rt/cua-check-report-__owner_cua-check_2.json"), "{failure}");
        assert_eq!(a["annotations"].as_array().unwrap().iter().filter(|x| x["level"] == "error").count(), 1);
        // a path outside the workspace (here: through a link) is refused
        #[cfg(unix)]
        {
            let link = dir.join("out");
            let _ = std::os::unix::fs::symlink("/etc", &link);
            r.inputs.path = "out".into();
            let a = check(&r, &crate::util::host::native::NativeHost);
            assert_eq!(a["ok"], false);
            assert!(a["error"].as_str().unwrap().contains("outside the workspace"), "{a}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Windows paths as Node's `fs.realpathSync.native` gives them.
    struct WinHost;
    impl Host for WinHost {
        fn read_dir(&self, _: &str) -> Result<Vec<(String, crate::util::host::EntryKind)>, String> {
            Ok(vec![])
        }
        fn stat(&self, _: &str) -> Option<(crate::util::host::EntryKind, u64)> {
            None
        }
        fn realpath(&self, p: &str) -> Option<String> {
            match p {
                "D:\\a\\r\\r" => Some("D:\\a\\r\\r".into()),
                "D:\\a\\r\\r/infra" => Some("d:\\a\\r\\r\\infra".into()),
                "D:\\a\\r\\r/out" => Some("C:\\elsewhere".into()),
                _ => None,
            }
        }
        fn read_file(&self, _: &str, _: u64) -> Result<Vec<u8>, String> {
            Err("no".into())
        }
        fn write_file(&self, _: &str, _: &[u8]) -> Result<(), String> {
            Err("no".into())
        }
        fn env(&self, _: &str) -> Option<String> {
            None
        }
        fn is_tty(&self) -> bool {
            false
        }
        fn random_bytes(&self) -> [u8; 16] {
            [0; 16]
        }
    }

    #[test]
    fn windows_paths_are_confined_with_either_separator() {
        let env: Map<String, Value> = serde_json::from_value(json!({ "GITHUB_WORKSPACE": "D:\\a\\r\\r" })).unwrap();
        let (root, prefix) = workspace_path("infra", "D:\\a\\r\\r").unwrap();
        assert_eq!((root.as_str(), prefix.as_str()), ("D:\\a\\r\\r/infra", "infra"));
        assert_eq!(outside_workspace(&WinHost, &root, &env), None);
        let (root, _) = workspace_path("out", "D:\\a\\r\\r").unwrap();
        assert!(outside_workspace(&WinHost, &root, &env).unwrap().contains("outside the workspace"));
    }

    #[test]
    fn the_scope_notice_and_the_gate_line_keep_their_place_among_the_ten_annotations_per_level() {
        let dir = std::env::temp_dir().join(format!("cua-slots-{}", std::process::id()));
        let t = |n: usize| format!(r#"{{"$schema":"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#","contentVersion":"1.0.0.0","resources":[{{"type":"Microsoft.Resources/deployments","apiVersion":"2021-04-01","name":"pid-7867e591-c1ee-4530-bed8-7387ab89{n:04}","properties":{{"mode":"Incremental","template":{{"$schema":"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#","contentVersion":"1.0.0.0","resources":[]}}}}}}]}}"#);
        for i in 0..12 {
            std::fs::create_dir_all(dir.join(format!("s{i}"))).unwrap();
            std::fs::write(dir.join(format!("s{i}/azuredeploy.json")), t(i)).unwrap();
        }
        let ws = dir.to_str().unwrap();
        let mut r = req("push", json!({ "commits": [] }), None);
        r.inputs.path = ws.into();
        r.inputs.fail_on = "warning".into();
        r.env.insert("GITHUB_WORKSPACE".into(), json!(ws));
        let a = check(&r, &crate::util::host::native::NativeHost);
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(a["notices"].as_array().unwrap().len(), 1, "{}", a["notices"]);
        let count = |level: &str| a["annotations"].as_array().unwrap().iter().filter(|x| x["level"] == level).count();
        assert!(a["outputs"]["notices"].as_str().unwrap().parse::<usize>().unwrap() >= 10 && a["outputs"]["warnings"].as_str().unwrap().parse::<usize>().unwrap() >= 10, "{}", a["outputs"]);
        assert_eq!(count("notice") + 1, 10, "9 notice annotations (8 findings and the overflow note) and the scope notice");
        assert!(a["failure"].is_string());
        assert_eq!(count("warning"), 10, "no event-file warning to make room for");
    }

    fn comments(v: Value) -> Vec<render::comment::ExistingComment> {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn our_comment_is_found_without_get_user_and_left_alone_when_unchanged() {
        let m = render::comment::marker("default");
        let list = json!([
            { "id": 1, "body": format!("{m}\nforged"), "user": { "login": "mallory", "id": 9, "type": "User" } },
            { "id": 2, "body": "hello", "user": { "login": "cua-app[bot]", "id": 77, "type": "Bot" } },
            { "id": 3, "body": format!("{m}\nold"), "user": { "login": "cua-app[bot]", "id": 77, "type": "Bot" } },
        ]);
        let ask = |viewer: Value, body: &str, create: bool| {
            let r: CommentRequest = serde_json::from_value(json!({ "comments": list, "viewer": viewer, "marker": m, "body": body, "create": create, "update": true })).unwrap();
            comment(&r)
        };
        // the GraphQL viewer of an App token: by ID, or by login with or without `[bot]`
        assert_eq!(ask(json!({ "login": "cua-app[bot]", "id": 77 }), "new", true), json!({ "id": 3, "action": "update" }));
        assert_eq!(ask(json!({ "login": "cua-app", "id": null }), "new", true), json!({ "id": 3, "action": "update" }));
        // identity unknown: a bot's marked comment is ours, a person's never
        assert_eq!(ask(Value::Null, "new", true), json!({ "id": 3, "action": "update" }));
        // another identity (a PAT of mallory's rival): not ours, create
        assert_eq!(ask(json!({ "login": "octocat", "id": 5 }), "new", true), json!({ "id": null, "action": "create" }));
        // the old string form still works
        assert_eq!(ask(json!("mallory"), "new", false), json!({ "id": 1, "action": "update" }));
        // unchanged body (GitHub may hand it back with CRLF): no write
        assert_eq!(ask(Value::Null, &format!("{m}\r\nold\n"), true), json!({ "id": 3, "action": "none" }));
        // nothing to create
        assert_eq!(ask(json!({ "login": "octocat", "id": 5 }), "new", false), json!({ "id": null, "action": "none" }));
        // a person's marked comment with the identity unknown is never taken
        let only_people = comments(json!([{ "id": 1, "body": m, "user": { "login": "mallory", "type": "User" } }]));
        assert_eq!(render::comment::choose(&only_people, &m, &render::comment::Viewer::Unknown), None);
    }

    #[test]
    fn http_hints_match_the_status() {
        let text = |what: &str, status: u16, detail: &str| {
            http_failure(&HttpFailure { what: what.into(), status, detail: detail.into() })["text"].as_str().unwrap().to_string()
        };
        let t = text("comment", 500, "Server Error");
        assert!(t.contains("HTTP 500: Server Error") && t.contains("GitHub had trouble") && !t.contains("pull-requests: write"), "{t}");
        for s in [403, 404] {
            let t = text("comment", s, "Resource not accessible by integration");
            assert!(t.contains("pull-requests: write") && t.contains("not affected"), "{t}");
        }
        assert!(text("lookup", 403, "x").contains("pull-requests: read"));
        assert!(text("comment", 403, "API rate limit exceeded").contains("rate limit"));
        assert!(text("comment", 0, "ECONNREFUSED").contains("did not answer"));
        assert!(text("comment", 422, "x").contains("refused the comment"));
        assert!(text("comment", 401, "Bad credentials").contains("`token` input"));
        // GitHub's text cannot inject a workflow command line
        assert!(!text("comment", 500, "a\n::error::x").contains('\n'));
    }

    #[test]
    fn events_name_the_pull_request_and_its_token() {
        let pr = |name: &str, fork: bool| {
            let owner = if fork { 2 } else { 1 };
            Request {
                inputs: Inputs { token: "t".into(), ..Default::default() },
                event_name: name.into(),
                event: json!({ "pull_request": { "number": 7, "head": { "repo": { "owner": { "id": owner } } }, "base": { "repo": { "owner": { "id": 1 } } } } }),
                env: serde_json::from_value(json!({ "GITHUB_REPOSITORY": "o/r" })).unwrap(),
                ..Default::default()
            }
        };
        let a = context(&pr("pull_request", true));
        assert_eq!((a["commentWanted"].clone(), a["forkNotice"].is_string()), (json!(false), true));
        // pull_request_target: the token can write, forks included
        let a = context(&pr("pull_request_target", true));
        assert_eq!((a["commentWanted"].clone(), a["forkNotice"].is_null()), (json!(true), true));
        // pr-number for events that name no pull request
        let mut r = pr("workflow_run", false);
        r.event = json!({ "workflow_run": {} });
        r.inputs.pr_number = "#12".into();
        let a = context(&r);
        assert_eq!(a["pullRequest"], json!({ "number": 12 }));
        assert_eq!(a["commentWanted"], true);
        r.inputs.pr_number = "twelve".into();
        assert!(context(&r)["error"].as_str().unwrap().contains("'pr-number'"));
        // an event file that could not be read is a warning
        r.inputs.pr_number = String::new();
        r.event = Value::Null;
        r.event_error = Some("ENOENT on /x/event.json".into());
        let w = context(&r)["warnings"][0].as_str().unwrap().to_string();
        assert!(w.contains("GITHUB_EVENT_PATH") && w.contains("ENOENT"), "{w}");
    }
}
