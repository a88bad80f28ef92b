//! Editing JSON text in place: byte-range edits that keep everything else as it was (indentation,
//! key order, line ends, comments), and the helpers fixes use to insert, remove and find items.

use crate::sources::json::{self, Node, Value};

/// How the file is written: one indentation step, line end, single-line (minified) or not.
pub struct Style {
    pub unit: String,
    pub eol: &'static str,
    pub compact: bool,
}

pub fn detect_style(text: &str) -> Style {
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
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

pub fn apply(text: &str, mut edits: Vec<Edit>) -> Result<String, String> {
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

pub fn line_start(text: &str, pos: usize) -> usize {
    text[..pos].rfind('\n').map(|i| i + 1).unwrap_or(0)
}

/// Leading whitespace of the line holding `pos`.
pub fn line_indent(text: &str, pos: usize) -> &str {
    let s = line_start(text, pos);
    let line = &text[s..];
    let n = line.len() - line.trim_start_matches([' ', '\t']).len();
    &line[..n]
}

pub fn starts_line(text: &str, pos: usize) -> bool {
    text[line_start(text, pos)..pos].chars().all(|c| c == ' ' || c == '\t')
}

/// Join the lines of `item` (separated by `\n`, indented relative to column 0) at `base`.
pub fn place(item: &str, base: &str, eol: &str) -> String {
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
pub fn reindent(snippet: &str, unit: &str) -> String {
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
pub fn compact(item: &str) -> String {
    item.split('\n').map(str::trim).collect::<Vec<_>>().join(" ")
}

/// Text taken from the file, made relative to column 0 (its lines lose `base`, `\r` dropped).
pub fn relative(obj: &str, base: &str) -> String {
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
pub fn items(c: &Node) -> Vec<(usize, usize)> {
    match &c.value {
        Value::Array(a) => a.iter().map(|n| (n.span.start, n.span.end)).collect(),
        Value::Object(o) => o.iter().map(|m| (m.key_span.start, m.value.span.end)).collect(),
        _ => Vec::new(),
    }
}

pub fn skip_ws_and_comments(text: &str, mut i: usize) -> usize {
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
pub fn insert_at(text: &str, c: &Node, k: usize, item: &str, st: &Style) -> Edit {
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
pub fn remove_at(text: &str, c: &Node, k: usize) -> Edit {
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
pub struct Found<'a> {
    pub container: &'a Node,
    pub index: usize,
    pub key: Option<&'a str>,
    pub object: &'a Node,
}

pub fn find_resource(root: &Node, name_start: usize) -> Option<Found<'_>> {
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

pub fn parse(text: &str) -> Result<json::Parsed, String> {
    json::parse(text).map_err(|e| {
        format!(
            "the file is not valid JSON (line {}, column {}: {}); fix it by hand, then run cua-check fix again",
            e.span.line, e.span.column, e.message
        )
    })
}

pub fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""))
}

/// A key not yet used in object `o`, starting from `want`.
pub fn free_key(o: &Node, want: &str) -> String {
    let mut key = want.to_string();
    let mut n = 2;
    while o.get(&key).is_some() {
        key = format!("{want}{n}");
        n += 1;
    }
    key
}

pub fn article(kind: &str) -> &'static str {
    if kind.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" }
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_indentation() {
        assert_eq!(detect_style("{\n\t\"a\": 1\n}").unit, "\t");
        assert_eq!(detect_style("{\n    \"a\": {\n        \"b\": 1\n    }\n}").unit, "    ");
        assert_eq!(detect_style("{\r\n  \"a\": 1\r\n}").eol, "\r\n");
        assert!(detect_style("{\"a\": 1}").compact);
    }
}
