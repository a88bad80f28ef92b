//! The config file: `.github/cua-check.toml` or `cua-check.toml` in the checked folder (the
//! first found), or `--config FILE`. A small parser for the TOML subset the schema needs (no
//! TOML crate: the wasm build stays small): `#` comments, `key = "string"` (or `'literal'`),
//! arrays (over several lines too), `true`/`false`, integers, `[table]` and `[[array-of-tables]]`.
//!
//! ```toml
//! registry = "cua-registry.json"
//! registered = ["pid-…"]
//! main = ["solution/*.json"]
//! exclude = ["tests/**"]
//! mode = "standard"
//! sources = ["arm", "bicep"]
//! fail-on = "error"
//! max-file-size = "32MiB"
//! notice-pattern = "(?i)we record deployments"   # the customer notice (CUA401), a regex
//! [rules]
//! CUA112 = "off"
//! [[ignore]]
//! path = "legacy/**"
//! rules = ["CUA101"]
//! reason = "retired solution"
//! ```
//!
//! Command-line flags and action inputs that are given override the file's values.

use crate::options::settings::{self, ConfinedPath, FailOn, Settings, Sources};
use crate::util::glob::Glob;
use crate::util::host::{join, shown, EntryKind, Host};
use crate::report::Severity;
use crate::rules;
use crate::options::table::{self, Front};

/// Where the config file may be, relative to the checked folder (first found wins).
pub const CONVENTIONAL: &[&str] = &[".github/cua-check.toml", "cua-check.toml"];

/// A TOML value of the supported subset.
#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    Str(String),
    Int(i64),
    Bool(bool),
    Array(Vec<Val>),
}

impl Val {
    fn kind(&self) -> &'static str {
        match self {
            Val::Str(_) => "a string",
            Val::Int(_) => "an integer",
            Val::Bool(_) => "a boolean",
            Val::Array(_) => "an array",
        }
    }
}

/// Which table a key is in.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Table {
    Root,
    /// `[name]`
    Named(String),
    /// The `n`th `[[name]]`.
    Item(String, usize),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub table: Table,
    pub key: String,
    pub value: Val,
    /// 1-based line of the key.
    pub line: usize,
}

/// A parsed file: its entries and the headers of its tables (name, item index, line).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Doc {
    pub entries: Vec<Entry>,
    pub headers: Vec<(Table, usize)>,
}

/// A syntax error: (line, message).
pub type SyntaxError = (usize, String);

/// How deep arrays may nest (the schema needs one level; a hostile file must not overflow the
/// stack: 100,000 `[` did natively, 20,000 in the wasm).
pub const MAX_NESTING: usize = 32;

struct P<'a> {
    b: &'a [u8],
    text: &'a str,
    i: usize,
    line: usize,
    /// Arrays open around the value being read.
    depth: usize,
}

impl P<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
    fn err<T>(&self, msg: impl Into<String>) -> Result<T, SyntaxError> {
        Err((self.line, msg.into()))
    }
    /// Spaces and tabs.
    fn blank(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.i += 1;
        }
    }
    /// Spaces, tabs, line breaks and comments.
    fn space(&mut self) {
        loop {
            self.blank();
            match self.peek() {
                Some(b'\n') => {
                    self.i += 1;
                    self.line += 1;
                }
                Some(b'\r') if self.b.get(self.i + 1) == Some(&b'\n') => self.i += 1,
                Some(b'#') => self.comment(),
                _ => return,
            }
        }
    }
    fn comment(&mut self) {
        while !matches!(self.peek(), None | Some(b'\n')) {
            self.i += 1;
        }
    }
    /// The rest of a line after a key/value or header: blanks and an optional comment.
    fn end_of_line(&mut self) -> Result<(), SyntaxError> {
        self.blank();
        if self.peek() == Some(b'#') {
            self.comment();
        }
        if self.peek() == Some(b'\r') {
            self.i += 1;
        }
        match self.peek() {
            None => Ok(()),
            Some(b'\n') => Ok(()),
            Some(_) => self.err(format!("unexpected {} after the value (one key = value per line)", self.describe())),
        }
    }
    fn describe(&self) -> String {
        match self.text[self.i..].chars().next() {
            None => "end of file".into(),
            Some(c) => format!("{c:?}"),
        }
    }
    fn key(&mut self) -> Result<String, SyntaxError> {
        let k = match self.peek() {
            Some(b'"') => self.basic_string()?,
            Some(b'\'') => self.literal_string()?,
            _ => {
                let s = self.i;
                while matches!(self.peek(), Some(c) if c.is_ascii_alphanumeric() || c == b'_' || c == b'-') {
                    self.i += 1;
                }
                if s == self.i {
                    return self.err(format!("expected a key, found {}", self.describe()));
                }
                self.text[s..self.i].to_string()
            }
        };
        self.blank();
        if self.peek() == Some(b'.') {
            return self.err(format!("dotted keys such as \"{k}.…\" are not supported; use a [table]"));
        }
        Ok(k)
    }
    fn basic_string(&mut self) -> Result<String, SyntaxError> {
        if self.b[self.i..].starts_with(b"\"\"\"") {
            return self.err("multi-line strings (\"\"\") are not supported");
        }
        self.i += 1;
        let mut out = String::new();
        loop {
            let Some(c) = self.text[self.i..].chars().next() else { return self.err("unterminated string") };
            self.i += c.len_utf8();
            match c {
                '"' => return Ok(out),
                '\n' => return self.err("unterminated string (a string must end on its line)"),
                '\\' => {
                    let Some(e) = self.text[self.i..].chars().next() else { return self.err("unterminated string") };
                    self.i += e.len_utf8();
                    match e {
                        '"' => out.push('"'),
                        '\\' => out.push('\\'),
                        'n' => out.push('\n'),
                        't' => out.push('\t'),
                        'r' => out.push('\r'),
                        'b' => out.push('\u{8}'),
                        'f' => out.push('\u{c}'),
                        'u' | 'U' => {
                            let n = if e == 'u' { 4 } else { 8 };
                            let hex = self.text.get(self.i..self.i + n).unwrap_or("");
                            let ch = u32::from_str_radix(hex, 16).ok().and_then(char::from_u32);
                            match ch {
                                Some(ch) if hex.len() == n => {
                                    out.push(ch);
                                    self.i += n;
                                }
                                _ => return self.err(format!("invalid escape \\{e}{hex} in a string")),
                            }
                        }
                        other => return self.err(format!("invalid escape \\{other} in a string (use '…' for text with backslashes)")),
                    }
                }
                c => out.push(c),
            }
        }
    }
    fn literal_string(&mut self) -> Result<String, SyntaxError> {
        if self.b[self.i..].starts_with(b"'''") {
            return self.err("multi-line strings (''') are not supported");
        }
        self.i += 1;
        let s = self.i;
        while !matches!(self.peek(), None | Some(b'\'') | Some(b'\n')) {
            self.i += 1;
        }
        if self.peek() != Some(b'\'') {
            return self.err("unterminated string (a string must end on its line)");
        }
        self.i += 1;
        Ok(self.text[s..self.i - 1].to_string())
    }
    fn value(&mut self) -> Result<Val, SyntaxError> {
        match self.peek() {
            Some(b'"') => self.basic_string().map(Val::Str),
            Some(b'\'') => self.literal_string().map(Val::Str),
            Some(b'[') => {
                if self.depth >= MAX_NESTING {
                    return self.err(format!("arrays nested more than {MAX_NESTING} deep are not supported"));
                }
                self.i += 1;
                self.depth += 1;
                let mut items = Vec::new();
                loop {
                    self.space();
                    if self.peek() == Some(b']') {
                        self.i += 1;
                        self.depth -= 1;
                        return Ok(Val::Array(items));
                    }
                    if self.peek().is_none() {
                        return self.err("unterminated array (missing ']')");
                    }
                    items.push(self.value()?);
                    self.space();
                    match self.peek() {
                        Some(b',') => self.i += 1,
                        Some(b']') => {}
                        None => return self.err("unterminated array (missing ']')"),
                        _ => return self.err(format!("expected ',' or ']' in the array, found {}", self.describe())),
                    }
                }
            }
            Some(b'{') => self.err("inline tables ({ … }) are not supported; use a [table]"),
            Some(b't') if self.b[self.i..].starts_with(b"true") => {
                self.i += 4;
                Ok(Val::Bool(true))
            }
            Some(b'f') if self.b[self.i..].starts_with(b"false") => {
                self.i += 5;
                Ok(Val::Bool(false))
            }
            Some(c) if c.is_ascii_digit() || c == b'+' || c == b'-' => {
                let s = self.i;
                self.i += 1;
                while matches!(self.peek(), Some(c) if c.is_ascii_alphanumeric() || c == b'_' || c == b'.') {
                    self.i += 1;
                }
                let raw = &self.text[s..self.i];
                match raw.replace('_', "").parse::<i64>() {
                    Ok(n) => Ok(Val::Int(n)),
                    Err(_) => self.err(format!("{raw:?} is not a supported value (strings need quotes; only whole numbers are supported)")),
                }
            }
            None | Some(b'\n') | Some(b'\r') => self.err("expected a value after '='"),
            _ => self.err(format!("expected a value, found {} (strings need quotes)", self.describe())),
        }
    }
}

/// Parse the TOML subset.
pub fn parse(text: &str) -> Result<Doc, SyntaxError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Lone CR line ends count as lines, as in editors.
    let text = crate::sources::lone_cr_to_lf(std::borrow::Cow::Borrowed(text));
    let text: &str = &text;
    let mut p = P { b: text.as_bytes(), text, i: 0, line: 1, depth: 0 };
    let mut doc = Doc::default();
    let mut table = Table::Root;
    // Sets, not scans of the lists: a 1 MiB file of keys or headers stays linear.
    let mut items: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut named: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut keys: std::collections::HashSet<(Table, String)> = std::collections::HashSet::new();
    loop {
        p.space();
        let Some(c) = p.peek() else { break };
        let line = p.line;
        if c == b'[' {
            let array = p.b[p.i..].starts_with(b"[[");
            p.i += if array { 2 } else { 1 };
            p.blank();
            let name = p.key()?;
            p.blank();
            let close: &[u8] = if array { b"]]" } else { b"]" };
            if !p.b[p.i..].starts_with(close) {
                return p.err(format!("expected '{}' to close the table header", String::from_utf8_lossy(close)));
            }
            p.i += close.len();
            p.end_of_line()?;
            table = if array {
                let n = items.entry(name.clone()).or_insert(0);
                *n += 1;
                Table::Item(name, *n - 1)
            } else {
                if !named.insert(name.clone()) {
                    return p.err(format!("table [{name}] is defined twice"));
                }
                Table::Named(name)
            };
            doc.headers.push((table.clone(), line));
            continue;
        }
        let key = p.key()?;
        p.blank();
        if p.peek() != Some(b'=') {
            return p.err(format!("expected '=' after the key \"{key}\", found {}", p.describe()));
        }
        p.i += 1;
        p.blank();
        let value = p.value()?;
        p.end_of_line()?;
        if !keys.insert((table.clone(), key.clone())) {
            return Err((line, format!("key \"{key}\" is set twice")));
        }
        doc.entries.push(Entry { table: table.clone(), key, value, line });
    }
    Ok(doc)
}

/// Where the settings came from on the command line (or as action inputs): these are not
/// overridden by the config file.
#[derive(Clone, Copy, Debug, Default)]
pub struct Given {
    pub registered: bool,
    pub registry: bool,
    pub main: bool,
    pub exclude: bool,
    pub mode: bool,
    pub sources: bool,
    pub fail_on: bool,
    pub max_file_size: bool,
}

/// `--config FILE`, `--no-config`, or look in the conventional places.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Choice {
    #[default]
    Auto,
    File(String),
    Off,
}

/// The folder the config file belongs to: the checked folder (or a checked file's folder).
fn checked_folder(host: &dyn Host, root: &str) -> String {
    match host.stat(root) {
        Some((EntryKind::File, _)) => match root.rfind('/') {
            Some(0) => "/".into(),
            Some(i) => root[..i].to_string(),
            None => ".".into(),
        },
        _ => root.to_string(),
    }
}

/// The conventional config file `load_and_apply` with [`Choice::Auto`] reads for `root`, as
/// the name under the checked folder (`.github/cua-check.toml`); None when there is none.
pub fn found(host: &dyn Host, root: &str) -> Option<&'static str> {
    let folder = checked_folder(host, root);
    CONVENTIONAL.iter().copied().find(|c| matches!(host.stat(&join(&folder, c)), Some((EntryKind::File, _))))
}

/// Find, read and apply the config file to `settings` (keys in `given` are left alone).
/// Errors name the file and line.
pub fn load_and_apply(host: &dyn Host, choice: &Choice, settings: &mut Settings, given: &Given) -> Result<(), String> {
    let folder = checked_folder(host, &settings.root);
    let path = match choice {
        Choice::Off => return Ok(()),
        Choice::File(f) => {
            if !matches!(host.stat(f), Some((EntryKind::File, _))) {
                return Err(format!("{f}: config file not found"));
            }
            f.clone()
        }
        Choice::Auto => {
            let found = CONVENTIONAL.iter().map(|c| join(&folder, c)).find(|p| matches!(host.stat(p), Some((EntryKind::File, _))));
            match found {
                Some(p) => p,
                None => return Ok(()),
            }
        }
    };
    // A config file found in the checked folder belongs to the repository: it is read only
    // inside that folder, and a registry it names is confined the same way. One given with
    // `--config` is the user's and read as given.
    let confine = *choice == Choice::Auto;
    let bytes = if confine {
        crate::util::host::read_confined(host, &folder, &path, MAX_CONFIG_SIZE)
    } else {
        host.read_file(&path, MAX_CONFIG_SIZE + 1).and_then(|b| {
            if b.len() as u64 > MAX_CONFIG_SIZE {
                Err(format!("it is larger than {MAX_CONFIG_SIZE} bytes; not read"))
            } else {
                Ok(b)
            }
        })
    }
    .map_err(|e| format!("{}: the config file could not be read: {e}", shown(&path, 200)))?;
    let text = std::str::from_utf8(&bytes).map_err(|_| format!("{}: the config file is not valid UTF-8", shown(&path, 200)))?;
    // Messages quote the file: keep them short and safe to print.
    let doc = parse(text).map_err(|(line, msg)| shown(&format!("{path}:{line}: {msg}"), MAX_MESSAGE))?;
    apply_from(&doc, &path, &folder, settings, given, confine).map_err(|e| shown(&e, MAX_MESSAGE))
}

/// The largest config file read (a bigger one is an error, not cut).
pub const MAX_CONFIG_SIZE: u64 = 1 << 20;
/// Messages about a config file quote at most this many characters of it (with the path).
const MAX_MESSAGE: usize = 400;

/// Apply a parsed config file. `path` is shown in errors; `folder` is the checked folder,
/// against which `registry` is resolved.
pub fn apply(doc: &Doc, path: &str, folder: &str, settings: &mut Settings, given: &Given) -> Result<(), String> {
    apply_from(doc, path, folder, settings, given, false)
}

/// [`apply`]; with `confine`, the registry file it names is read only inside `folder`.
fn apply_from(doc: &Doc, path: &str, folder: &str, settings: &mut Settings, given: &Given, confine: bool) -> Result<(), String> {
    let err = |line: usize, msg: String| format!("{path}:{line}: {msg}");
    for (t, line) in &doc.headers {
        match t {
            Table::Named(n) if n == "rules" => {}
            Table::Item(n, _) if n == "ignore" => {}
            Table::Named(n) if n == "ignore" => {
                return Err(err(*line, "write [[ignore]] (double brackets): each ignore is one entry of a list".into()))
            }
            Table::Named(n) => return Err(err(*line, format!("unknown table [{n}] (expected [rules] or [[ignore]])"))),
            Table::Item(n, _) => return Err(err(*line, format!("unknown table [[{n}]] (expected [rules] or [[ignore]])"))),
            Table::Root => {}
        }
    }
    let strings = |e: &Entry| -> Result<Vec<String>, String> {
        match &e.value {
            Val::Str(s) => Ok(vec![s.clone()]),
            Val::Array(a) => a
                .iter()
                .map(|v| match v {
                    Val::Str(s) => Ok(s.clone()),
                    other => Err(err(e.line, format!("\"{}\" must be an array of strings, but it holds {}", e.key, other.kind()))),
                })
                .collect(),
            other => Err(err(e.line, format!("\"{}\" must be an array of strings, not {}", e.key, other.kind()))),
        }
    };
    let string = |e: &Entry| -> Result<String, String> {
        match &e.value {
            Val::Str(s) => Ok(s.clone()),
            other => Err(err(e.line, format!("\"{}\" must be a string, not {}", e.key, other.kind()))),
        }
    };
    let globs = |e: &Entry| -> Result<Vec<Glob>, String> {
        strings(e)?.iter().map(|g| Glob::new(g).map_err(|x| err(e.line, table::get(Front::Config, &e.key).because(Front::Config, &x)))).collect()
    };

    let mut registered = Vec::new();
    for e in doc.entries.iter().filter(|e| e.table == Table::Root) {
        match e.key.as_str() {
            "registry" => {
                let v = string(e)?;
                if !given.registry {
                    let p = if v.starts_with('/') { v } else { join(folder, &v) };
                    if confine {
                        settings.confined_registry_files.push(ConfinedPath { path: p, root: folder.to_string(), from: format!("{path}:{}", e.line) });
                    } else {
                        settings.registry_files.push(p);
                    }
                }
            }
            "registered" => {
                for id in strings(e)? {
                    if crate::tracking::parse_registered(id.trim()).is_none() {
                        return Err(err(e.line, table::get(Front::Config, "registered").bad(Front::Config, &id)));
                    }
                    registered.push((id, path.to_string()));
                }
            }
            "main" => {
                let g = globs(e)?;
                if !given.main {
                    settings.mains = g;
                }
            }
            "exclude" => {
                let g = globs(e)?;
                if !given.exclude {
                    settings.excludes = g;
                }
            }
            "mode" => {
                let v = string(e)?;
                let m = settings::parse_mode(&v).ok_or_else(|| err(e.line, table::get(Front::Config, "mode").bad(Front::Config, &v)))?;
                if !given.mode {
                    settings.mode = m;
                }
            }
            "sources" => {
                let list = strings(e)?.join(",");
                let s = Sources::parse(&list).map_err(|_| err(e.line, table::get(Front::Config, "sources").bad(Front::Config, &list)))?;
                if !given.sources {
                    settings.sources = s;
                }
            }
            "fail-on" => {
                let v = string(e)?;
                let f = FailOn::parse(&v).ok_or_else(|| err(e.line, table::get(Front::Config, "fail-on").bad(Front::Config, &v)))?;
                if !given.fail_on {
                    settings.fail_on = f;
                }
            }
            "max-file-size" => {
                let n = match &e.value {
                    Val::Int(n) if *n > 0 => Some(*n as u64),
                    Val::Str(s) => settings::parse_size(s).filter(|&n| n > 0),
                    Val::Int(_) => None,
                    other => return Err(err(e.line, format!("\"max-file-size\" must be a string such as \"32MiB\", not {}", other.kind()))),
                };
                let shown = match &e.value {
                    Val::Str(s) => s.clone(),
                    Val::Int(n) => n.to_string(),
                    _ => String::new(),
                };
                let n = n.ok_or_else(|| err(e.line, table::get(Front::Config, "max-file-size").bad(Front::Config, &shown)))?;
                if !given.max_file_size {
                    settings.max_file_size = n;
                }
            }
            "notice-pattern" => {
                let v = string(e)?;
                crate::notice::compile(&v).map_err(|x| err(e.line, table::get(Front::Config, "notice-pattern").because(Front::Config, &x)))?;
                settings.notice_pattern = Some(v);
            }
            other => {
                let known: Vec<&str> = table::config_keys().collect();
                return Err(err(e.line, table::unknown(Front::Config, other, &known, ", or a [rules] or [[ignore]] table")));
            }
        }
    }
    if !given.registered {
        settings.registered.extend(registered);
    }

    for e in doc.entries.iter().filter(|e| e.table == Table::Named("rules".into())) {
        let Some(rule) = rules::by_code(&e.key) else {
            return Err(err(e.line, format!("unknown rule code \"{}\" in [rules] ('cua-check rules' lists them)", e.key)));
        };
        let v = match &e.value {
            Val::Str(s) => s.clone(),
            other => return Err(err(e.line, format!("\"{}\" in [rules] must be a string (\"off\", \"error\", \"warning\" or \"notice\"), not {}", e.key, other.kind()))),
        };
        let sev = match v.to_ascii_lowercase().as_str() {
            "off" => None,
            "error" | "warning" | "notice" => Severity::parse(&v),
            _ => return Err(err(e.line, format!("\"{}\" in [rules]: invalid severity {v:?} (expected off, error, warning or notice)", e.key))),
        };
        settings.severities.retain(|(c, _)| *c != rule.code);
        settings.severities.push((rule.code.as_str(), sev));
    }

    // The entries of each table, found once (not a scan of every entry per [[ignore]]).
    let mut by_table: std::collections::HashMap<&Table, Vec<&Entry>> = std::collections::HashMap::new();
    for e in &doc.entries {
        by_table.entry(&e.table).or_default().push(e);
    }
    for (t, header_line) in doc.headers.iter().filter(|(t, _)| matches!(t, Table::Item(n, _) if n == "ignore")) {
        let mut glob = None;
        let mut codes: Vec<&'static str> = Vec::new();
        let mut reason = None;
        for e in by_table.get(t).map(Vec::as_slice).unwrap_or_default().iter().copied() {
            match e.key.as_str() {
                "path" => {
                    let v = string(e)?;
                    glob = Some(Glob::new(&v).map_err(|x| err(e.line, format!("\"path\" in [[ignore]]: {x}")))?);
                }
                "rules" => {
                    for c in strings(e)? {
                        let r = rules::by_code(c.trim())
                            .ok_or_else(|| err(e.line, format!("unknown rule code \"{c}\" in \"rules\" of [[ignore]] ('cua-check rules' lists them)")))?;
                        codes.push(r.code.as_str());
                    }
                    if codes.is_empty() {
                        return Err(err(e.line, "\"rules\" in [[ignore]] is empty: list rule codes, or leave \"rules\" out to ignore every rule".into()));
                    }
                }
                "reason" => {
                    let v = string(e)?;
                    if v.trim().is_empty() {
                        return Err(err(e.line, "\"reason\" in [[ignore]] is empty: say why these findings are ignored".into()));
                    }
                    reason = Some(v);
                }
                other => return Err(err(e.line, format!("unknown key \"{other}\" in [[ignore]] (expected path, rules, reason)"))),
            }
        }
        let Some(glob) = glob else {
            return Err(err(*header_line, "[[ignore]] needs a \"path\" (a glob of the files to ignore findings in)".into()));
        };
        if reason.is_none() {
            return Err(err(*header_line, "[[ignore]] needs a \"reason\": an ignore without a reason is not accepted".into()));
        }
        settings.ignores.push((glob, codes));
    }
    settings.config_file = Some(path.to_string());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_subset() {
        let d = parse("# c\nregistry = \"r.json\" # trailing\nmain = [\n  \"a/*.json\", # one\n  'b\\x',\n]\nx = true\nn = 1_000\n[rules]\nCUA112 = \"off\"\n[[ignore]]\npath = \"l/**\"\n[[ignore]]\npath = \"m\"\n").unwrap();
        assert_eq!(d.entries[0].value, Val::Str("r.json".into()));
        assert_eq!(d.entries[1].value, Val::Array(vec![Val::Str("a/*.json".into()), Val::Str("b\\x".into())]));
        assert_eq!(d.entries[1].line, 3);
        assert_eq!(d.entries[2].value, Val::Bool(true));
        assert_eq!(d.entries[3].value, Val::Int(1000));
        assert_eq!(d.entries[4].table, Table::Named("rules".into()));
        assert_eq!(d.entries[4].line, 10);
        assert_eq!(d.entries[6].table, Table::Item("ignore".into(), 1));
        assert_eq!(parse("a = \"x\"\nb = {").unwrap_err().0, 2);
        assert_eq!(parse("a = 1\na = 2").unwrap_err(), (2, "key \"a\" is set twice".into()));
        assert!(parse("a = [1, 2").is_err());
        assert!(parse("a = \"x\" b").is_err());
    }
}
