//! Text: decoding file bytes, and keeping the source lines findings point at.

use crate::model::{Content, SourceFile, Span};

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

/// Finish a file a reader has read from `text`: keep the text of every line a fact points at (for
/// code frames, capped in length) and, when it could not be parsed, whether it mentions tracking.
pub fn finish(f: &mut SourceFile, text: &str) {
    if !f.errors.is_empty() {
        f.mentions_tracking = mentions_tracking(text.as_bytes());
    }
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

