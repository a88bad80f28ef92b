//! `cua-check verify`: proves through the ARM REST API that a deployment was tracked.
//! A sans-IO state machine: [`Verifier::next`] says what to do (an HTTP request, a sleep, or
//! done), [`Verifier::on_response`] feeds the answer back. Drivers (the native one in
//! `native.rs`, the Node shim's in `shim/verify.js`) only perform HTTP and add the bearer token,
//! which never enters the core.
//!
//! The requests, all `GET` with api-version 2021-04-01, at resource-group scope
//! (`/subscriptions/{s}/resourcegroups/{rg}/providers/Microsoft.Resources/deployments`) or, without
//! a resource group, at subscription scope (`/subscriptions/{s}/providers/…`):
//! 1. with a deployment name: Deployments – Get (`…/deployments/{name}`); a 404 is a finding;
//! 2. Deployments – List (`…/deployments/`), following `nextLink`: finds the tracking deployment
//!    by tracking ID when no name was given, and the deployments sharing its correlation ID;
//! 3. Deployment Operations – List (`…/deployments/{name}/operations`) for each of those: the
//!    target resources, deployments themselves excluded.
//!
//! 429, 5xx and no answer are retried (honouring `Retry-After`); 401, 403 and 404 become messages
//! that say which permission or name is wrong.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::util::host::Host;

#[cfg(not(target_arch = "wasm32"))]
mod native;
pub mod render;

#[cfg(not(target_arch = "wasm32"))]
pub use native::run_native;
pub use render::{render_json, render_markdown, render_text, MarkdownOptions};

pub const API_VERSION: &str = "2021-04-01";
const MAX_RETRIES: u32 = 4;
/// Pages read in one run (every `nextLink` followed counts): a server that pages forever is
/// stopped.
pub const MAX_PAGES: u32 = 1000;
/// Longest response body read. The drivers read at most one byte more and hand it over; the
/// core says that it was too large.
pub const MAX_BODY: usize = 32 << 20;

pub const HELP: &str = "Prove through the Azure Resource Manager API that a deployment was tracked

Usage: cua-check verify --subscription ID [--resource-group NAME] [--deployment NAME | --tracking-id pid-...]

Options:
      --subscription <ID>      Subscription ID
      --resource-group <NAME>  Resource group (without it: subscription-scope deployments)
      --deployment <NAME>      The tracking deployment's name (read with Deployments - Get)
      --tracking-id <ID>       Find the deployment named pid-<GUID>... (case-insensitive)
      --location <LOC>         Subscription scope only: consider only deployments stored in this
                               location (e.g. westus2)
      --arm-endpoint <URL>     URL or cloud name (public, usgov, china) [default: public]
      --format <FORMAT>        text or json [default: text]
      --registered <ID>        A registered tracking ID (repeatable)
      --registry <FILE>        A registry file of registered IDs
  -h, --help                   Print help

The token comes from AZURE_ACCESS_TOKEN, else from `az account get-access-token`.
HTTPS_PROXY / HTTP_PROXY / NO_PROXY (or lower case) are honoured.
Exit codes: 0 tracked, 1 not found/not tracked/unregistered, 2 usage or HTTP/auth failure.
";

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct HttpRequest {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub enum Step {
    Request(HttpRequest),
    Sleep(u64),
    Done(VerifyReport),
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Resource {
    pub id: String,
    #[serde(rename = "resourceType")]
    pub resource_type: String,
    #[serde(rename = "resourceName")]
    pub resource_name: String,
    pub deployment: String,
}

/// The result. Strings read from ARM are kept as they are here; every renderer escapes them.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct VerifyReport {
    /// 0 tracked (and registered, with a registry), 1 not found / not tracked, 2 failure.
    pub code: i32,
    pub found: bool,
    #[serde(rename = "trackingId")]
    pub tracking_id: Option<String>,
    /// The tracking deployment's name.
    pub deployment: Option<String>,
    #[serde(rename = "correlationId")]
    pub correlation_id: Option<String>,
    /// Null when no registry was given.
    pub registered: Option<bool>,
    /// The registry's description of the tracking ID, when it has one.
    pub registration: Option<String>,
    pub resources: Vec<Resource>,
    /// The deployments sharing the correlation ID, whose operations were read.
    #[serde(rename = "correlatedDeployments")]
    pub correlated: Vec<String>,
    pub subscription: String,
    #[serde(rename = "resourceGroup")]
    pub resource_group: Option<String>,
    pub location: Option<String>,
    /// What was looked for: the deployment name, the tracking ID, or `pid-<GUID>`.
    pub wanted: String,
    pub message: String,
    pub stdout: String,
    pub stderr: String,
}

/// A registered ID (normalised `pid-<guid>`) and its description.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Registered {
    pub id: String,
    pub description: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Opts {
    pub subscription: String,
    pub resource_group: Option<String>,
    pub deployment: Option<String>,
    pub tracking_id: Option<String>,
    /// Subscription scope only: only deployments stored in this location count.
    pub location: Option<String>,
    pub endpoint: String,
    pub json: bool,
    /// None when no registry was given.
    pub registry: Option<Vec<Registered>>,
    pub retry_base_ms: u64,
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq)]
enum Phase {
    GetDeployment,
    ListDeployments,
    Operations,
    Finished,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
struct Dep {
    name: String,
    corr: String,
    location: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Verifier {
    opts: Opts,
    phase: Phase,
    url: Option<String>,
    attempt: u32,
    pending_sleep: Option<u64>,
    /// Every deployment listed.
    deployments: Vec<Dep>,
    queue: Vec<String>,
    current: Option<String>,
    tracking: Option<Dep>,
    /// Why the tracking deployment was not found, when Deployments – Get said so.
    not_found: Option<String>,
    correlated: Vec<String>,
    resources: Vec<Resource>,
    done: Option<VerifyReport>,
    /// Pages followed through `nextLink`, and every page URL read (a link back to one is a loop).
    #[serde(default)]
    pages: u32,
    #[serde(default)]
    seen: std::collections::BTreeSet<String>,
}

pub fn endpoint(s: &str) -> Result<String, String> {
    use crate::options::table::{self, Front};
    let url = match s.trim().to_ascii_lowercase().as_str() {
        "" | "public" | "azurecloud" => "https://management.azure.com".to_string(),
        "usgov" | "azureusgovernment" => "https://management.usgovcloudapi.net".to_string(),
        "china" | "azurechinacloud" => "https://management.chinacloudapi.cn".to_string(),
        l if l.starts_with("http://") || l.starts_with("https://") => s.trim().trim_end_matches('/').to_string(),
        _ => return Err(table::get(Front::Cli, "--arm-endpoint").bad(Front::Cli, s)),
    };
    Ok(url)
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-_.~()".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

/// `scheme://host:port` of a URL, lower-cased, for comparing origins.
fn origin(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    format!("{}://{}", scheme.to_ascii_lowercase(), host.to_ascii_lowercase())
}

/// Azure location names compare without case and spaces (`West US 2` is `westus2`).
fn same_location(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect::<String>();
    norm(a) == norm(b)
}

/// The registered IDs of a registry, or None when no registry was given.
pub fn registry_entries(reg: &crate::partner_ids::Registry) -> Option<Vec<Registered>> {
    reg.checked.then(|| reg.entries.iter().map(|e| Registered { id: e.id.id.clone(), description: e.description.clone() }).collect())
}

/// The backoff base for retries without `Retry-After` (test knob `CUA_CHECK_RETRY_BASE_MS`).
pub fn retry_base_ms(host: &dyn Host) -> u64 {
    host.env("CUA_CHECK_RETRY_BASE_MS").and_then(|v| v.trim().parse().ok()).unwrap_or(1000)
}

/// Parse `verify` arguments (after the command). `Ok(None)`: help was asked for.
pub fn parse(args: &[String], host: &dyn Host) -> Result<Option<Verifier>, String> {
    use crate::options::table::{self, Front};
    let mut o = Opts { endpoint: endpoint("")?, ..Default::default() };
    let mut reg = crate::partner_ids::Registry::default();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = table::split_flag(arg);
        let mut val = || table::flag_value(flag, inline, &mut it).map(str::to_string);
        match flag {
            "-h" | "--help" => return Ok(None),
            "--subscription" => o.subscription = val()?,
            "--resource-group" => o.resource_group = Some(val()?).filter(|s| !s.trim().is_empty()),
            "--deployment" => o.deployment = Some(val()?).filter(|s| !s.trim().is_empty()),
            "--tracking-id" => {
                let v = val()?;
                let id = crate::tracking::parse_registered(&v).ok_or_else(|| table::get(Front::Cli, "--tracking-id").bad(Front::Cli, &v))?;
                o.tracking_id = Some(id.id);
            }
            "--location" => o.location = Some(val()?).filter(|s| !s.trim().is_empty()),
            "--arm-endpoint" => o.endpoint = endpoint(&val()?)?,
            "--format" => {
                o.json = match val()?.as_str() {
                    "text" => false,
                    "json" => true,
                    v => return Err(table::bad_value(Front::Cli, "--format", v, "text, json")),
                }
            }
            "--registered" => {
                let v = val()?;
                crate::partner_ids::item_id(&v).map_err(|id| table::get(Front::Cli, "--registered").bad(Front::Cli, id))?;
                reg.add_str(&v, "--registered")?
            }
            "--registry" => {
                let p = val()?;
                let bytes = host.read_file(&p, 1 << 20).map_err(|e| format!("--registry {p}: {e}"))?;
                reg.add_file(&p, &String::from_utf8_lossy(&bytes))?;
            }
            f => {
                let mut known: Vec<&str> = table::OPTIONS.iter().filter(|o| o.mode != table::Mode::Check).filter_map(|o| o.flag).collect();
                known.extend(["--format", "--help"]);
                return Err(table::unknown(Front::Cli, f, &known, ""));
            }
        }
    }
    if o.subscription.trim().is_empty() {
        return Err("--subscription is required".into());
    }
    if o.deployment.is_some() && o.tracking_id.is_some() {
        return Err("give either --deployment or --tracking-id, not both".into());
    }
    if o.location.is_some() && o.resource_group.is_some() {
        return Err("--location applies to subscription-scope deployments only (leave out --resource-group, or --location)".into());
    }
    o.registry = registry_entries(&reg);
    o.retry_base_ms = retry_base_ms(host);
    Ok(Some(Verifier::new(o)))
}

/// The tracking ID a deployment name carries: `pid-<GUID>`, `pid-<GUID>-partnercenter`, or
/// `pid-<GUID>` followed by a free suffix (e.g. a uniqueString).
fn tracking_id_of(name: &str) -> Option<String> {
    crate::tracking::parse_registered(name).map(|t| t.id).or_else(|| {
        let l = name.to_ascii_lowercase();
        (l.len() >= 40 && l.starts_with("pid-") && l.is_char_boundary(40) && crate::tracking::is_guid(&l[4..40])).then(|| l[..40].to_string())
    })
}

impl Verifier {
    pub fn new(opts: Opts) -> Verifier {
        let mut v = Verifier {
            opts,
            phase: Phase::ListDeployments,
            url: None,
            attempt: 0,
            pending_sleep: None,
            deployments: Vec::new(),
            queue: Vec::new(),
            current: None,
            tracking: None,
            not_found: None,
            correlated: Vec::new(),
            resources: Vec::new(),
            done: None,
            pages: 0,
            seen: Default::default(),
        };
        match v.opts.deployment.clone() {
            Some(name) => {
                v.phase = Phase::GetDeployment;
                v.url = Some(format!("{}/{}?api-version={API_VERSION}", v.base(), enc(&name)));
            }
            None => v.url = Some(v.list_url()),
        }
        v
    }

    fn base(&self) -> String {
        let o = &self.opts;
        let mut s = format!("{}/subscriptions/{}", o.endpoint, enc(&o.subscription));
        if let Some(rg) = &o.resource_group {
            s.push_str(&format!("/resourcegroups/{}", enc(rg)));
        }
        s.push_str("/providers/Microsoft.Resources/deployments");
        s
    }

    fn list_url(&self) -> String {
        format!("{}/?api-version={API_VERSION}", self.base())
    }

    /// `resource group rg1 (subscription …)`, `subscription … (location westus2)`.
    fn where_(&self) -> String {
        let o = &self.opts;
        match &o.resource_group {
            Some(rg) => format!("resource group {rg} (subscription {})", o.subscription),
            None => format!("subscription {}{}", o.subscription, o.location.as_ref().map(|l| format!(" (location {l})")).unwrap_or_default()),
        }
    }

    pub fn next(&mut self) -> Step {
        if let Some(d) = &self.done {
            return Step::Done(d.clone());
        }
        if let Some(ms) = self.pending_sleep.take() {
            return Step::Sleep(ms);
        }
        match &self.url {
            Some(u) => Step::Request(HttpRequest {
                method: "GET".into(),
                url: u.clone(),
                headers: vec![("Accept".into(), "application/json".into()), ("User-Agent".into(), format!("cua-check/{}", crate::frontends::cli::VERSION))],
            }),
            None => {
                self.finish();
                self.next()
            }
        }
    }

    fn base_report(&self) -> VerifyReport {
        let o = &self.opts;
        VerifyReport {
            subscription: o.subscription.clone(),
            resource_group: o.resource_group.clone(),
            location: o.location.clone(),
            wanted: o.deployment.clone().or_else(|| o.tracking_id.clone()).unwrap_or_else(|| "pid-<GUID>".into()),
            ..Default::default()
        }
    }

    fn fail(&mut self, msg: String) {
        self.phase = Phase::Finished;
        self.url = None;
        self.done = Some(VerifyReport { code: 2, message: msg.clone(), stderr: format!("error: {msg}\n"), ..self.base_report() });
    }

    pub fn on_response(&mut self, status: u16, headers: Vec<(String, String)>, body: String) {
        if self.done.is_some() {
            return;
        }
        if body.len() > MAX_BODY {
            return self.fail(format!(
                "Azure Resource Manager answered with more than {} MiB (HTTP {status}); the answer was not read",
                MAX_BODY >> 20
            ));
        }
        if status == 429 || status >= 500 || status == 0 {
            if self.attempt < MAX_RETRIES {
                let ra = headers
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case("retry-after"))
                    .and_then(|(_, v)| v.trim().parse::<u64>().ok());
                let ms = match ra {
                    Some(s) => s.min(120) * 1000,
                    None => self.opts.retry_base_ms.saturating_mul(1 << self.attempt),
                };
                self.attempt += 1;
                self.pending_sleep = Some(ms);
                return;
            }
            let what = if status == 0 { "no answer".to_string() } else { format!("HTTP {status}") };
            return self.fail(format!("Azure Resource Manager kept failing ({what}) after {MAX_RETRIES} retries: {}", error_detail(&body)));
        }
        self.attempt = 0;
        let scope = match &self.opts.resource_group {
            Some(rg) => format!("resource group {rg:?} in subscription {:?}", self.opts.subscription),
            None => format!("subscription {:?}", self.opts.subscription),
        };
        match status {
            401 => return self.fail(format!("HTTP 401: the access token is expired or invalid ({}); run `az login` or refresh AZURE_ACCESS_TOKEN", error_detail(&body))),
            403 => return self.fail(format!("HTTP 403: the identity may not read deployments of {scope}; it needs `Microsoft.Resources/deployments/read` and `Microsoft.Resources/deployments/operations/read` (e.g. the Reader role) there ({})", error_detail(&body))),
            404 => return self.on_404(&body, &scope),
            200..=299 => {}
            s => return self.fail(format!("HTTP {s} from Azure Resource Manager: {}", error_detail(&body))),
        }
        let v: Value = match serde_json::from_str(&body) {
            Ok(v) => v,
            Err(e) => return self.fail(format!("Azure Resource Manager answered with invalid JSON: {e}")),
        };
        match self.phase {
            Phase::GetDeployment => self.on_deployment(dep_of(&v)),
            Phase::ListDeployments => {
                let Ok(next) = self.next_link(&v) else { return };
                for d in v.get("value").and_then(Value::as_array).into_iter().flatten() {
                    self.deployments.push(dep_of(d));
                }
                self.url = next;
                if self.url.is_none() {
                    self.after_list();
                }
            }
            Phase::Operations => {
                let Ok(next) = self.next_link(&v) else { return };
                let dep = self.current.clone().unwrap_or_default();
                for op in v.get("value").and_then(Value::as_array).into_iter().flatten() {
                    let Some(t) = op.pointer("/properties/targetResource") else { continue };
                    let s = |k: &str| t.get(k).and_then(Value::as_str).unwrap_or("").to_string();
                    let r = Resource { id: s("id"), resource_type: s("resourceType"), resource_name: s("resourceName"), deployment: dep.clone() };
                    if r.resource_type.eq_ignore_ascii_case(crate::model::DEPLOYMENTS) || r.id.is_empty() {
                        continue;
                    }
                    if !self.resources.iter().any(|x| x.id.eq_ignore_ascii_case(&r.id)) {
                        self.resources.push(r);
                    }
                }
                self.url = next;
                if self.url.is_none() {
                    self.next_operations();
                }
            }
            Phase::Finished => {}
        }
    }

    /// `nextLink`, when there is one. The drivers send the token with every request, so a link
    /// to another host than the endpoint is not followed.
    fn next_link(&mut self, v: &Value) -> Result<Option<String>, ()> {
        let next = v.get("nextLink").and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string);
        if let Some(n) = &next {
            if origin(n) != origin(&self.opts.endpoint) {
                self.fail(format!(
                    "Azure Resource Manager answered with a nextLink to another host ({}); it is not followed with the access token",
                    crate::render::log_safe(crate::render::cut(&origin(n), 200))
                ));
                return Err(());
            }
            if let Some(u) = &self.url {
                self.seen.insert(u.clone());
            }
            if self.seen.contains(n) {
                self.fail(format!(
                    "Azure Resource Manager answered with a nextLink to a page already read ({}); stopped, as following it would never end",
                    crate::render::log_safe(crate::render::cut(n, 200))
                ));
                return Err(());
            }
            self.pages += 1;
            if self.pages > MAX_PAGES {
                self.fail(format!("Azure Resource Manager answered with more than {MAX_PAGES} pages; stopped"));
                return Err(());
            }
        }
        Ok(next)
    }

    fn on_404(&mut self, body: &str, scope: &str) {
        let code = error_code(body).to_ascii_lowercase();
        let o = &self.opts;
        match code.as_str() {
            "resourcegroupnotfound" => {
                let rg = o.resource_group.clone().unwrap_or_default();
                self.fail(format!(
                    "HTTP 404: resource group {rg:?} was not found in subscription {:?}: check the resource group name and the subscription ID ({})",
                    o.subscription,
                    error_detail(body)
                ))
            }
            "subscriptionnotfound" | "invalidsubscriptionid" => self.fail(format!(
                "HTTP 404: subscription {:?} was not found: check the subscription ID, and that the identity has access to it ({})",
                o.subscription,
                error_detail(body)
            )),
            _ if self.phase == Phase::GetDeployment => {
                let name = o.deployment.clone().unwrap_or_default();
                self.not_found = Some(format!("deployment {name} was not found in {}", self.where_()));
                self.phase = Phase::Finished;
                self.url = None;
            }
            _ => self.fail(format!("HTTP 404: not found: check the subscription, resource group and deployment names ({scope}; {})", error_detail(body))),
        }
    }

    /// Only at subscription scope with `--location`: is the deployment stored there?
    fn location_ok(&self, d: &Dep) -> bool {
        match (&self.opts.location, &self.opts.resource_group) {
            (Some(want), None) => d.location.as_deref().is_some_and(|l| same_location(l, want)),
            _ => true,
        }
    }

    /// After Deployments – Get.
    fn on_deployment(&mut self, d: Dep) {
        if !self.location_ok(&d) {
            let o = &self.opts;
            self.not_found = Some(format!(
                "deployment {} in subscription {} is stored in location {}, not {}",
                d.name,
                o.subscription,
                d.location.as_deref().unwrap_or("(none)"),
                o.location.as_deref().unwrap_or("")
            ));
            self.phase = Phase::Finished;
            self.url = None;
            return;
        }
        self.tracking = Some(d.clone());
        if d.corr.is_empty() {
            self.queue_operations(vec![d.name]);
        } else {
            self.phase = Phase::ListDeployments;
            self.url = Some(self.list_url());
        }
    }

    fn after_list(&mut self) {
        if self.tracking.is_none() {
            let found = self.deployments.iter().filter(|d| self.location_ok(d)).find(|d| match (&self.opts.deployment, &self.opts.tracking_id) {
                (Some(name), _) => d.name.eq_ignore_ascii_case(name),
                (None, Some(t)) => d.name.to_ascii_lowercase().starts_with(t.as_str()),
                (None, None) => tracking_id_of(&d.name).is_some(),
            });
            match found.cloned() {
                Some(d) => self.tracking = Some(d),
                None => {
                    self.phase = Phase::Finished;
                    self.url = None;
                    return;
                }
            }
        }
        let t = self.tracking.clone().unwrap_or_default();
        let mut names: Vec<String> = Vec::new();
        for d in &self.deployments {
            if !t.corr.is_empty() && d.corr.eq_ignore_ascii_case(&t.corr) && !names.iter().any(|n| n.eq_ignore_ascii_case(&d.name)) {
                names.push(d.name.clone());
            }
        }
        if !names.iter().any(|n| n.eq_ignore_ascii_case(&t.name)) {
            names.insert(0, t.name.clone());
        }
        self.queue_operations(names);
    }

    fn queue_operations(&mut self, names: Vec<String>) {
        self.correlated = names.clone();
        self.queue = names.into_iter().rev().collect();
        self.phase = Phase::Operations;
        self.next_operations();
    }

    fn next_operations(&mut self) {
        match self.queue.pop() {
            Some(n) => {
                self.url = Some(format!("{}/{}/operations?api-version={API_VERSION}", self.base(), enc(&n)));
                self.current = Some(n);
            }
            None => {
                self.url = None;
                self.phase = Phase::Finished;
            }
        }
    }

    fn finish(&mut self) {
        let where_ = self.where_();
        let o = &self.opts;
        let mut r = VerifyReport { resources: self.resources.clone(), correlated: self.correlated.clone(), ..self.base_report() };
        match &self.tracking {
            None => {
                r.code = 1;
                r.message = match &self.not_found {
                    Some(why) => format!("{why}: usage is not attributed"),
                    None => {
                        let listed = self.deployments.iter().filter(|d| self.location_ok(d)).count();
                        format!(
                            "no tracking deployment matching {} in {where_} ({} listed): usage is not attributed",
                            r.wanted,
                            crate::render::plural(listed, "deployment")
                        )
                    }
                };
            }
            Some(t) => {
                let name = &t.name;
                r.found = true;
                r.deployment = Some(name.clone());
                r.correlation_id = Some(t.corr.clone()).filter(|c| !c.is_empty());
                let tid = tracking_id_of(name);
                r.tracking_id = tid.clone();
                let entry = o.registry.as_ref().map(|ids| {
                    tid.as_ref().and_then(|t| {
                        ids.iter().find(|i| i.id == *t || i.id.trim_end_matches("-partnercenter") == t.trim_end_matches("-partnercenter"))
                    })
                });
                r.registered = entry.map(|e| e.is_some());
                r.registration = entry.flatten().and_then(|e| e.description.clone());
                match (&tid, r.registered) {
                    (None, _) => {
                        r.code = 1;
                        r.message = format!("deployment {name} found in {where_}, but its name carries no tracking ID");
                    }
                    (Some(t), Some(false)) => {
                        r.code = 1;
                        r.message = format!("tracking deployment {name} found in {where_}, but {t} is not registered");
                    }
                    (Some(t), reg) => {
                        r.code = 0;
                        r.message = format!(
                            "tracking deployment {name} found in {where_}: {t} attributes {}{}",
                            crate::render::plural(r.resources.len(), "resource"),
                            if reg.is_none() { " (registration not checked)" } else { " (registered)" }
                        );
                    }
                }
            }
        }
        r.stdout = if o.json { render_json(&r) } else { render_text(&r) };
        self.phase = Phase::Finished;
        self.done = Some(r);
    }
}

fn dep_of(v: &Value) -> Dep {
    Dep {
        name: v.get("name").and_then(Value::as_str).unwrap_or("").to_string(),
        corr: v.pointer("/properties/correlationId").and_then(Value::as_str).unwrap_or("").to_string(),
        location: v.get("location").and_then(Value::as_str).map(str::to_string),
    }
}

fn error_code(body: &str) -> String {
    let v: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    v.get("error").unwrap_or(&v).get("code").and_then(Value::as_str).unwrap_or("").to_string()
}

fn error_detail(body: &str) -> String {
    let v: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    let e = v.get("error").unwrap_or(&v);
    let code = e.get("code").and_then(Value::as_str).unwrap_or("");
    let msg = e.get("message").and_then(Value::as_str).unwrap_or("");
    let s = match (code.is_empty(), msg.is_empty()) {
        (true, true) => crate::render::cut(body.trim(), 200).to_string(),
        (false, true) => code.to_string(),
        (true, false) => msg.to_string(),
        _ => format!("{code}: {msg}"),
    };
    crate::render::log_safe(crate::render::cut(&s, 400))
}

#[cfg(test)]
mod tests;

/// The wasm boundary's form: `{state, request}`, `{state, sleepMs}` or `{done: {code, stdout, stderr, markdown, report, ...}}`.
pub fn drive(mut v: Verifier) -> Value {
    match v.next() {
        Step::Request(r) => json!({ "state": serde_json::to_string(&v).unwrap_or_default(), "request": r }),
        Step::Sleep(ms) => json!({ "state": serde_json::to_string(&v).unwrap_or_default(), "sleepMs": ms }),
        Step::Done(r) => done_json(&r),
    }
}

fn done_json(r: &VerifyReport) -> Value {
    json!({ "done": {
        "code": r.code, "stdout": r.stdout, "stderr": r.stderr,
        "markdown": render_markdown(r, &MarkdownOptions::default()),
        "found": r.found, "trackingId": r.tracking_id, "message": r.message,
        "result": if r.code == 0 { "passed" } else { "failed" },
        "tracked": if r.code == 0 { "1" } else { "0" },
        "report": r,
    }})
}

/// Start from argv (after `verify`).
pub fn start_json(args: &[String], host: &dyn Host) -> String {
    match parse(args, host) {
        Ok(Some(v)) => drive(v).to_string(),
        Ok(None) => json!({ "done": { "code": 0, "stdout": HELP, "stderr": "" } }).to_string(),
        Err(e) => json!({ "done": { "code": 2, "stdout": "", "stderr": format!("error: {e}\n\nFor more information, try 'cua-check verify --help'.\n") } }).to_string(),
    }
}

/// Feed a response (`{status, headers: [[k, v]], body}`, or null after a sleep) and get the next step.
pub fn step_json(state: &str, response: Option<&str>) -> String {
    let mut v: Verifier = match serde_json::from_str(state) {
        Ok(v) => v,
        Err(e) => return json!({ "done": { "code": 2, "stdout": "", "stderr": format!("cua-check: internal error: bad verify state: {e}\n") } }).to_string(),
    };
    if let Some(resp) = response {
        #[derive(Deserialize)]
        struct Resp {
            status: u16,
            #[serde(default)]
            headers: Vec<(String, String)>,
            #[serde(default)]
            body: String,
        }
        match serde_json::from_str::<Resp>(resp) {
            Ok(r) => v.on_response(r.status, r.headers, r.body),
            Err(e) => return json!({ "done": { "code": 2, "stdout": "", "stderr": format!("cua-check: internal error: bad response from the shim: {e}\n") } }).to_string(),
        }
    }
    drive(v).to_string()
}
