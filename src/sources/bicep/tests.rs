use std::collections::HashMap;

use super::*;
use crate::model::Part;

/// Files of the fixture tree, by root-relative path.
struct MapLoader(HashMap<String, String>);

impl Loader for MapLoader {
    fn load(&self, path: &str) -> Option<String> {
        self.0.get(path).cloned()
    }
}

const FIXTURES: &[(&str, &str)] = &[
    (
        "resource_tracking.bicep",
        include_str!("../../../tests/fixtures/bicep/resource_tracking.bicep"),
    ),
    (
        "module_var.bicep",
        include_str!("../../../tests/fixtures/bicep/module_var.bicep"),
    ),
    (
        "modules/empty.bicep",
        include_str!("../../../tests/fixtures/bicep/modules/empty.bicep"),
    ),
    (
        "modules/app.bicep",
        include_str!("../../../tests/fixtures/bicep/modules/app.bicep"),
    ),
    (
        "json_name.bicep",
        include_str!("../../../tests/fixtures/bicep/json_name.bicep"),
    ),
    (
        "cua.json",
        include_str!("../../../tests/fixtures/bicep/cua.json"),
    ),
    (
        "empty-template.json",
        include_str!("../../../tests/fixtures/bicep/empty-template.json"),
    ),
    (
        "partial_names.bicep",
        include_str!("../../../tests/fixtures/bicep/partial_names.bicep"),
    ),
    (
        "subscription.bicep",
        include_str!("../../../tests/fixtures/bicep/subscription.bicep"),
    ),
    (
        "conditional.bicep",
        include_str!("../../../tests/fixtures/bicep/conditional.bicep"),
    ),
    (
        "avm.bicep",
        include_str!("../../../tests/fixtures/bicep/avm.bicep"),
    ),
    (
        "autoscale.bicep",
        include_str!("../../../tests/fixtures/bicep/autoscale.bicep"),
    ),
    (
        "nested.bicep",
        include_str!("../../../tests/fixtures/bicep/nested.bicep"),
    ),
    (
        "syntax_mix.bicep",
        include_str!("../../../tests/fixtures/bicep/syntax_mix.bicep"),
    ),
    (
        "malformed.bicep",
        include_str!("../../../tests/fixtures/bicep/malformed.bicep"),
    ),
    (
        "unterminated.bicep",
        include_str!("../../../tests/fixtures/bicep/unterminated.bicep"),
    ),
    (
        "cycles.bicep",
        include_str!("../../../tests/fixtures/bicep/cycles.bicep"),
    ),
    (
        "suppressions.bicep",
        include_str!("../../../tests/fixtures/bicep/suppressions.bicep"),
    ),
];

fn loader() -> MapLoader {
    MapLoader(
        FIXTURES
            .iter()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect(),
    )
}

fn fixture(name: &str) -> SourceFile {
    let (_, text) = FIXTURES.iter().find(|(p, _)| *p == name).expect("fixture");
    read(name, text, &loader())
}

fn inline(text: &str) -> SourceFile {
    read("main.bicep", text, &MapLoader(HashMap::new()))
}

fn dep<'s>(sf: &'s SourceFile, raw: &str) -> &'s Deployment {
    sf.deployments
        .iter()
        .find(|d| d.name_raw == raw)
        .unwrap_or_else(|| panic!("no deployment named {raw}: {:#?}", sf.deployments))
}

fn known(s: &str) -> Resolved {
    Resolved::Known(s.to_string())
}

fn opaque(text: &str, len: Option<usize>) -> Part {
    Part::Opaque {
        text: text.to_string(),
        len,
    }
}

fn lit(s: &str) -> Part {
    Part::Lit(s.to_string())
}

#[test]
fn resource_tracking_deployment() {
    let sf = fixture("resource_tracking.bicep");
    assert!(sf.errors.is_empty(), "{:?}", sf.errors);
    assert_eq!(sf.kind, Kind::Bicep);
    assert_eq!(sf.role, Role::Template);
    assert_eq!(sf.scope, Some(Scope::ResourceGroup));
    // The storage account is neither a deployment nor named pid-.
    assert_eq!(sf.deployments.len(), 1);
    let d = &sf.deployments[0];
    assert_eq!(d.form, Form::BicepResource);
    assert_eq!(d.name_raw, "partnerId");
    assert_eq!(d.name, known("pid-11111111-2222-3333-4444-555555555555"));
    assert_eq!(
        d.mode.as_ref().map(|m| &m.value),
        Some(&known("Incremental"))
    );
    assert_eq!(d.content, Content::Empty);
    assert!(!d.has_location);
    assert!(!d.nested);
    assert_eq!(d.condition, None);
    let rt = d.resource_type.as_ref().unwrap();
    assert_eq!(rt.value, "Microsoft.Resources/deployments");
    let text = FIXTURES[0].1;
    // Exact positions: `name: partnerId` is on line 6, the value at column 9.
    let at = text.find("name: partnerId").unwrap() + "name: ".len();
    assert_eq!(
        d.name_span,
        crate::model::span_of(text, at, at + "partnerId".len())
    );
    assert_eq!(
        (d.name_span.line, d.name_span.column, d.name_span.end_column),
        (6, 9, 18)
    );
    let ty = text
        .find("'Microsoft.Resources/deployments@2021-04-01'")
        .unwrap();
    assert_eq!(rt.span, crate::model::span_of(text, ty, ty + 44));
    assert_eq!((rt.span.line, rt.span.column), (5, 26));
    let kw = text.find("resource partnerTracking").unwrap();
    assert_eq!(d.span, crate::model::span_of(text, kw, ty + 44));
    let mode_at = text.find("'Incremental'").unwrap();
    assert_eq!(
        d.mode.as_ref().unwrap().span,
        crate::model::span_of(text, mode_at, mode_at + 13)
    );
    // Anchor: the first declaration (after the decorator).
    let p = text.find("param partnerId").unwrap();
    assert_eq!(
        sf.anchor,
        crate::model::span_of(text, p, p + "param partnerId".len())
    );
}

#[test]
fn module_with_var_name_and_references() {
    let sf = fixture("module_var.bicep");
    assert!(sf.errors.is_empty(), "{:?}", sf.errors);
    assert_eq!(sf.deployments.len(), 3);
    let cua = dep(&sf, "'pid-${cuaId}'");
    assert_eq!(cua.form, Form::BicepModule);
    assert_eq!(cua.name, known("pid-11111111-2222-3333-4444-555555555555"));
    assert_eq!(cua.resource_type, None);
    assert_eq!(cua.mode, None);
    assert_eq!(cua.content, Content::Empty);
    let app = dep(&sf, "'app-${uniqueString(resourceGroup().id)}'");
    assert_eq!(
        app.name,
        Resolved::Partial(vec![
            lit("app-"),
            opaque("uniqueString(resourceGroup().id)", Some(13))
        ])
    );
    let text = FIXTURES[1].1;
    let path_at = text.find("'modules/app.bicep'").unwrap();
    assert_eq!(
        app.content,
        Content::Linked(crate::model::span_of(text, path_at, path_at + 19))
    );
    let avm = dep(&sf, "'storage'");
    assert_eq!(avm.content, Content::Unknown);
    let targets: Vec<&str> = sf.references.iter().map(|r| r.target.as_str()).collect();
    assert_eq!(targets, ["modules/empty.bicep", "modules/app.bicep"]);
    assert!(sf.references.iter().all(|r| r.kind == crate::model::LinkKind::Path && !r.nested));
    assert_eq!(
        sf.references[1].span,
        crate::model::span_of(text, path_at, path_at + 19)
    );
}

#[test]
fn module_paths_are_normalised() {
    let files: HashMap<String, String> = [(
        "shared/m.bicep".to_string(),
        "output x int = 1\n".to_string(),
    )]
    .into();
    let text = "module a '../shared/./m.bicep' = {\n  name: 'pid-a'\n}\nmodule b '../../escape.bicep' = {\n  name: 'b'\n}\n";
    let sf = read("infra/main.bicep", text, &MapLoader(files));
    assert!(sf.errors.is_empty(), "{:?}", sf.errors);
    assert_eq!(sf.references.len(), 1);
    assert_eq!(sf.references[0].target, "shared/m.bicep");
    assert_eq!(dep(&sf, "'pid-a'").content, Content::Empty);
    assert_eq!(dep(&sf, "'b'").content, Content::Unknown);
}

#[test]
fn names_from_loaded_json() {
    let sf = fixture("json_name.bicep");
    assert!(sf.errors.is_empty(), "{:?}", sf.errors);
    let d = dep(&sf, "json(loadTextContent('./cua.json')).id");
    assert_eq!(d.name, known("pid-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"));
    assert_eq!(d.content, Content::Empty);
    let second = dep(&sf, "ids.nested.ids[1]");
    assert_eq!(second.name, known("pid-second"));
    assert_eq!(second.content, Content::Empty);
}

#[test]
fn partial_names() {
    let sf = fixture("partial_names.bicep");
    assert!(sf.errors.is_empty(), "{:?}", sf.errors);
    let t1 = &sf.deployments[0];
    assert_eq!(
        t1.name,
        Resolved::Partial(vec![
            lit("pid-11111111-2222-3333-4444-555555555555-"),
            opaque("uniqueString(resourceGroup().id)", Some(13)),
        ])
    );
    let t2 = &sf.deployments[1];
    assert_eq!(
        t2.name,
        Resolved::Partial(vec![
            opaque("prefix", None),
            lit("-pid-11111111-2222-3333-4444-555555555555")
        ])
    );
    assert_eq!(t2.mode.as_ref().unwrap().value, known("incremental"));
    assert!(matches!(t2.content, Content::Linked(_)));
    let t3 = &sf.deployments[2];
    assert_eq!(
        t3.name,
        Resolved::Partial(vec![
            lit("pid-"),
            opaque("guid(subscription().id)", Some(6))
        ])
    );
    assert_eq!(t3.mode.as_ref().unwrap().value, known("Complete"));
    let Content::Resources(sp) = t3.content else {
        panic!("{:?}", t3.content)
    };
    assert_eq!(sp.line, 30);
}

#[test]
fn take_format_truncates_opaque() {
    let sf = inline(
        "var id = '0123456789'\nresource d 'Microsoft.Resources/deployments@2021-04-01' = {\n  name: take(format('pid-{0}{1}', id, uniqueString('x')), 20)\n}\n",
    );
    assert_eq!(
        sf.deployments[0].name,
        Resolved::Partial(vec![
            lit("pid-0123456789"),
            opaque("uniqueString('x')", Some(6))
        ])
    );
}

#[test]
fn subscription_scope_and_location() {
    let sf = fixture("subscription.bicep");
    assert!(sf.errors.is_empty(), "{:?}", sf.errors);
    assert_eq!(sf.scope, Some(Scope::Subscription));
    assert_eq!(sf.deployments.len(), 2);
    assert!(sf
        .deployments
        .iter()
        .all(|d| d.scope == Scope::Subscription));
    assert!(!sf.deployments[0].has_location);
    assert_eq!(sf.deployments[0].content, Content::Empty);
    assert!(sf.deployments[1].has_location);
    let text = FIXTURES
        .iter()
        .find(|f| f.0 == "subscription.bicep")
        .unwrap()
        .1;
    assert_eq!(
        sf.anchor,
        crate::model::span_of(text, 0, "targetScope".len())
    );
}

#[test]
fn other_scopes() {
    for (s, want) in [
        ("managementGroup", Scope::ManagementGroup),
        ("tenant", Scope::Tenant),
        ("resourceGroup", Scope::ResourceGroup),
    ] {
        let sf = inline(&format!("targetScope = '{s}'\n"));
        assert_eq!(sf.scope, Some(want));
    }
    assert_eq!(inline("").scope, Some(Scope::ResourceGroup));
    assert_eq!(inline("").anchor, Span::FILE_START);
}

#[test]
fn conditions() {
    let sf = fixture("conditional.bicep");
    assert!(sf.errors.is_empty(), "{:?}", sf.errors);
    let text = FIXTURES
        .iter()
        .find(|f| f.0 == "conditional.bicep")
        .unwrap()
        .1;
    let t = dep(&sf, "'pid-11111111-2222-3333-4444-555555555555'");
    let c = t.condition.as_ref().unwrap();
    assert_eq!(c.text, "enableTelemetry");
    assert_eq!(c.default_value, Some(false));
    let at = text.find("if (enableTelemetry)").unwrap() + 4;
    assert_eq!(
        c.span,
        crate::model::span_of(text, at, at + "enableTelemetry".len())
    );
    let other = dep(&sf, "'pid-other'");
    assert_eq!(other.condition.as_ref().unwrap().default_value, Some(true));
    assert_eq!(
        other.condition.as_ref().unwrap().text,
        "enableOther && !enableTelemetry"
    );
    let third = dep(&sf, "'pid-third'");
    assert_eq!(third.condition.as_ref().unwrap().default_value, None);
    // Loops are not recorded, but the module file is still referenced.
    assert_eq!(sf.deployments.len(), 3);
    assert_eq!(sf.references.len(), 2);
}

#[test]
fn avm_telemetry_is_a_normal_deployment() {
    let sf = fixture("avm.bicep");
    assert!(sf.errors.is_empty(), "{:?}", sf.errors);
    assert_eq!(sf.deployments.len(), 1);
    let d = &sf.deployments[0];
    assert!(d
        .name
        .known_prefix()
        .starts_with("46d3xbcp.res.storage-storageaccount.0-9-0."));
    assert!(!d.name.display().contains("pid-"));
    assert_eq!(d.condition.as_ref().unwrap().default_value, Some(true));
    assert_eq!(d.content, Content::Empty);
}

#[test]
fn pid_named_other_resource() {
    let sf = fixture("autoscale.bicep");
    assert!(sf.errors.is_empty(), "{:?}", sf.errors);
    assert_eq!(sf.deployments.len(), 1);
    let d = &sf.deployments[0];
    assert_eq!(d.name, known("pid-auto-scaling-start"));
    assert_eq!(
        d.resource_type.as_ref().unwrap().value,
        "Microsoft.Insights/autoscalesettings"
    );
    assert!(d.has_location);
}

#[test]
fn nested_child_resources() {
    let sf = fixture("nested.bicep");
    assert!(sf.errors.is_empty(), "{:?}", sf.errors);
    assert_eq!(sf.deployments.len(), 1);
    let d = &sf.deployments[0];
    assert_eq!(d.name, known("pid-container-name"));
    assert_eq!(
        d.resource_type.as_ref().unwrap().value,
        "Microsoft.Storage/storageAccounts/blobServices/containers"
    );
    assert_eq!(d.name_span.line, 13);
    assert_eq!(d.name_span.column, 13);
}

#[test]
fn syntax_mix() {
    let sf = fixture("syntax_mix.bicep");
    assert!(sf.errors.is_empty(), "{:?}", sf.errors);
    assert_eq!(sf.deployments.len(), 1);
    let d = &sf.deployments[0];
    assert_eq!(d.name, known("pid-from-multi"));
    assert_eq!(d.mode.as_ref().unwrap().value, known("pid-ABC"));
    assert_eq!(d.content, Content::Empty);
}

#[test]
fn expression_evaluation() {
    let text = "
var escaped = 'it\\'s \\\\ \\$ \\u{41} ${'nested ${'deep'}'}'
var obj = {
  'quoted-key': 'v'
  list: [1, 2, 3]
}
var arith = (1 + 2) * 3 - 4 / 2 % 5
var cmp = arith >= 7 && !(arith < 0) || false
var coalesced = obj.?missing ?? 'fallback'
var tern = cmp ? 'yes' : 'no'
var fmt = format('{0}-{1}-{{x}}', obj['quoted-key'], obj.list[2])
var rep = replace('a.b.c', '.', '-')
var cat = concat('pid-', toUpper('x'), string(3))
var eqi = 'ABC' =~ 'abc'
var ne = 'a' != 'a'
var pre = startsWith('pid-x', 'PID-')
var tl = toLower('PID-${uniqueString('a')}')
";
    let parsed = parser::parse(text);
    assert_eq!(parsed.error, None);
    let l = MapLoader(HashMap::new());
    let mut env = Env::new(text, "main.bicep", &l, &parsed.decls);
    let mut get = |name: &str| {
        let d = parsed
            .decls
            .iter()
            .find(|d| matches!(&d.kind, DeclKind::Var { name: n, .. } if n == name))
            .unwrap();
        let DeclKind::Var { value, .. } = &d.kind else {
            unreachable!()
        };
        env.eval(value)
    };
    let s = |v: &str| Val::Str(vec![Part::Lit(v.to_string())]);
    assert_eq!(
        eval::known(&get("escaped")).unwrap(),
        "it's \\ $ A nested deep"
    );
    assert_eq!(get("arith"), Val::Int(7));
    assert_eq!(get("cmp"), Val::Bool(true));
    assert_eq!(eval::known(&get("coalesced")).unwrap(), "fallback");
    assert_eq!(eval::known(&get("tern")).unwrap(), "yes");
    assert_eq!(eval::known(&get("fmt")).unwrap(), "v-3-{x}");
    assert_eq!(get("rep"), s("a-b-c"));
    assert_eq!(eval::known(&get("cat")).unwrap(), "pid-X3");
    assert_eq!(get("eqi"), Val::Bool(true));
    assert_eq!(get("ne"), Val::Bool(false));
    assert_eq!(get("pre"), Val::Bool(true));
    assert_eq!(
        get("tl"),
        Val::Str(vec![lit("pid-"), opaque("uniqueString('a')", Some(13))])
    );
}

#[test]
fn malformed_file_keeps_earlier_declarations() {
    let sf = fixture("malformed.bicep");
    assert_eq!(sf.errors.len(), 1);
    let e = &sf.errors[0];
    assert_eq!(e.span.line, 6, "{e:?}");
    assert!(e.message.contains("expected ':'"), "{}", e.message);
    assert_eq!(sf.deployments.len(), 1);
    assert_eq!(sf.deployments[0].name, known("pid-first"));
}

#[test]
fn unterminated_string() {
    let sf = fixture("unterminated.bicep");
    assert_eq!(sf.errors.len(), 1);
    let e = &sf.errors[0];
    assert_eq!((e.span.line, e.span.column), (4, 9), "{e:?}");
    assert!(e.message.contains("unterminated string"), "{}", e.message);
    assert_eq!(sf.deployments.len(), 1);
    assert_eq!(sf.references.len(), 1);
}

#[test]
fn unbalanced_braces() {
    let sf = inline("resource r 'Microsoft.Resources/deployments@2021-04-01' = {\n  name: 'pid-x'\n  properties: {\n    mode: 'Incremental'\n}\n");
    assert_eq!(sf.errors.len(), 1);
    assert!(
        sf.errors[0].message.contains("'}'"),
        "{}",
        sf.errors[0].message
    );
    assert!(sf.deployments.is_empty());
    let sf = inline("var a = 1\n}\n");
    assert_eq!(sf.errors.len(), 1);
    assert_eq!(sf.errors[0].span.line, 2);
}

/// Run `f` on a thread with a bounded stack. The WebAssembly build has 1 MiB; an unoptimised
/// build needs about six times the stack of an `opt-level = "z"` one (measured: ~22 KB against
/// ~3.4 KB per nesting level while parsing), so debug test runs get a proportionally larger stack.
fn small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

const STACK: usize = if cfg!(debug_assertions) {
    6 << 20
} else {
    1 << 20
};

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    small_stack(deep_nesting);
}

fn deep_nesting() {
    for (open, close) in [("(", ")"), ("{", "}"), ("[", "]")] {
        let text = format!("var x = {}1{}\n", open.repeat(10_000), close.repeat(10_000));
        let sf = inline(&text);
        assert_eq!(sf.errors.len(), 1, "{open}");
        assert!(
            sf.errors[0].message.contains("nesting too deep")
                || sf.errors[0].message.contains("expected"),
            "{}",
            sf.errors[0].message
        );
        let sf = inline(&format!("output x object = {}\n", open.repeat(10_000)));
        assert_eq!(sf.errors.len(), 1, "{open}");
    }
    let ops = [
        format!("var x = {}true\n", "!".repeat(10_000)),
        format!("var x = 1{}\n", " + 1".repeat(10_000)),
        format!("var x = a{}\n", ".b".repeat(10_000)),
        format!("var x = {}1\n", "true ? 1 : ".repeat(10_000)),
        format!("var x = '{}'\n", "${'".repeat(10_000)),
        format!("var x = 1{}\n", " ?? 1".repeat(10_000)),
        format!(
            "resource r 'T@1' = {{\n{}",
            "resource c 'x@1' = {\n".repeat(10_000)
        ),
    ];
    for text in ops {
        let sf = inline(&text);
        assert_eq!(sf.errors.len(), 1);
    }
}

#[test]
fn allowed_depth_evaluates_without_overflow() {
    small_stack(allowed_depth);
}

fn allowed_depth() {
    // Close to the limits, in a debug build, on a test thread's stack.
    let n = (parser::MAX_NEST - 2) as usize;
    let text = format!(
        "var x = {}'pid-x'{}\nresource r 'Microsoft.Resources/deployments@1' = {{\n  name: x\n}}\n",
        "(".repeat(n),
        ")".repeat(n)
    );
    let sf = inline(&text);
    assert!(sf.errors.is_empty(), "{:?}", sf.errors);
    assert_eq!(sf.deployments[0].name, known("pid-x"));
    let chain: String = (0..3000)
        .map(|i| format!("var v{i} = v{}\n", i + 1))
        .collect();
    let sf = inline(&format!("{chain}var v3000 = 'pid-end'\nresource r 'Microsoft.Resources/deployments@1' = {{\n  name: v0\n}}\n"));
    assert!(sf.errors.is_empty());
    assert!(matches!(sf.deployments[0].name, Resolved::Unknown(_)));
}

#[test]
fn var_cycles_are_unknown() {
    let sf = fixture("cycles.bicep");
    assert!(sf.errors.is_empty(), "{:?}", sf.errors);
    assert_eq!(sf.deployments.len(), 3);
    assert!(
        matches!(dep(&sf, "a").name, Resolved::Unknown(_)),
        "{:?}",
        dep(&sf, "a").name
    );
    assert_eq!(dep(&sf, "ok").name, known("pid-fine"));
    assert!(matches!(
        dep(&sf, "'pid-${selfRef}'").name,
        Resolved::Unknown(_)
    ));
}

#[test]
fn huge_strings_are_capped() {
    let mut text = String::from(
        "var a0 = 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'\n",
    );
    for i in 1..40 {
        text.push_str(&format!("var a{i} = '${{a{}}}${{a{}}}'\n", i - 1, i - 1));
    }
    text.push_str("resource r 'Microsoft.Resources/deployments@1' = {\n  name: 'pid-${a39}'\n}\n");
    let sf = inline(&text);
    assert!(sf.errors.is_empty());
    assert!(!matches!(sf.deployments[0].name, Resolved::Known(_)));
    assert!(sf.deployments[0].name.display().len() < eval::MAX_STR);
}

#[test]
fn suppression_comments() {
    let sf = fixture("suppressions.bicep");
    assert!(sf.errors.is_empty(), "{:?}", sf.errors);
    let text = FIXTURES
        .iter()
        .find(|f| f.0 == "suppressions.bicep")
        .unwrap()
        .1;
    let s: Vec<(&str, Option<&str>, u32)> = sf
        .suppressions
        .iter()
        .map(|s| (s.rule.as_str(), s.reason.as_deref(), s.span.line))
        .collect();
    assert_eq!(
        s,
        [
            ("CUA111", Some("tracking is added by the pipeline"), 3),
            ("CUA107", None, 4),
            ("CUA101", Some("two rules, one reason"), 8),
            ("CUA102", Some("two rules, one reason"), 8),
        ]
    );
    let line3 = text.find("resource r").unwrap();
    let line3_end = line3 + text[line3..].find('\n').unwrap();
    assert_eq!(
        sf.suppressions[0].span,
        crate::model::span_of(text, line3, line3_end)
    );
    assert_eq!(sf.suppressions[2].span.column, 1);
    assert_eq!(sf.suppressions[2].span.end_column, 17);
}

#[test]
fn positions_count_chars() {
    let text = "// héllo wörld\nvar x = 'é'\nresource r 'Microsoft.Resources/deployments@1' = {\n  name: 'pid-${x}' /* ü */\n}\n";
    let sf = inline(text);
    let d = &sf.deployments[0];
    let at = text.find("'pid-").unwrap();
    assert_eq!(
        d.name_span,
        crate::model::span_of(text, at, at + "'pid-${x}'".len())
    );
    assert_eq!(d.name, known("pid-é"));
}

#[test]
fn never_panics_on_odd_input() {
    let samples = [
        "", "'", "'''", "'${", "'${'${", "}", "]", ")", "@", "resource", "resource r", "resource r 'x'",
        "module m", "var", "var x", "var x =", "param p string =", "#", "#!", "\u{feff}var x = 1",
        "var x = '\\u{110000}'", "var x = '\\u{", "var x = a.?[", "var x = [for", "var x = [for x in",
        "var x = if (", "/*", "var x = { 'a': }", "targetScope = 1", "var x = 99999999999999999999999",
        "var x = -9223372036854775807 - 2", "var x = 1 / 0", "var x = format('{', 1)",
        "var x = format('{99999999999999999999}', 1)", "var x = take('abc', -1)", "var x = substring('a', 5)",
        "var x = json('[')", "var x = loadJsonContent('../../x.json')", "var x = loadTextContent('/etc/passwd')",
        "resource r 'Microsoft.Resources/deployments@1' = {\n name: 'a'\n properties: 5\n}",
        "resource r 'Microsoft.Resources/deployments@1' = {\n name: 'a'\n properties: {\n template: x\n }\n}",
        "resource r 'Microsoft.Resources/deployments@1' = [for i in x: {\n}]",
        "module m '' = {\n}", "module m '..' = {\n}", "module m 'br:x' = {\n}", "var é = 1",
    ];
    for s in samples {
        let _ = inline(s);
        let _ = inline(&format!("{s}\n"));
    }
    // Every prefix of the fixtures (cut on char boundaries).
    for (_, text) in FIXTURES {
        for (i, _) in text.char_indices() {
            let _ = read("x/main.bicep", &text[..i], &loader());
        }
    }
}

/// A small deterministic fuzzer over Bicep-ish fragments.
#[test]
fn random_fragments_never_panic() {
    const PIECES: &[&str] = &[
        "resource ",
        "module ",
        "var ",
        "param ",
        "output ",
        "targetScope",
        " = ",
        "x",
        "y",
        "'pid-",
        "'",
        "'''",
        "${",
        "}",
        "{",
        "[",
        "]",
        "(",
        ")",
        "\n",
        " ",
        ":",
        ",",
        ".",
        ".?",
        "?",
        "??",
        "!",
        "-",
        "+",
        "==",
        "&&",
        "||",
        "if ",
        "for ",
        " in ",
        "@description('d')",
        "// cua-check-ignore CUA1: r\n",
        "/*",
        "*/",
        "name: ",
        "properties: ",
        "mode: ",
        "template: ",
        "resources: ",
        "'Microsoft.Resources/deployments@1'",
        "'./m.bicep'",
        "uniqueString(",
        "format(",
        "take(",
        "json(loadTextContent('cua.json'))",
        "1",
        "true",
        "null",
        "\\",
        "é",
        "\u{feff}",
        "=>",
        "::",
        "...",
        "#disable-next-line x\n",
        "import ",
        "{ a as b } from './main.bicep'",
        "* as ns from 'main.bicep'",
        "ns.",
        "func f(a string) string => ",
        "f(",
        "type t = ",
        " | ",
        "string?",
        "[^1]",
        "[?^",
        "^",
        "resourceInput<",
        ">",
        "using './main.bicep'\n",
        "extends 'main.bicepparam'\n",
        "map(",
        "x => ",
        "(a, b) => ",
        "reduce(",
        "extension ",
        "with ",
        "as ",
        "assert ",
        "test ",
        "metadata ",
    ];
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let l = loader();
    for _ in 0..3000 {
        let n = (next() % 60) as usize;
        let text: String = (0..n)
            .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
            .collect();
        let sf = read("d/main.bicep", &text, &l);
        assert!(sf.errors.len() <= 1);
        // The same text as a parameters file, and as the template it gives values to (the
        // loader serves the text itself for every path: `using`, `extends`, `import`).
        let same = MapLoader([("d/main.bicep", &text), ("d/main.bicepparam", &text)].iter().map(|(p, t)| (p.to_string(), t.to_string())).collect());
        let p = params::read_params("d/main.bicepparam", &text, &same);
        assert!(p.errors.len() <= 1);
        let given = params::given(&p.params.unwrap().values);
        let sf = read_with("d/main.bicep", &text, &same, &given);
        assert!(sf.errors.len() <= 1);
    }
}

// ----- issue 13: constructs of the current language -----

#[test]
fn safe_index_and_coalesce_carry_the_tracking_id() {
    let text = "param ids object = {}\nvar fallback = 'pid-11111111-2222-3333-4444-555555555555'\n\
module cua 'empty.bicep' = {\n  name: ids[?'cua'] ?? fallback\n}\n";
    let sf = inline(text);
    assert!(sf.errors.is_empty(), "{:?}", sf.errors);
    let d = &sf.deployments[0];
    assert_eq!(d.name, known("pid-11111111-2222-3333-4444-555555555555"));
}

#[test]
fn statements_that_go_on_over_several_lines_are_read() {
    // An output whose ternary goes on over lines, a nullable output type, a union type whose
    // members start the lines, and a resource-derived type split over lines.
    let text = "param on bool = true\n\
@description('x')\noutput key string? = on\n  ? 'a'\n  : null\n\
@discriminator('type')\n@export()\ntype t =\n  | a\n  | b\n\
type u = resourceInput<\n\n  'Microsoft.Storage/storageAccounts@2023-01-01'\n>.properties\n\
module cua 'empty.bicep' = {\n  name: 'pid-11111111-2222-3333-4444-555555555555'\n}\n";
    let sf = inline(text);
    assert!(sf.errors.is_empty(), "{:?}", sf.errors);
    assert_eq!(sf.deployments.len(), 1);
}

#[test]
fn interpolated_multi_line_strings_are_read() {
    let text = "var name = 'x'\nvar a = $'''\nHello ${name}\n'''\nvar b = $$'''\n${not} $${name} '''\n\
var c = $''''''\n\
module cua 'empty.bicep' = {\n  name: 'pid-11111111-2222-3333-4444-555555555555'\n}\n";
    let sf = inline(text);
    assert!(sf.errors.is_empty(), "{:?}", sf.errors);
    assert_eq!(sf.deployments.len(), 1);
    // An unterminated one is still an error, with its position.
    let bad = inline("var a = $'''\nno end ${x}\n");
    assert_eq!(bad.errors.len(), 1, "{:?}", bad.errors);
}

#[test]
fn surrogate_pair_escapes_make_one_character() {
    let text = "module cua 'empty.bicep' = {\n  name: 'pid-\\u{D801}\\u{DC37}'\n}\n";
    let sf = inline(text);
    assert!(sf.errors.is_empty(), "{:?}", sf.errors);
    assert_eq!(sf.deployments[0].name, known("pid-\u{10437}"));
}

#[test]
fn arm_functions_from_the_shared_library() {
    // Functions Bicep did not evaluate before it calls ARM's library: split and indexing,
    // padLeft, union and property access, length of an array literal, last.
    let sf = inline(
        "var id = 'x/pid-0b9c1c8e-5c56-4c3e-8f8f-0c8f5b1b2a11'
var o = union({ a: 'pid-' }, { b: 'x' })
resource a 'Microsoft.Resources/deployments@2021-04-01' = {
  name: split(id, '/')[1]
}
resource b 'Microsoft.Resources/deployments@2021-04-01' = {
  name: '${o.a}${padLeft(length([1, 2, 3]), 3, '0')}'
}
resource c 'Microsoft.Resources/deployments@2021-04-01' = {
  name: last(['x', 'pid-${uniqueString('y')}'])
}
",
    );
    assert!(sf.errors.is_empty(), "{:?}", sf.errors);
    assert_eq!(
        sf.deployments[0].name,
        known("pid-0b9c1c8e-5c56-4c3e-8f8f-0c8f5b1b2a11")
    );
    assert_eq!(sf.deployments[1].name, known("pid-003"));
    assert_eq!(
        sf.deployments[2].name,
        Resolved::Partial(vec![lit("pid-"), opaque("uniqueString('y')", Some(13))])
    );
    // ARM semantics: `contains` on strings is case-sensitive, `substring` past the end is not
    // a value.
    let sf = inline(
        "resource a 'Microsoft.Resources/deployments@2021-04-01' = {
  name: contains('PID-x', 'pid') ? 'yes' : 'no'
}
resource b 'Microsoft.Resources/deployments@2021-04-01' = {
  name: substring('pid-x', 2, 10)
}
",
    );
    assert_eq!(sf.deployments[0].name, known("no"));
    assert!(matches!(sf.deployments[1].name, Resolved::Unknown(_)));
}

const G: &str = "0b9c1c8e-5c56-4c3e-8f8f-0c8f5b1b2a11";

fn module_named(name_expr: &str, prelude: &str) -> String {
    format!("{prelude}\nmodule cua 'empty.bicep' = {{\n  name: {name_expr}\n}}\n")
}

#[test]
fn lambdas_carry_the_tracking_id() {
    let prelude = format!(
        "var parts = [\n  {{ key: 'a', id: 'x' }}\n  {{ key: 'cua', id: '{G}' }}\n]\nvar ids = ['{G}', 'other']"
    );
    let cases = [
        "'pid-${first(filter(parts, p => p.key == 'cua')).id}'",
        "'pid-${map(parts, (p, i) => i == 1 ? p.id : '${i}')[1]}'",
        "reduce(ids, 'pid-', (acc, x) => acc == 'pid-' ? '${acc}${x}' : acc)",
        "'pid-${toObject(parts, p => p.key, p => p.id).cua}'",
        "'pid-${groupBy(parts, p => p.key).cua[0].id}'",
        "'pid-${sort(parts, (a, b) => length(a.key) > length(b.key))[0].id}'",
        "'pid-${mapValues({ a: '{G}' }, v => toLower(v)).a}'",
    ];
    for c in cases {
        let c = c.replace("{G}", G);
        let sf = inline(&module_named(&c, &prelude));
        assert!(sf.errors.is_empty(), "{c}: {:?}", sf.errors);
        assert_eq!(sf.deployments[0].name, known(&format!("pid-{G}")), "{c}");
    }
    // A lambda over something known only at deployment stays unknown.
    let sf = inline(&module_named("'pid-${first(map(items, x => x))}'", "param items array"));
    assert!(!matches!(sf.deployments[0].name, Resolved::Known(_)));
}

#[test]
fn safe_member_access_and_coalesce_carry_the_tracking_id() {
    let sf = inline(&module_named(
        &format!("cfg.?telemetry.?name ?? 'pid-{G}'"),
        "param cfg object = { other: 1 }",
    ));
    assert_eq!(sf.deployments[0].name, known(&format!("pid-{G}")));
    let sf = inline(&module_named("'pid-${cfg.?telemetry.id ?? 'x'}'", &format!("param cfg object = {{ telemetry: {{ id: '{G}' }} }}")));
    assert_eq!(sf.deployments[0].name, known(&format!("pid-{G}")));
}

#[test]
fn user_defined_functions_are_called() {
    let prelude = format!(
        "@export()\nfunc prefix() string => 'pid-'\n\nfunc name(guid string, upper bool) string =>\n  '${{prefix()}}${{upper ? toUpper(guid) : guid}}'\n\nvar g = '{G}'"
    );
    let sf = inline(&module_named("name(g, false)", &prelude));
    assert!(sf.errors.is_empty(), "{:?}", sf.errors);
    assert_eq!(sf.deployments[0].name, known(&format!("pid-{G}")));
    // Wrong number of arguments: not evaluated.
    let sf = inline(&module_named("name(g)", &prelude));
    assert!(matches!(sf.deployments[0].name, Resolved::Unknown(_)));
    // A function that calls itself stops.
    let sf = inline(&module_named("f('x')", "func f(s string) string => f(s)"));
    assert!(matches!(sf.deployments[0].name, Resolved::Unknown(_)));
    // Syntax errors the compiler reports (BCP279, BCP015, BCP018) are errors here too.
    for bad in ["func f(a) string => a", "func f(a string) => a", "func f('x') string => ''", "func f = (a string) string => a"] {
        assert_eq!(inline(bad).errors.len(), 1, "{bad}");
    }
}

#[test]
fn imports_follow_files_and_stop_on_loops() {
    let mut files = HashMap::new();
    files.insert("lib/ids.bicep".to_string(), format!("import {{ more }} from './more.bicep'\n@export()\nvar guid = '{G}'\n@export()\nvar viaMore = more\n"));
    files.insert("lib/more.bicep".to_string(), "import * as self from './more.bicep'\n@export()\nvar more = 'pid-'\nvar loop = self.loop\n".to_string());
    let l = MapLoader(files);
    let text = "import {\n  guid as g\n  viaMore\n} from './lib/ids.bicep'\nimport * as lib from 'lib/more.bicep'\n\
module a 'empty.bicep' = {\n  name: '${viaMore}${g}'\n}\nmodule b 'empty.bicep' = {\n  name: '${lib.more}${g}'\n}\n\
module c 'empty.bicep' = {\n  name: lib.loop\n}\n";
    let sf = read("main.bicep", text, &l);
    assert!(sf.errors.is_empty(), "{:?}", sf.errors);
    assert_eq!(sf.deployments[0].name, known(&format!("pid-{G}")));
    assert_eq!(sf.deployments[1].name, known(&format!("pid-{G}")));
    assert!(matches!(sf.deployments[2].name, Resolved::Unknown(_)));
    // A file that imports itself, many times: bounded.
    let mut files = HashMap::new();
    let many: String = (0..200).map(|i| format!("import {{ v as v{i} }} from './main.bicep'\n")).collect();
    files.insert("main.bicep".to_string(), format!("{many}var v = v0\n"));
    let l = MapLoader(files.clone());
    let sf = read("main.bicep", &files["main.bicep"], &l);
    assert!(sf.errors.is_empty(), "{:?}", sf.errors);
}

#[test]
fn parameters_files_read_using_extends_and_values() {
    let mut files = HashMap::new();
    files.insert("p/base.bicepparam".to_string(), format!("using none\nparam a = '{G}'\nparam b = 1\n"));
    files.insert("p/loop.bicepparam".to_string(), "using none\nextends './loop.bicepparam'\nparam z = 1\n".to_string());
    let l = MapLoader(files);
    let f = params::read_params("p/main.bicepparam", "using '../infra/main.bicep'\nextends 'base.bicepparam'\n\nvar x = [1, 2]\nparam b = length(x)\nparam c = az.getSecret('s', 'r', 'kv', 'name')\n", &l);
    assert!(f.errors.is_empty(), "{:?}", f.errors);
    let p = f.params.as_ref().unwrap();
    assert_eq!(p.using.as_deref(), Some("infra/main.bicep"));
    let got: Vec<(&str, &crate::model::ParamVal, &str)> = p.values.iter().map(|v| (v.name.as_str(), &v.value, v.from.as_str())).collect();
    use crate::model::ParamVal::*;
    assert_eq!(got[0], ("a", &Known(serde_json::json!(G)), "p/base.bicepparam:2"));
    assert_eq!(got[1], ("b", &Known(serde_json::json!(2)), "p/main.bicepparam:5"));
    assert!(matches!(got[2], ("c", Unknown(_), _)));
    // `extends` of itself stops.
    let f = params::read_params("p/loop.bicepparam", "using none\nextends './loop.bicepparam'\nparam z = 1\n", &l);
    assert_eq!(f.params.unwrap().values.len(), 1);
    // A syntax error is the file's, with its position.
    let f = params::read_params("x.bicepparam", "using 'main.bicep'\nparam = 1\n", &l);
    assert_eq!(f.errors[0].span.line, 2);
}

#[test]
fn every_statement_of_the_language_is_parsed() {
    let text = "metadata info = {\n  owner: 'x'\n}\n\
extension microsoftGraphV1\nextension 'br:mcr.microsoft.com/bicep/extensions/kubernetes:1.0.0' with {\n  namespace: 'default'\n} as k8s\n\
provider 'sys@1.0.0'\nimport 'az@1.0.0'\n\
@export()\n@sealed()\ntype obj = {\n  @description('a')\n  name: string?\n  'quoted-key': int\n  *: string\n}\n\
type tup = [\n  @minLength(1)\n  string\n  int[]\n]\n\
@discriminator('kind')\ntype u = { kind: 'a', a: string } | { kind: 'b' }\n\
type neg = -1 | 2 | true | null | 'x'\n\
type props = resourceInput<'Microsoft.Storage/storageAccounts@2023-01-01'>.properties.sku.*\n\
type items = obj[]?\ntype inParens = (string | int)[]\n\
param store resource 'Microsoft.Storage/storageAccounts@2023-01-01'\nparam mode ('a' | 'b')\n\
var typed string = 'x'\n\
output sa resource 'Microsoft.Storage/storageAccounts@2023-01-01' = store\noutput anyRes resource = store\n\
output pick string = typed == 'x'\n  ? 'y'\n  : 'z'\n\
assert nameIsShort = length(typed) < 10\n\
test first 'main.bicep' = {\n  params: {\n    typed: 'x'\n  }\n}\n\
var last = [1, 2, 3][^1]\nvar lastSafe = [1][?^5]\n\
module cua 'empty.bicep' = {\n  name: 'pid-${last}'\n}\n";
    let sf = inline(text);
    assert!(sf.errors.is_empty(), "{:?}", sf.errors);
    assert_eq!(sf.deployments[0].name, known("pid-3"));
}

#[test]
fn statement_syntax_errors_are_reported_where_the_compiler_reports_them() {
    for (bad, line) in [
        ("metadata = 1", 1),
        ("metadata\nvar x = 1", 1),
        ("type 44 = string", 1),
        ("var x = 1\noutput o = 1", 2),
        ("type t = 'a' |\n  'b'", 1),
        ("type t = {\n  name string\n}", 2),
        ("test t 'main.bicep' {\n}", 1),
        ("assert a", 1),
        ("extension 'x@1' foo", 1),
        ("var x = 1\nbad y = 2", 2),
        ("import x from 'a.bicep'", 1),
        ("using", 1),
    ] {
        let sf = inline(bad);
        assert_eq!(sf.errors.len(), 1, "{bad}");
        assert_eq!(sf.errors[0].span.line, line, "{bad}: {:?}", sf.errors);
    }
}

#[test]
fn interpolated_multi_line_strings_are_evaluated() {
    let text = format!("var g = '{G}'\nvar a = $'''\npid-${{g}}'''\nvar b = $$'''\n${{not}} $${{toUpper('x')}} '''\nvar c = $'''a'''''\n\
module m1 'empty.bicep' = {{\n  name: a\n}}\nmodule m2 'empty.bicep' = {{\n  name: b\n}}\nmodule m3 'empty.bicep' = {{\n  name: c\n}}\n");
    let sf = inline(&text);
    assert!(sf.errors.is_empty(), "{:?}", sf.errors);
    assert_eq!(sf.deployments[0].name, known(&format!("pid-{G}")));
    assert_eq!(sf.deployments[1].name, known("${not} X "));
    assert_eq!(sf.deployments[2].name, known("a''"));
    // A syntax error inside a hole is reported at its place in the file.
    let bad = inline("var a = 1\nvar b = $'''\nx ${a +} y\n'''\n");
    assert_eq!(bad.errors.len(), 1, "{:?}", bad.errors);
    assert_eq!((bad.errors[0].span.line, bad.errors[0].span.column), (3, 8), "{:?}", bad.errors);
}

/// The reader drops what it never looks at in resource bodies (`parse_for_read`): what it does
/// look at is still found, in any letter case, through conditions and in nested resources.
#[test]
fn reader_keeps_what_it_reads_of_resource_bodies() {
    let text = "param loc string = 'westeurope'\n\
resource sa 'Microsoft.Storage/storageAccounts@2023-01-01' = if (true) {\n  tags: { a: 'b' }\n  Name: 'pid-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee'\n  sku: { name: 'Standard_LRS' }\n  LOCATION: loc\n  properties: {\n    supportsHttpsTrafficOnly: true\n    Mode: 'Incremental'\n    TemplateLink: { uri: 'https://example.com/t.json' }\n  }\n  resource child 'blobServices@2023-01-01' = {\n    name: 'pid-child'\n    properties: { template: { resources: [] } }\n  }\n}\nmodule m 'br:example.azurecr.io/m:1' = {\n  name: 'pid-module'\n  params: { big: [1, 2, 3] }\n}\n";
    let sf = inline(text);
    assert!(sf.errors.is_empty(), "{:?}", sf.errors);
    let d = dep(&sf, "'pid-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee'");
    assert!(d.has_location);
    assert!(d.condition.is_some());
    assert_eq!(d.mode.as_ref().map(|m| &m.value), Some(&known("Incremental")));
    assert!(matches!(d.content, Content::Linked(_)), "{:?}", d.content);
    let child = dep(&sf, "'pid-child'");
    assert_eq!(child.content, Content::Empty);
    assert!(!child.has_location);
    let m = dep(&sf, "'pid-module'");
    assert!(!m.has_location);
    assert!(sf.resources.iter().any(|r| r.value == "Microsoft.Storage/storageAccounts/blobServices"));
}

/// A syntax error in a part of a resource body the reader does not keep is reported as before,
/// and the declarations before it are still read.
#[test]
fn reader_reports_errors_in_dropped_members() {
    let text = "resource d 'Microsoft.Resources/deployments@2021-04-01' = {\n  name: 'pid-first'\n}\nresource sa 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n  name: 'sa'\n  tags: { a: 'b' c: 'd' }\n}\n";
    let full = parser::parse(text);
    let sf = inline(text);
    assert_eq!(sf.errors.len(), 1);
    let e = full.error.expect("a syntax error");
    assert_eq!(sf.errors[0].span, e.span);
    assert_eq!(sf.errors[0].message, e.message);
    assert_eq!(sf.errors[0].span.line, 6);
    dep(&sf, "'pid-first'");
}

/// A file that uses every kind of declaration the reader records, some of them out of order (a
/// variable and a function used before they are declared), for comparing the two ways of reading.
const EVERY_DECLARATION: &str = r#"targetScope = 'subscription'
metadata description = 'every declaration'
@description('a resource before the variables it uses')
resource tracked 'Microsoft.Resources/deployments@2021-04-01' = if (deployIt) {
  name: names.pid
  location: loc
  properties: {
    mode: 'Incremental'
    template: {
      '$schema': 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#'
      contentVersion: '1.0.0.0'
      resources: []
    }
  }
}
resource loop 'Microsoft.Resources/deployments@2021-04-01' = [for i in range(0, 2): {
  name: 'pid-loop-${i}'
  properties: { mode: 'Incremental', template: { resources: [] } }
}]
resource named 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: shout('pid-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee')
  location: loc
  properties: { mode: 'Complete' }
  resource child 'blobServices@2023-01-01' = {
    name: 'pid-child'
    properties: { templateLink: { uri: 'https://example.com/t.json' } }
  }
}
resource old 'Microsoft.Storage/storageAccounts@2023-01-01' existing = {
  name: 'old'
  resource kid 'blobServices@2023-01-01' = { name: 'default' }
}
// cua-check-ignore CUA107
module local './modules/m.bicep' = {
  name: '${names.pid}-module'
  params: { x: map(range(0, 3), n => n * 2) }
}
module remote 'br/public:avm/res/storage/storage-account:0.9.0' = {
  name: toLower('Remote')
}
var names = {
  pid: 'pid-${guid}'
}
var guid = '7867e591-c1ee-4530-bed8-7387ab893a26'
param loc string = 'westeurope'
param deployIt bool = true
func shout(s string) string => toUpper(s)
output o string = tracked.name
"#;

/// Reading a file one declaration at a time (what a file over `DEFER_OVER` gets) gives the same
/// facts as reading it whole: on a file with every kind of declaration, on it with a syntax error
/// after some declarations, on every Bicep file of the fixtures and examples, and on the Bicep files
/// of the public corpora when they are present.
#[test]
fn deferred_reading_gives_the_same_facts() {
    let modules = MapLoader(HashMap::from([(
        "modules/m.bicep".to_string(),
        "resource s 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n  name: 's'\n}\n".to_string(),
    )]));
    let same = |path: &str, text: &str, loader: &dyn Loader| {
        let whole = read_parsed(path, text, loader, &[], false);
        let deferred = read_parsed(path, text, loader, &[], true);
        assert_eq!(format!("{whole:#?}"), format!("{deferred:#?}"), "{path}: deferred reading differs");
        whole
    };
    let sf = same("main.bicep", EVERY_DECLARATION, &modules);
    // The comparison is of something: the file's facts are all there.
    assert!(sf.errors.is_empty(), "{:?}", sf.errors);
    assert_eq!(sf.scope, Some(Scope::Subscription));
    let names: Vec<String> = sf.deployments.iter().map(|d| d.name.display()).collect();
    for want in [
        "pid-7867e591-c1ee-4530-bed8-7387ab893a26",
        "PID-AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE",
        "pid-child",
        "pid-7867e591-c1ee-4530-bed8-7387ab893a26-module",
        "remote",
    ] {
        assert!(names.iter().any(|n| n == want), "{want} not in {names:?}");
    }
    assert_eq!(sf.suppressions.len(), 1);
    assert!(sf.metadata.is_some());
    let broken = format!("{EVERY_DECLARATION}resource bad 'x@1' = {{\n  name: 'a' b: 'c'\n}}\nmodule later './modules/m.bicep' = {{ name: 'l' }}\n");
    let sf = same("main.bicep", &broken, &modules);
    assert_eq!(sf.errors.len(), 1);
    assert_eq!(sf.deployments.len(), names.len());

    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut folders = vec![root.join("tests/fixtures"), root.join("examples")];
    let corpora = std::env::var_os("CUA_CHECK_CORPORA").map(std::path::PathBuf::from).unwrap_or_else(|| root.join("../corpora"));
    match std::fs::read_dir(&corpora) {
        Ok(entries) => folders.extend(entries.flatten().map(|e| e.path())),
        Err(_) => eprintln!("skipping the corpora: {} is absent (set CUA_CHECK_CORPORA to the corpora folder)", corpora.display()),
    }
    let mut files = 0;
    for folder in folders {
        let loader = DirLoader(folder.clone());
        let mut stack = vec![folder.clone()];
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            for e in entries.flatten() {
                let p = e.path();
                let Ok(ft) = e.file_type() else { continue };
                if ft.is_dir() && e.file_name() != ".git" {
                    stack.push(p);
                } else if ft.is_file() && p.extension().is_some_and(|x| x == "bicep") {
                    let Ok(text) = std::fs::read_to_string(&p) else { continue };
                    let rel = p.strip_prefix(&folder).unwrap_or(&p).to_string_lossy().replace('\\', "/");
                    same(&rel, &text, &loader);
                    files += 1;
                }
            }
        }
    }
    assert!(files >= 60, "only {files} Bicep files compared");
}

/// Files of a folder, by path relative to it.
struct DirLoader(std::path::PathBuf);

impl Loader for DirLoader {
    fn load(&self, path: &str) -> Option<String> {
        std::fs::read_to_string(self.0.join(path)).ok()
    }
}
