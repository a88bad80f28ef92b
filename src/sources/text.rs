//! Text: decoding file bytes, and keeping the source lines findings point at.

use crate::model::{Content, Located, SourceFile, Span};

/// Decode file bytes: UTF-8 (BOM stripped) or UTF-16 with a BOM. `Err` says why not.
/// A line end written as a lone CR (old Mac) becomes LF, as editors count it: byte offsets stay
/// the same, and every reader's line numbers are the editor's.
pub fn decode(bytes: &[u8]) -> Result<std::borrow::Cow<'_, str>, String> {
    decode_raw(bytes).map(lone_cr_to_lf)
}

/// Replace each CR not followed by LF with LF (same length: positions do not move).
pub fn lone_cr_to_lf(text: std::borrow::Cow<'_, str>) -> std::borrow::Cow<'_, str> {
    let b = text.as_bytes();
    let lone = |i: usize| b[i] == b'\r' && b.get(i + 1) != Some(&b'\n');
    if !(0..b.len()).any(lone) {
        return text;
    }
    let mut out = text.into_owned().into_bytes();
    for i in 0..out.len() {
        if out[i] == b'\r' && out.get(i + 1) != Some(&b'\n') {
            out[i] = b'\n';
        }
    }
    // Only one ASCII byte replaced by another: still UTF-8.
    std::borrow::Cow::Owned(String::from_utf8(out).expect("still UTF-8"))
}

fn decode_raw(bytes: &[u8]) -> Result<std::borrow::Cow<'_, str>, String> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return std::str::from_utf8(rest).map(Into::into).map_err(|e| utf8_error(e, 3));
    }
    let utf16 = |le: bool, b: &[u8]| {
        let units = b.chunks_exact(2).map(|c| if le { u16::from_le_bytes([c[0], c[1]]) } else { u16::from_be_bytes([c[0], c[1]]) });
        char::decode_utf16(units).collect::<Result<String, _>>().map(Into::into).map_err(|_| "not valid UTF-16".to_string())
    };
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(true, rest);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(false, rest);
    }
    std::str::from_utf8(bytes).map(Into::into).map_err(|e| utf8_error(e, 0))
}

fn utf8_error(e: std::str::Utf8Error, offset: usize) -> String {
    format!("not valid UTF-8 (invalid byte at offset {}); save the file as UTF-8", e.valid_up_to() + offset)
}

/// Does `text` mention a tracking ID or a way to carry one: `pid-` (not inside a word such as
/// `rapid-`), `partner_id` (also `ARM_PARTNER_ID`), or a user agent (`user_agent`,
/// `userAgent`, `User-Agent`)? Case-insensitive. Used for files that could not be parsed:
/// what they could hide decides how much the failure costs (CUA001).
pub fn mentions_tracking(text: &[u8]) -> bool {
    let lower = text.to_ascii_lowercase();
    let find = |needle: &[u8], word_start: bool| {
        lower.windows(needle.len()).enumerate().any(|(i, w)| {
            w == needle && (!word_start || i == 0 || !lower[i - 1].is_ascii_alphanumeric())
        })
    };
    find(b"pid-", true)
        || find(b"partner_id", false)
        || find(b"user_agent", false)
        || find(b"useragent", false)
        || find(b"user-agent", false)
}

/// How many distinct build placeholders [`build_tokens`] keeps (their first places).
const MAX_TOKENS: usize = 64;

/// The build placeholders that make `text` the input of a build, not a deployable template:
/// - `##NAME##` generator tokens (`NAME` in capitals, digits and `_`, as template generators
///   such as Azure Monitor Baseline Alerts' `generate-templates` write them), when the file does
///   not parse as it is (`error_at` is where the parse failed);
/// - `${prop}` Maven-style properties (resource filtering) in the value of a `type` or
///   `apiVersion` member of a JSON file (ARM itself never writes `${`), or where the parse
///   failed.
/// Each distinct token once, at its first place; none when the file is not a build input.
pub fn build_tokens(text: &str, json: bool, error_at: Option<usize>) -> Vec<Located<String>> {
    let b = text.as_bytes();
    let mut found: Vec<(usize, usize)> = Vec::new(); // (start, end) of distinct tokens
    let add = |found: &mut Vec<(usize, usize)>, s: usize, e: usize| {
        if found.len() < MAX_TOKENS && !found.iter().any(|&(fs, fe)| b[fs..fe] == b[s..e]) {
            found.push((s, e));
        }
    };
    if error_at.is_some() {
        let mut i = 0;
        while let Some(k) = text[i..].find("##") {
            let s = i + k;
            let name_end = s + 2 + b[s + 2..].iter().take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || **c == b'_').count();
            if name_end > s + 2 && b[s + 2].is_ascii_uppercase() && b.get(name_end..name_end + 2) == Some(b"##") {
                add(&mut found, s, name_end + 2);
                i = name_end + 2;
            } else {
                i = s + 2;
            }
        }
    }
    // `${prop}` at `s`: its end.
    let maven = |s: usize| -> Option<usize> {
        let rest = b.get(s..)?;
        if !rest.starts_with(b"${") {
            return None;
        }
        let n = rest[2..].iter().take_while(|c| c.is_ascii_alphanumeric() || b"_.-".contains(c)).count();
        (n > 0 && rest[2].is_ascii_alphabetic() && rest.get(2 + n) == Some(&b'}')).then_some(s + 3 + n)
    };
    if let Some(e) = error_at.and_then(|s| maven(s).map(|end| (s, end))) {
        add(&mut found, e.0, e.1);
    }
    if json && text.contains("${") {
        for key in ["\"type\"", "\"apiVersion\"", "\"apiversion\""] {
            for (k, _) in text.match_indices(key) {
                // `"type" : "…"`: the string value after the key.
                let mut i = k + key.len();
                while b.get(i).is_some_and(u8::is_ascii_whitespace) {
                    i += 1;
                }
                if b.get(i) != Some(&b':') {
                    continue;
                }
                i += 1;
                while b.get(i).is_some_and(u8::is_ascii_whitespace) {
                    i += 1;
                }
                if b.get(i) != Some(&b'"') {
                    continue;
                }
                let end = b[i + 1..].iter().position(|&c| c == b'"' || c == b'\n').map_or(b.len(), |p| i + 1 + p);
                let mut j = i + 1;
                while j < end {
                    match maven(j) {
                        Some(e) if e <= end => {
                            add(&mut found, j, e);
                            j = e;
                        }
                        _ => j += 1,
                    }
                }
            }
        }
    }
    found.sort();
    found.into_iter().map(|(s, e)| Located { value: text[s..e].to_string(), span: crate::model::span_of(text, s, e) }).collect()
}

/// Finish a file a reader has read from `text`: keep the text of every line a fact points at (for
/// code frames, capped in length) and, when it could not be parsed, whether it mentions tracking.
pub fn finish(f: &mut SourceFile, text: &str) {
    if !f.errors.is_empty() {
        f.mentions_tracking = mentions_tracking(text.as_bytes());
    }
    let mut at_token: Vec<(u32, usize)> = Vec::new();
    f.build_tokens = build_tokens(text, f.path.to_ascii_lowercase().ends_with(".json"), f.errors.first().map(|e| e.span.start));
    at_token.extend(f.build_tokens.iter().map(|t| (t.span.line, t.span.start)));
    // (line, byte offset on that line) of every place a finding may point at.
    let mut at: Vec<(u32, usize)> = vec![(f.anchor.line, f.anchor.start)];
    let mut span = |s: &Span| at.push((s.line, s.start));
    for d in &f.deployments {
        span(&d.name_span);
        span(&d.span);
        if let Some(m) = &d.mode {
            span(&m.span);
        }
        if let Some(c) = &d.condition {
            span(&c.span);
        }
        if let Some(t) = &d.resource_type {
            span(&t.span);
        }
        match &d.content {
            Content::Resources(s) | Content::Linked(s) => span(s),
            _ => {}
        }
    }
    for p in &f.providers {
        span(&p.span);
        if let Some(x) = &p.partner_id {
            span(&x.span);
        }
    }
    f.user_agents.iter().for_each(|u| span(&u.span));
    f.resources.iter().for_each(|r| span(&r.span));
    f.errors.iter().for_each(|e| span(&e.span));
    f.suppressions.iter().for_each(|s| span(&s.span));
    if let Some(c) = &f.comment {
        span(c);
    }
    at.append(&mut at_token);
    at.sort_unstable();
    at.dedup_by_key(|x| x.0);
    // Cut each line out around its offset: no pass over the rest of the text.
    let b = text.as_bytes();
    for (line, offset) in at {
        if line == 0 || line == u32::MAX || offset > b.len() || !text.is_char_boundary(offset) {
            continue;
        }
        let from = b[..offset].iter().rposition(|&c| c == b'\n').map_or(0, |i| i + 1);
        let to = b[offset..].iter().position(|&c| c == b'\n').map_or(b.len(), |i| offset + i);
        let line_text = &text[from..to];
        let line_text = line_text.strip_suffix('\r').unwrap_or(line_text);
        let line_text = if from == 0 { line_text.strip_prefix('\u{feff}').unwrap_or(line_text) } else { line_text };
        f.snippets.insert(line, line_text.chars().take(400).collect());
    }
}


#[cfg(test)]
mod build_token_tests {
    use super::build_tokens;

    fn names(text: &str, json: bool, error_at: Option<usize>) -> Vec<String> {
        build_tokens(text, json, error_at).into_iter().map(|t| t.value).collect()
    }

    #[test]
    fn generator_tokens_count_only_in_a_file_that_does_not_parse() {
        let t = "{\"a\": \"##NAME##\", \"b\": ##COUNT_2##, \"c\": \"##NAME##\"}";
        assert_eq!(names(t, true, Some(24)), ["##NAME##", "##COUNT_2##"]);
        assert!(names(t, true, None).is_empty(), "a file that parses is not a build input for ##…##");
        // Not generator tokens: lower case, empty, a markdown heading, a lone `##`.
        let t = "## Title ##\n##lower## #### ##1A## ##";
        assert!(names(t, false, Some(0)).is_empty());
        let t = "x = ##A##";
        let tok = &build_tokens(t, false, Some(4))[0];
        assert_eq!((tok.value.as_str(), tok.span.line, tok.span.column, tok.span.end_column), ("##A##", 1, 5, 10));
    }

    #[test]
    fn maven_properties_in_type_or_api_version_or_where_the_parse_fails() {
        let t = "{\n  \"type\": \"Microsoft.Web/${site.kind}\",\n  \"apiVersion\" : \"${api.version}\",\n  \"x\": \"${other}\"\n}";
        let got = build_tokens(t, true, None);
        let got: Vec<(&str, u32)> = got.iter().map(|t| (t.value.as_str(), t.span.line)).collect();
        assert_eq!(got, [("${site.kind}", 2), ("${api.version}", 3)]);
        // Only JSON files are searched by key; elsewhere only the token the parse failed at.
        assert!(names(t, false, None).is_empty());
        let t = "{\"count\": ${vm.count}}";
        assert_eq!(names(t, true, Some(10)), ["${vm.count}"]);
        // A shell variable in a script, or a broken `${`, is not a Maven property.
        assert!(names("{\"s\": \"echo ${HOME}\", \"type\": \"${ x}\"}", true, None).is_empty());
    }
}
