//! Compile-time imports: `import {a, b as c} from './x.bicep'` and `import * as ns from …`.
//! The imported variables are evaluated in their own file (with that file's own imports, a few
//! levels deep) and given to the importing file's evaluation as values. Files are read through
//! the [`Loader`] (inside the checked tree); registry paths (`br:`, `ts:`) are not followed.

use super::eval::{dir_of, join_path, Env, Val};
use super::parser::{self, Decl, DeclKind};
use crate::model::Loader;

/// Most files followed through imports of imports.
const MAX_HOPS: u32 = 4;
/// Most files read for the imports of one file (imports of imports included).
const MAX_LOADS: u32 = 32;

/// The values the file's `import` statements bring in, by local name (`ns.name` for a
/// wildcard import). `depth` counts the hops already followed.
pub fn imported(decls: &[Decl], path: &str, loader: &dyn Loader) -> Vec<(String, Val<'static>)> {
    let loads = std::cell::Cell::new(0);
    follow(decls, path, loader, 0, &loads)
}

fn follow(decls: &[Decl], path: &str, loader: &dyn Loader, depth: u32, loads: &std::cell::Cell<u32>) -> Vec<(String, Val<'static>)> {
    let mut out = Vec::new();
    let dir = dir_of(path);
    for d in decls {
        let DeclKind::Import { names, wildcard, path: from } = &d.kind else { continue };
        let target = if super::is_registry(from) { None } else { join_path(&dir, from) };
        let got = match target {
            _ if depth >= MAX_HOPS => Err(format!("imported through more than {MAX_HOPS} files; not followed")),
            _ if loads.get() >= MAX_LOADS => Err(format!("more than {MAX_LOADS} imported files; not followed")),
            None => Err(format!("imported from '{from}', which is not read (a registry module or outside the tree)")),
            Some(t) if t.to_ascii_lowercase().ends_with(".json") => Err(format!("imported from the ARM template '{t}'; not evaluated")),
            Some(t) => match {
                loads.set(loads.get() + 1);
                loader.load(&t)
            } {
                Some(text) if text.len() <= super::eval::MAX_STR => {
                    let want: Option<Vec<&str>> = if wildcard.is_some() { None } else { Some(names.iter().map(|(n, _)| n.as_str()).collect()) };
                    Ok(exports(&t, &text, loader, want.as_deref(), depth + 1, loads))
                }
                _ => Err(format!("imported from '{t}', which cannot be read")),
            },
        };
        match (got, wildcard) {
            (Ok(vals), Some(ns)) => {
                for (n, v) in vals {
                    out.push((format!("{ns}.{n}"), v));
                }
            }
            (Ok(vals), None) => {
                for (name, local) in names {
                    let v = vals.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
                    // Types and functions are imported too; only variables have values.
                    if let Some(v) = v {
                        out.push((local.clone(), v));
                    }
                }
            }
            (Err(why), Some(ns)) => out.push((format!("{ns}.*"), Val::Unknown(why))),
            (Err(why), None) => {
                for (_, local) in names {
                    out.push((local.clone(), Val::Unknown(why.clone())));
                }
            }
        }
    }
    out
}

/// The variables of the Bicep file at root-relative `path` (only `want` when given), each
/// evaluated in that file. Bicep lets only `@export()` variables be imported; the compiler
/// checks that, so every variable is offered here.
fn exports(path: &str, text: &str, loader: &dyn Loader, want: Option<&[&str]>, depth: u32, loads: &std::cell::Cell<u32>) -> Vec<(String, Val<'static>)> {
    let parsed = parser::parse(text);
    if let Some(e) = &parsed.error {
        let why = format!("'{path}' could not be read (line {}: {})", e.span.line, e.message);
        return match want {
            Some(w) => w.iter().map(|n| (n.to_string(), Val::Unknown(why.clone()))).collect(),
            None => Vec::new(),
        };
    }
    let mut env = Env::new(text, path, loader, &parsed.decls);
    for (n, v) in follow(&parsed.decls, path, loader, depth, loads) {
        env.give(&n, v);
    }
    let mut out = Vec::new();
    for d in &parsed.decls {
        let DeclKind::Var { name, value } = &d.kind else { continue };
        if want.is_some_and(|w| !w.contains(&name.as_str())) {
            continue;
        }
        let v = env.eval(value);
        let v = env.detach(v);
        out.push((name.clone(), v));
    }
    out
}
