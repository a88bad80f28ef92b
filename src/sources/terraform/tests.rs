//! Fixture-driven tests: `tests/fixtures/terraform/<case>/`.

use super::*;
use crate::model::Part;

const GUID: &str = "a1b2c3d4-e5f6-4a5b-8c7d-9e0f1a2b3c4d";

/// Read a fixture directory the way the engine will: `.tf`/`.tf.json` files and tfvars.
fn load(case: &str) -> Vec<SourceFile> {
    let dir = format!(
        "{}/tests/fixtures/terraform/{case}",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    let texts: Vec<(String, String)> = names
        .iter()
        .map(|n| {
            (
                format!("{case}/{n}"),
                std::fs::read_to_string(format!("{dir}/{n}")).unwrap(),
            )
        })
        .collect();
    let is_tf = |p: &str| p.ends_with(".tf") || p.ends_with(".tf.json");
    let files: Vec<TfInput> = texts
        .iter()
        .filter(|(p, _)| is_tf(p))
        .map(|(p, t)| TfInput { path: p, text: t })
        .collect();
    let vars: Vec<TfInput> = texts
        .iter()
        .filter(|(p, _)| !is_tf(p))
        .map(|(p, t)| TfInput { path: p, text: t })
        .collect();
    read_module(&files, &vars)
}

fn file<'a>(files: &'a [SourceFile], name: &str) -> &'a SourceFile {
    files.iter().find(|f| f.path.ends_with(name)).unwrap()
}

fn at(span: Span) -> (u32, u32, u32, u32) {
    (span.line, span.column, span.end_line, span.end_column)
}

#[test]
fn partner_id_from_variable_default() {
    let files = load("var_default");
    assert_eq!(files.len(), 2);
    let main = file(&files, "main.tf");
    assert_eq!(main.kind, Kind::Terraform);
    assert_eq!(main.role, Role::Other);
    assert_eq!(main.scope, None);
    assert!(main.errors.is_empty(), "{:?}", main.errors);
    // required_providers is not a provider block.
    assert_eq!(main.providers.len(), 1);
    let p = &main.providers[0];
    assert_eq!(p.name, "azurerm");
    assert_eq!(p.alias, None);
    assert_eq!(at(p.span), (10, 1, 10, 19));
    let pid = p.partner_id.as_ref().unwrap();
    assert_eq!(pid.raw, "var.partner_id");
    assert_eq!(pid.value, Resolved::Known(GUID.into()));
    assert_eq!(at(pid.span), (12, 16, 12, 30));
    assert!(file(&files, "variables.tf").providers.is_empty());
}

#[test]
fn partner_id_overridden_by_tfvars() {
    let files = load("var_tfvars");
    assert_eq!(files.len(), 2, "tfvars files are not returned");
    let pid = file(&files, "main.tf").providers[0]
        .partner_id
        .clone()
        .unwrap();
    // override.auto.tfvars.json wins over terraform.tfvars, which wins over the default.
    assert_eq!(
        pid.value,
        Resolved::Known("22222222-3333-4444-5555-666666666666".into())
    );

    let main = std::fs::read_to_string(format!(
        "{}/tests/fixtures/terraform/var_tfvars/main.tf",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let vars = "partner_id = \"11111111-2222-3333-4444-555555555555\"\n";
    let out = read_module(
        &[TfInput {
            path: "main.tf",
            text: &main,
        }],
        &[TfInput {
            path: "terraform.tfvars",
            text: vars,
        }],
    );
    assert_eq!(
        out[0].providers[0].partner_id.as_ref().unwrap().value,
        Resolved::Known("11111111-2222-3333-4444-555555555555".into())
    );
}

#[test]
fn azapi_without_partner_id_beside_azurerm_with_it_and_aliases() {
    let files = load("providers");
    let f = &files[0];
    assert!(f.errors.is_empty(), "{:?}", f.errors);
    let summary: Vec<_> = f
        .providers
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.alias.as_deref(),
                p.partner_id.is_some(),
                p.span.line,
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            ("azurerm", None, true, 8),
            ("azapi", None, false, 13),
            ("azurerm", Some("hub"), false, 16)
        ]
    );
    assert_eq!(at(f.providers[1].span), (13, 1, 13, 17));
    let pid = f.providers[0].partner_id.as_ref().unwrap();
    assert_eq!(pid.raw, format!("\"{GUID}\""));
    assert_eq!(pid.value, Resolved::Known(GUID.into()));
    assert_eq!(at(pid.span), (10, 16, 10, 54));
}

#[test]
fn azapi_partner_id_recorded_as_written() {
    let files = load("azapi_pid");
    let p = &files[0].providers[0];
    assert_eq!(p.name, "azapi");
    let pid = p.partner_id.as_ref().unwrap();
    assert_eq!(pid.value, Resolved::Known(format!("pid-{GUID}")));
    assert_eq!(pid.raw, format!("\"pid-{GUID}\""));
}

#[test]
fn tf_json() {
    let files = load("json");
    let f = &files[0];
    assert!(f.errors.is_empty(), "{:?}", f.errors);
    let summary: Vec<_> = f
        .providers
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.alias.as_deref(),
                p.partner_id.as_ref().map(|x| x.value.clone()),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            ("azurerm", None, Some(Resolved::Known(GUID.into()))),
            ("azurerm", Some("second"), None),
            ("azapi", None, Some(Resolved::Known(format!("pid-{GUID}")))),
        ]
    );
    let pid = f.providers[0].partner_id.as_ref().unwrap();
    assert_eq!(pid.raw, "\"${var.cua_id}\"");
    assert_eq!(at(pid.span), (10, 39, 10, 54));
    assert_eq!(f.providers[0].span.line, 9);
    assert_eq!(f.providers[2].span.line, 13);

    assert_eq!(f.deployments.len(), 1);
    let d = &f.deployments[0];
    assert_eq!(d.name, Resolved::Known(format!("pid-{GUID}-partnercenter")));
    assert_eq!(d.scope, Scope::ResourceGroup);
    assert_eq!(d.content, Content::Empty);
    assert_eq!(
        d.mode.as_ref().unwrap().value,
        Resolved::Known("Incremental".into())
    );
    assert_eq!(d.name_span.line, 18);
}

#[test]
fn deployments() {
    let files = load("deployment");
    let f = file(&files, "main.tf");
    assert!(f.errors.is_empty(), "{:?}", f.errors);
    let names: Vec<_> = f.deployments.iter().map(|d| d.name_raw.as_str()).collect();
    assert_eq!(
        names,
        vec![
            "\"pid-${var.cuaId}\"",
            "\"pid-${lower(var.cuaId)}\"",
            "\"my-pid-${var.cuaId}\"",
            "\"pid-${var.unknown_id}\""
        ]
    );

    let rg = &f.deployments[0];
    assert_eq!(rg.form, Form::TerraformResource);
    assert_eq!(rg.name, Resolved::Known(format!("pid-{GUID}")));
    assert_eq!(at(rg.name_span), (3, 25, 3, 43));
    assert_eq!(at(rg.span), (1, 1, 1, 60));
    assert_eq!(rg.scope, Scope::ResourceGroup);
    assert!(!rg.nested);
    assert!(!rg.has_location);
    assert_eq!(
        rg.mode.as_ref().unwrap().value,
        Resolved::Known("Incremental".into())
    );
    assert_eq!(rg.mode.as_ref().unwrap().span.line, 5);
    assert_eq!(rg.content, Content::Empty);
    let c = rg.condition.as_ref().unwrap();
    assert_eq!(c.text, "var.enabled ? 1 : 0");
    assert_eq!(c.default_value, Some(true));
    assert_eq!(
        rg.resource_type.as_ref().map(|t| t.value.as_str()),
        Some("Microsoft.Resources/deployments")
    );

    let az = &f.deployments[1];
    assert_eq!(az.name, Resolved::Known(format!("pid-{GUID}")));
    assert_eq!(
        az.resource_type.as_ref().map(|t| t.value.as_str()),
        Some("Microsoft.Resources/deployments")
    );
    assert_eq!(az.scope, Scope::ResourceGroup);
    assert_eq!(
        az.mode.as_ref().unwrap().value,
        Resolved::Known("Complete".into())
    );
    assert_eq!(az.mode.as_ref().unwrap().span.line, 20);
    match &az.content {
        Content::Resources(s) => assert_eq!(s.line, 24),
        other => panic!("{other:?}"),
    }
    assert_eq!(az.condition.as_ref().unwrap().default_value, Some(false));

    let sub = &f.deployments[2];
    assert_eq!(sub.scope, Scope::Subscription);
    assert!(sub.has_location);
    assert!(matches!(sub.content, Content::Resources(_)));
    assert_eq!(sub.condition, None);
    // azurerm's subscription deployment has no `deployment_mode`: always Incremental.
    assert_eq!(sub.mode.as_ref().map(|m| &m.value), Some(&Resolved::Known("Incremental".into())));

    let mg = &f.deployments[3];
    assert_eq!(mg.scope, Scope::ManagementGroup);
    assert_eq!(mg.content, Content::Unknown);
    assert_eq!(mg.name.known_prefix(), "pid-");
    match &mg.name {
        Resolved::Partial(parts) => assert_eq!(
            parts[1],
            Part::Opaque {
                text: "var.unknown_id".into(),
                len: None
            }
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn malformed_hcl_reports_the_line_and_other_files_are_read() {
    let files = load("malformed");
    let broken = file(&files, "broken.tf");
    assert_eq!(broken.errors.len(), 1);
    assert_eq!(broken.errors[0].span.line, 7, "{:?}", broken.errors[0]);
    assert!(
        broken.errors[0].message.contains("line 7"),
        "{}",
        broken.errors[0].message
    );
    assert!(broken.providers.is_empty());
    let good = file(&files, "good.tf");
    assert!(good.errors.is_empty());
    assert_eq!(good.providers.len(), 1);
}

#[test]
fn locals_functions_and_suppressions() {
    let files = load("locals_funcs");
    let f = &files[0];
    assert!(f.errors.is_empty(), "{:?}", f.errors);
    let values: Vec<_> = f
        .providers
        .iter()
        .map(|p| p.partner_id.clone().unwrap().value)
        .collect();
    assert_eq!(values[0], Resolved::Known(format!("pid-{GUID}")));
    assert_eq!(
        values[1],
        Resolved::Known(format!("pid-{GUID}-partnercenter"))
    );
    assert_eq!(
        values[2],
        Resolved::Partial(vec![
            Part::Lit("pid-".into()),
            Part::Opaque {
                text: "var.no_default".into(),
                len: None
            }
        ])
    );
    assert!(
        matches!(&values[3], Resolved::Unknown(r) if r.contains("not known")),
        "{:?}",
        values[3]
    );

    let s: Vec<_> = f
        .suppressions
        .iter()
        .map(|s| (s.rule.as_str(), s.reason.as_deref(), s.span.line))
        .collect();
    assert_eq!(
        s,
        vec![
            ("CUA201", Some("partner ID set by the pipeline"), 14),
            ("CUA202", Some("partner ID set by the pipeline"), 14),
            ("CUA203", None, 22),
        ]
    );
}

#[test]
fn hostile_inputs_do_not_panic() {
    let deep = format!("a = {}1{}\n", "[".repeat(5000), "]".repeat(5000));
    let deep_json = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let chain: String = (0..200)
        .map(|i| format!("  l{i} = \"${{local.l{}}}${{local.l{}}}\"\n", i + 1, i + 1))
        .collect();
    let locals = format!(
        "locals {{\n{chain}  l200 = \"x\"\n  loop = local.loop\n}}\nprovider \"azurerm\" {{\n  partner_id = \"${{local.l0}}${{local.loop}}\"\n}}\n"
    );
    let inputs: Vec<(&str, String)> = vec![
        ("a.tf", deep),
        ("b.tf.json", deep_json),
        ("c.tf", locals),
        (
            "d.tf",
            "provider \"azurerm\" { partner_id = \u{0}\u{7f}é".into(),
        ),
        (
            "e.tf.json",
            "{\"provider\": {\"azurerm\": [1, \"x\", {\"partner_id\": 5}]}, \"resource\": 7}"
                .into(),
        ),
        ("f.tf", String::new()),
        ("g.tf", "\u{feff}provider \"azapi\" {}\n".into()),
        (
            "h.tf",
            "p = format(\"%\", 1)\nq = format(\"%s%s\")\nr = 1 / 0\n".into(),
        ),
    ];
    let files: Vec<TfInput> = inputs
        .iter()
        .map(|(p, t)| TfInput { path: p, text: t })
        .collect();
    let out = read_module(
        &files,
        &[TfInput {
            path: "x.tfvars",
            text: "{{{",
        }],
    );
    assert_eq!(out.len(), files.len());
    assert!(!out[0].errors.is_empty());
    assert!(!out[1].errors.is_empty());
    let c = &out[2];
    assert!(c.errors.is_empty(), "{:?}", c.errors);
    assert_eq!(c.providers.len(), 1);
    assert_eq!(out[4].providers.len(), 1);
}

/// Read one inline module (`main.tf` only) and return its file.
fn read_main(text: &str) -> SourceFile {
    let files = [TfInput { path: "main.tf", text }];
    read_module(&files, &[]).remove(0)
}

fn partner_id_of(f: &SourceFile) -> Resolved {
    assert!(f.errors.is_empty(), "{:?}", f.errors);
    f.providers[0].partner_id.as_ref().expect("partner_id").value.clone()
}

/// Terraform takes a repeated object key and the last value wins (hashicorp/terraform#28727);
/// hcl-edit 0.10 rejected it (vendor/hcl-edit/PATCHES.md, P1). The ID resolves through it,
/// also when the same key is written once as a name and once quoted.
#[test]
fn terraform_syntax_repeated_object_key_last_wins() {
    let f = read_main(&format!(
        "locals {{\n  ids = {{\n    cua = \"00000000-0000-0000-0000-000000000000\"\n    cua = \"{GUID}\"\n  }}\n  mixed = {{ cua = \"x\", \"cua\" = \"{GUID}\" }}\n}}\n\nprovider \"azurerm\" {{\n  features {{}}\n  partner_id = local.ids.cua\n}}\n\nprovider \"azapi\" {{\n  partner_id = local.mixed[\"cua\"]\n}}\n"
    ));
    assert_eq!(partner_id_of(&f), Resolved::Known(GUID.into()));
    assert_eq!(f.providers[1].partner_id.as_ref().unwrap().value, Resolved::Known(GUID.into()));
    // The span is still the expression as written.
    assert_eq!(at(f.providers[0].partner_id.as_ref().unwrap().span), (11, 16, 11, 29));
}

/// Line breaks where Terraform ignores them (hclsyntax pushes "newlines ignored" inside `( )`,
/// `[ ]`, call arguments, `for` expressions, `${ }` and `%{ }`): each of these files was
/// rejected by hcl-edit 0.10 or is here to keep it read; the ID resolves through the construct.
#[test]
fn terraform_syntax_line_breaks_inside_brackets_for_and_templates() {
    let provider = |expr: &str| {
        format!(
            "variable \"on\" {{\n  default = true\n}}\nvariable \"off\" {{\n  default = false\n}}\nvariable \"id\" {{\n  default = \"{GUID}\"\n}}\n\nprovider \"azurerm\" {{\n  features {{}}\n  partner_id = {expr}\n}}\n"
        )
    };
    let cases = [
        // A multi-line conditional and operators inside parentheses.
        ("paren conditional", "(\n    var.on &&\n    !var.off\n    ? var.id\n    : \"\"\n  )"),
        // A line break after `!` inside parentheses (P4).
        ("unary", "(!\n    var.off ? var.id : \"\")"),
        // A line break after a binary operator inside `${ }`.
        ("interpolation", "\"${\n    var.on &&\n    true ? var.id : \"\"\n  }\""),
        // Inside a call's arguments, with a comment after the operator.
        ("call", "lower(\n    var.on == # on?\n    true ? var.id : \"\",\n  )"),
    ];
    for (what, expr) in cases {
        let f = read_main(&provider(expr));
        assert_eq!(partner_id_of(&f), Resolved::Known(GUID.into()), "{what}");
        assert_eq!(f.providers[0].partner_id.as_ref().unwrap().raw, expr, "{what}");
    }

    // A `for` expression with line breaks after `&&` in its value, its condition and its
    // collection (P2; Azure/terraform-azurerm-caf-enterprise-scale modules/connectivity
    // locals.tf), and a template directive broken over lines (P3). The file is read and the
    // provider after them keeps its ID.
    let text = provider(&format!("\"{GUID}\""));
    let text = format!(
        "locals {{\n  m = {{ a = \"x\" }}\n  by_location = {{\n    for k, v in local.m :\n    k =>\n    var.on &&\n    anytrue([v != \"\"])\n    if v != null &&\n    true\n  }}\n  l = [for x in concat(\n    [], []) : x if x !=\n    \"\"]\n  t = \"%{{ if var.on &&\n    true }}y%{{ endif }}\"\n  u = <<EOT\n%{{ for x in concat(\n  [\"a\"],\n  []) ~}}\n${{x}}\n%{{ endfor ~}}\nEOT\n}}\n{text}"
    );
    let f = read_main(&text);
    assert_eq!(partner_id_of(&f), Resolved::Known(GUID.into()));
}

/// "Newlines ignored" ends at the closing bracket (P5): an object item after a call is its
/// own item, not the call minus one.
#[test]
fn terraform_syntax_newline_after_call_ends_the_object_item() {
    let f = read_main(&format!(
        "locals {{\n  ids = {{\n    cua = lower(\"{GUID}\")\n    -1 = \"minus one\"\n  }}\n}}\n\nprovider \"azurerm\" {{\n  features {{}}\n  partner_id = local.ids.cua\n}}\n"
    ));
    assert_eq!(partner_id_of(&f), Resolved::Known(GUID.into()));
}

/// A `pid-` deployment name built in a multi-line interpolation resolves.
#[test]
fn terraform_syntax_deployment_name_through_multiline_interpolation() {
    let f = read_main(&format!(
        "variable \"id\" {{\n  default = \"{GUID}\"\n}}\n\nresource \"azurerm_resource_group_template_deployment\" \"t\" {{\n  name = \"pid-${{\n    var.id != \"\" ?\n    var.id :\n    \"none\"\n  }}\"\n  resource_group_name = \"rg\"\n  deployment_mode     = \"Incremental\"\n  template_content    = jsonencode({{ resources = [] }})\n}}\n"
    ));
    assert!(f.errors.is_empty(), "{:?}", f.errors);
    assert_eq!(f.deployments.len(), 1);
    assert_eq!(f.deployments[0].name, Resolved::Known(format!("pid-{GUID}")));
    assert_eq!(at(f.deployments[0].name_span).0, 6);
}

/// What Terraform rejects stays rejected: a line break before `?` in an attribute value
/// outside brackets, with the line and column of the break.
#[test]
fn terraform_syntax_line_break_outside_brackets_is_still_an_error() {
    let f = read_main("locals {\n  a = var.x\n    ? 1 : 2\n}\n");
    assert_eq!(f.errors.len(), 1, "{:?}", f.errors);
    assert_eq!(f.errors[0].span.line, 3);
}

/// `for` expressions are evaluated over collections known before apply, so a partner_id built
/// through one (with the line breaks Terraform allows inside it) resolves; over an unknown
/// collection, or with `...` grouping, the value stays unknown.
#[test]
fn terraform_syntax_partner_id_through_for_expressions() {
    let f = read_main(&format!(
        "variable \"id\" {{\n  default = \"{GUID}\"\n}}\n\nlocals {{\n  ids = {{\n    for k, v in {{ cua = var.id, off = \"\" }} :\n    k =>\n    lower(v)\n    if v != \"\" &&\n    true\n  }}\n  first = [for i, x in [var.id, \"b\"] : x if i == 0][0]\n}}\n\nprovider \"azurerm\" {{\n  features {{}}\n  partner_id = local.ids[\"cua\"]\n}}\n\nprovider \"azapi\" {{\n  partner_id = local.first\n}}\n"
    ));
    assert_eq!(partner_id_of(&f), Resolved::Known(GUID.into()));
    assert_eq!(f.providers[1].partner_id.as_ref().unwrap().value, Resolved::Known(GUID.into()));
    for unknown in ["[for x in data.a.b : x][0]", "{ for x in [var.id] : \"k\" => x... }[\"k\"][0]", "[for x in [1] : each.value][0]"] {
        let f = read_main(&format!("variable \"id\" {{\n  default = \"{GUID}\"\n}}\nprovider \"azurerm\" {{\n  features {{}}\n  partner_id = {unknown}\n}}\n"));
        assert!(matches!(partner_id_of(&f), Resolved::Unknown(_)), "{unknown}: {:?}", partner_id_of(&f));
    }
}
