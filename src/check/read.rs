//! Reading the tree: every candidate file goes to the reader that claimed it, once; registry
//! files found in the tree are loaded into the registry.

use crate::check::discover::{Candidate, Walk};
use crate::check::wire::{In, Out, Res, Wire};
use crate::model::{Problem, SourceFile};
use crate::options::settings::{Settings, Sources};
use crate::partner_ids::{Registry, CONVENTIONAL};
use crate::sources::{decode, Claim, HostLoader, Input, ReadCx, Reader, Unit, READERS};
use crate::util::glob::Glob;
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

/// Below this many files, reading them in parallel costs more than it saves
/// (`CUA_CHECK_PARALLEL_MIN` overrides it, e.g. for tests on small trees).
const PARALLEL_MIN: usize = 64;

fn parallel_min(host: &dyn Host) -> usize {
    host.env("CUA_CHECK_PARALLEL_MIN").and_then(|v| v.trim().parse().ok()).unwrap_or(PARALLEL_MIN)
}

/// Read and check every candidate, in their order. Where the host allows it, the files are
/// shared out, one file at a time: natively between threads, in Node between worker threads
/// with a core each (through [`Host::start_jobs`] and [`serve_jobs`]). The results are put back
/// in order, so the report is the same as from one thread.
fn read_all(host: &dyn Host, readers: &[&dyn Reader], list: &[&Candidate], settings: &Settings, root: &str) -> Vec<Got> {
    let min = parallel_min(host).max(2);
    #[cfg(not(target_arch = "wasm32"))]
    if let Some(shared) = host.shared() {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
        if threads > 1 && list.len() >= min {
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
    // Helpers run the built-in readers only (a test's own readers stay on this thread).
    let builtin = readers.len() == READERS.len() && readers.iter().zip(READERS).all(|(a, b)| std::ptr::addr_eq(*a, *b));
    if builtin && list.len() >= min {
        if let Some(got) = read_with_helpers(host, list, settings, root) {
            return got;
        }
    }
    list.iter().map(|c| read_into(host, readers, c, settings, root)).collect()
}

/// [`read_all`] with the host's helpers: this thread takes jobs too, then decodes the helpers'
/// answers into the slots of their files. A file with no answer (its helper failed, or the
/// answer does not decode) is read here, so the outcome is the same as without helpers.
fn read_with_helpers(host: &dyn Host, list: &[&Candidate], settings: &Settings, root: &str) -> Option<Vec<Got>> {
    let request = encode_request(list, settings, root);
    if host.start_jobs(&request.0, list.len()) == 0 {
        return None;
    }
    let mut slots: Vec<Option<Got>> = (0..list.len()).map(|_| None).collect();
    while let Some(i) = host.next_job() {
        let Some(c) = list.get(i) else { break };
        slots[i] = Some(read_into(host, READERS, c, settings, root));
    }
    for answer in host.finish_jobs() {
        if let Ok(done) = decode_answer(&answer) {
            for (i, got) in done {
                if let Some(slot @ None) = slots.get_mut(i) {
                    *slot = Some(got);
                }
            }
        }
    }
    Some(slots.into_iter().zip(list).map(|(got, c)| got.unwrap_or_else(|| read_into(host, READERS, c, settings, root))).collect())
}

fn encode_request(list: &[&Candidate], settings: &Settings, root: &str) -> Out {
    let mut o = Out::default();
    o.bytes(root.as_bytes());
    settings.max_file_size.put(&mut o);
    let mains: Vec<String> = settings.mains.iter().map(|g| g.as_str().to_string()).collect();
    mains.put(&mut o);
    let s = settings.sources;
    for b in [s.arm, s.bicep, s.terraform, s.code] {
        b.put(&mut o);
    }
    o.uint(list.len() as u64);
    for c in list {
        o.bytes(c.rel.as_bytes());
        o.bytes(c.abs.as_bytes());
        c.claim.reader.put(&mut o);
        c.claim.tag.put(&mut o);
    }
    o
}

fn decode_request(request: &[u8]) -> Res<(String, Settings, Vec<Candidate>)> {
    let i = &mut In::new(request);
    let root = String::get(i)?;
    let mut settings = Settings::new(&root);
    settings.max_file_size = u64::get(i)?;
    settings.mains = Vec::<String>::get(i)?.iter().map(|g| Glob::new(g)).collect::<Result<_, _>>()?;
    settings.sources = Sources { arm: bool::get(i)?, bicep: bool::get(i)?, terraform: bool::get(i)?, code: bool::get(i)? };
    let n = i.uint()?;
    let mut list = Vec::new();
    for _ in 0..n {
        let (rel, abs, reader, tag) = (String::get(i)?, String::get(i)?, usize::get(i)?, u8::get(i)?);
        if reader >= READERS.len() {
            return Err("wire: no such reader".into());
        }
        list.push(Candidate { rel, abs, claim: Claim { reader, tag } });
    }
    Ok((root, settings, list))
}

fn decode_answer(answer: &[u8]) -> Res<Vec<(usize, Got)>> {
    let i = &mut In::new(answer);
    let n = i.uint()?;
    let mut out = Vec::new();
    for _ in 0..n {
        let at = usize::get(i)?;
        out.push((at, Got { files: Wire::get(i)?, problems: Wire::get(i)?, count: usize::get(i)? }));
    }
    if !i.done() {
        return Err("wire: trailing bytes".into());
    }
    Ok(out)
}

/// A helper's side of [`read_with_helpers`]: reads the files of `request` it takes with
/// [`Host::next_job`] and answers with what each gave, by index.
pub fn serve_jobs(host: &dyn Host, request: &[u8]) -> Result<Vec<u8>, String> {
    let (root, settings, list) = decode_request(request)?;
    let mut done: Vec<(usize, Got)> = Vec::new();
    while let Some(i) = host.next_job() {
        let Some(c) = list.get(i) else { break };
        done.push((i, read_into(host, READERS, c, &settings, &root)));
    }
    let mut o = Out::default();
    o.uint(done.len() as u64);
    for (i, got) in &done {
        i.put(&mut o);
        got.files.put(&mut o);
        got.problems.put(&mut o);
        got.count.put(&mut o);
    }
    Ok(o.0)
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
