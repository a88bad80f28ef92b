//! Bicep parameters files reach their template: a `.bicepparam` file's `using './main.bicep'`
//! names the template that `az deployment … --parameters x.bicepparam` deploys with its
//! values, so the template's deployments (tracking names, conditions, modes) are evaluated
//! again with them. A cross-file step: the Bicep reader reads one file at a time.
//!
//! Several parameters files for one template: a deployment takes the values' result only when
//! every one of them gives the same deployment (same name, condition, mode); where they
//! differ it stays as the template alone gives it. The first tracking name each file sets is
//! said in the report (`valueFrom`).

use crate::model::{Kind, SourceFile};
use crate::sources::bicep::params::given;
use crate::sources::bicep::read_with;
use crate::sources::HostLoader;
use crate::util::host::Host;

/// Most parameters files taken for one template.
const MAX_FILES: usize = 32;

/// Re-evaluate every template a parameters file points at. Returns the deployments whose name
/// the parameters changed or left unresolved, `((file, deployment), "with the values of
/// p.bicepparam")`.
pub fn apply(host: &dyn Host, root: &str, limit: u64, files: &mut [SourceFile]) -> Vec<((usize, usize), String)> {
    let mut out = Vec::new();
    let loader = HostLoader { host, root: root.to_string(), limit };
    // The parameters files of each template path, in file order (found once, not by a scan of
    // every file per template).
    let mut by_using: std::collections::HashMap<String, Vec<usize>> = std::collections::HashMap::new();
    for (p, f) in files.iter().enumerate() {
        if let Some(using) = f.params.as_ref().and_then(|pf| pf.using.as_ref()) {
            by_using.entry(using.clone()).or_default().push(p);
        }
    }
    for t in 0..files.len() {
        if files[t].kind != Kind::Bicep || files[t].params.is_some() || !files[t].errors.is_empty() {
            continue;
        }
        let path = files[t].path.clone();
        let Some(users) = by_using.get(&path) else { continue };
        // Each file means reading the template once more; a few dozen is plenty to agree on.
        let users = &users[..users.len().min(MAX_FILES)];
        let Some(text) = crate::model::Loader::load(&loader, &path) else { continue };
        let runs: Vec<Vec<crate::model::Deployment>> = users
            .iter()
            .map(|&p| {
                let values = given(&files[p].params.as_ref().map(|pf| pf.values.clone()).unwrap_or_default());
                read_with(&path, &text, &loader, &values).deployments
            })
            .collect();
        let names: Vec<String> = users.iter().map(|&p| files[p].path.clone()).collect();
        let from = match names.len() {
            1 => format!("with the values of {}", names[0]),
            n if n <= 3 => format!("with the values of {} (all agree)", names.join(", ")),
            n => format!("with the values of {} and {} more parameters files (all agree)", names[..3].join(", "), n - 3),
        };
        let own = std::mem::take(&mut files[t].deployments);
        let mut merged = Vec::with_capacity(own.len());
        // Deployments by declaration: the values may add one (a resource whose name now has
        // `pid-`) or drop one.
        let mut spans: Vec<crate::model::Span> = own.iter().map(|d| d.span).collect();
        for d in &runs[0] {
            if !spans.contains(&d.span) {
                spans.push(d.span);
            }
        }
        crate::util::sort::sort_by_key(&mut spans, |s| s.start);
        for s in spans {
            let mine = own.iter().find(|d| d.span == s);
            let theirs: Vec<Option<&crate::model::Deployment>> = runs.iter().map(|r| r.iter().find(|d| d.span == s)).collect();
            let agreed = theirs.iter().all(|d| *d == theirs[0]);
            let pick = if agreed { theirs[0] } else { mine };
            let Some(d) = pick else { continue };
            let changed = mine.map(|m| &m.name) != Some(&d.name);
            if agreed && (changed || !matches!(d.name, crate::model::Resolved::Known(_))) {
                out.push(((t, merged.len()), from.clone()));
            } else if !agreed {
                // Say what each file gives (the first few).
                let each: Vec<String> = names
                    .iter()
                    .zip(&theirs)
                    .take(3)
                    .map(|(n, d)| format!("{n}: {}", d.map_or("no such deployment".to_string(), |d| crate::util::host::shown(&d.name.display(), 120))))
                    .collect();
                let more = if names.len() > 3 { format!("; and {} more", names.len() - 3) } else { String::new() };
                out.push(((t, merged.len()), format!("its parameters files give different values ({}{more})", each.join("; "))));
            }
            merged.push(d.clone());
        }
        files[t].deployments = merged;
    }
    out
}
