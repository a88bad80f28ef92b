use super::{Code, Context, Rule, Sink};
use crate::model::Kind;
use crate::report::Severity;
use crate::tracking::Class;

pub static RULE: Rule = Rule {
    code: Code::CUA119,
    name: "compiled-mismatch",
    severity: Severity::Error,
    applies_to: "Bicep + compiled ARM JSON",
    summary: "A Bicep file and the ARM JSON compiled from it next to it carry different tracking IDs.",
    why: "What is published (Marketplace packages, deploy buttons) is usually the compiled JSON. When it is stale, the tracking ID customers deploy is not the one in the Bicep source.",
    example: "main.bicep:  name: 'pid-8d1a1e1b-1f2c-4d3e-9a4b-5c6d7e8f9a0b'\nmain.json:   \"name\": \"pid-00000000-1f2c-4d3e-9a4b-5c6d7e8f9a0b\"",
    example_lang: "text",
    fix: "Rebuild the JSON (`az bicep build --file main.bicep`) and commit it.",
    autofix: None,
    check,
};

fn ids(cx: &Context, f: usize) -> Vec<String> {
    let mut v: Vec<String> = cx
        .deployments(f)
        .filter(|(d, _)| !d.nested)
        .filter_map(|(_, c)| if let Class::Valid(id) = c { Some(id.id.clone()) } else { None })
        .collect();
    crate::util::sort::sort_by(&mut v, Ord::cmp);
    v.dedup();
    v
}

/// The compiled JSON files that may sit next to a Bicep file.
fn compiled_candidates(bicep_path: &str) -> Vec<String> {
    let (dir, file) = match bicep_path.rfind('/') {
        Some(i) => (&bicep_path[..=i], &bicep_path[i + 1..]),
        None => ("", bicep_path),
    };
    let stem = &file[..file.len() - ".bicep".len().min(file.len())];
    let mut v = vec![format!("{dir}{stem}.json")];
    if stem.eq_ignore_ascii_case("main") {
        v.push(format!("{dir}azuredeploy.json"));
        v.push(format!("{dir}mainTemplate.json"));
    }
    v
}

fn check(cx: &Context, out: &mut Sink) {
    // The ARM files by path, ignoring ASCII case (the first in file order), looked up for each
    // Bicep file instead of a scan of every file.
    let mut arm: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (j, x) in cx.files.iter().enumerate().filter(|(_, x)| x.kind == Kind::Arm) {
        arm.entry(x.path.to_ascii_lowercase()).or_insert(j);
    }
    for (b, bicep) in cx.files.iter().enumerate() {
        if bicep.kind != Kind::Bicep || !bicep.path.to_ascii_lowercase().ends_with(".bicep") {
            continue;
        }
        for cand in compiled_candidates(&bicep.path) {
            let Some(&j) = arm.get(&cand.to_ascii_lowercase()) else { continue };
            let (a, c) = (ids(cx, b), ids(cx, j));
            if a != c {
                let show = |v: &Vec<String>| if v.is_empty() { "none".to_string() } else { v.join(", ") };
                let message = format!(
                    "tracking IDs differ from the compiled {}: the Bicep file has {}, the JSON has {}",
                    super::quote(&cx.files[j].path),
                    show(&a),
                    show(&c)
                );
                if let Some(x) = out.emit(&RULE, bicep, bicep.anchor, message) {
                    x.help = Some(format!("rebuild it: az bicep build --file {}", bicep.path));
                }
            }
        }
    }
}
