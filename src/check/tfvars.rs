//! Where Terraform would take a variable's value at run time: `TF_VAR_<name>` set in a
//! workflow, a script, a `.env` file or a Dockerfile of the repository (with one level of
//! `TF_VAR_x=$OTHER` followed to `OTHER`'s literal value). A cross-file step: it links the
//! Terraform reader's dynamic tracking names to what the code reader's files set.
//! Only files the walk already found are read, through the host, inside the checked root.

use crate::check::discover::Walk;
use crate::model::{Form, SourceFile};
use crate::rules::{IdUse, RunValue, Via};
use crate::tracking::{self, Class};
use crate::util::host::Host;

/// For every dynamic Terraform tracking name `"pid-${var.x}"`, the value `TF_VAR_x` gets in
/// the repository, if one is set there. Reads nothing when there is no such name.
pub fn attach_run_values(host: &dyn Host, walk: &Walk, limit: u64, files: &[SourceFile], ids: &mut [IdUse]) {
    let wanted: Vec<(usize, String)> = ids
        .iter()
        .enumerate()
        .filter_map(|(i, u)| {
            let Via::Deployment(d) = u.via else { return None };
            if !matches!(u.class, Class::Dynamic { .. }) || files[u.file].deployments[d].form != Form::TerraformResource {
                return None;
            }
            Some((i, var_after_pid(&u.raw)?))
        })
        .collect();
    if wanted.is_empty() {
        return;
    }
    let mut texts: Vec<(String, String)> = Vec::new();
    for c in &walk.files {
        if !is_env_source(&c.rel) {
            continue;
        }
        let Ok(bytes) = host.read_file(&c.abs, limit) else { continue };
        let Ok(text) = String::from_utf8(bytes) else { continue };
        texts.push((c.rel.clone(), text));
    }
    let assigns: Vec<Assign> = texts.iter().flat_map(|(p, t)| assignments(p, t)).collect();
    // The first assignment of each name, and the first that is not a reference to another.
    let mut first: std::collections::HashMap<&str, &Assign> = std::collections::HashMap::new();
    let mut first_literal: std::collections::HashMap<&str, &Assign> = std::collections::HashMap::new();
    for a in &assigns {
        first.entry(a.name.as_str()).or_insert(a);
        if reference(&a.value).is_none() {
            first_literal.entry(a.name.as_str()).or_insert(a);
        }
    }
    for (i, var) in wanted {
        let key = format!("TF_VAR_{var}");
        let Some(a) = first.get(key.as_str()).copied() else { continue };
        let (value, from) = match reference(&a.value) {
            Some(other) => match first_literal.get(other.as_str()).copied() {
                Some(b) => (b.value.clone(), format!("{key} at {}:{}, from {other} at {}:{}", a.path, a.line, b.path, b.line)),
                None => continue,
            },
            None => (a.value.clone(), format!("{key} at {}:{}", a.path, a.line)),
        };
        if value.is_empty() {
            continue;
        }
        let value = format!("pid-{value}");
        let class = tracking::classify(&crate::model::Resolved::Known(value.clone()));
        ids[i].run_value = Some(RunValue { value, class, from });
    }
}

/// `x` in `"pid-${var.x}"` (the variable right after the prefix).
fn var_after_pid(raw: &str) -> Option<String> {
    let low = raw.to_ascii_lowercase();
    let at = low.find("pid-${var.")? + "pid-${var.".len();
    let name: String = raw[at..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-').collect();
    (!name.is_empty()).then_some(name)
}

fn is_env_source(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel).to_ascii_lowercase();
    let workflow = rel.starts_with(".github/workflows/") && (name.ends_with(".yml") || name.ends_with(".yaml"));
    workflow
        || name.ends_with(".sh")
        || name.ends_with(".ps1")
        || name == ".env"
        || name.ends_with(".env")
        || name == "dockerfile"
        || name.starts_with("dockerfile.")
        || name.ends_with(".dockerfile")
}

#[derive(Debug)]
struct Assign {
    name: String,
    value: String,
    path: String,
    line: u32,
}

/// `NAME=value` (shell, `.env`, `export`, `set`), `ENV NAME=value` / `ENV NAME value`
/// (Dockerfile), `$env:NAME = "value"` / `$NAME = "value"` (PowerShell), `NAME: value` (YAML).
fn assignments(path: &str, text: &str) -> Vec<Assign> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let mut l = line.trim();
        if l.starts_with('#') && !l.starts_with("#{") {
            continue;
        }
        for p in ["export ", "ENV ", "set ", "- "] {
            if let Some(r) = l.strip_prefix(p) {
                l = r.trim_start();
            }
        }
        let l = l.strip_prefix("$env:").or_else(|| l.strip_prefix("$Env:")).or_else(|| l.strip_prefix('$')).unwrap_or(l);
        let name: String = l.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        if name.is_empty() {
            continue;
        }
        let rest = l[name.len()..].trim_start();
        let value = if let Some(v) = rest.strip_prefix('=') {
            v
        } else if let Some(v) = rest.strip_prefix(':') {
            v
        } else if path.to_ascii_lowercase().contains("dockerfile") && line.trim_start().starts_with("ENV ") && !rest.is_empty() {
            rest
        } else {
            continue;
        };
        let value = unquote(value.trim());
        out.push(Assign { name, value, path: path.to_string(), line: n as u32 + 1 });
    }
    out
}

fn unquote(v: &str) -> String {
    let v = v.split(" #").next().unwrap_or(v).trim();
    let v = v.trim_end_matches(';').trim();
    for q in ['"', '\''] {
        if let Some(inner) = v.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner.to_string();
        }
    }
    v.to_string()
}

/// `$OTHER`, `${OTHER}`, `$env:OTHER`, `${{ env.OTHER }}`, `${{ secrets.OTHER }}`: the name
/// referred to, when the whole value is one reference.
fn reference(v: &str) -> Option<String> {
    let v = v.trim();
    let inner = if let Some(r) = v.strip_prefix("${{").and_then(|r| r.strip_suffix("}}")) {
        let r = r.trim();
        r.strip_prefix("env.").or_else(|| r.strip_prefix("vars.")).or_else(|| r.strip_prefix("secrets."))?.to_string()
    } else if let Some(r) = v.strip_prefix("${").and_then(|r| r.strip_suffix('}')) {
        r.to_string()
    } else if let Some(r) = v.strip_prefix("$env:").or_else(|| v.strip_prefix("$Env:")) {
        r.to_string()
    } else if let Some(r) = v.strip_prefix('$') {
        r.to_string()
    } else {
        return None;
    };
    (!inner.is_empty() && inner.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')).then_some(inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(path: &str, text: &str, name: &str) -> Option<(String, u32)> {
        assignments(path, text).into_iter().find(|a| a.name == name).map(|a| (a.value, a.line))
    }

    #[test]
    fn reads_each_way_of_setting_a_variable() {
        assert_eq!(find("s.sh", "#!/bin/bash\nexport TF_VAR_cuaId=\"abc\"\n", "TF_VAR_cuaId"), Some(("abc".into(), 2)));
        assert_eq!(find("s.ps1", "$env:TF_VAR_cuaId = 'abc'\n", "TF_VAR_cuaId"), Some(("abc".into(), 1)));
        assert_eq!(find(".github/workflows/d.yml", "env:\n  TF_VAR_cuaId: abc\n", "TF_VAR_cuaId"), Some(("abc".into(), 2)));
        assert_eq!(find("Dockerfile", "FROM x\nENV TF_VAR_cuaId abc\n", "TF_VAR_cuaId"), Some(("abc".into(), 2)));
        assert_eq!(find(".env", "TF_VAR_cuaId=abc # the id\n", "TF_VAR_cuaId"), Some(("abc".into(), 1)));
        // A comment is not an assignment.
        assert_eq!(find("s.sh", "# export TF_VAR_cuaId=abc\n", "TF_VAR_cuaId"), None);
    }

    #[test]
    fn references_name_one_variable() {
        assert_eq!(reference("$CUA_ID"), Some("CUA_ID".into()));
        assert_eq!(reference("${CUA_ID}"), Some("CUA_ID".into()));
        assert_eq!(reference("${{ secrets.CUA_ID }}"), Some("CUA_ID".into()));
        assert_eq!(reference("abc"), None);
        assert_eq!(reference("$A-$B"), None);
    }

    #[test]
    fn finds_the_variable_after_the_prefix() {
        assert_eq!(var_after_pid("\"pid-${var.cuaId}\"").as_deref(), Some("cuaId"));
        assert_eq!(var_after_pid("\"pid-${local.x}\""), None);
    }
}
