//! `cua-check verify`: proves through the ARM REST API that a deployment was tracked.
//! A sans-IO state machine: [`Verifier::next`] says what to do (an HTTP request, a sleep, or
//! done), [`Verifier::on_response`] feeds the answer back. Drivers add the bearer token.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::host::Host;

pub const API_VERSION: &str = "2021-04-01";
const MAX_RETRIES: u32 = 4;

pub const HELP: &str = "Prove through the Azure Resource Manager API that a deployment was tracked

Usage: cua-check verify --subscription ID [--resource-group NAME] [--deployment NAME | --tracking-id pid-...]

Options:
      --subscription <ID>      Subscription ID
      --resource-group <NAME>  Resource group (without it: subscription-scope deployments)
      --deployment <NAME>      The tracking deployment's name
      --tracking-id <ID>       Find the deployment named pid-<GUID>... (case-insensitive)
      --location <LOC>         Location of a subscription deployment (informational)
      --arm-endpoint <URL>     URL or cloud name (public, usgov, china) [default: public]
      --format <FORMAT>        text or json [default: text]
      --registered <ID>        A registered tracking ID (repeatable)
      --registry <FILE>        A registry file of registered IDs
  -h, --help                   Print help

The token comes from AZURE_ACCESS_TOKEN, else from `az account get-access-token`.
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
pub struct Resource {
    pub id: String,
    #[serde(rename = "resourceType")]
    pub resource_type: String,
    #[serde(rename = "resourceName")]
    pub resource_name: String,
    pub deployment: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct VerifyReport {
    pub code: i32,
    pub found: bool,
    #[serde(rename = "trackingId")]
    pub tracking_id: Option<String>,
    pub deployment: Option<String>,
    #[serde(rename = "correlationId")]
    pub correlation_id: Option<String>,
    /// Null when no registry was given.
    pub registered: Option<bool>,
    pub resources: Vec<Resource>,
    pub message: String,
    pub stdout: String,
    pub stderr: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Opts {
    pub subscription: String,
    pub resource_group: Option<String>,
    pub deployment: Option<String>,
    pub tracking_id: Option<String>,
    pub location: Option<String>,
    pub endpoint: String,
    pub json: bool,
    /// Normalised registered IDs (`pid-<guid>`); None when no registry was given.
    pub registry: Option<Vec<String>>,
    pub retry_base_ms: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
enum Phase {
    ListDeployments,
    Operations,
    Finished,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Verifier {
    opts: Opts,
    phase: Phase,
    url: Option<String>,
    attempt: u32,
    pending_sleep: Option<u64>,
    /// (name, correlationId) of every deployment listed.
    deployments: Vec<(String, String)>,
    queue: Vec<String>,
    current: Option<String>,
    tracking: Option<(String, String)>,
    resources: Vec<Resource>,
    done: Option<VerifyReport>,
}

pub fn endpoint(s: &str) -> Result<String, String> {
    let url = match s.to_ascii_lowercase().as_str() {
        "" | "public" | "azurecloud" => "https://management.azure.com".to_string(),
        "usgov" | "azureusgovernment" => "https://management.usgovcloudapi.net".to_string(),
        "china" | "azurechinacloud" => "https://management.chinacloudapi.cn".to_string(),
        _ if s.starts_with("http://") || s.starts_with("https://") => s.trim_end_matches('/').to_string(),
        _ => return Err(format!("invalid value {s:?} for --arm-endpoint (expected an http(s):// URL or public, usgov, china)")),
    };
    Ok(url)
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-_.~()".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

/// Parse `verify` arguments (after the command). `Ok(None)`: help was asked for.
pub fn parse(args: &[String], host: &dyn Host) -> Result<Option<Verifier>, String> {
    let mut o = Opts { endpoint: endpoint("")?, ..Default::default() };
    let mut reg = crate::registry::Registry::default();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut val = || inline.clone().or_else(|| it.next().cloned()).ok_or_else(|| format!("{flag} needs a value"));
        match flag {
            "-h" | "--help" => return Ok(None),
            "--subscription" => o.subscription = val()?,
            "--resource-group" => o.resource_group = Some(val()?),
            "--deployment" => o.deployment = Some(val()?),
            "--tracking-id" => {
                let v = val()?;
                let id = crate::tracking::parse_registered(&v).ok_or_else(|| format!("--tracking-id: {v:?} is not a tracking ID (expected pid-<GUID>)"))?;
                o.tracking_id = Some(id.id);
            }
            "--location" => o.location = Some(val()?),
            "--arm-endpoint" => o.endpoint = endpoint(&val()?)?,
            "--format" => {
                o.json = match val()?.as_str() {
                    "text" => false,
                    "json" => true,
                    v => return Err(format!("invalid value {v:?} for --format (expected text or json)")),
                }
            }
            "--registered" => reg.add_str(&val()?, "--registered")?,
            "--registry" => {
                let p = val()?;
                let bytes = host.read_file(&p, 1 << 20).map_err(|e| format!("--registry {p}: {e}"))?;
                reg.add_file(&p, &String::from_utf8_lossy(&bytes))?;
            }
            f => return Err(format!("unexpected argument {f:?}")),
        }
    }
    if o.subscription.trim().is_empty() {
        return Err("--subscription is required".into());
    }
    if o.deployment.is_some() && o.tracking_id.is_some() {
        return Err("give either --deployment or --tracking-id, not both".into());
    }
    if reg.checked {
        o.registry = Some(reg.entries.iter().map(|e| e.id.id.clone()).collect());
    }
    o.retry_base_ms = host.env("CUA_CHECK_RETRY_BASE_MS").and_then(|v| v.trim().parse().ok()).unwrap_or(1000);
    Ok(Some(Verifier::new(o)))
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
            resources: Vec::new(),
            done: None,
        };
        v.url = Some(format!("{}/?api-version={API_VERSION}", v.base()));
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
                headers: vec![("Accept".into(), "application/json".into()), ("User-Agent".into(), format!("cua-check/{}", crate::cli::VERSION))],
            }),
            None => {
                self.finish();
                self.next()
            }
        }
    }

    fn fail(&mut self, msg: String) {
        self.phase = Phase::Finished;
        self.done = Some(VerifyReport { code: 2, message: msg.clone(), stderr: format!("error: {msg}\n"), ..Default::default() });
    }

    pub fn on_response(&mut self, status: u16, headers: Vec<(String, String)>, body: String) {
        if self.done.is_some() {
            return;
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
            404 => return self.fail(format!("HTTP 404: not found: check the subscription, resource group and deployment names ({scope}; {})", error_detail(&body))),
            200..=299 => {}
            s => return self.fail(format!("HTTP {s} from Azure Resource Manager: {}", error_detail(&body))),
        }
        let v: Value = match serde_json::from_str(&body) {
            Ok(v) => v,
            Err(e) => return self.fail(format!("Azure Resource Manager answered with invalid JSON: {e}")),
        };
        let next = v.get("nextLink").and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string);
        let items = v.get("value").and_then(Value::as_array).cloned().unwrap_or_default();
        match self.phase {
            Phase::ListDeployments => {
                for d in &items {
                    let name = d.get("name").and_then(Value::as_str).unwrap_or("").to_string();
                    let corr = d.pointer("/properties/correlationId").and_then(Value::as_str).unwrap_or("").to_string();
                    self.deployments.push((name, corr));
                }
                self.url = next;
                if self.url.is_none() {
                    self.after_list();
                }
            }
            Phase::Operations => {
                let dep = self.current.clone().unwrap_or_default();
                for op in &items {
                    let Some(t) = op.pointer("/properties/targetResource") else { continue };
                    let r = Resource {
                        id: t.get("id").and_then(Value::as_str).unwrap_or("").to_string(),
                        resource_type: t.get("resourceType").and_then(Value::as_str).unwrap_or("").to_string(),
                        resource_name: t.get("resourceName").and_then(Value::as_str).unwrap_or("").to_string(),
                        deployment: dep.clone(),
                    };
                    if r.resource_type.eq_ignore_ascii_case("Microsoft.Resources/deployments") || r.id.is_empty() {
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

    fn after_list(&mut self) {
        let found = self.deployments.iter().find(|(n, _)| match (&self.opts.deployment, &self.opts.tracking_id) {
            (Some(d), _) => n.eq_ignore_ascii_case(d),
            (None, Some(t)) => n.to_ascii_lowercase().starts_with(t.as_str()),
            (None, None) => n.to_ascii_lowercase().starts_with("pid-") && crate::tracking::parse_registered(n).is_some(),
        });
        let Some(found) = found.cloned() else {
            self.phase = Phase::Finished;
            return;
        };
        self.tracking = Some(found.clone());
        let mut names: Vec<String> = self
            .deployments
            .iter()
            .filter(|(_, c)| !found.1.is_empty() && c.eq_ignore_ascii_case(&found.1))
            .map(|(n, _)| n.clone())
            .collect();
        if names.is_empty() {
            names.push(found.0.clone());
        }
        names.reverse();
        self.queue = names;
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
        let o = &self.opts;
        let wanted = o.deployment.clone().or_else(|| o.tracking_id.clone()).unwrap_or_else(|| "pid-<GUID>".into());
        let where_ = match &o.resource_group {
            Some(rg) => format!("resource group {rg}"),
            None => format!("subscription {}{}", o.subscription, o.location.as_ref().map(|l| format!(" (location {l})")).unwrap_or_default()),
        };
        let mut r = VerifyReport { resources: self.resources.clone(), ..Default::default() };
        match &self.tracking {
            None => {
                r.code = 1;
                r.message = format!("no tracking deployment matching {wanted} in {where_} ({} deployments listed): usage is not attributed", self.deployments.len());
            }
            Some((name, corr)) => {
                r.found = true;
                r.deployment = Some(name.clone());
                r.correlation_id = Some(corr.clone()).filter(|c| !c.is_empty());
                let tid = crate::tracking::parse_registered(name).map(|t| t.id).or_else(|| {
                    let l = name.to_ascii_lowercase();
                    (l.len() >= 40 && l.starts_with("pid-") && crate::tracking::is_guid(&l[4..40])).then(|| l[..40].to_string())
                });
                r.tracking_id = tid.clone();
                r.registered = o.registry.as_ref().map(|ids| {
                    tid.as_ref().is_some_and(|t| ids.iter().any(|i| i == t || i.trim_end_matches("-partnercenter") == t.trim_end_matches("-partnercenter")))
                });
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
                            "tracking deployment {name} found in {where_}: {t} attributes {} resource{}{}",
                            r.resources.len(),
                            if r.resources.len() == 1 { "" } else { "s" },
                            if reg.is_none() { " (registration not checked)" } else { " (registered)" }
                        );
                    }
                }
            }
        }
        if o.json {
            r.stdout = render_json(&r);
        } else {
            r.stdout = render_text(&r);
        }
        self.phase = Phase::Finished;
        self.done = Some(r);
    }
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

pub fn render_json(r: &VerifyReport) -> String {
    let v = json!({
        "version": 1,
        "found": r.found,
        "trackingId": r.tracking_id,
        "deployment": r.deployment,
        "correlationId": r.correlation_id,
        "registered": r.registered,
        "passed": r.code == 0,
        "message": r.message,
        "resources": r.resources,
    });
    let mut s = serde_json::to_string_pretty(&v).expect("serialises");
    s.push('\n');
    s
}

pub fn render_text(r: &VerifyReport) -> String {
    let mut s = format!("{} {}\n", if r.code == 0 { "✓" } else { "✗" }, r.message);
    if let Some(c) = &r.correlation_id {
        s.push_str(&format!("  correlation ID: {c}\n"));
    }
    for x in &r.resources {
        s.push_str(&format!("  {} {} ({})\n", x.resource_type, x.resource_name, x.id));
    }
    s
}

pub fn render_markdown(r: &VerifyReport) -> String {
    use crate::render::{md_code, md_text};
    let mut s = format!("### cua-check verify: {}\n\n{}\n", if r.code == 0 { "tracked" } else { "not tracked" }, md_text(&r.message));
    if !r.resources.is_empty() {
        s.push_str("\n| type | name | id |\n|---|---|---|\n");
        for x in &r.resources {
            s.push_str(&format!("| {} | {} | {} |\n", md_code(&x.resource_type), md_code(&x.resource_name), md_code(&x.id)));
        }
    }
    s
}

/// The native driver: performs the requests with ureq.
#[cfg(not(target_arch = "wasm32"))]
pub fn run_native(args: &[String], host: &dyn Host) -> crate::cli::Output {
    use crate::cli::Output;
    let mut v = match parse(args, host) {
        Ok(Some(v)) => v,
        Ok(None) => return Output { code: 0, stdout: HELP.into(), stderr: String::new() },
        Err(e) => return Output { code: 2, stdout: String::new(), stderr: format!("error: {e}\n\nFor more information, try 'cua-check verify --help'.\n") },
    };
    let token = match token(host) {
        Ok(t) => t,
        Err(e) => return Output { code: 2, stdout: String::new(), stderr: format!("error: {e}\n") },
    };
    let agent = ureq::AgentBuilder::new().timeout(std::time::Duration::from_secs(60)).build();
    loop {
        match v.next() {
            Step::Done(r) => {
                let stderr = if r.code == 2 { r.stderr.replace(&token, "***") } else { r.stderr };
                return Output { code: r.code, stdout: r.stdout.replace(&token, "***"), stderr };
            }
            Step::Sleep(ms) => std::thread::sleep(std::time::Duration::from_millis(ms)),
            Step::Request(req) => {
                let mut rq = agent.request(&req.method, &req.url);
                for (k, val) in &req.headers {
                    rq = rq.set(k, val);
                }
                rq = rq.set("Authorization", &format!("Bearer {token}"));
                let resp = match rq.call() {
                    Ok(r) => Some(r),
                    Err(ureq::Error::Status(_, r)) => Some(r),
                    Err(_) => None,
                };
                match resp {
                    Some(r) => {
                        let status = r.status();
                        let headers = r.headers_names().into_iter().filter_map(|n| r.header(&n).map(|h| (n.clone(), h.to_string()))).collect();
                        let body = r.into_string().unwrap_or_default();
                        v.on_response(status, headers, body);
                    }
                    None => v.on_response(0, Vec::new(), String::new()),
                }
            }
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn token(host: &dyn Host) -> Result<String, String> {
    if let Some(t) = host.env("AZURE_ACCESS_TOKEN").map(|t| t.trim().to_string()).filter(|t| !t.is_empty()) {
        return Ok(t);
    }
    let out = std::process::Command::new("az")
        .args(["account", "get-access-token", "--query", "accessToken", "-o", "tsv"])
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|_| "no access token: set AZURE_ACCESS_TOKEN, or install the Azure CLI and run `az login`".to_string())?;
    let t = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if !out.status.success() || t.is_empty() {
        return Err("no access token: `az account get-access-token` failed; run `az login` or set AZURE_ACCESS_TOKEN".into());
    }
    Ok(t)
}

#[cfg(test)]
mod tests;

/// The wasm boundary's form: `{state, request}`, `{state, sleepMs}` or `{done: {code, stdout, stderr, markdown, ...}}`.
fn drive(mut v: Verifier) -> String {
    let out = match v.next() {
        Step::Request(r) => json!({ "state": serde_json::to_string(&v).unwrap_or_default(), "request": r }),
        Step::Sleep(ms) => json!({ "state": serde_json::to_string(&v).unwrap_or_default(), "sleepMs": ms }),
        Step::Done(r) => done_json(&r),
    };
    out.to_string()
}

fn done_json(r: &VerifyReport) -> Value {
    json!({ "done": {
        "code": r.code, "stdout": r.stdout, "stderr": r.stderr, "markdown": render_markdown(r),
        "found": r.found, "trackingId": r.tracking_id, "message": r.message,
        "result": if r.code == 0 { "passed" } else { "failed" },
        "tracked": if r.code == 0 { "1" } else { "0" },
    }})
}

/// Start from argv (after `verify`).
pub fn start_json(args: &[String], host: &dyn Host) -> String {
    match parse(args, host) {
        Ok(Some(v)) => drive(v),
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
    drive(v)
}
