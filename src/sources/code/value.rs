//! Reading one value (string literal, bare word or simple concatenation) out of a line.

use crate::model::{Part, Resolved};

/// Longest value read, in bytes.
pub const MAX_VALUE: usize = 4096;

/// How strings interpolate in a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    Python,
    CSharp,
    PowerShell,
    Shell,
    Js,
    Go,
    Java,
    Docker,
    Yaml,
    Env,
}

impl Flavor {
    /// `$VAR`, `${VAR}`, `$(cmd)` interpolate in double-quoted and bare strings.
    fn dollar_vars(self) -> bool {
        matches!(
            self,
            Flavor::Shell | Flavor::PowerShell | Flavor::Docker | Flavor::Env
        )
    }
    /// Bare (unquoted) values are possible (`export X=value`, `KEY: value`).
    pub fn bare_values(self) -> bool {
        matches!(
            self,
            Flavor::Shell | Flavor::PowerShell | Flavor::Docker | Flavor::Yaml | Flavor::Env
        )
    }
}

/// A value found in a line: byte range in the line, raw text and evaluation.
#[derive(Debug)]
pub struct Value {
    pub start: usize,
    pub end: usize,
    pub resolved: Resolved,
}

/// Largest char boundary not after `i`.
fn floor(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn opaque(text: &str) -> Part {
    Part::Opaque {
        text: text.to_string(),
        len: None,
    }
}

/// Read the value starting at byte `at` of `line` (after whitespace).
pub fn read(line: &str, at: usize, flavor: Flavor) -> Option<Value> {
    let b = line.as_bytes();
    let mut i = at;
    while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
        i += 1;
    }
    let start = i;
    let mut parts = Vec::new();
    let mut end = read_operand(line, i, flavor, &mut parts)?;
    // Simple concatenation: "pid-" + GUID (code languages).
    if !flavor.bare_values() {
        for _ in 0..8 {
            let mut j = end;
            while j < b.len() && (b[j] == b' ' || b[j] == b'\t') {
                j += 1;
            }
            if b.get(j) != Some(&b'+') || b.get(j + 1) == Some(&b'+') || b.get(j + 1) == Some(&b'=')
            {
                break;
            }
            j += 1;
            while j < b.len() && (b[j] == b' ' || b[j] == b'\t') {
                j += 1;
            }
            match read_operand(line, j, flavor, &mut parts) {
                Some(e) => end = e,
                None => break,
            }
        }
    }
    if end <= start {
        return None;
    }
    Some(Value {
        start,
        end,
        resolved: normalize(parts),
    })
}

/// Parts to `Resolved`; a value that is one opaque piece is `Unknown`.
fn normalize(parts: Vec<Part>) -> Resolved {
    match Resolved::from_parts(parts) {
        Resolved::Partial(p) if p.len() == 1 => match &p[0] {
            Part::Opaque { text, .. } => {
                Resolved::Unknown(format!("`{text}` is not known statically"))
            }
            Part::Lit(_) => Resolved::Partial(p),
        },
        r => r,
    }
}

/// Resolve string content that is already unquoted (e.g. the value of a `User-Agent:` header).
pub fn resolve_content(s: &str, flavor: Flavor, dollar: bool) -> Resolved {
    let mut parts = Vec::new();
    pieces(s, flavor, false, dollar, false, &mut parts);
    normalize(parts)
}

/// Read one string literal or bare token at `i`; push its parts; return its end.
fn read_operand(line: &str, i: usize, flavor: Flavor, parts: &mut Vec<Part>) -> Option<usize> {
    let b = line.as_bytes();
    b.get(i)?;
    // String prefixes: Python f/r/b/u, C# $ and @.
    let mut j = i;
    let mut interp_braces = false; // {expr} interpolation (f-strings, C# $"")
    let mut raw = false; // no backslash escapes
    while j < b.len() && j - i < 3 {
        match (flavor, b[j]) {
            (Flavor::Python, b'f' | b'F') => interp_braces = true,
            (Flavor::Python, b'r' | b'R') => raw = true,
            (Flavor::Python, b'b' | b'B' | b'u' | b'U') => {}
            (Flavor::CSharp, b'$') => interp_braces = true,
            (Flavor::CSharp, b'@') => raw = true,
            _ => break,
        }
        j += 1;
    }
    let q = b.get(j).copied();
    if j > i && !matches!(q, Some(b'"' | b'\'')) {
        // Not a prefixed string after all (an identifier like `foo`).
        interp_braces = false;
        raw = false;
        j = i;
    }
    match b.get(j).copied() {
        Some(q @ (b'"' | b'\'' | b'`')) => {
            let body = j + 1;
            let (content_end, close) = find_close(line, body, q, flavor, raw)?;
            let content = &line[body..content_end];
            let shell_single = q == b'\''
                && matches!(
                    flavor,
                    Flavor::Shell | Flavor::PowerShell | Flavor::Docker | Flavor::Env
                );
            let dollar = flavor.dollar_vars() && !shell_single || flavor == Flavor::Yaml;
            let js_template = q == b'`' && matches!(flavor, Flavor::Js);
            let escapes =
                !raw && !shell_single && flavor != Flavor::PowerShell && flavor != Flavor::Yaml
                    || (flavor == Flavor::Yaml && q == b'"');
            pieces(
                content,
                flavor,
                interp_braces,
                dollar || js_template,
                escapes,
                parts,
            );
            Some(close)
        }
        Some(_) if flavor.bare_values() => {
            // A bare word: up to whitespace or a separator.
            let mut k = i;
            let stop_at_space = !matches!(flavor, Flavor::Yaml | Flavor::Env);
            let mut open = 0usize; // unclosed `${{ … }}` / `${ … }` / `$( … )`
            while k < b.len() && k - i < MAX_VALUE {
                let ch = b[k];
                if ch == b'$' && matches!(b.get(k + 1), Some(b'{' | b'(')) {
                    open += 1;
                } else if (ch == b'}' || ch == b')') && open > 0 {
                    if !(ch == b'}' && b.get(k + 1) == Some(&b'}')) {
                        open -= 1;
                    }
                } else if open == 0 {
                    if ch == b';' || ch == b'|' || ch == b'&' {
                        break;
                    }
                    if ch == b'#' && k > i && (b[k - 1] == b' ' || b[k - 1] == b'\t') {
                        break;
                    }
                    if stop_at_space && (ch == b' ' || ch == b'\t') {
                        break;
                    }
                }
                k += 1;
            }
            let k = floor(line, k);
            let word = line[i..k].trim_end();
            if word.is_empty() {
                return None;
            }
            pieces(word, flavor, false, true, false, parts);
            Some(i + word.len())
        }
        Some(ch) if ch.is_ascii_alphanumeric() || ch == b'_' || ch == b'$' || ch == b'@' => {
            // An identifier or member access / call: unknown.
            let mut k = i;
            let mut depth = 0i32;
            while k < b.len() && k - i < MAX_VALUE {
                match b[k] {
                    b'(' | b'[' => depth += 1,
                    b')' | b']' if depth == 0 => break,
                    b')' | b']' => depth -= 1,
                    b',' | b';' | b' ' | b'\t' | b'}' | b'+' if depth == 0 => break,
                    b'"' | b'\'' if depth == 0 => break,
                    _ => {}
                }
                k += 1;
            }
            let k = floor(line, k);
            parts.push(opaque(&line[i..k]));
            Some(k)
        }
        _ => None,
    }
}

/// Find the closing quote `q` from `body`; returns (end of content, end after the quote).
fn find_close(line: &str, body: usize, q: u8, flavor: Flavor, raw: bool) -> Option<(usize, usize)> {
    let b = line.as_bytes();
    let mut k = body;
    while k < b.len() && k - body <= MAX_VALUE {
        let ch = b[k];
        if ch == b'\\'
            && !raw
            && !(q == b'\''
                && matches!(
                    flavor,
                    Flavor::Shell | Flavor::Docker | Flavor::Env | Flavor::PowerShell
                ))
            && flavor != Flavor::PowerShell
        {
            k += 2;
            continue;
        }
        if ch == b'`' && flavor == Flavor::PowerShell && q == b'"' {
            k += 2;
            continue;
        }
        if ch == q {
            // Doubled quotes inside verbatim / PowerShell / YAML single-quoted strings.
            if (raw || flavor == Flavor::PowerShell || flavor == Flavor::Yaml)
                && b.get(k + 1) == Some(&q)
                && q != b'`'
            {
                k += 2;
                continue;
            }
            return Some((k, k + 1));
        }
        k += 1;
    }
    None
}

/// Split string content into literal and opaque parts.
fn pieces(
    s: &str,
    flavor: Flavor,
    braces: bool,
    dollar: bool,
    escapes: bool,
    parts: &mut Vec<Part>,
) {
    let b = s.as_bytes();
    let mut lit = String::new();
    let mut i = 0;
    let mut run = 0; // start of the pending literal run in `s`
    let flush = |lit: &mut String, s: &str, run: usize, i: usize| lit.push_str(&s[run..i]);
    // Once a closer is missing, it is missing for every later opener too (keeps this linear).
    let (mut no_brace, mut no_paren) = (false, false);
    while i < b.len() {
        let ch = b[i];
        if escapes && ch == b'\\' && i + 1 < b.len() {
            flush(&mut lit, s, run, i);
            let e = b[i + 1];
            match e {
                b'n' => lit.push('\n'),
                b't' => lit.push('\t'),
                b'r' => lit.push('\r'),
                b'0' => lit.push('\0'),
                b'\\' | b'"' | b'\'' | b'`' | b'$' | b'{' | b'}' => lit.push(e as char),
                _ => {
                    lit.push('\\');
                    i += 1;
                    run = i;
                    continue;
                }
            }
            i += 2;
            run = i;
            continue;
        }
        if flavor == Flavor::PowerShell && ch == b'`' && i + 1 < b.len() && b[i + 1].is_ascii() {
            flush(&mut lit, s, run, i);
            lit.push(b[i + 1] as char);
            i += 2;
            run = i;
            continue;
        }
        if braces && ch == b'{' {
            flush(&mut lit, s, run, i);
            if b.get(i + 1) == Some(&b'{') {
                lit.push('{');
                i += 2;
                run = i;
                continue;
            }
            let close = if no_brace { None } else { s[i..].find('}') };
            no_brace = close.is_none();
            let close = close.map(|c| i + c + 1).unwrap_or(b.len());
            push_lit(&mut lit, parts);
            parts.push(opaque(&s[i..close]));
            i = close;
            run = i;
            continue;
        }
        if braces && ch == b'}' && b.get(i + 1) == Some(&b'}') {
            flush(&mut lit, s, run, i);
            lit.push('}');
            i += 2;
            run = i;
            continue;
        }
        if dollar && ch == b'$' && i + 1 < b.len() {
            let n = b[i + 1];
            let end = if s[i..].starts_with("${{") && !no_brace {
                let e = s[i..].find("}}").map(|c| i + c + 2);
                no_brace = e.is_none();
                e
            } else if n == b'{' && !no_brace {
                let e = s[i..].find('}').map(|c| i + c + 1);
                no_brace = e.is_none();
                e
            } else if n == b'(' && !no_paren {
                let e = s[i..].find(')').map(|c| i + c + 1);
                no_paren = e.is_none();
                e
            } else if n.is_ascii_alphabetic()
                || n == b'_'
                || (n == b':' && flavor == Flavor::PowerShell)
            {
                let mut k = i + 1;
                while k < b.len() && (b[k].is_ascii_alphanumeric() || b[k] == b'_' || b[k] == b':')
                {
                    k += 1;
                }
                Some(k)
            } else {
                None
            };
            if let Some(end) = end {
                let end = floor(s, end);
                if flavor == Flavor::Yaml && !(s[i..].starts_with("${{") || n == b'(') {
                    // YAML itself only expands `${{ }}` and `$(var)`.
                    i += 1;
                    continue;
                }
                flush(&mut lit, s, run, i);
                push_lit(&mut lit, parts);
                parts.push(opaque(&s[i..end]));
                i = end;
                run = i;
                continue;
            }
        }
        i += 1;
    }
    let i = floor(s, i);
    flush(&mut lit, s, run, i);
    push_lit(&mut lit, parts);
}

fn push_lit(lit: &mut String, parts: &mut Vec<Part>) {
    if !lit.is_empty() {
        parts.push(Part::Lit(std::mem::take(lit)));
    }
}

/// Whether `s` contains something ID-like: `pid-`, or a GUID (32 hex digits, with or without
/// the usual dashes), case-insensitive.
pub fn id_like(s: &str) -> bool {
    let b = s.as_bytes();
    if b.windows(4).any(|w| w.eq_ignore_ascii_case(b"pid-")) {
        return true;
    }
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_hexdigit() || (i > 0 && b[i - 1].is_ascii_alphanumeric()) {
            i += 1;
            continue;
        }
        if guid_at(b, i) {
            return true;
        }
        i += 1;
    }
    false
}

fn guid_at(b: &[u8], i: usize) -> bool {
    let hex_run = |from: usize, n: usize| -> bool {
        b.get(from..from + n)
            .is_some_and(|r| r.iter().all(u8::is_ascii_hexdigit))
    };
    let not_more = |at: usize| b.get(at).is_none_or(|c| !c.is_ascii_alphanumeric());
    if hex_run(i, 32) && not_more(i + 32) {
        return true;
    }
    let mut k = i;
    for (n, last) in [(8, false), (4, false), (4, false), (4, false), (12, true)] {
        if !hex_run(k, n) {
            return false;
        }
        k += n;
        if !last {
            if b.get(k) != Some(&b'-') {
                return false;
            }
            k += 1;
        }
    }
    not_more(k)
}
