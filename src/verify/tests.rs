use super::*;

fn opts() -> Opts {
    Opts {
        subscription: "sub1".into(),
        resource_group: Some("rg1".into()),
        tracking_id: Some("pid-7867e591-c1ee-4530-bed8-7387ab893a26".into()),
        endpoint: "http://127.0.0.1:1".into(),
        retry_base_ms: 1,
        ..Default::default()
    }
}

fn url(s: &Step) -> String {
    match s {
        Step::Request(r) => r.url.clone(),
        other => panic!("expected a request, got {other:?}"),
    }
}

const DEPS_P1: &str = r#"{"value":[{"id":"/x","name":"other","properties":{"correlationId":"c-2","provisioningState":"Succeeded"}},
  {"id":"/y","name":"PID-7867E591-C1EE-4530-BED8-7387AB893A26","properties":{"correlationId":"c-1"}}],
  "nextLink":"http://127.0.0.1:1/page2?token=abc"}"#;
const DEPS_P2: &str = r#"{"value":[{"id":"/z","name":"main","properties":{"correlationId":"c-1"}}]}"#;

#[test]
fn tracked_with_paging_and_correlation() {
    let mut v = Verifier::new(opts());
    let u = url(&v.next());
    assert!(u.contains("/subscriptions/sub1/resourcegroups/rg1/providers/Microsoft.Resources/deployments/?api-version=2021-04-01"), "{u}");
    v.on_response(200, vec![], DEPS_P1.into());
    assert_eq!(url(&v.next()), "http://127.0.0.1:1/page2?token=abc");
    v.on_response(200, vec![], DEPS_P2.into());
    let u = url(&v.next());
    assert!(u.contains("/deployments/PID-7867E591-C1EE-4530-BED8-7387AB893A26/operations?api-version="), "{u}");
    v.on_response(200, vec![], r#"{"value":[{"properties":{"targetResource":{"id":"/n","resourceType":"Microsoft.Resources/deployments","resourceName":"n"}}}],"nextLink":"http://127.0.0.1:1/ops2"}"#.into());
    assert_eq!(url(&v.next()), "http://127.0.0.1:1/ops2");
    v.on_response(429, vec![("Retry-After".into(), "1".into())], String::new());
    assert_eq!(v.next(), Step::Sleep(1000));
    assert_eq!(url(&v.next()), "http://127.0.0.1:1/ops2");
    v.on_response(200, vec![], r#"{"value":[]}"#.into());
    let u = url(&v.next());
    assert!(u.contains("/deployments/main/operations"), "{u}");
    v.on_response(200, vec![], r#"{"value":[{"properties":{"targetResource":{"id":"/s/sa","resourceType":"Microsoft.Storage/storageAccounts","resourceName":"sa"}}}]}"#.into());
    let Step::Done(r) = v.next() else { panic!() };
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.tracking_id.as_deref(), Some("pid-7867e591-c1ee-4530-bed8-7387ab893a26"));
    assert_eq!(r.resources.len(), 1);
    assert_eq!(r.resources[0].resource_name, "sa");
    assert!(!r.stdout.contains("other"));
}

#[test]
fn missing_and_errors() {
    let mut v = Verifier::new(opts());
    v.next();
    v.on_response(200, vec![], r#"{"value":[{"name":"main","properties":{"correlationId":"c"}}]}"#.into());
    let Step::Done(r) = v.next() else { panic!() };
    assert_eq!(r.code, 1);
    assert!(r.message.contains("no tracking deployment"));

    let mut v = Verifier::new(opts());
    v.next();
    v.on_response(403, vec![], r#"{"error":{"code":"AuthorizationFailed","message":"no"}}"#.into());
    let Step::Done(r) = v.next() else { panic!() };
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("Microsoft.Resources/deployments/read"), "{}", r.stderr);

    let mut v = Verifier::new(opts());
    for _ in 0..4 {
        v.next();
        v.on_response(503, vec![], String::new());
        assert!(matches!(v.next(), Step::Sleep(_)));
    }
    v.next();
    v.on_response(503, vec![], String::new());
    assert!(matches!(v.next(), Step::Done(VerifyReport { code: 2, .. })));
}

#[test]
fn state_round_trips_through_json() {
    let mut v = Verifier::new(opts());
    v.next();
    v.on_response(200, vec![], DEPS_P1.into());
    let s = serde_json::to_string(&v).unwrap();
    let mut w: Verifier = serde_json::from_str(&s).unwrap();
    assert_eq!(url(&w.next()), "http://127.0.0.1:1/page2?token=abc");
}

#[test]
fn unregistered_is_exit_1_and_endpoints() {
    let mut o = opts();
    o.registry = Some(vec![Registered { id: "pid-8d1a1e1b-1f2c-4d3e-9a4b-5c6d7e8f9a0b".into(), description: None }]);
    let mut v = Verifier::new(o);
    v.next();
    v.on_response(200, vec![], r#"{"value":[{"name":"pid-7867e591-c1ee-4530-bed8-7387ab893a26","properties":{"correlationId":"c"}}]}"#.into());
    v.next();
    v.on_response(200, vec![], r#"{"value":[]}"#.into());
    let Step::Done(r) = v.next() else { panic!() };
    assert_eq!((r.code, r.registered), (1, Some(false)));
    assert_eq!(endpoint("usgov").unwrap(), "https://management.usgovcloudapi.net");
    assert_eq!(endpoint("AzureChinaCloud").unwrap(), "https://management.chinacloudapi.cn");
    assert!(endpoint("mars").is_err());
}

fn done(v: &mut Verifier) -> VerifyReport {
    match v.next() {
        Step::Done(r) => r,
        other => panic!("expected done, got {other:?}"),
    }
}

fn by_name() -> Opts {
    Opts { tracking_id: None, deployment: Some("PID-7867E591-C1EE-4530-BED8-7387AB893A26".into()), ..opts() }
}

#[test]
fn deployment_name_uses_get_then_lists_its_correlation_group() {
    let mut v = Verifier::new(by_name());
    let u = url(&v.next());
    assert_eq!(
        u,
        "http://127.0.0.1:1/subscriptions/sub1/resourcegroups/rg1/providers/Microsoft.Resources/deployments/PID-7867E591-C1EE-4530-BED8-7387AB893A26?api-version=2021-04-01"
    );
    v.on_response(200, vec![], r#"{"id":"/x","name":"PID-7867E591-C1EE-4530-BED8-7387AB893A26","properties":{"correlationId":"c-1"}}"#.into());
    let u = url(&v.next());
    assert!(u.ends_with("/deployments/?api-version=2021-04-01"), "{u}");
    v.on_response(200, vec![], DEPS_P1.into());
    v.next();
    v.on_response(200, vec![], DEPS_P2.into());
    let mut seen = Vec::new();
    loop {
        match v.next() {
            Step::Request(r) => {
                seen.push(r.url.clone());
                v.on_response(200, vec![], r#"{"value":[{"properties":{"targetResource":{"id":"/s/a","resourceType":"T/x","resourceName":"a"}}}]}"#.into());
            }
            Step::Done(r) => {
                assert_eq!(r.code, 0, "{r:?}");
                assert_eq!(r.correlated, vec!["PID-7867E591-C1EE-4530-BED8-7387AB893A26".to_string(), "main".to_string()]);
                assert_eq!(r.resources.len(), 1, "deduplicated by id");
                break;
            }
            s => panic!("{s:?}"),
        }
    }
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert!(!seen.iter().any(|u| u.contains("/other/")), "{seen:?}");
}

#[test]
fn deployment_get_404_is_a_finding_naming_the_deployment_and_group() {
    let mut v = Verifier::new(by_name());
    v.next();
    v.on_response(404, vec![], r#"{"error":{"code":"DeploymentNotFound","message":"Deployment 'x' could not be found."}}"#.into());
    let r = done(&mut v);
    assert_eq!((r.code, r.found), (1, false));
    assert!(r.message.contains("deployment PID-7867E591-C1EE-4530-BED8-7387AB893A26 was not found in resource group rg1 (subscription sub1)"), "{}", r.message);

    // the group itself missing is a failure that says so
    let mut v = Verifier::new(by_name());
    v.next();
    v.on_response(404, vec![], r#"{"error":{"code":"ResourceGroupNotFound","message":"Resource group 'rg1' could not be found."}}"#.into());
    let r = done(&mut v);
    assert_eq!(r.code, 2);
    assert!(r.message.contains("resource group \"rg1\" was not found in subscription \"sub1\""), "{}", r.message);
}

#[test]
fn deployment_without_correlation_id_reads_only_its_own_operations() {
    let mut v = Verifier::new(by_name());
    v.next();
    v.on_response(200, vec![], r#"{"name":"PID-7867E591-C1EE-4530-BED8-7387AB893A26","properties":{}}"#.into());
    assert!(url(&v.next()).contains("/PID-7867E591-C1EE-4530-BED8-7387AB893A26/operations?"));
}

#[test]
fn subscription_scope_and_location_filter() {
    let o = Opts { resource_group: None, location: Some("West US 2".into()), ..opts() };
    let mut v = Verifier::new(o.clone());
    let u = url(&v.next());
    assert_eq!(u, "http://127.0.0.1:1/subscriptions/sub1/providers/Microsoft.Resources/deployments/?api-version=2021-04-01");
    v.on_response(
        200,
        vec![],
        r#"{"value":[{"name":"pid-7867e591-c1ee-4530-bed8-7387ab893a26","location":"eastus","properties":{"correlationId":"c-e"}},
                     {"name":"pid-7867e591-c1ee-4530-bed8-7387ab893a26-w","location":"westus2","properties":{"correlationId":"c-w"}}]}"#
            .into(),
    );
    let u = url(&v.next());
    assert!(u.contains("/subscriptions/sub1/providers/Microsoft.Resources/deployments/pid-7867e591-c1ee-4530-bed8-7387ab893a26-w/operations"), "{u}");

    // only in another location: not found, and the message says where it looked
    let mut v = Verifier::new(o.clone());
    v.next();
    v.on_response(200, vec![], r#"{"value":[{"name":"pid-7867e591-c1ee-4530-bed8-7387ab893a26","location":"eastus","properties":{"correlationId":"c"}}]}"#.into());
    let r = done(&mut v);
    assert_eq!(r.code, 1);
    assert!(r.message.contains("subscription sub1 (location West US 2) (0 deployments listed)"), "{}", r.message);

    // by name, stored elsewhere
    let mut v = Verifier::new(Opts { tracking_id: None, deployment: Some("pid-7867e591-c1ee-4530-bed8-7387ab893a26".into()), ..o });
    assert!(url(&v.next()).ends_with("/subscriptions/sub1/providers/Microsoft.Resources/deployments/pid-7867e591-c1ee-4530-bed8-7387ab893a26?api-version=2021-04-01"));
    v.on_response(200, vec![], r#"{"name":"pid-7867e591-c1ee-4530-bed8-7387ab893a26","location":"eastus","properties":{"correlationId":"c"}}"#.into());
    let r = done(&mut v);
    assert_eq!(r.code, 1);
    assert!(r.message.contains("is stored in location eastus, not West US 2"), "{}", r.message);
}

#[test]
fn next_link_to_another_host_is_not_followed() {
    let mut v = Verifier::new(opts());
    v.next();
    v.on_response(200, vec![], r#"{"value":[],"nextLink":"https://evil.example/steal?x=1"}"#.into());
    let r = done(&mut v);
    assert_eq!(r.code, 2);
    assert!(r.message.contains("https://evil.example"), "{}", r.message);
}

#[test]
fn text_output_is_log_safe_and_markdown_escapes_names() {
    let mut v = Verifier::new(opts());
    v.next();
    v.on_response(200, vec![], r#"{"value":[{"name":"pid-7867e591-c1ee-4530-bed8-7387ab893a26","properties":{"correlationId":"c"}}]}"#.into());
    v.next();
    v.on_response(
        200,
        vec![],
        r###"{"value":[{"properties":{"targetResource":{"id":"/s/x\n::error::pwned","resourceType":"T/x","resourceName":"@someone <img src=x> `|` ##[error]y"}}}]}"###.into(),
    );
    let r = done(&mut v);
    assert_eq!(r.code, 0);
    for line in r.stdout.lines() {
        assert!(!line.trim_start().starts_with("::"), "{line}");
        assert!(!line.contains("##["), "{line}");
    }
    let md = render_markdown(&r, &MarkdownOptions::default());
    // outside inline code spans nothing from ARM is rendered: no HTML, no mention
    let outside: String = md.split('`').step_by(2).collect();
    assert!(!outside.contains("<img") && !outside.contains("@someone"), "{md}");
    // every resource cell is one inline-code span: the table has 3 columns on each row
    let row = md.lines().find(|l| l.contains("someone")).unwrap();
    assert_eq!(row.matches(" | ").count(), 2, "{row}");
}

#[test]
fn help_and_usage_errors() {
    let host = EnvHost(vec![]);
    let a = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert!(parse(&a(&["--help"]), &host).unwrap().is_none());
    assert!(parse(&a(&["--subscription", "s", "--resource-group", "rg", "--location", "westus2"]), &host).unwrap_err().contains("--location"));
    assert!(parse(&a(&["--subscription", "s", "--deployment", "d", "--tracking-id", "pid-7867e591-c1ee-4530-bed8-7387ab893a26"]), &host).is_err());
}

/// Only an environment.
struct EnvHost(Vec<(&'static str, &'static str)>);

impl crate::util::host::Host for EnvHost {
    fn read_dir(&self, _: &str) -> Result<Vec<(String, crate::util::host::EntryKind)>, String> {
        Err("no files".into())
    }
    fn stat(&self, _: &str) -> Option<(crate::util::host::EntryKind, u64)> {
        None
    }
    fn realpath(&self, _: &str) -> Option<String> {
        None
    }
    fn read_file(&self, _: &str, _: u64) -> Result<Vec<u8>, String> {
        Err("no files".into())
    }
    fn write_file(&self, _: &str, _: &[u8]) -> Result<(), String> {
        Err("no files".into())
    }
    fn env(&self, name: &str) -> Option<String> {
        self.0.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
    }
    fn is_tty(&self) -> bool {
        false
    }
    fn random_bytes(&self) -> [u8; 16] {
        [0; 16]
    }
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn proxy_choice_follows_the_http_client_rules() {
    use super::native::proxy_for;
    let h = EnvHost(vec![("HTTPS_PROXY", "http://proxy:3128"), ("http_proxy", "http://p2:8080"), ("NO_PROXY", "internal.example,.corp, arm.test:8443")]);
    assert_eq!(proxy_for("https://management.azure.com/x?y", &h), Some(("HTTPS_PROXY", "http://proxy:3128".to_string())));
    assert_eq!(proxy_for("http://arm.test:81/x", &h), Some(("http_proxy", "http://p2:8080".to_string())));
    assert_eq!(proxy_for("https://arm.test:8443/x", &h), None, "host:port in NO_PROXY");
    assert_eq!(proxy_for("https://a.internal.example/x", &h), None, "subdomain of a NO_PROXY entry");
    assert_eq!(proxy_for("https://x.corp/x", &h), None, "leading-dot entry");
    assert_eq!(proxy_for("http://127.0.0.1:5/x", &h), None, "loopback is never proxied");
    assert_eq!(proxy_for("http://localhost:5/x", &h), None);
    assert_eq!(proxy_for("https://management.azure.com/", &EnvHost(vec![("NO_PROXY", "*"), ("HTTPS_PROXY", "http://p:1")])), None);
    assert_eq!(proxy_for("https://management.azure.com/", &EnvHost(vec![])), None);
}
