//! `cua-check fix`: mechanical fixes for ARM JSON templates, computed from the facts a check run
//! finds. Each fix is a byte-range edit of the file's text (positions from `crate::sources::json`), so
//! everything else — indentation, key order, line ends, the byte order mark, the final newline —
//! stays exactly as it was.
//!
//! Fixes: CUA101 (add the tracking deployment when exactly one ID is registered), CUA102 (move a
//! nested tracking deployment to the top level), CUA107 (set the mode to `Incremental`), and
//! upper-case tracking IDs written as literals (lower-cased).

pub mod snippets;

use crate::sources::arm::template as arm;
use crate::options::settings::Settings;
use crate::util::host::{join, Host};
use crate::sources::json::{self, Node, Value};
use crate::model::{Form, Kind, Resolved, Role, Scope, SourceFile};
use crate::rules::is_attempt;
use crate::tracking::{self, Class};

/// One file the fixes change.
#[derive(Debug)]
pub struct FileFix {
    /// The path as shown to the user (relative to the current folder when the root is).
    pub display: String,
    /// The path as passed to the host.
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

/// Work out every fix. `Err` is for problems with the run itself (as for `check`).
pub fn plan(host: &dyn Host, settings: &Settings) -> Result<Plan, String> {
    let run = crate::check::engine::run(host, settings)?;
    let mut out = Plan::default();
    let single = run.registry.single().map(|e| e.id.id.clone());
    for file in &run.files {
        let of_rule = |code: &str| -> Vec<(u32, u32)> {
            run.report
                .findings
                .iter()
                .filter(|x| x.rule == code && x.path == file.path)
                .map(|x| (x.line, x.column))
                .collect()
        };
        let want = Want {
            // A main template that could not be parsed only has CUA001; it still needs tracking,
            // and the reader below says why it cannot be edited.
            cua101: !of_rule("CUA101").is_empty()
                || (file.kind == Kind::Arm && file.role == crate::model::Role::Main && !file.errors.is_empty()),
            cua102: !of_rule("CUA102").is_empty(),
            cua107: of_rule("CUA107"),
            upper: file.kind == Kind::Arm
                && file.deployments.iter().any(|d| upper_case_literal(d).is_some()),
        };
        if !want.any() {
            continue;
        }
        let display = display_path(&run.root, &file.path);
        if file.kind != Kind::Arm {
            let rules: Vec<&str> = [("CUA101", want.cua101), ("CUA102", want.cua102), ("CUA107", !want.cua107.is_empty())]
                .iter()
                .filter(|(_, w)| *w)
                .map(|(c, _)| *c)
                .collect();
            out.unfixed.push(format!(
                "{display}: not changed: `fix` edits ARM JSON templates only; fix {} in this file by hand",
                rules.join(", ")
            ));
            continue;
        }
        let host_path = join(&run.root, &file.path);
        let bytes = match host.read_file(&host_path, settings.max_file_size + 1) {
            Ok(b) => b,
            Err(e) => {
                out.unfixed.push(format!("{display}: not changed: the file could not be read: {e}"));
                continue;
            }
        };
        match fix_file(&bytes, file, &want, single.as_deref()) {
            Err(why) => out.unfixed.push(format!("{display}: not changed: {why}")),
            Ok(r) => {
                out.unfixed.extend(r.unfixed.into_iter().map(|m| format!("{display}: {m}")));
                if r.new != bytes {
                    out.files.push(FileFix { display, host_path, old: bytes, new: r.new, notes: r.notes });
                }
            }
        }
    }
    Ok(out)
}

fn display_path(root: &str, rel: &str) -> String {
    let p = join(root, rel);
    p.strip_prefix("./").map(str::to_string).unwrap_or(p)
}

/// Which fixes a file needs.
struct Want {
    cua101: bool,
    cua102: bool,
    /// (line, column) of each CUA107 finding.
    cua107: Vec<(u32, u32)>,
    upper: bool,
}

impl Want {
    fn any(&self) -> bool {
        self.cua101 || self.cua102 || !self.cua107.is_empty() || self.upper
    }
}

struct FileResult {
    new: Vec<u8>,
    notes: Vec<String>,
    unfixed: Vec<String>,
}

/// The lower-cased name, when a deployment's literal name is a tracking ID with upper case.
fn upper_case_literal(d: &crate::model::Deployment) -> Option<String> {
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

/// How the file is written: one indentation step, line end, single-line (minified) or not.
struct Style {
    unit: String,
    eol: &'static str,
    compact: bool,
}

fn detect_style(text: &str) -> Style {
    let eol = match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    };
    let compact = !text.trim_end().contains('\n');
    let (mut tabs, mut spaces, mut min_spaces) = (0usize, 0usize, usize::MAX);
    for line in text.split('\n') {
        let body = line.trim_start_matches([' ', '\t']);
        if !body.starts_with(['"', '{', '[', '}', ']']) {
            continue;
        }
        let ws = &line[..line.len() - body.len()];
        if ws.starts_with('\t') {
            tabs += 1;
        } else if !ws.is_empty() {
            spaces += 1;
            min_spaces = min_spaces.min(ws.len());
        }
    }
    let unit = if tabs > spaces {
        "\t".to_string()
    } else if (1..=8).contains(&min_spaces) {
        " ".repeat(min_spaces)
    } else {
        "  ".to_string()
    };
    Style { unit, eol, compact }
}

/// An edit of the text: replace `start..end` with `text`.
struct Edit {
    start: usize,
    end: usize,
    text: String,
}

fn apply(text: &str, mut edits: Vec<Edit>) -> Result<String, String> {
    crate::util::sort::sort_by_key(&mut edits, |e| (e.start, e.end));
    for w in edits.windows(2) {
        if w[1].start < w[0].end {
            return Err("internal error: overlapping edits; nothing was changed".into());
        }
    }
    let mut out = String::with_capacity(text.len() + 512);
    let mut at = 0;
    for e in &edits {
        out.push_str(&text[at..e.start]);
        out.push_str(&e.text);
        at = e.end;
    }
    out.push_str(&text[at..]);
    Ok(out)
}

fn line_start(text: &str, pos: usize) -> usize {
    text[..pos].rfind('\n').map(|i| i + 1).unwrap_or(0)
}

/// Leading whitespace of the line holding `pos`.
fn line_indent(text: &str, pos: usize) -> &str {
    let s = line_start(text, pos);
    let line = &text[s..];
    let n = line.len() - line.trim_start_matches([' ', '\t']).len();
    &line[..n]
}

fn starts_line(text: &str, pos: usize) -> bool {
    text[line_start(text, pos)..pos].chars().all(|c| c == ' ' || c == '\t')
}

/// Join the lines of `item` (separated by `\n`, indented relative to column 0) at `base`.
fn place(item: &str, base: &str, eol: &str) -> String {
    let mut out = String::new();
    for (i, line) in item.split('\n').enumerate() {
        if i > 0 {
            out.push_str(eol);
            if !line.is_empty() {
                out.push_str(base);
            }
        }
        out.push_str(line);
    }
    out
}

/// Re-indent text written with 2-space steps (the snippets) to the file's step.
fn reindent(snippet: &str, unit: &str) -> String {
    snippet
        .split('\n')
        .map(|l| {
            let body = l.trim_start_matches(' ');
            format!("{}{}", unit.repeat((l.len() - body.len()) / 2), body)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// One line, for a minified file.
fn compact(item: &str) -> String {
    item.split('\n').map(str::trim).collect::<Vec<_>>().join(" ")
}

/// Text taken from the file, made relative to column 0 (its lines lose `base`, `\r` dropped).
fn relative(obj: &str, base: &str) -> String {
    obj.split('\n')
        .enumerate()
        .map(|(i, l)| {
            let l = l.strip_suffix('\r').unwrap_or(l);
            if i == 0 { l } else { l.strip_prefix(base).unwrap_or(l) }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Byte ranges of a container's items (array elements, or object members key to value end).
fn items(c: &Node) -> Vec<(usize, usize)> {
    match &c.value {
        Value::Array(a) => a.iter().map(|n| (n.span.start, n.span.end)).collect(),
        Value::Object(o) => o.iter().map(|m| (m.key_span.start, m.value.span.end)).collect(),
        _ => Vec::new(),
    }
}

fn skip_ws_and_comments(text: &str, mut i: usize) -> usize {
    let b = text.as_bytes();
    loop {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if b[i..].starts_with(b"//") {
            i += text[i..].find('\n').unwrap_or(text.len() - i);
        } else if b[i..].starts_with(b"/*") {
            i += text[i + 2..].find("*/").map(|j| j + 4).unwrap_or(text.len() - i);
        } else {
            return i;
        }
    }
}

/// Insert `item` (relative text) into container `c` before item `k` (or after the last when
/// `k` is the number of items).
fn insert_at(text: &str, c: &Node, k: usize, item: &str, st: &Style) -> Edit {
    let its = items(c);
    let open = c.span.start;
    let close = c.span.end - 1;
    if st.compact {
        let one = compact(item);
        return if its.is_empty() {
            let inner_blank = text[open + 1..close].trim().is_empty();
            Edit { start: open + 1, end: if inner_blank { close } else { open + 1 }, text: one }
        } else if k < its.len() {
            Edit { start: its[k].0, end: its[k].0, text: format!("{one}, ") }
        } else {
            Edit { start: its[k - 1].1, end: its[k - 1].1, text: format!(", {one}") }
        };
    }
    if its.is_empty() {
        let close_base = line_indent(text, open).to_string();
        let base = format!("{close_base}{}", st.unit);
        let body = place(item, &base, st.eol);
        return if text[open + 1..close].trim().is_empty() {
            Edit { start: open + 1, end: close, text: format!("{}{base}{body}{}{close_base}", st.eol, st.eol) }
        } else {
            Edit { start: open + 1, end: open + 1, text: format!("{}{base}{body}", st.eol) }
        };
    }
    if k < its.len() {
        let s = its[k].0;
        let base = line_indent(text, s).to_string();
        let body = place(item, &base, st.eol);
        if starts_line(text, s) {
            Edit { start: s, end: s, text: format!("{body},{}{base}", st.eol) }
        } else {
            Edit { start: s, end: s, text: format!("{body}, ") }
        }
    } else {
        let (s, e) = its[k - 1];
        let base = line_indent(text, s).to_string();
        let body = place(item, &base, st.eol);
        let after = skip_ws_and_comments(text, e);
        if text.as_bytes().get(after) == Some(&b',') {
            Edit { start: after + 1, end: after + 1, text: format!("{}{base}{body}", st.eol) }
        } else {
            Edit { start: e, end: e, text: format!(",{}{base}{body}", st.eol) }
        }
    }
}

/// Remove item `k` of container `c` with its comma (and its lines, when it has lines of its own).
fn remove_at(text: &str, c: &Node, k: usize) -> Edit {
    let its = items(c);
    let (s, e) = its[k];
    if its.len() == 1 {
        return Edit { start: c.span.start + 1, end: c.span.end - 1, text: String::new() };
    }
    if k + 1 < its.len() {
        let next = its[k + 1].0;
        if starts_line(text, s) && starts_line(text, next) {
            Edit { start: line_start(text, s), end: line_start(text, next), text: String::new() }
        } else {
            Edit { start: s, end: next, text: String::new() }
        }
    } else {
        let after = skip_ws_and_comments(text, e);
        let end = if text.as_bytes().get(after) == Some(&b',') { after + 1 } else { e };
        Edit { start: its[k - 1].1, end, text: String::new() }
    }
}

/// The resource object whose `name` value starts at `name_start`, with its container, its
/// index there, and its key when the container is an object (languageVersion 2.0).
struct Found<'a> {
    container: &'a Node,
    index: usize,
    key: Option<&'a str>,
    object: &'a Node,
}

fn find_resource(root: &Node, name_start: usize) -> Option<Found<'_>> {
    let mut stack: Vec<&Node> = vec![root];
    while let Some(n) = stack.pop() {
        match &n.value {
            Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    if x.get("name").is_some_and(|v| v.span.start == name_start) {
                        return Some(Found { container: n, index: i, key: None, object: x });
                    }
                    stack.push(x);
                }
            }
            Value::Object(o) => {
                for (i, m) in o.iter().enumerate() {
                    if m.value.get("name").is_some_and(|v| v.span.start == name_start) {
                        return Some(Found { container: n, index: i, key: Some(&m.key), object: &m.value });
                    }
                    stack.push(&m.value);
                }
            }
            _ => {}
        }
    }
    None
}

fn parse(text: &str) -> Result<json::Parsed, String> {
    json::parse(text).map_err(|e| {
        format!(
            "the file is not valid JSON (line {}, column {}: {}); fix it by hand, then run cua-check fix again",
            e.span.line, e.span.column, e.message
        )
    })
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""))
}

/// A key not yet used in object `o`, starting from `want`.
fn free_key(o: &Node, want: &str) -> String {
    let mut key = want.to_string();
    let mut n = 2;
    while o.get(&key).is_some() {
        key = format!("{want}{n}");
        n += 1;
    }
    key
}

fn fix_file(bytes: &[u8], file: &SourceFile, want: &Want, single: Option<&str>) -> Result<FileResult, String> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err("`fix` edits UTF-8 files only and this one is UTF-16; save it as UTF-8 first".into());
    }
    let bom = bytes.starts_with(&[0xEF, 0xBB, 0xBF]);
    let body = if bom { &bytes[3..] } else { bytes };
    let text = std::str::from_utf8(body)
        .map_err(|e| format!("the file is not valid UTF-8 (invalid byte at offset {})", e.valid_up_to() + if bom { 3 } else { 0 }))?;
    let st = detect_style(text);
    let parsed = parse(text)?;
    let mut notes = Vec::new();
    let mut unfixed = Vec::new();

    // Pass 1: point edits (names, modes) on the facts the check found.
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
        match &d.mode {
            Some(m) if want.cua107.contains(&(m.span.line, m.span.column)) => {
                edits.push(Edit { start: m.span.start, end: m.span.end, text: "\"Incremental\"".into() });
                notes.push(format!("set the mode of {name} to \"Incremental\" (CUA107)"));
            }
            None if want.cua107.contains(&(d.span.line, d.span.column)) => {
                let Some(found) = find_resource(&parsed.root, d.name_span.start) else { continue };
                match found.object.member("properties") {
                    Some(p) if matches!(p.value.value, Value::Object(_)) => {
                        edits.push(insert_at(text, &p.value, 0, "\"mode\": \"Incremental\"", &st));
                    }
                    Some(_) => {
                        unfixed.push(format!("CUA107 not fixed: the \"properties\" of {name} is not an object; set \"mode\": \"Incremental\" by hand"));
                        continue;
                    }
                    None => {
                        let k = items(found.object).len();
                        let item = reindent("\"properties\": {\n  \"mode\": \"Incremental\"\n}", &st.unit);
                        edits.push(insert_at(text, found.object, k, &item, &st));
                    }
                }
                notes.push(format!("added \"mode\": \"Incremental\" to {name} (CUA107)"));
            }
            _ => {}
        }
    }
    let mut text = apply(text, edits)?;

    // Pass 2: move a nested tracking deployment to the top level (CUA102).
    if want.cua102 {
        let facts = arm::read(&file.path, &text, true).ok_or("internal error: the template could not be read again after the first edits")?;
        let nested = facts.deployments.iter().find(|d| d.nested && is_attempt(&tracking::classify(&d.name)));
        match nested {
            None => unfixed.push(
                "CUA102 not fixed: the tracking deployment is in a linked template, not in this file; copy it into this template's top-level \"resources\" by hand".into(),
            ),
            Some(d) if !matches!(d.name, Resolved::Known(_)) => unfixed.push(format!(
                "CUA102 not fixed: the name of the nested tracking deployment {} (line {}) cannot be resolved statically; move it to the top-level \"resources\" by hand",
                json_str(&d.name_raw),
                d.name_span.line
            )),
            Some(d) => {
                let parsed = parse(&text)?;
                let found = find_resource(&parsed.root, d.name_span.start);
                let top = parsed.root.get("resources");
                match (found, top) {
                    (Some(found), Some(top)) if matches!(top.value, Value::Array(_) | Value::Object(_)) => {
                        let obj_text = &text[found.object.span.start..found.object.span.end];
                        // The closing brace's line tells the object's own indentation best.
                        let close = found.object.span.end - 1;
                        let base = if starts_line(&text, close) { line_indent(&text, close) } else { line_indent(&text, found.object.span.start) };
                        let item = relative(obj_text, base);
                        let item = match &top.value {
                            Value::Object(_) => {
                                let key = free_key(top, found.key.unwrap_or("partnerTracking"));
                                format!("{}: {item}", json_str(&key))
                            }
                            _ => item,
                        };
                        let remove = remove_at(&text, found.container, found.index);
                        let insert = insert_at(&text, top, 0, &item, &st);
                        if insert.start > remove.start && insert.start < remove.end {
                            unfixed.push("CUA102 not fixed: the nested tracking deployment could not be moved safely; move it by hand".into());
                        } else {
                            text = apply(&text, vec![remove, insert])?;
                            notes.push(format!(
                                "moved the tracking deployment {} from a nested template (line {}) to the top-level \"resources\" (CUA102)",
                                json_str(&d.name.display()),
                                d.name_span.line
                            ));
                        }
                    }
                    _ => unfixed.push("CUA102 not fixed: the template has no top-level \"resources\" to move the tracking deployment to".into()),
                }
            }
        }
    }

    // Pass 3: add the tracking deployment (CUA101).
    if want.cua101 && file.role == Role::Main {
        match single {
            None => unfixed.push(MSG_REGISTER_ONE.to_string()),
            Some(id) => {
                let parsed = parse(&text)?;
                let scope = file.scope.unwrap_or(Scope::ResourceGroup);
                let snippet = reindent(&crate::fix::snippets::arm_resource(id, scope), &st.unit);
                let root = &parsed.root;
                let edit = match root.get("resources") {
                    Some(r) if matches!(r.value, Value::Array(_)) => Some(insert_at(&text, r, 0, &snippet, &st)),
                    Some(r) if matches!(r.value, Value::Object(_)) => {
                        let key = free_key(r, "partnerTracking");
                        Some(insert_at(&text, r, 0, &format!("{}: {snippet}", json_str(&key)), &st))
                    }
                    Some(r) => {
                        unfixed.push(format!("CUA101 not fixed: \"resources\" is {} {}, not an array", article(r.kind_name()), r.kind_name()));
                        None
                    }
                    None => {
                        let item = format!("\"resources\": [\n{}\n]", snippet.split('\n').map(|l| format!("{}{l}", st.unit)).collect::<Vec<_>>().join("\n"));
                        Some(insert_at(&text, root, items(root).len(), &item, &st))
                    }
                };
                if let Some(e) = edit {
                    text = apply(&text, vec![e])?;
                    notes.push(format!("added the tracking deployment \"{id}\" to the top-level \"resources\" (CUA101)"));
                }
            }
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

fn article(kind: &str) -> &'static str {
    if kind.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" }
}

// ---------------------------------------------------------------------------------------------
// Unified diff (lines compared with their line ends; Myers' algorithm on the changed middle).

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Eq,
    Del,
    Ins,
}

fn myers(a: &[&str], b: &[&str]) -> Vec<Op> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let max = n + m;
    if max == 0 {
        return Vec::new();
    }
    let off = max as usize + 1;
    let mut v = vec![0isize; 2 * off + 1];
    let mut trace: Vec<Vec<isize>> = Vec::new();
    let at = |k: isize| (off as isize + k) as usize;
    'outer: for d in 0..=max {
        trace.push(v.clone());
        let mut k = -d;
        while k <= d {
            let mut x = if k == -d || (k != d && v[at(k - 1)] < v[at(k + 1)]) { v[at(k + 1)] } else { v[at(k - 1)] + 1 };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            v[at(k)] = x;
            if x >= n && y >= m {
                break 'outer;
            }
            k += 2;
        }
    }
    let (mut x, mut y) = (n, m);
    let mut ops = Vec::new();
    for d in (0..trace.len() as isize).rev() {
        let v = &trace[d as usize];
        let k = x - y;
        let prev_k = if k == -d || (k != d && v[at(k - 1)] < v[at(k + 1)]) { k + 1 } else { k - 1 };
        let prev_x = v[at(prev_k)];
        let prev_y = prev_x - prev_k;
        while x > prev_x && y > prev_y {
            ops.push(Op::Eq);
            x -= 1;
            y -= 1;
        }
        if d > 0 {
            ops.push(if x == prev_x { Op::Ins } else { Op::Del });
        }
        x = prev_x;
        y = prev_y;
    }
    ops.reverse();
    ops
}

/// A unified diff of `old` and `new` (3 lines of context), or "" when they are equal.
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let pre = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suf = a[pre..].iter().rev().zip(b[pre..].iter().rev()).take_while(|(x, y)| x == y).count();
    let mut ops = vec![Op::Eq; pre];
    ops.extend(myers(&a[pre..a.len() - suf], &b[pre..b.len() - suf]));
    ops.extend(std::iter::repeat_n(Op::Eq, suf));
    // Positions in a and b before each op.
    let mut pa = Vec::with_capacity(ops.len() + 1);
    let mut pb = Vec::with_capacity(ops.len() + 1);
    let (mut i, mut j) = (0usize, 0usize);
    for op in &ops {
        pa.push(i);
        pb.push(j);
        match op {
            Op::Eq => {
                i += 1;
                j += 1;
            }
            Op::Del => i += 1,
            Op::Ins => j += 1,
        }
    }
    pa.push(i);
    pb.push(j);
    const CONTEXT: usize = 3;
    let mut groups: Vec<(usize, usize)> = Vec::new();
    for (idx, op) in ops.iter().enumerate() {
        if *op == Op::Eq {
            continue;
        }
        let s = idx.saturating_sub(CONTEXT);
        let e = (idx + 1 + CONTEXT).min(ops.len());
        match groups.last_mut() {
            Some(g) if s <= g.1 => g.1 = e,
            _ => groups.push((s, e)),
        }
    }
    let (left, right) = if path.starts_with('/') { (path.to_string(), path.to_string()) } else { (format!("a/{path}"), format!("b/{path}")) };
    let mut out = format!("--- {left}\n+++ {right}\n");
    let range = |start: usize, count: usize| -> String {
        let s = if count == 0 { start } else { start + 1 };
        if count == 1 { format!("{s}") } else { format!("{s},{count}") }
    };
    for (s, e) in groups {
        let ca = pa[e] - pa[s];
        let cb = pb[e] - pb[s];
        out.push_str(&format!("@@ -{} +{} @@\n", range(pa[s], ca), range(pb[s], cb)));
        for idx in s..e {
            let (mark, line) = match ops[idx] {
                Op::Eq => (' ', a[pa[idx]]),
                Op::Del => ('-', a[pa[idx]]),
                Op::Ins => ('+', b[pb[idx]]),
            };
            out.push(mark);
            out.push_str(line);
            if !line.ends_with('\n') {
                out.push_str("\n\\ No newline at end of file\n");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_is_minimal_with_context() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\n";
        let new = "a\nb\nc\nd\nX\ne\nf\ng\nh\n";
        let d = unified_diff("t.json", old, new);
        assert_eq!(d, "--- a/t.json\n+++ b/t.json\n@@ -2,6 +2,7 @@\n b\n c\n d\n+X\n e\n f\n g\n");
        let d = unified_diff("t.json", "a\nb", "a\nc");
        assert_eq!(d, "--- a/t.json\n+++ b/t.json\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n");
        assert_eq!(unified_diff("t", "x\n", "x\n"), "");
    }

    #[test]
    fn detects_indentation() {
        assert_eq!(detect_style("{\n\t\"a\": 1\n}").unit, "\t");
        assert_eq!(detect_style("{\n    \"a\": {\n        \"b\": 1\n    }\n}").unit, "    ");
        assert_eq!(detect_style("{\r\n  \"a\": 1\r\n}").eol, "\r\n");
        assert!(detect_style("{\"a\": 1}").compact);
    }
}
