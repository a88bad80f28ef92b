//! Fixture-driven tests: `tests/fixtures/code/`.

use super::*;
use crate::model::Part;

const GUID: &str = "a1b2c3d4-e5f6-4a5b-8c7d-9e0f1a2b3c4d";

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/code/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// (channel, raw, value, line, column) of each user agent found.
fn found(path: &str, fixture_name: &str) -> Vec<(String, String, Resolved, u32, u32)> {
    let text = fixture(fixture_name);
    let sf = scan(path, &text).expect("something found");
    assert_eq!(sf.kind, Kind::Code);
    for ua in &sf.user_agents {
        assert_eq!(&text[ua.span.start..ua.span.end], ua.raw);
        assert_eq!(
            ua.span,
            crate::model::span_of(&text, ua.span.start, ua.span.end)
        );
    }
    sf.user_agents
        .into_iter()
        .map(|u| (u.channel, u.raw, u.value, u.span.line, u.span.column))
        .collect()
}

fn known(s: &str) -> Resolved {
    Resolved::Known(s.to_string())
}

fn pid() -> String {
    format!("pid-{GUID}")
}

fn quoted(s: &str) -> String {
    format!("\"{s}\"")
}

fn partial(lit: &str, opaque: &str) -> Resolved {
    Resolved::Partial(vec![
        Part::Lit(lit.to_string()),
        Part::Opaque {
            text: opaque.to_string(),
            len: None,
        },
    ])
}

type Row = (String, String, Resolved, u32, u32);

fn row(channel: &str, raw: &str, value: Resolved, line: u32, column: u32) -> Row {
    (channel.to_string(), raw.to_string(), value, line, column)
}

#[test]
fn python() {
    let v = found("src/app.py", "app.py");
    assert_eq!(
        v,
        vec![
            row("add_user_agent", &quoted(&pid()), known(&pid()), 7, 49),
            row(
                "user_agent",
                "f\"pid-{GUID}\"",
                partial("pid-", "{GUID}"),
                8,
                67
            ),
            row(
                "user_agent",
                "'pid-a1b2c3d4e5f64a5b8c7d9e0f1a2b3c4d-partnercenter'",
                known("pid-a1b2c3d4e5f64a5b8c7d9e0f1a2b3c4d-partnercenter"),
                9,
                37
            ),
            // `user_agent="my-app/1.0"` (no ID), the commented-out line and the read of
            // ARM_PARTNER_ID are not recorded.
            row(
                "AZURE_HTTP_USER_AGENT",
                &quoted(&pid()),
                known(&pid()),
                12,
                39
            ),
        ]
    );
    let sf = scan("src/app.py", &fixture("app.py")).unwrap();
    assert_eq!(sf.suppressions.len(), 1);
    assert_eq!(sf.suppressions[0].rule, "CUA401");
    assert_eq!(sf.suppressions[0].reason.as_deref(), Some("legacy"));
    assert_eq!(sf.suppressions[0].span.line, 12);
}

#[test]
fn csharp() {
    assert_eq!(
        found("src/Program.cs", "Program.cs"),
        vec![
            row("ApplicationId", &quoted(&pid()), known(&pid()), 4, 37),
            row("WithUserAgent", &quoted(&pid()), known(&pid()), 5, 34),
            row(
                "ApplicationId",
                "$\"pid-{partnerGuid}\"",
                partial("pid-", "{partnerGuid}"),
                8,
                37
            ),
            row("ARM_PARTNER_ID", &quoted(GUID), known(GUID), 9, 54),
        ]
    );
}

#[test]
fn powershell() {
    assert_eq!(
        found("deploy.ps1", "deploy.ps1"),
        vec![
            row("AddUserAgent", &quoted(&pid()), known(&pid()), 1, 82),
            row(
                "AZURE_HTTP_USER_AGENT",
                "\"pid-$PartnerGuid\"",
                partial("pid-", "$PartnerGuid"),
                2,
                30
            ),
            row(
                "AZURE_HTTP_USER_AGENT",
                &format!("'{}'", pid()),
                known(&pid()),
                3,
                49
            ),
            row(
                "ARM_PARTNER_ID",
                "$PartnerId",
                Resolved::Unknown("`$PartnerId` is not known statically".into()),
                4,
                23
            ),
        ]
    );
}

#[test]
fn shell_and_curl() {
    let v = found("scripts/deploy.sh", "deploy.sh");
    assert_eq!(
        v,
        vec![
            row("AZURE_HTTP_USER_AGENT", &pid(), known(&pid()), 2, 30),
            row(
                "ARM_PARTNER_ID",
                "\"${PARTNER_ID}\"",
                Resolved::Unknown("`${PARTNER_ID}` is not known statically".into()),
                3,
                23
            ),
            row("curl -A", &quoted(&pid()), known(&pid()), 5, 13),
            row("curl -A", &format!("'{}'", pid()), known(&pid()), 6, 19),
            row("curl -A", "pid-${GUID}", partial("pid-", "${GUID}"), 9, 19),
        ]
    );
}

#[test]
fn javascript_typescript() {
    assert_eq!(
        found("src/client.ts", "client.ts"),
        vec![
            row("userAgentPrefix", &quoted(&pid()), known(&pid()), 4, 40),
            row(
                "userAgentPrefix",
                "`pid-${guid}`",
                partial("pid-", "${guid}"),
                6,
                71
            ),
        ]
    );
}

#[test]
fn go() {
    assert_eq!(
        found("main.go", "main.go"),
        vec![
            row("ApplicationID", &quoted(&pid()), known(&pid()), 6, 54),
            row("ARM_PARTNER_ID", &quoted(GUID), known(GUID), 10, 30),
        ]
    );
}

#[test]
fn java() {
    assert_eq!(
        found("src/main/java/App.java", "App.java"),
        vec![
            row("user_agent", &quoted(&pid()), known(&pid()), 5, 45),
            row("ApplicationId", &quoted(&pid()), known(&pid()), 7, 69),
            row(
                "userAgent",
                "\"pid-\" + PARTNER_GUID",
                partial("pid-", "PARTNER_GUID"),
                8,
                27
            ),
        ]
    );
}

#[test]
fn dockerfile() {
    assert_eq!(
        found("docker/Dockerfile", "Dockerfile"),
        vec![
            row("AZURE_HTTP_USER_AGENT", &pid(), known(&pid()), 2, 27),
            row("ARM_PARTNER_ID", GUID, known(GUID), 3, 20),
        ]
    );
}

#[test]
fn workflow_and_pipelines_yaml() {
    assert_eq!(
        found(".github/workflows/deploy.yml", "deploy.yml"),
        vec![
            row("AZURE_HTTP_USER_AGENT", &pid(), known(&pid()), 4, 26),
            row(
                "ARM_PARTNER_ID",
                "${{ secrets.PARTNER_ID }}",
                Resolved::Unknown("`${{ secrets.PARTNER_ID }}` is not known statically".into()),
                9,
                23
            ),
        ]
    );
    assert_eq!(
        found("azure-pipelines.yml", "azure-pipelines.yml"),
        vec![
            row("ARM_PARTNER_ID", &format!("'{GUID}'"), known(GUID), 2, 19),
            row(
                "AZURE_HTTP_USER_AGENT",
                "pid-$(partnerGuid)",
                partial("pid-", "$(partnerGuid)"),
                3,
                26
            ),
        ]
    );
}

#[test]
fn env_file() {
    assert_eq!(
        found("config/prod.env", "prod.env"),
        vec![
            row("ARM_PARTNER_ID", GUID, known(GUID), 2, 16),
            row(
                "AZURE_HTTP_USER_AGENT",
                &quoted(&pid()),
                known(&pid()),
                3,
                23
            ),
        ]
    );
}

#[test]
fn user_agents_without_an_id_are_not_recorded() {
    let texts = [
        ("a.py", "client = Client(user_agent=\"my-app/1.0\")\nadd_user_agent(\"x\")\n"),
        ("a.sh", "export AZURE_HTTP_USER_AGENT=my-tool\ncurl -A 'curl/8' https://x\n"),
        ("a.ts", "const o = { userAgentOptions: { userAgentPrefix: \"tool/1\" } };\n"),
        ("a.go", "x := policy.TelemetryOptions{ApplicationID: \"tool\"}\n"),
        ("a.cs", "o.Diagnostics.ApplicationId = \"pid\";\n"),
        ("a.py", "import os\nprint('hello')\n"),
        ("a.sh", "echo $ARM_PARTNER_ID\nif [ \"$ARM_PARTNER_ID\" == x ]; then :; fi\necho ${ARM_PARTNER_ID:-none}\n"),
    ];
    for (p, t) in texts {
        assert!(scan(p, t).is_none(), "{p}: {t}");
    }
}

#[test]
fn guid_detection() {
    assert!(value::id_like("PID-x"));
    assert!(value::id_like("A1B2C3D4-E5F6-4A5B-8C7D-9E0F1A2B3C4D"));
    assert!(value::id_like("ua/a1b2c3d4e5f64a5b8c7d9e0f1a2b3c4d"));
    assert!(!value::id_like("xa1b2c3d4e5f64a5b8c7d9e0f1a2b3c4d"));
    assert!(!value::id_like("a1b2c3d4e5f64a5b8c7d9e0f1a2b3c4"));
    assert!(!value::id_like("a1b2c3d4-e5f6-4a5b-8c7d-9e0f1a2b3c4d5"));
    assert!(!value::id_like("my-app/1.0"));
}

#[test]
fn candidates() {
    for p in [
        "a.py",
        "b/c.cs",
        "x.ps1",
        "x.psm1",
        "x.sh",
        "x.bash",
        "x.zsh",
        "x.js",
        "x.mjs",
        "x.cjs",
        "x.ts",
        "x.mts",
        "x.cts",
        "x.go",
        "x.java",
        "x.kt",
        "Dockerfile",
        "docker/dockerfile",
        "Dockerfile.prod",
        "api.dockerfile",
        ".env",
        "config/prod.env",
        ".github/workflows/ci.yml",
        ".github/workflows/ci.yaml",
        "azure-pipelines.yml",
        "ci/azure-pipelines-release.yaml",
        "X.PY",
    ] {
        assert!(is_candidate(p), "{p}");
    }
    for p in [
        "a.txt",
        "main.tf",
        "x.json",
        "ci.yml",
        "docs/.github/workflows/x.md",
        "x.envrc",
        "pipelines/build.yml",
        "dockerfiles.txt",
        "",
    ] {
        assert!(!is_candidate(p), "{p}");
    }
}

#[test]
fn large_minified_file_is_fast_and_found() {
    let mut js = String::with_capacity(5_300_000);
    while js.len() < 5_000_000 {
        js.push_str("var a=function(b){return b.userAgent&&b.userAgentPrefix?b:{x:1,y:\"user\"}};");
    }
    js.push_str(&format!(
        "var o={{userAgentOptions:{{userAgentPrefix:\"pid-{GUID}\"}}}};"
    ));
    let t = std::time::Instant::now();
    let sf = scan("dist/app.min.js", &js).unwrap();
    assert_eq!(sf.user_agents.len(), 1);
    assert_eq!(sf.user_agents[0].span.line, 1);
    assert_eq!(
        &js[sf.user_agents[0].span.start..sf.user_agents[0].span.end],
        quoted(&pid())
    );
    // Generous: debug builds are slow; this catches quadratic behaviour.
    assert!(t.elapsed().as_secs() < 20, "{:?}", t.elapsed());

    let plain = "x".repeat(5_000_000);
    assert!(scan("big.js", &plain).is_none());
}

#[test]
fn hostile_inputs_do_not_panic() {
    let mut junk = String::new();
    for i in 0..20_000u32 {
        junk.push(char::from_u32(i * 7 % 0x10FFFF).unwrap_or('\u{FFFD}'));
        if i % 97 == 0 {
            junk.push_str("user_agent=\"pid-\\");
        }
        if i % 89 == 0 {
            junk.push_str("curl -H '");
        }
        if i % 83 == 0 {
            junk.push_str("ARM_PARTNER_ID=$(");
        }
    }
    for p in [
        "a.py",
        "a.sh",
        "a.ps1",
        "a.cs",
        "Dockerfile",
        ".env",
        "azure-pipelines.yml",
        "a.ts",
    ] {
        let _ = scan(p, &junk);
        let _ = scan(p, "ARM_PARTNER_ID=");
        let _ = scan(p, "curl -A");
        let _ = scan(p, "curl -H \"User-Agent:");
        let _ = scan(p, "user_agent=f\"{{{{");
        let _ = scan(p, "AZURE_HTTP_USER_AGENT=\"${{ a\"é");
        let _ = scan(p, "add_user_agent(\"é\\é\")");
        let _ = scan(p, &format!("user_agent=\"pid-{}\"", "$(".repeat(3000)));
        let _ = scan(p, &format!("ARM_PARTNER_ID={}", "${".repeat(3000)));
    }
}
