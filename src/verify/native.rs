//! The native driver: performs the core's requests with ureq, through the proxy that
//! `HTTPS_PROXY` / `HTTP_PROXY` name unless `NO_PROXY` (or a loopback host) says not to — the
//! same rules as the Node shim's `shim/http.js` (after `@actions/http-client`).

use super::{parse, Step, HELP};
use crate::frontends::cli::Output;
use crate::util::host::Host;

pub fn run_native(args: &[String], host: &dyn Host) -> Output {
    let mut v = match parse(args, host) {
        Ok(Some(v)) => v,
        Ok(None) => return Output { code: 0, stdout: HELP.into(), stderr: String::new() },
        Err(e) => return Output { code: 2, stdout: String::new(), stderr: format!("error: {e}\n\nFor more information, try 'cua-check verify --help'.\n") },
    };
    let token = match token(host) {
        Ok(t) => t,
        Err(e) => return Output { code: 2, stdout: String::new(), stderr: format!("error: {e}\n") },
    };
    let hide = |s: String| if token.is_empty() { s } else { s.replace(&token, "***") };
    loop {
        match v.next() {
            Step::Done(r) => return Output { code: r.code, stdout: hide(r.stdout), stderr: hide(r.stderr) },
            Step::Sleep(ms) => std::thread::sleep(std::time::Duration::from_millis(ms)),
            Step::Request(req) => {
                let mut builder = ureq::AgentBuilder::new().timeout(std::time::Duration::from_secs(60)).redirects(0);
                if let Some((var, url)) = proxy_for(&req.url, host) {
                    match ureq::Proxy::new(&url) {
                        Ok(p) => builder = builder.proxy(p),
                        Err(_) => return Output { code: 2, stdout: String::new(), stderr: format!("error: {var} is not a valid proxy URL\n") },
                    }
                }
                let agent = builder.build();
                let mut rq = agent.request(&req.method, &req.url);
                for (k, val) in &req.headers {
                    rq = rq.set(k, val);
                }
                rq = rq.set("Authorization", &format!("Bearer {token}"));
                match rq.call() {
                    Ok(r) | Err(ureq::Error::Status(_, r)) => {
                        let status = r.status();
                        let headers = r.headers_names().into_iter().filter_map(|n| r.header(&n).map(|h| (n.clone(), h.to_string()))).collect();
                        // At most one byte more than the core reads: it says the answer is too large.
                        let mut bytes = Vec::new();
                        use std::io::Read;
                        match r.into_reader().take(super::MAX_BODY as u64 + 1).read_to_end(&mut bytes) {
                            Ok(_) => v.on_response(status, headers, String::from_utf8_lossy(&bytes).into_owned()),
                            Err(e) => v.on_response(0, Vec::new(), format!("the answer could not be read: {}", e.kind())),
                        }
                    }
                    // Only the kind of failure (no URL, no proxy credentials).
                    Err(ureq::Error::Transport(t)) => v.on_response(0, Vec::new(), t.kind().to_string()),
                }
            }
        }
    }
}

/// The proxy for `url`: `(variable, proxy URL)`, or None for a direct connection.
pub(super) fn proxy_for(url: &str, host: &dyn Host) -> Option<(&'static str, String)> {
    let env = |k: &str| host.env(k).filter(|v| !v.trim().is_empty());
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit_once('@').map(|(_, h)| h).unwrap_or(authority);
    let (hostname, port) = match authority.strip_prefix('[') {
        Some(v6) => {
            let (h, after) = v6.split_once(']')?;
            (format!("[{h}]"), after.strip_prefix(':').map(str::to_string))
        }
        None => match authority.rsplit_once(':') {
            Some((h, p)) => (h.to_string(), Some(p.to_string())),
            None => (authority.to_string(), None),
        },
    };
    let https = scheme.eq_ignore_ascii_case("https");
    let lower = hostname.to_ascii_lowercase();
    if lower == "localhost" || lower.starts_with("127.") || lower.starts_with("[::1]") || lower.starts_with("[0:0:0:0:0:0:0:1]") {
        return None;
    }
    let port = port.unwrap_or_else(|| if https { "443".into() } else { "80".into() });
    let upper = hostname.to_ascii_uppercase();
    let with_port = format!("{upper}:{port}");
    let no_proxy = env("no_proxy").or_else(|| env("NO_PROXY")).unwrap_or_default();
    for item in no_proxy.split(',').map(|x| x.trim().to_ascii_uppercase()).filter(|x| !x.is_empty()) {
        if item == "*"
            || [&upper, &with_port].iter().any(|h| **h == item || h.ends_with(&format!(".{item}")) || (item.starts_with('.') && h.ends_with(&item)))
        {
            return None;
        }
    }
    let pick = |a: &'static str, b: &'static str| env(a).map(|v| (a, v)).or_else(|| env(b).map(|v| (b, v)));
    let (var, value) = if https { pick("https_proxy", "HTTPS_PROXY") } else { pick("http_proxy", "HTTP_PROXY") }?;
    Some((var, value.trim().to_string()))
}

fn token(host: &dyn Host) -> Result<String, String> {
    if let Some(t) = host.env("AZURE_ACCESS_TOKEN").map(|t| t.trim().to_string()).filter(|t| !t.is_empty()) {
        return Ok(t);
    }
    let az = if cfg!(windows) { "az.cmd" } else { "az" };
    let out = std::process::Command::new(az)
        .args(["account", "get-access-token", "--query", "accessToken", "-o", "tsv"])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .map_err(|_| "no access token: set AZURE_ACCESS_TOKEN, or install the Azure CLI and run `az login`".to_string())?;
    let t = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if !out.status.success() || t.is_empty() {
        return Err("no access token: `az account get-access-token` failed; run `az login` or set AZURE_ACCESS_TOKEN".into());
    }
    Ok(t)
}
