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
    o.registry = Some(vec!["pid-8d1a1e1b-1f2c-4d3e-9a4b-5c6d7e8f9a0b".into()]);
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
