//! Every place a tracking ID (or an attempt at one) is carried, in every language, and the
//! report's tracking entries.

use crate::model::{Resolved, SourceFile};
use crate::partner_ids::Registry;
use crate::report::TrackingEntry;
use crate::rules::{IdUse, Via};
use crate::tracking::{self, Class};

/// The tracking class of every deployment name: `classes[f][d]`.
pub fn classes(files: &[SourceFile]) -> Vec<Vec<Class>> {
    files.iter().map(|f| f.deployments.iter().map(deployment_class).collect()).collect()
}

fn deployment_class(d: &crate::model::Deployment) -> Class {
    let class = tracking::classify(&d.name);
    match (&class, &d.name) {
        // `[parameters('x')]` with no default, written for a pid- name: dynamic.
        (Class::None, Resolved::Unknown(_)) if d.name_raw.to_ascii_lowercase().contains("pid") => {
            Class::Dynamic { prefix: String::new() }
        }
        // Not evaluated (the file's evaluation budget was spent): it may be an ID; CUA114 says why.
        (Class::None, Resolved::Unknown(r)) if r == crate::sources::arm::expr::budget::FILE_SPENT => {
            Class::Dynamic { prefix: String::new() }
        }
        // `"pid-${var.x}"` where `x` defaults to "" (the value comes at run time): the
        // name resolves to a bare `pid-`, but it is written with an expression after it.
        (Class::None, Resolved::Known(s)) if bare_pid_from_expression(s, &d.name_raw) => {
            Class::Dynamic { prefix: s.clone() }
        }
        // `${customer.usage.attribution.id}`: a build placeholder (resolved, if the build
        // defines it, by `check::placeholders`).
        (Class::None, Resolved::Known(s)) if crate::check::placeholders::token(s).is_some() => {
            crate::check::placeholders::unresolved(s).unwrap_or(class)
        }
        _ => class,
    }
}

pub fn collect_ids(files: &[SourceFile], classes: &[Vec<Class>]) -> Vec<IdUse> {
    let mut ids = Vec::new();
    for (fi, f) in files.iter().enumerate() {
        for (di, d) in f.deployments.iter().enumerate() {
            let class = classes[fi][di].clone();
            if class == Class::None {
                continue;
            }
            ids.push(IdUse {
                file: fi,
                via: Via::Deployment(di),
                span: d.name_span,
                raw: d.name_raw.clone(),
                class,
                nested: d.nested,
                conditional: d.condition.is_some(),
                run_value: None,
            });
        }
        for (pi, p) in f.providers.iter().enumerate() {
            let Some(pid) = &p.partner_id else { continue };
            let class = tracking::classify_partner_id(&pid.value);
            if class == Class::None {
                continue;
            }
            ids.push(IdUse { file: fi, via: Via::Provider(pi), span: pid.span, raw: pid.raw.clone(), class, nested: false, conditional: false, run_value: None });
        }
        for (ui, u) in f.user_agents.iter().enumerate() {
            for class in tracking::classify_user_agent(&u.value, &u.channel) {
                ids.push(IdUse { file: fi, via: Via::UserAgent(ui), span: u.span, raw: u.raw.clone(), class, nested: false, conditional: false, run_value: None });
            }
        }
    }
    ids
}

/// A name that resolves to `pid-` and nothing more, written with an expression after the
/// prefix (`"pid-${var.cuaId}"`, `[concat('pid-', parameters('x'))]`): the ID is set at run time.
fn bare_pid_from_expression(resolved: &str, raw: &str) -> bool {
    let r = resolved.trim().to_ascii_lowercase();
    if r != "pid-" {
        return false;
    }
    let low = raw.to_ascii_lowercase();
    let Some(at) = low.find("pid-") else { return false };
    let after = &low[at + 4..];
    after.contains("${") || after.contains("var.") || after.contains("local.") || low.contains("parameters(") || low.contains("variables(")
}

/// The tracking entries of file `f`, as the report lists them: every valid ID, and every
/// dynamic one (`id: null`, its value is only known at deployment). `uses` are the file's own
/// tracking uses, in the order of [`collect_ids`] (see [`by_file`]).
pub fn tracking_entries<'a>(f: &SourceFile, uses: impl Iterator<Item = &'a IdUse>, registry: &Registry) -> Vec<TrackingEntry> {
    uses
        .filter_map(|u| {
            let id = match &u.class {
                Class::Valid(id) => id,
                Class::Dynamic { .. } if !matches!(u.via, Via::UserAgent(_)) || u.raw.to_ascii_lowercase().contains("pid-") => {
                    // The value set at run time, when the repository sets one (`TF_VAR_x`).
                    let found = u.run_value.as_ref().and_then(|r| match &r.class {
                        Class::Valid(id) => Some((id, r.from.clone())),
                        _ => None,
                    });
                    return Some(TrackingEntry {
                        name: u.raw.clone(),
                        id: found.as_ref().map(|(id, _)| id.id.clone()),
                        guid: found.as_ref().and_then(|(id, _)| id.guid.clone()),
                        value_from: u.run_value.as_ref().map(|r| r.from.clone()),
                        line: u.span.line,
                        column: u.span.column,
                        registered: found.as_ref().and_then(|(id, _)| registry.checked.then(|| registry.lookup(id).is_some())),
                        nested: u.nested,
                        conditional: u.conditional,
                        via: via_name(f, u.via),
                        description: None,
                    });
                }
                _ => return None,
            };
            let reg = registry.checked.then(|| registry.lookup(id).is_some());
            Some(TrackingEntry {
                name: u.raw.clone(),
                id: Some(id.id.clone()),
                guid: id.guid.clone(),
                line: u.span.line,
                column: u.span.column,
                registered: reg,
                nested: u.nested,
                conditional: u.conditional,
                via: via_name(f, u.via),
                value_from: u.run_value.as_ref().map(|r| r.from.clone()),
                description: registry.lookup(id).and_then(|e| e.description.clone()),
            })
        })
        .collect()
}

/// The indices of each file's tracking uses: `by_file(files.len(), ids)[f]`, in `ids` order.
pub fn by_file(files: usize, ids: &[IdUse]) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); files];
    for (i, u) in ids.iter().enumerate() {
        out[u.file].push(i);
    }
    out
}

fn via_name(f: &SourceFile, via: Via) -> String {
    match via {
        Via::Deployment(i) => match f.deployments[i].form {
            crate::model::Form::BicepModule => "module".into(),
            crate::model::Form::TerraformResource => "terraform-deployment".into(),
            _ => "deployment".into(),
        },
        Via::Provider(i) => format!("provider:{}", f.providers[i].name),
        Via::UserAgent(i) => format!("user-agent:{}", f.user_agents[i].channel),
    }
}
