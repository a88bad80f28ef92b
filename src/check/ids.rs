//! Every place a tracking ID (or an attempt at one) is carried, in every language, and the
//! report's tracking entries.

use crate::model::{Resolved, SourceFile};
use crate::partner_ids::Registry;
use crate::report::TrackingEntry;
use crate::rules::{IdUse, Via};
use crate::tracking::{self, Class};

/// The tracking class of every deployment name: `classes[f][d]`.
pub fn classes(files: &[SourceFile]) -> Vec<Vec<Class>> {
    files.iter().map(|f| f.deployments.iter().map(|d| tracking::classify(&d.name)).collect()).collect()
}

pub fn collect_ids(files: &[SourceFile], classes: &[Vec<Class>]) -> Vec<IdUse> {
    let mut ids = Vec::new();
    for (fi, f) in files.iter().enumerate() {
        for (di, d) in f.deployments.iter().enumerate() {
            let class = classes[fi][di].clone();
            let class = match (&class, &d.name) {
                // `[parameters('x')]` with no default, written for a pid- name: dynamic.
                (Class::None, Resolved::Unknown(_)) if d.name_raw.to_ascii_lowercase().contains("pid") => {
                    Class::Dynamic { prefix: String::new() }
                }
                _ => class,
            };
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
            });
        }
        for (pi, p) in f.providers.iter().enumerate() {
            let Some(pid) = &p.partner_id else { continue };
            let class = tracking::classify_partner_id(&pid.value);
            if class == Class::None {
                continue;
            }
            ids.push(IdUse { file: fi, via: Via::Provider(pi), span: pid.span, raw: pid.raw.clone(), class, nested: false, conditional: false });
        }
        for (ui, u) in f.user_agents.iter().enumerate() {
            for class in tracking::classify_user_agent(&u.value, &u.channel) {
                ids.push(IdUse { file: fi, via: Via::UserAgent(ui), span: u.span, raw: u.raw.clone(), class, nested: false, conditional: false });
            }
        }
    }
    ids
}

/// The valid tracking IDs of file `fi`, as the report lists them.
pub fn tracking_entries(fi: usize, f: &SourceFile, ids: &[IdUse], registry: &Registry) -> Vec<TrackingEntry> {
    ids.iter()
        .filter(|u| u.file == fi)
        .filter_map(|u| {
            let Class::Valid(id) = &u.class else { return None };
            let reg = registry.checked.then(|| registry.lookup(id).is_some());
            Some(TrackingEntry {
                name: u.raw.clone(),
                id: id.id.clone(),
                guid: id.guid.clone(),
                line: u.span.line,
                column: u.span.column,
                registered: reg,
                nested: u.nested,
                conditional: u.conditional,
                via: via_name(f, u.via),
                description: registry.lookup(id).and_then(|e| e.description.clone()),
            })
        })
        .collect()
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
