//! SDK, CLI and script user-agent scanner.
//!
//! [`scan`] looks for partner tracking IDs passed as user agents: SDK calls and options
//! (Python, C#, PowerShell, JS/TS, Go, Java/Kotlin), `curl` flags, and the environment variables
//! `AZURE_HTTP_USER_AGENT` and `ARM_PARTNER_ID` in scripts, Dockerfiles, workflow YAML and
//! `.env` files. The scan is line based and linear in the size of the file; a file without any
//! trigger word is rejected after one pass over its bytes.

mod value;

use crate::model::{Kind, Resolved, SourceFile, Span, UserAgent};
use value::Flavor;

/// At most this many user agents are recorded per file.
const MAX_RECORDS: usize = 1000;

fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

fn extension(name: &str) -> Option<&str> {
    name.rsplit_once('.').map(|(_, e)| e)
}

/// Which files are scanned, by path relative to the scanned root.
pub fn is_candidate(path: &str) -> bool {
    flavor(path).is_some()
}

fn flavor(path: &str) -> Option<Flavor> {
    let path = path.replace('\\', "/");
    let path = path.strip_prefix("./").unwrap_or(&path);
    let name = file_name(path).to_ascii_lowercase();
    if name == "dockerfile" || name.starts_with("dockerfile.") || name.ends_with(".dockerfile") {
        return Some(Flavor::Docker);
    }
    if name == ".env" || name.ends_with(".env") {
        return Some(Flavor::Env);
    }
    let ext = extension(&name)?;
    if matches!(ext, "yml" | "yaml") {
        let in_workflows = path.starts_with(".github/workflows/");
        let pipelines = name.starts_with("azure-pipelines");
        return (in_workflows || pipelines).then_some(Flavor::Yaml);
    }
    Some(match ext {
        "py" => Flavor::Python,
        "cs" => Flavor::CSharp,
        "ps1" | "psm1" => Flavor::PowerShell,
        "sh" | "bash" | "zsh" => Flavor::Shell,
        "js" | "mjs" | "cjs" | "ts" | "mts" | "cts" => Flavor::Js,
        "go" => Flavor::Go,
        "java" | "kt" => Flavor::Java,
        _ => return None,
    })
}

/// Trigger words (lowercase); a file or line without any of them is skipped.
const TRIGGERS: [&[u8]; 7] = [
    b"user_agent",
    b"useragent",
    b"user-agent",
    b"applicationid",
    b"arm_partner_id",
    b"curl",
    b"cua-check-ignore",
];

/// One pass over the bytes: does any trigger word occur (ASCII case-insensitive)?
fn has_trigger(b: &[u8]) -> bool {
    for i in 0..b.len() {
        let c = b[i] | 0x20;
        if c != b'u' && c != b'a' && c != b'c' {
            continue;
        }
        let rest = &b[i..];
        for t in TRIGGERS {
            if t[0] == c && rest.len() >= t.len() && rest[..t.len()].eq_ignore_ascii_case(t) {
                return true;
            }
        }
    }
    false
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum How {
    /// `name("value")`
    Call,
    /// `name = "value"` / `name: "value"`
    Assign,
    /// Environment variable: `NAME=value`, `NAME: value`, `ENV NAME value`, `Set-Item env:NAME v`.
    Env,
}

/// (keyword, channel, how). Keywords are matched case-sensitively on word boundaries.
const MATCHERS: [(&str, &str, How); 14] = [
    ("add_user_agent", "add_user_agent", How::Call),
    ("WithUserAgent", "WithUserAgent", How::Call),
    ("AddUserAgent", "AddUserAgent", How::Call),
    ("UserAgentPolicy", "user_agent", How::Call),
    ("userAgent", "userAgent", How::Call),
    ("applicationId", "ApplicationId", How::Call),
    ("user_agent", "user_agent", How::Assign),
    ("ApplicationId", "ApplicationId", How::Assign),
    ("ApplicationID", "ApplicationID", How::Assign),
    ("applicationId", "ApplicationId", How::Assign),
    ("userAgentPrefix", "userAgentPrefix", How::Assign),
    ("userAgent", "userAgent", How::Assign),
    ("AZURE_HTTP_USER_AGENT", "AZURE_HTTP_USER_AGENT", How::Env),
    ("ARM_PARTNER_ID", "ARM_PARTNER_ID", How::Env),
];

fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
        i += 1;
    }
    i
}

fn is_comment(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with('#')
        || t.starts_with("//")
        || t.starts_with("/*")
        || t.starts_with("* ")
        || t.starts_with("<#")
        || t.starts_with("REM ")
}

/// Where the value of keyword match `kw_end` starts, for each way of passing it.
fn value_start(line: &str, kw_start: usize, kw_end: usize, how: How) -> Option<usize> {
    let b = line.as_bytes();
    match how {
        How::Call => {
            let i = skip_ws(b, kw_end);
            (b.get(i) == Some(&b'(')).then_some(i + 1)
        }
        How::Assign | How::Env => {
            let mut i = kw_end;
            // `"user_agent": …`, `os.environ["X"] = …`, `SetEnvironmentVariable("X", …)`
            let mut quoted = false;
            while i < b.len() && matches!(b[i], b'"' | b'\'' | b']') && i - kw_end < 2 {
                quoted = true;
                i += 1;
            }
            i = skip_ws(b, i);
            match b.get(i) {
                Some(b'=') if !matches!(b.get(i + 1), Some(b'=' | b'~' | b'>')) => Some(i + 1),
                Some(b':') if b.get(i + 1) != Some(&b':') => Some(i + 1),
                Some(b',') if how == How::Env && quoted => Some(i + 1),
                _ if how == How::Env && !quoted => {
                    // `ENV NAME value`, `Set-Item env:NAME value`, `setx NAME value`.
                    let before = line[..kw_start].trim_start().to_ascii_lowercase();
                    let word_form = before.starts_with("env ")
                        || before.starts_with("setx ")
                        || before.contains("set-item")
                        || before.contains("new-item");
                    if !word_form || i == kw_end {
                        return None;
                    }
                    let rest = &line[i..];
                    let lower = rest.get(..6).map(str::to_ascii_lowercase);
                    if lower.as_deref() == Some("-value") {
                        Some(skip_ws(b, i + 6))
                    } else {
                        Some(i)
                    }
                }
                _ => None,
            }
        }
    }
}

struct Found {
    start: usize,
    end: usize,
    channel: &'static str,
    resolved: Resolved,
}

fn scan_line(line: &str, flavor: Flavor, curl_continues: bool, out: &mut Vec<Found>) {
    let b = line.as_bytes();
    for (kw, channel, how) in MATCHERS {
        let mut from = 0;
        while let Some(rel) = line.get(from..).and_then(|s| s.find(kw)) {
            let s = from + rel;
            let e = s + kw.len();
            from = e;
            if s > 0 && (is_word(b[s - 1]) || (how == How::Env && matches!(b[s - 1], b'{' | b'$')))
            {
                continue;
            }
            if b.get(e).is_some_and(|&c| is_word(c)) {
                continue;
            }
            let Some(vs) = value_start(line, s, e, how) else {
                continue;
            };
            let Some(v) = value::read(line, vs, flavor) else {
                continue;
            };
            let raw = &line[v.start..v.end];
            if (how == How::Env && kw == "ARM_PARTNER_ID") || value::id_like(raw) {
                out.push(Found {
                    start: v.start,
                    end: v.end,
                    channel,
                    resolved: v.resolved,
                });
            }
            if out.len() >= MAX_RECORDS {
                return;
            }
        }
    }
    // curl -A "…" / --user-agent "…" / -H "User-Agent: …"
    let curl_at = find_word(line, "curl");
    if curl_at.is_none() && !curl_continues {
        return;
    }
    let mut i = curl_at.map(|c| c + 4).unwrap_or(0);
    while i < b.len() && out.len() < MAX_RECORDS {
        i = skip_ws(b, i);
        if let Some(&q @ (b'"' | b'\'')) = b.get(i) {
            // Skip a quoted argument as a whole.
            i += 1;
            while i < b.len() && b[i] != q {
                i += 1;
            }
            i += 1;
            continue;
        }
        let mut tok_end = i;
        while tok_end < b.len() && !matches!(b[tok_end], b' ' | b'\t' | b'=') {
            tok_end += 1;
        }
        let tok = &line[i..tok_end];
        let is_ua = tok == "-A" || tok == "--user-agent";
        let is_header = tok == "-H" || tok == "--header";
        if !(is_ua || is_header) {
            i = tok_end.max(i + 1);
            continue;
        }
        let vs = if b.get(tok_end) == Some(&b'=') {
            tok_end + 1
        } else {
            tok_end
        };
        let Some(v) = value::read(line, vs, Flavor::Shell) else {
            i = tok_end;
            continue;
        };
        i = v.end.max(tok_end + 1);
        let raw = &line[v.start..v.end];
        if is_ua {
            if value::id_like(raw) {
                out.push(Found {
                    start: v.start,
                    end: v.end,
                    channel: "curl -A",
                    resolved: v.resolved,
                });
            }
            continue;
        }
        // A header: keep only `User-Agent: …`, the value after the colon.
        let quoted = matches!(raw.as_bytes().first(), Some(b'"' | b'\''));
        let inner_start = v.start + usize::from(quoted);
        let inner_end = if quoted && v.end > inner_start {
            v.end - 1
        } else {
            v.end
        };
        let inner = &line[inner_start..inner_end];
        let Some(head) = inner.get(..11) else {
            continue;
        };
        if !head.eq_ignore_ascii_case("user-agent:") {
            continue;
        }
        let vstart = skip_ws(b, inner_start + 11).min(inner_end);
        let text = &line[vstart..inner_end];
        if !value::id_like(text) {
            continue;
        }
        let resolved = value::resolve_content(text, Flavor::Shell, !raw.starts_with('\''));
        out.push(Found {
            start: vstart,
            end: inner_end,
            channel: "curl -A",
            resolved,
        });
    }
}

fn find_word(line: &str, w: &str) -> Option<usize> {
    let b = line.as_bytes();
    let mut from = 0;
    while let Some(rel) = line.get(from..).and_then(|s| s.find(w)) {
        let s = from + rel;
        let e = s + w.len();
        if (s == 0 || !is_word(b[s - 1])) && b.get(e).is_none_or(|&c| !is_word(c)) {
            return Some(s);
        }
        from = e;
    }
    None
}

/// Scan one file. Returns `None` when nothing relevant was found.
pub fn scan(path: &str, text: &str) -> Option<SourceFile> {
    let flavor = flavor(path).unwrap_or(Flavor::Shell);
    if !has_trigger(text.as_bytes()) {
        return None;
    }
    let mut found: Vec<(u32, usize, Found)> = Vec::new(); // (line, line start, value)
    let mut line_no: u32 = 0;
    let mut pos = 0;
    let mut curl_continues = false;
    let mut buf = Vec::new();
    for line in text.split('\n') {
        line_no = line_no.saturating_add(1);
        let start = pos;
        pos += line.len() + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if found.len() >= MAX_RECORDS {
            break;
        }
        let continued = curl_continues;
        curl_continues = continued && line.trim_end().ends_with('\\');
        if is_comment(line) || !has_trigger(line.as_bytes()) && !continued {
            continue;
        }
        buf.clear();
        scan_line(line, flavor, continued, &mut buf);
        if find_word(line, "curl").is_some() && line.trim_end().ends_with('\\') {
            curl_continues = true;
        }
        for f in buf.drain(..) {
            found.push((line_no, start, f));
        }
    }

    // One record per value (several matchers may see the same value), in source order.
    crate::util::sort::sort_by_key(&mut found, |(_, s, f)| (s + f.start, f.channel != "user_agent"));
    found.dedup_by_key(|(_, s, f)| *s + f.start);

    let mut sf = SourceFile::new(path, Kind::Code);
    sf.suppressions = crate::sources::suppress::find(text);
    // Columns counted incrementally: values are sorted, so long lines are walked once.
    let mut cursor = (0u32, 0usize, 1u32); // (line, byte in line, column there)
    for (line, line_start, f) in found {
        let l = &text[line_start..];
        if cursor.0 != line || cursor.1 > f.start {
            cursor = (line, 0, 1);
        }
        let col = cursor.2 + l[cursor.1..f.start].chars().count() as u32;
        cursor = (line, f.start, col);
        let end_col = col + l[f.start..f.end].chars().count() as u32;
        sf.user_agents.push(UserAgent {
            channel: f.channel.to_string(),
            raw: l[f.start..f.end].to_string(),
            value: f.resolved,
            span: Span {
                line,
                column: col,
                end_line: line,
                end_column: end_col,
                start: line_start + f.start,
                end: line_start + f.end,
            },
        });
    }
    if sf.user_agents.is_empty() && sf.suppressions.is_empty() {
        return None;
    }
    Some(sf)
}

/// The code [`crate::sources::Reader`]: SDK calls, CLIs, scripts, Dockerfiles and workflows.
pub struct CodeReader;

impl crate::sources::Reader for CodeReader {
    fn claims(&self, rel: &str, _lower: &str) -> Option<u8> {
        is_candidate(rel).then_some(0)
    }
    fn enabled(&self, sources: &crate::options::settings::Sources) -> bool {
        sources.code
    }
    fn unit(&self) -> crate::sources::Unit {
        crate::sources::Unit::File
    }
    fn read(&self, inputs: &[crate::sources::Input], cx: &mut crate::sources::ReadCx) -> Vec<SourceFile> {
        let mut out = Vec::new();
        for input in inputs {
            let Some(bytes) = cx.read(input) else { continue };
            if bytes.iter().take(8192).any(|&b| b == 0) {
                continue; // binary
            }
            // Code that is not UTF-8 is not source code we can scan; skipped without a word.
            let Ok(text) = std::str::from_utf8(bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(&bytes)) else { continue };
            if let Some(mut f) = scan(input.rel, text) {
                crate::sources::finish(&mut f, text);
                out.push(f);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests;
