use super::{Code, Context, Rule, Sink};
use crate::report::Severity;
use crate::tracking::Class;

pub static RULE: Rule = Rule {
    code: Code::CUA104,
    name: "unregistered-id",
    severity: Severity::Error,
    applies_to: "ARM, Bicep, Terraform, code",
    summary: "A well-formed tracking ID is not in the registry of IDs registered in Partner Center.",
    why: "Usage is attributed only to GUIDs registered in Partner Center. A typo that still forms a valid GUID, or an ID copied from another project, silently credits nobody.",
    example: "# registry: pid-8d1a1e1b-1f2c-4d3e-9a4b-5c6d7e8f9a0b\n\"name\": \"pid-8d1a1e1b-1f2c-4d3e-9a4b-5c6d7e8f9a0c\"",
    example_lang: "text",
    fix: "Use an ID from the registry, or register the GUID in Partner Center and add it to the registry (`--registered`, `--registry FILE` or `cua-registry.json`).",
    autofix: None,
    check,
};

fn check(cx: &Context, out: &mut Sink) {
    if !cx.registry.checked {
        return;
    }
    for u in &cx.ids {
        let (class, run) = u.value_class();
        let Class::Valid(id) = class else { continue };
        if cx.registry.lookup(id).is_some() {
            continue;
        }
        let mut message = format!("tracking ID {} is not registered{}", super::quote(&id.id), super::set_by(run));
        let near = cx.registry.nearest(id);
        if let Some(n) = &near {
            message.push_str(&format!("; did you mean {}?", super::quote(&n.id.id)));
        }
        if let Some(f) = out.emit(&RULE, &cx.files[u.file], u.span, message) {
            f.help = Some(match near {
                Some(n) => format!("replace it with the registered ID {}", n.id.id),
                None => "register the GUID in Partner Center and add it to the registry, or use a registered ID".into(),
            });
        }
    }
}
