//! `cua-check fix`: mechanical fixes for ARM JSON templates, computed from the facts a check run
//! finds. Each fix is a byte-range edit of the file's text (positions from `crate::sources::json`), so
//! everything else — indentation, key order, line ends, the byte order mark, the final newline —
//! stays exactly as it was.
//!
//! The fix engine. A rule that can be fixed declares its [`Fix`] in its own file
//! (`src/rules/…`); this module plans the fixes of each file from the rules' findings, runs them
//! in their stages, checks the result still parses, and renders the diff. It also lower-cases
//! tracking IDs written with upper-case letters (no rule: a normalisation).
//!
//! - `edit`: byte-range edits of JSON text and the helpers fixes use.
//! - `diff`: the unified diff `cua-check fix` prints.
//! - `snippets`: ready-to-paste tracking snippets (also for the PR comment and `new-id`).

pub mod diff;
pub mod edit;
pub mod snippets;

pub use diff::unified_diff;

use crate::model::{Deployment, Form, Kind, SourceFile};
use crate::options::settings::Settings;
use crate::rules::{Rule, RULES};
use crate::sources::json;
use crate::tracking::{self, Class};
use crate::util::host::{join, Host};
use edit::{apply, detect_style, json_str, parse, Edit, Style};

/// One file the fixes change.
#[derive(Debug)]
pub struct FileFix {
    /// The path as shown to the user (relative to the current folder when the root is).
    pub display: String,
    /// The other names the same file was reached under (symbolic links), each planned with it.
    pub aliases: Vec<String>,
    /// The path as passed to the host: the canonical path when it resolves, so that writing
    /// through a link replaces the file it leads to and keeps the link.
    pub host_path: String,
    pub old: Vec<u8>,
    pub new: Vec<u8>,
    /// What was fixed, one line each (e.g. `set the mode of … to "Incremental" (CUA107)`).
    pub notes: Vec<String>,
}

/// What `fix` would do.
#[derive(Debug, Default)]
pub struct Plan {
    pub files: Vec<FileFix>,
    /// Findings `fix` could not fix, each with the reason (`path: message`).
    pub unfixed: Vec<String>,
}

pub const MSG_REGISTER_ONE: &str =
    "cannot add a tracking deployment: register exactly one ID (--registered) so cua-check knows which one";

/// A rule's mechanical fix, declared in the rule's file (`static FIX: Fix`, referenced from its
/// `Rule::autofix`).
#[derive(Debug)]
pub struct Fix {
    /// For `cua-check fix --help`: what the fix does, one sentence (wrapped there).
    pub help: &'static str,
    pub stage: Stage,
    /// Whether a file needs the fix although the rule has no finding in it.
    pub also_when: Option<fn(&SourceFile) -> bool>,
}

/// When a fix runs.
#[derive(Debug)]
pub enum Stage {
    /// An edit at a deployment's position in the text as read; every point edit of a file is
    /// applied at once, so their positions stay true.
    Point(fn(&mut FixCx, &mut Point)),
    /// A rewrite of the text after the point edits; rewrites run by `order`.
    Rewrite { order: u8, apply: fn(&mut FixCx, &mut String) -> Result<(), String> },
}

/// What a fix sees of its file.
pub struct FixCx<'a> {
    pub file: &'a SourceFile,
    pub style: &'a Style,
    /// `(line, column)` of each of the rule's findings in this file.
    pub at: &'a [(u32, u32)],
    /// The one registered ID, when exactly one is.
    pub single: Option<&'a str>,
    /// What was fixed, one line each.
    pub notes: &'a mut Vec<String>,
    /// What could not be fixed, with the reason.
    pub unfixed: &'a mut Vec<String>,
}

/// One deployment, for a [`Stage::Point`] fix.
pub struct Point<'a> {
    /// The text as read (BOM removed).
    pub text: &'a str,
    pub parsed: &'a json::Parsed,
    pub deployment: &'a Deployment,
    /// The deployment's name as a JSON string, lower-cased when the normalisation does.
    pub name: &'a str,
    pub edits: &'a mut Vec<Edit>,
}

/// Every rule that has a fix, in code order.
pub fn fixes() -> impl Iterator<Item = (&'static Rule, &'static Fix)> {
    RULES.iter().filter_map(|r| r.autofix.map(|f| (*r, f)))
}

/// The "Fixes:" list of `cua-check fix --help`, from the rules.
pub fn help_list() -> String {
    let mut out = String::new();
    for (rule, fix) in fixes() {
        let mut line = format!("  {:<8}", rule.code);
        let mut width = line.len();
        for word in fix.help.split(' ') {
            if width + word.len() > 92 && width > 10 {
                out.push_str(line.trim_end());
                out.push('\n');
                line = " ".repeat(10);
                width = 10;
            }
            line.push_str(word);
            line.push(' ');
            width += word.len() + 1;
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.push_str("  -       lower-cases a tracking ID written with upper-case letters\n");
    out
}

/// A fix a file needs: the rule, its fix and where its findings are.
struct Wanted {
    rule: &'static Rule,
    fix: &'static Fix,
    at: Vec<(u32, u32)>,
}

/// Work out every fix. `Err` is for problems with the run itself (as for `check`).
///
/// Each real file is planned once: a template reached under several names (a symbolic link
/// and its target, a folder linked into the tree) gets the fixes wanted under every name,
/// merged, and is read and written through its canonical path (so a link stays a link).
pub fn plan(host: &dyn Host, settings: &Settings) -> Result<Plan, String> {
    let run = crate::check::engine::run(host, settings)?;
    let mut out = Plan::default();
    let single = run.registry.single().map(|e| e.id.id.clone());
    // One entry per real file, in the order first seen: (canonical path, names, file, wanted).
    struct Target<'a> {
        real: String,
        displays: Vec<String>,
        file: &'a SourceFile,
        wanted: Vec<Wanted>,
        /// Where the file comes in the run: messages keep the files' order.
        order: usize,
    }
    let mut targets: Vec<Target> = Vec::new();
    // (the file's place in the run, message): sorted by the first before they are returned.
    let mut unfixed: Vec<(usize, String)> = Vec::new();
    for (order, file) in run.files.iter().enumerate() {
        let wanted: Vec<Wanted> = fixes()
            .filter_map(|(rule, fix)| {
                let at: Vec<(u32, u32)> = run
                    .report
                    .findings
                    .iter()
                    .filter(|x| x.rule == rule.code && x.path == file.path)
                    .map(|x| (x.line, x.column))
                    .collect();
                (!at.is_empty() || fix.also_when.is_some_and(|w| w(file))).then_some(Wanted { rule, fix, at })
            })
            .collect();
        let upper = file.kind == Kind::Arm && file.deployments.iter().any(|d| upper_case_literal(d).is_some());
        if wanted.is_empty() && !upper {
            continue;
        }
        let display = display_path(&run.root, &file.path);
        if file.kind != Kind::Arm {
            let rules: Vec<&str> = wanted.iter().map(|w| w.rule.code.as_str()).collect();
            unfixed.push((
                order,
                format!("{display}: not changed: `fix` edits ARM JSON templates only; fix {} in this file by hand", rules.join(", ")),
            ));
            continue;
        }
        let host_path = join(&run.root, &file.path);
        let real = host.realpath(&host_path).unwrap_or(host_path);
        match targets.iter_mut().find(|t| t.real == real) {
            Some(t) => {
                t.displays.push(display);
                for w in wanted {
                    match t.wanted.iter_mut().find(|x| x.rule.code == w.rule.code) {
                        Some(x) => {
                            for at in w.at {
                                if !x.at.contains(&at) {
                                    x.at.push(at);
                                }
                            }
                        }
                        None => t.wanted.push(w),
                    }
                }
            }
            None => targets.push(Target { real, displays: vec![display], file, wanted, order }),
        }
    }
    for Target { real, mut displays, file, wanted, order } in targets {
        let display = displays.remove(0);
        let bytes = match host.read_file(&real, settings.max_file_size + 1) {
            Ok(b) => b,
            Err(e) => {
                unfixed.push((order, format!("{display}: not changed: the file could not be read: {e}")));
                continue;
            }
        };
        match fix_file(&bytes, file, &wanted, single.as_deref()) {
            Err(why) => unfixed.push((order, format!("{display}: not changed: {why}"))),
            Ok(r) => {
                unfixed.extend(r.unfixed.into_iter().map(|m| (order, format!("{display}: {m}"))));
                if r.new != bytes {
                    out.files.push(FileFix { display, aliases: displays, host_path: real, old: bytes, new: r.new, notes: r.notes });
                }
            }
        }
    }
    unfixed.sort_by_key(|u| u.0); // stable: a file's own messages keep their order
    out.unfixed = unfixed.into_iter().map(|u| u.1).collect();
    Ok(out)
}

fn display_path(root: &str, rel: &str) -> String {
    let p = join(root, rel);
    p.strip_prefix("./").map(str::to_string).unwrap_or(p)
}

struct FileResult {
    new: Vec<u8>,
    notes: Vec<String>,
    unfixed: Vec<String>,
}

/// The lower-cased name, when a deployment's literal name is a tracking ID with upper case.
pub fn upper_case_literal(d: &crate::model::Deployment) -> Option<String> {
    if d.form != Form::ArmResource || d.name_raw.starts_with('[') {
        return None;
    }
    let Class::Valid(t) = tracking::classify(&d.name) else { return None };
    if !t.had_upper {
        return None;
    }
    let n = t.id.len();
    let head = d.name_raw.get(..n)?;
    if !head.eq_ignore_ascii_case(&t.id) {
        return None;
    }
    Some(format!("{}{}", t.id, &d.name_raw[n..]))
}

fn fix_file(bytes: &[u8], file: &SourceFile, wanted: &[Wanted], single: Option<&str>) -> Result<FileResult, String> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err("`fix` edits UTF-8 files only and this one is UTF-16; save it as UTF-8 first".into());
    }
    let bom = bytes.starts_with(&[0xEF, 0xBB, 0xBF]);
    let body = if bom { &bytes[3..] } else { bytes };
    let text = std::str::from_utf8(body)
        .map_err(|e| format!("the file is not valid UTF-8 (invalid byte at offset {})", e.valid_up_to() + if bom { 3 } else { 0 }))?;
    let style = detect_style(text);
    let parsed = parse(text)?;
    let mut notes = Vec::new();
    let mut unfixed = Vec::new();

    // Point edits (names, modes) at the facts the check found, applied at once.
    let mut edits = Vec::new();
    for d in &file.deployments {
        if d.form != Form::ArmResource {
            continue;
        }
        if let Some(lower) = upper_case_literal(d) {
            if text.as_bytes().get(d.name_span.start) == Some(&b'"') {
                edits.push(Edit { start: d.name_span.start, end: d.name_span.end, text: json_str(&lower) });
                notes.push(format!("lower-cased the tracking ID {} to {}", json_str(&d.name_raw), json_str(&lower)));
            }
        }
        let name = json_str(&upper_case_literal(d).unwrap_or_else(|| d.name_raw.clone()));
        for w in wanted {
            if let Stage::Point(f) = w.fix.stage {
                let mut cx = FixCx { file, style: &style, at: &w.at, single, notes: &mut notes, unfixed: &mut unfixed };
                f(&mut cx, &mut Point { text, parsed: &parsed, deployment: d, name: &name, edits: &mut edits });
            }
        }
    }
    let mut text = apply(text, edits)?;

    // Rewrites, in their order.
    let mut rewrites: Vec<(u8, &Wanted)> = wanted
        .iter()
        .filter_map(|w| match w.fix.stage {
            Stage::Rewrite { order, .. } => Some((order, w)),
            Stage::Point(_) => None,
        })
        .collect();
    crate::util::sort::sort_by_key(&mut rewrites, |r| r.0);
    for (_, w) in rewrites {
        if let Stage::Rewrite { apply, .. } = w.fix.stage {
            let mut cx = FixCx { file, style: &style, at: &w.at, single, notes: &mut notes, unfixed: &mut unfixed };
            apply(&mut cx, &mut text)?;
        }
    }

    if json::parse(&text).is_err() {
        return Err("internal error: the fixed text would not be valid JSON; nothing was changed (please report this)".into());
    }
    let mut new = Vec::with_capacity(text.len() + 3);
    if bom {
        new.extend_from_slice(&[0xEF, 0xBB, 0xBF]);
    }
    new.extend_from_slice(text.as_bytes());
    Ok(FileResult { new, notes, unfixed })
}
