//! The GitHub Action's logic, as pure steps the Node shim calls in turn (the shim only performs
//! I/O): `context` validates inputs and reads the event, `check` runs the check and renders
//! everything the runner shows, `comment` picks our existing PR comment. In verify mode (a
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
    let path = if i.path.trim().is_empty() { "." } else { i.path.trim() };
    let workspace = env.get("GITHUB_WORKSPACE").and_then(Value::as_str).unwrap_or("");
    let mut settings = Settings::new(path);
    let prefix = {
        let p = path.trim_start_matches("./").trim_end_matches('/');
        let p = if !workspace.is_empty() && p.starts_with(workspace) { p[workspace.len()..].trim_start_matches('/') } else { p };
        if p == "." { String::new() } else { p.to_string() }
    };
    for id in registered_id_items(&i.registered_ids) {
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
    let or = |s: &str, d: &'static str| -> String { if s.trim().is_empty() { d.to_string() } else { s.trim().to_string() } };
    let mode = or(&i.mode, "standard");
    settings.mode = settings::parse_mode(&mode).ok_or_else(|| bad("mode", &mode))?;
    let fail_on = or(&i.fail_on, "error");
    settings.fail_on = FailOn::parse(&fail_on).ok_or_else(|| bad("fail-on", &fail_on))?;
    let comment = match or(&i.comment, "auto").to_ascii_lowercase().as_str() {
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
    let scope = or(&i.scope, "all");
    let changed_only = match scope.to_ascii_lowercase().as_str() {
        "all" => false,
        "changed" => true,
        _ => return Err(bad("scope", &scope)),
    };
    let sources = or(&i.sources, "arm,bicep,terraform,code");
    settings.sources = Sources::parse(&sources).map_err(|_| bad("sources", &sources))?;
    let size = or(&i.max_file_size, "32MiB");
    settings.max_file_size = settings::parse_size(&size).filter(|&n| n > 0).ok_or_else(|| bad("max-file-size", &size))?;
    let key = or(&i.comment_key, "default");
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
    })
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

fn context_of(req: &Request, v: &Valid, verify: bool) -> Value {
    let repo = env_str(&req.env, "GITHUB_REPOSITORY").and_then(|r| r.split_once('/')).map(|(o, n)| json!({"owner": o, "name": n}));
    let has_token = !req.inputs.token.trim().is_empty();
    let mut log = Vec::new();
    let mut fork_notice = Value::Null;
    let mut pull = Value::Null;
    let mut lookup = Value::Null;
    match pull_from_event(&req.event_name, &req.event) {
        Some((n, true)) => {
            pull = json!({ "number": n });
            if v.comment != CommentMode::Never {
                fork_notice = json!("This pull request comes from a fork, whose workflow token cannot write to the base repository, so cua-check posts no comment here (annotations and the job summary still show every finding). To get comments on fork pull requests, upload the report as an artifact and post it from a separate workflow triggered by `workflow_run`.");
            }
        }
        Some((n, false)) => pull = json!({ "number": n }),
        None if req.event_name == "push" => {
            let sha = req.event.get("after").and_then(Value::as_str).or_else(|| env_str(&req.env, "GITHUB_SHA"));
            if let Some(sha) = sha.filter(|s| s.chars().all(|c| c.is_ascii_hexdigit()) && !s.chars().all(|c| c == '0')) {
                if has_token && (v.comment != CommentMode::Never || (v.changed_only && !verify)) {
                    lookup = json!(sha);
                }
            }
        }
        None => {}
    }
    let fork = !fork_notice.is_null() || matches!(pull_from_event(&req.event_name, &req.event), Some((_, true)));
    let comment_wanted = v.comment != CommentMode::Never && has_token && !fork && repo.is_some();
    if !has_token && v.comment != CommentMode::Never {
        log.push("No token given: no pull-request comment.".to_string());
    }
    json!({
        "ok": true,
        "log": log,
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
    let mut log = Vec::new();
    if v.changed_only {
        let changed: Option<Vec<String>> = req.changed_files.clone().or_else(|| push_changed_files(&req.event));
        match changed {
            Some(list) => {
                let prefix = if v.prefix.is_empty() { String::new() } else { format!("{}/", v.prefix) };
                v.settings.only_paths = Some(list.iter().filter_map(|p| p.strip_prefix(prefix.as_str()).map(str::to_string)).collect());
                log.push(format!("scope: changed: reporting on the {} files this change touches", list.len()));
            }
            None => log.push("scope: changed: the changed files are not known for this event; reporting on all files".into()),
        }
    }
    v.settings.env_partner_id = host.env("ARM_PARTNER_ID").filter(|s| !s.trim().is_empty()).map(|_| "ARM_PARTNER_ID in the environment".into());
    v.settings.repository = env_str(&req.env, "GITHUB_REPOSITORY").map(str::to_string).filter(|r| r.contains('/'));
    v.settings.repo_prefix = v.prefix.clone();
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
    let temp = env_str(&req.env, "RUNNER_TEMP").unwrap_or(".");
    let report_file = crate::util::host::join(temp, "cua-check-report.json");
    let mut files = vec![json!({ "path": report_file, "content": report.to_json() })];
    if let Some(sarif) = &v.sarif_file {
        files.push(json!({ "path": sarif, "content": render::sarif::render(&report, &v.prefix, crate::frontends::cli::VERSION) }));
    }
    let mut summary = render::markdown::render(
        &report,
        &render::markdown::Options {
            prefix: &v.prefix,
            blob_base: blob_base.clone(),
            max_bytes: 1_000_000,
            snippets: false,
            full_report_hint: "the JSON report (output `report-file`) has them all",
            header: "",
        },
    );
    // The attribution map: which tracking ID covers which solutions (`cua-check map`).
    if !run.map.ids.is_empty() || !run.map.solutions_without_id.is_empty() {
        summary.push('\n');
        summary.push_str(&render::map::markdown(&run.map, &v.prefix, "###"));
    }
    log.extend(log_lines(&report, &v.prefix));
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
    let fork = matches!(pull_from_event(&req.event_name, &req.event), Some((_, true)));
    let comment = if v.comment == CommentMode::Never || fork {
        Value::Null
    } else {
        // A notice-only run has nothing the author must act on: it creates no new comment
        // (an existing one is still updated below).
        let something = report.findings.iter().any(|f| f.severity > crate::report::Severity::Notice);
        let create = match v.comment {
            CommentMode::Always => true,
            CommentMode::Auto => something,
            CommentMode::OnFailure => !s.passed,
            CommentMode::Never => false,
        };
        json!({
            "marker": render::comment::marker(&v.comment_key),
            "body": render::comment::body(&report, &v.comment_key, &v.prefix, blob_base, run_url.as_deref()),
            "create": create,
            "update": true,
        })
    };
    json!({
        "ok": true,
        "exitCode": if s.passed { 0 } else { 1 },
        "log": log,
        "annotations": render::annotations::build(&report, &v.prefix),
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
    let temp = env_str(&req.env, "RUNNER_TEMP").unwrap_or(".");
    let report_file = crate::util::host::join(temp, "cua-check-verify.json");
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
    let fork = matches!(pull_from_event(&req.event_name, &req.event), Some((_, true)));
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

/// Texts the shim fills in with an HTTP status and detail.
fn messages() -> Value {
    json!({
        "noAzureToken": "cua-check verify: no Azure access token: set the AZURE_ACCESS_TOKEN environment variable (e.g. from `az account get-access-token` after azure/login), or run on a runner with the Azure CLI logged in.",
        "commentFailed": "cua-check could not write its pull-request comment (HTTP {status}: {detail}). The check result is not affected. To get comments, give the job `permissions: pull-requests: write`.",
        "lookupFailed": "cua-check could not ask GitHub about this commit or pull request (HTTP {status}: {detail}); continuing without that information.",
    })
}

fn push_changed_files(event: &Value) -> Option<Vec<String>> {
    let commits = event.get("commits")?.as_array()?;
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
    Some(out)
}

/// The lines the action prints to the log (sanitised).
fn log_lines(report: &Report, prefix: &str) -> Vec<String> {
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
    out.push(format!("cua-check: {}; gate {}", render::counts(s), if s.passed { "passed" } else { "failed" }));
    out
}

#[derive(Deserialize)]
pub struct CommentRequest {
    pub comments: Vec<render::comment::ExistingComment>,
    pub viewer: String,
    pub marker: String,
}

/// Step 3: which existing comment is ours.
pub fn comment(req: &CommentRequest) -> Value {
    json!({ "id": render::comment::choose(&req.comments, &req.marker, &req.viewer) })
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
