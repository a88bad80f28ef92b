//! Readers: one sub-folder per input language. Each turns the bytes of a file (or of a folder of
//! files, for Terraform) into the language-neutral facts of [`crate::model`].
//!
//! Owns: the [`Reader`] interface and its registration list ([`READERS`]), decoding ([`decode`]:
//! BOM, UTF-8, UTF-16), the source lines kept for code frames ([`finish`]), and each language's
//! parsing and evaluation. The suppression comment grammar every reader uses is
//! [`suppress`].
//! Must not import: `check`, `rules`, `render`, `frontends` (a reader knows nothing of the run).
//!
//! Adding a language: a new folder with a type implementing [`Reader`], one line in [`READERS`],
//! one variant of [`crate::model::Kind`] (the compiler then lists every place that must handle
//! it), and its fixtures.

pub mod json;
pub mod arm;
pub mod bicep;
pub mod terraform;
pub mod code;
pub mod suppress;
mod text;

pub use text::{decode, finish, lone_cr_to_lf, mentions_tracking};

use crate::model::{Loader, Problem, ProblemKind, SourceFile, Span};
use crate::options::settings::Sources;
use crate::util::glob::Glob;
use crate::util::host::{join, Host};

/// Every reader, in the order they are asked to claim a path: the first that claims it decides
/// (so `.tf.json` is Terraform's before it can be ARM's `.json`).
pub static READERS: &[&dyn Reader] = &[&terraform::TerraformReader, &arm::ArmReader, &bicep::BicepReader, &bicep::params::BicepParamReader, &code::CodeReader];

/// Whether a reader reads one file at a time or a folder's files together.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    File,
    /// All the files a reader claims in one folder, read together (a Terraform module).
    Folder,
}

/// Which reader claimed a path, and the reader's own tag for it (e.g. Terraform's `.tfvars`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Claim {
    /// Index into the run's reader list ([`READERS`] unless a test gives its own).
    pub reader: usize,
    pub tag: u8,
}

/// An input language.
pub trait Reader: Sync {
    /// Whether this reader claims `rel` (relative to the root, `/`-separated; `lower` is the same
    /// in ASCII lower case), and with which tag. Cheap: called for every file in the tree.
    fn claims(&self, rel: &str, lower: &str) -> Option<u8>;
    /// Whether `--sources` turns this reader on.
    fn enabled(&self, sources: &Sources) -> bool;
    fn unit(&self) -> Unit;
    /// Whether a file name (lower case, no folder) makes a file of this language a main file.
    fn main_name(&self, _lower_name: &str) -> bool {
        false
    }
    /// Read `inputs` (one file, or one folder's files in path order) into facts. Whatever cannot
    /// be read is recorded in `cx`; the run goes on.
    fn read(&self, inputs: &[Input], cx: &mut ReadCx) -> Vec<SourceFile>;
}

/// Which of `readers` claims `rel`, if it is one that `sources` turns on.
pub fn claim(readers: &[&dyn Reader], rel: &str, sources: &Sources) -> Option<Claim> {
    let lower = rel.to_ascii_lowercase();
    for (i, r) in readers.iter().enumerate() {
        if let Some(tag) = r.claims(rel, &lower) {
            return r.enabled(sources).then_some(Claim { reader: i, tag });
        }
    }
    None
}

/// File names that make a file the main one (mainTemplate.json, azuredeploy.json, main.bicep).
pub fn main_by_name(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel).to_ascii_lowercase();
    READERS.iter().any(|r| r.main_name(&name))
}

/// [`Reader::read`] of a reader that reads one text file at a time: each input read whole and
/// decoded ([`ReadCx::read`], [`ReadCx::text`]; what cannot be is recorded in `cx`), turned into
/// facts by `facts(path, text, loader)`, and given its source lines ([`finish`]).
pub fn read_texts(inputs: &[Input], cx: &mut ReadCx, mut facts: impl FnMut(&str, &str, &dyn Loader) -> SourceFile) -> Vec<SourceFile> {
    let mut out = Vec::new();
    for input in inputs {
        let Some(bytes) = cx.read(input) else { continue };
        let Some(text) = cx.text(input, &bytes) else { continue };
        let mut f = facts(input.rel, &text, cx.loader);
        finish(&mut f, &text);
        out.push(f);
    }
    out
}

/// One file given to a reader.
#[derive(Clone, Copy, Debug)]
pub struct Input<'a> {
    /// Relative to the root, `/`-separated.
    pub rel: &'a str,
    /// As passed to the host.
    pub abs: &'a str,
    pub tag: u8,
}

/// What a reader may use while reading, and where it records what went wrong.
pub struct ReadCx<'a> {
    pub host: &'a dyn Host,
    /// The size limit (`--max-file-size`).
    pub limit: u64,
    /// `--main` globs.
    pub mains: &'a [Glob],
    pub sources: Sources,
    /// Reads other files of the tree (Bicep modules, `loadTextContent`).
    pub loader: &'a dyn Loader,
    pub problems: Vec<Problem>,
    /// Files read (for the summary).
    pub count: usize,
}

impl ReadCx<'_> {
    /// Is `rel` a main file by name or by a `--main` glob?
    pub fn is_main(&self, rel: &str) -> bool {
        main_by_name(rel) || self.mains.iter().any(|g| g.is_match(rel))
    }

    /// Open a file and read its first `max` bytes (all of it when `max` is over the limit);
    /// counts the file as read. Returns the bytes and the file's size, or records why not.
    pub fn open(&mut self, input: &Input, max: u64) -> Option<(Vec<u8>, u64)> {
        let got = self.start(input, max)?;
        self.count += 1;
        Some(got)
    }

    /// The whole file (counted as read), or `None` with a problem.
    pub fn read(&mut self, input: &Input) -> Option<Vec<u8>> {
        self.open(input, self.limit.saturating_add(1)).map(|(b, _)| b)
    }

    /// The whole of a file already opened with [`ReadCx::open`] (not counted again).
    pub fn reread(&mut self, input: &Input) -> Option<Vec<u8>> {
        self.start(input, self.limit.saturating_add(1)).map(|(b, _)| b)
    }

    /// Decoded text, or `None` with a problem saying why not.
    pub fn text<'b>(&mut self, input: &Input, bytes: &'b [u8]) -> Option<std::borrow::Cow<'b, str>> {
        match decode(bytes) {
            Ok(t) => Some(t),
            Err(e) => {
                self.unreadable(input.rel, e);
                None
            }
        }
    }

    pub fn unreadable(&mut self, rel: &str, message: String) {
        self.problems.push(Problem { path: rel.to_string(), kind: ProblemKind::Unreadable, span: Span::FILE_START, message });
    }

    fn start(&mut self, input: &Input, max: u64) -> Option<(Vec<u8>, u64)> {
        let limit = self.limit;
        match self.host.read_start(input.abs, max, limit) {
            Ok((_, size)) if size > limit => {
                self.problems.push(Problem {
                    path: input.rel.to_string(),
                    kind: ProblemKind::TooLarge,
                    span: Span::FILE_START,
                    message: format!("file is {} and over the {} limit; skipped (raise it with --max-file-size)", human(size), human(limit)),
                });
                None
            }
            Ok(read) => Some(read),
            Err(e) => {
                self.unreadable(input.rel, format!("file could not be read: {e}"));
                None
            }
        }
    }
}

/// Reads files of the tree for a reader (Bicep modules): root-relative paths, never `..`.
pub struct HostLoader<'h> {
    pub host: &'h dyn Host,
    pub root: String,
    pub limit: u64,
}

impl Loader for HostLoader<'_> {
    fn load(&self, path: &str) -> Option<String> {
        if path.split('/').any(|s| s == "..") {
            return None;
        }
        // The path comes from the repository: it must stay inside the checked tree, links
        // followed, and be a regular file.
        let bytes = crate::util::host::read_confined(self.host, &self.root, &join(&self.root, path), self.limit).ok()?;
        decode(&bytes).ok().map(|c| c.into_owned())
    }
}

/// A byte count for people: `812 bytes`, `3.2 KiB`, `31.0 MiB`.
pub fn human(n: u64) -> String {
    // Integer arithmetic only: float formatting costs ~15 KB of wasm.
    let tenths = |unit: u64| {
        let t = (n * 10 + unit / 2) / unit;
        format!("{}.{}", t / 10, t % 10)
    };
    if n >= 1024 * 1024 {
        format!("{} MiB", tenths(1024 * 1024))
    } else if n >= 1024 {
        format!("{} KiB", tenths(1024))
    } else {
        format!("{n} bytes")
    }
}
