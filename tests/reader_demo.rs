//! A new input language plugs in through one `Reader` and one registration line. This test keeps a
//! small demonstration reader for Pulumi YAML (`Pulumi.yaml`, `Pulumi.<stack>.yaml`) that finds
//! `deploymentName: pid-…` on an `azure-native:resources:Deployment` resource, registers it next
//! to the built-in readers, and shows the rules judging its facts like any other language's:
//! the tracking ID is listed, a malformed one is an error at its exact line, and the built-in
//! readers still read their files.
//!
//! A real language added to the crate takes the same steps: a folder under `src/sources/` with
//! its reader, one line in `sources::READERS`, and its fixtures. Only a language whose facts need
//! a new `model::Kind` touches more, and the compiler names each place (no `match` on a kind has a
//! catch-all arm; the wire format included).

mod common;
use common::*;

use cua_check::check::engine;
use cua_check::model::{Content, Deployment, Form, Kind, Located, Resolved, Scope, SourceFile, Span};
use cua_check::options::settings::{Settings, Sources};
use cua_check::sources::{self, Input, ReadCx, Reader, Unit, READERS};
use cua_check::util::host::native::NativeHost;

struct PulumiYaml;

impl Reader for PulumiYaml {
    fn claims(&self, rel: &str, _lower: &str) -> Option<u8> {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        (name.starts_with("Pulumi.") && (name.ends_with(".yaml") || name.ends_with(".yml"))).then_some(0)
    }
    fn enabled(&self, sources: &Sources) -> bool {
        sources.code
    }
    fn unit(&self) -> Unit {
        Unit::File
    }
    fn read(&self, inputs: &[Input], cx: &mut ReadCx) -> Vec<SourceFile> {
        // one text file at a time: reading, decoding and the source lines are the shared step's
        sources::read_texts(inputs, cx, |rel, text, _loader| pulumi(rel, text))
    }
}

/// The facts of one Pulumi YAML file: each `deploymentName:` of an
/// `azure-native:resources:Deployment` resource is a deployment with its exact span.
fn pulumi(rel: &str, text: &str) -> SourceFile {
    let mut f = SourceFile::new(rel, Kind::Code);
    let mut offset = 0;
    let mut deployment_type = false;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let t = line.trim();
        if let Some(ty) = t.strip_prefix("type:") {
            deployment_type = ty.trim() == "azure-native:resources:Deployment";
        }
        if let (true, Some(v)) = (deployment_type, t.strip_prefix("deploymentName:")) {
            let name = v.trim().trim_matches(['"', '\'']);
            let start = offset + line.find(name).unwrap_or(0);
            let column = line[..line.find(name).unwrap_or(0)].chars().count() as u32 + 1;
            let span = Span { line: i as u32 + 1, column, end_line: i as u32 + 1, end_column: column + name.chars().count() as u32, start, end: start + name.len() };
            f.deployments.push(Deployment {
                form: Form::ArmResource,
                name_raw: name.to_string(),
                name: Resolved::Known(name.to_string()),
                name_span: span,
                resource_type: Some(Located { value: "Microsoft.Resources/deployments".into(), span }),
                nested: false,
                scope: Scope::ResourceGroup,
                mode: None,
                has_location: false,
                condition: None,
                content: Content::Empty,
                span,
            });
        }
        offset += line.len();
    }
    f
}

const GUID: &str = "3b9f2e55-0c1d-4f6a-9e2b-7d8c6a5b4f31";

fn run(t: &TempTree) -> serde_json::Value {
    let mut readers: Vec<&dyn Reader> = READERS.to_vec();
    readers.push(&PulumiYaml);
    let mut settings = Settings::new(t.path().to_str().unwrap());
    settings.registered.push((format!("pid-{GUID}"), "test".into()));
    let run = engine::run_with(&NativeHost, &settings, &readers).expect("run");
    serde_json::to_value(&run.report).unwrap()
}

#[test]
fn a_reader_registered_beside_the_built_in_ones_feeds_the_same_rules() {
    let t = TempTree::new("reader-demo");
    t.write(
        "pulumi/Pulumi.yaml",
        format!("name: offer\nruntime: yaml\nresources:\n  tracking:\n    type: azure-native:resources:Deployment\n    properties:\n      deploymentName: pid-{GUID}\n"),
    );
    t.write(
        "pulumi/Pulumi.dev.yaml",
        "resources:\n  tracking:\n    type: azure-native:resources:Deployment\n    properties:\n      deploymentName: pid-3b9f2e55-0c1d-4f6a-9e2b\n",
    );
    t.write("scripts/deploy.py", format!("client.add_user_agent(\"pid-{GUID}\")\n"));
    let r = run(&t);

    let file = |path: &str| r["files"].as_array().unwrap().iter().find(|f| f["path"] == path).cloned();
    let pulumi = file("pulumi/Pulumi.yaml").unwrap_or_else(|| panic!("the demo reader's file is reported: {r}"));
    assert_eq!(pulumi["tracking"][0]["id"], format!("pid-{GUID}"));
    assert_eq!(pulumi["tracking"][0]["line"], 7);
    assert_eq!(pulumi["tracking"][0]["registered"], true);

    let malformed: Vec<_> = r["findings"].as_array().unwrap().iter().filter(|x| x["path"] == "pulumi/Pulumi.dev.yaml").collect();
    assert!(
        malformed.iter().any(|x| x["rule"] == "CUA103" && x["severity"] == "error" && x["line"] == 5),
        "a malformed ID read by the demo reader is CUA103 at its line: {r}"
    );
    assert!(file("scripts/deploy.py").is_some(), "the built-in readers still read their files: {r}");
}

#[test]
fn without_the_registration_line_the_files_are_not_read() {
    let t = TempTree::new("reader-demo-off");
    t.write("Pulumi.yaml", format!("resources:\n  t:\n    type: azure-native:resources:Deployment\n    properties:\n      deploymentName: pid-{GUID}\n"));
    let settings = Settings::new(t.path().to_str().unwrap());
    let run = engine::run(&NativeHost, &settings).expect("run");
    assert!(run.report.files.iter().all(|f| f.path != "Pulumi.yaml"));
    assert_eq!(run.report.summary.files, 0);
}
