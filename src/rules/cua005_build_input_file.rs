use super::{Code, Context, Rule, Sink};
use crate::report::Severity;

pub static RULE: Rule = Rule {
    code: Code::CUA005,
    name: "build-input-file",
    severity: Severity::Notice,
    applies_to: "all",
    summary: "A file is the input of a build (it holds build placeholders), not a deployable template.",
    why: "A template generator or a build tool (Maven resource filtering, a script) replaces placeholders such as `##SEVERITY##` or `${arm.api.version}` before anything is deployed. The file as written is not what Azure deploys, and often not even valid JSON or Bicep, so it is reported once as a build input instead of as a broken file (CUA001): the templates the build writes are the ones to check. Recognised: `##NAME##` generator tokens (capitals, digits, `_`) in a file that does not parse as it is, and Maven-style `${prop}` properties in a resource `type` or `apiVersion`, or where the parse fails.",
    example: "{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n  \"contentVersion\": \"1.0.0.0\",\n  \"parameters\": {\n    \"severity\": { \"type\": \"int\", \"defaultValue\": ##SEVERITY## }\n  },\n  \"resources\": []\n}",
    example_lang: "json",
    fix: "Nothing to fix in this file. Run cua-check on the templates the build produces (for example in the workflow step after the build), and exclude the build inputs from the scan if the notice is not wanted (`exclude` in the configuration).",
    autofix: None,
    check,
};

/// How many tokens the message names.
const NAMED: usize = 4;

fn check(cx: &Context, out: &mut Sink) {
    for f in cx.files.iter().filter(|f| !f.build_tokens.is_empty()) {
        let t = &f.build_tokens;
        let mut names: Vec<String> = t.iter().take(NAMED).map(|x| format!("`{}`", x.value)).collect();
        if t.len() > NAMED {
            names.push(format!("{} more", t.len() - NAMED));
        }
        let list = match names.len() {
            1 => names[0].clone(),
            n => format!("{} and {}", names[..n - 1].join(", "), names[n - 1]),
        };
        let what = if t.len() == 1 { "the build placeholder" } else { "the build placeholders" };
        let parse = match f.errors.first() {
            Some(e) => format!(" As written it does not parse (line {}, column {}).", e.span.line, e.span.column),
            None => String::new(),
        };
        let message = format!(
            "this file is an input of a build, not a deployable template: it holds {what} {list}, which the build replaces.{parse} Check the templates the build writes instead."
        );
        out.emit(&RULE, f, t[0].span, message);
    }
}
