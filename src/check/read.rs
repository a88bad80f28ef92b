//! Reading the tree: every candidate file goes to the reader that claimed it, once; registry
//! files found in the tree are loaded into the registry.

use crate::check::discover::{Candidate, Walk};
use crate::model::{Problem, SourceFile};
use crate::options::settings::Settings;
use crate::partner_ids::{Registry, CONVENTIONAL};
use crate::sources::{decode, HostLoader, Input, ReadCx, Reader, Unit};
use crate::util::host::Host;

/// Everything read from the tree.
pub struct Read {
    pub files: Vec<SourceFile>,
    pub problems: Vec<Problem>,
    /// Files read (for the summary).
    pub count: usize,
    pub registry: Registry,
}

/// Read every file of `walk` with `readers`.
pub fn read_tree(host: &dyn Host, settings: &Settings, readers: &[&dyn Reader], walk: &Walk) -> Result<Read, String> {
    let mut registry = load_registry(host, settings)?;
    let mut problems = walk.problems.clone();
    let mut files: Vec<SourceFile> = Vec::new();
    let mut read_count = 0usize;

    // File readers first (in parallel where the host allows), then folder readers (a Terraform
    // module at a time), each folder in path order.
    let mut folders: std::collections::BTreeMap<(usize, &str), Vec<&Candidate>> = Default::default();
    let mut singles: Vec<&Candidate> = Vec::new();
    for c in &walk.files {
        if is_registry_file(&c.rel) {
            let loader = HostLoader { host, root: walk.root.clone(), limit: settings.max_file_size };
            let mut cx = read_cx(host, settings, &loader);
            let input = Input { rel: &c.rel, abs: &c.abs, tag: c.claim.tag };
            if let Some(bytes) = cx.reread(&input) {
                let loaded = decode(&bytes).map_err(|e| format!("registry file: {e}")).and_then(|t| registry.add_file(&c.rel, &t));
                if let Err(e) = loaded {
                    cx.unreadable(&c.rel, e);
                }
            }
            problems.extend(cx.problems);
            continue;
        }
        match readers[c.claim.reader].unit() {
            Unit::File => singles.push(c),
            Unit::Folder => folders.entry((c.claim.reader, parent(&c.rel))).or_default().push(c),
        }
    }
    for got in read_all(host, readers, &singles, settings, &walk.root) {
        files.extend(got.files);
        problems.extend(got.problems);
        read_count += got.count;
    }
    for ((reader, _), group) in &folders {
        let got = read_unit(host, readers[*reader], group, settings, &walk.root);
        files.extend(got.files);
        problems.extend(got.problems);
        read_count += got.count;
    }
    Ok(Read { files, problems, count: read_count, registry })
}

/// What reading one file gave.
#[derive(Default)]
struct Got {
    files: Vec<SourceFile>,
    problems: Vec<Problem>,
    count: usize,
}

fn read_cx<'a>(host: &'a dyn Host, settings: &'a Settings, loader: &'a HostLoader<'a>) -> ReadCx<'a> {
    ReadCx { host, limit: settings.max_file_size, mains: &settings.mains, sources: settings.sources, loader, problems: Vec::new(), count: 0 }
}

/// Read one unit (a file, or a folder's files) with its reader.
fn read_unit(host: &dyn Host, reader: &dyn Reader, group: &[&Candidate], settings: &Settings, root: &str) -> Got {
    let loader = HostLoader { host, root: root.to_string(), limit: settings.max_file_size };
    let mut cx = read_cx(host, settings, &loader);
    let inputs: Vec<Input> = group.iter().map(|c| Input { rel: &c.rel, abs: &c.abs, tag: c.claim.tag }).collect();
    let files = reader.read(&inputs, &mut cx);
    Got { files, problems: cx.problems, count: cx.count }
}

fn read_into(host: &dyn Host, readers: &[&dyn Reader], c: &Candidate, settings: &Settings, root: &str) -> Got {
    read_unit(host, readers[c.claim.reader], &[c], settings, root)
}

/// Read and check every candidate, in their order. Where the host allows it (natively), the
/// files are shared out between threads, one file at a time each; the results are put back in
/// order, so the report is the same as from one thread (and from the WebAssembly build).
fn read_all(host: &dyn Host, readers: &[&dyn Reader], list: &[&Candidate], settings: &Settings, root: &str) -> Vec<Got> {
    #[cfg(not(target_arch = "wasm32"))]
    if let Some(shared) = host.shared() {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
        if threads > 1 && list.len() >= 64 {
            use std::sync::atomic::{AtomicUsize, Ordering};
            let next = AtomicUsize::new(0);
            let mut slots: Vec<Option<Got>> = (0..list.len()).map(|_| None).collect();
            let parts: Vec<Vec<(usize, Got)>> = std::thread::scope(|scope| {
                let workers: Vec<_> = (0..threads)
                    .map(|_| {
                        scope.spawn(|| {
                            let mut mine = Vec::new();
                            loop {
                                let i = next.fetch_add(1, Ordering::Relaxed);
                                let Some(c) = list.get(i) else { break };
                                mine.push((i, read_into(shared, readers, c, settings, root)));
                            }
                            mine
                        })
                    })
                    .collect();
                // A panic in a worker is re-raised here, as it would be on one thread.
                workers.into_iter().map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
            });
            for (i, got) in parts.into_iter().flatten() {
                slots[i] = Some(got);
            }
            return slots.into_iter().map(Option::unwrap_or_default).collect();
        }
    }
    list.iter().map(|c| read_into(host, readers, c, settings, root)).collect()
}

pub fn parent(rel: &str) -> &str {
    rel.rfind('/').map(|i| &rel[..i]).unwrap_or("")
}

/// Registry files found in the tree (any folder) are read too.
fn is_registry_file(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    CONVENTIONAL.iter().any(|c| c.rsplit('/').next() == Some(name))
}

fn load_registry(host: &dyn Host, settings: &Settings) -> Result<Registry, String> {
    let mut reg = Registry::default();
    for (id, source) in &settings.registered {
        reg.add_str(id, source)?;
    }
    for path in &settings.registry_files {
        let bytes = host.read_file(path, REGISTRY_LIMIT).map_err(|e| format!("registry file {path}: {e}"))?;
        let text = decode(&bytes).map_err(|e| format!("registry file {path}: {e}"))?;
        reg.add_file(path, &text)?;
    }
    for c in &settings.confined_registry_files {
        let named = || format!("registry file {} (named in {})", crate::util::host::shown(&c.path, 200), crate::util::host::shown(&c.from, 200));
        let bytes = crate::util::host::read_confined(host, &c.root, &c.path, REGISTRY_LIMIT).map_err(|e| format!("{}: {e}", named()))?;
        let text = decode(&bytes).map_err(|e| format!("{}: {e}", named()))?;
        reg.add_file(&c.path, &text).map_err(|e| crate::util::host::shown(&e, 400))?;
    }
    Ok(reg)
}

/// The largest registry file read.
const REGISTRY_LIMIT: u64 = 16 * 1024 * 1024;
