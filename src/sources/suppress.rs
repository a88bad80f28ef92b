//! Inline suppressions, one grammar for every reader: `# cua-check-ignore CUA201, CUA202: reason`
//! (or `//`). [`find`] scans line comments (code, scripts, Terraform); [`directive`] parses the text
//! after the keyword (also used by the Bicep reader on its own comments).
//!
//! A comment on its own line applies to the next non-blank, non-comment line; a comment
//! trailing code applies to that line. The span recorded is the span of the line it applies to
//! (from its first non-blank character to its end).

use crate::model::{Span, Suppression};

const KEYWORD: &str = "cua-check-ignore";

/// Lines of `text` as (start, end) byte offsets, end excluding `\n` and a trailing `\r`.
fn lines(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let b = text.as_bytes();
    let mut pos = 0;
    std::iter::from_fn(move || {
        if pos > b.len() || (pos == b.len() && pos != 0 && b[pos - 1] == b'\n') {
            return None;
        }
        let start = pos;
        let mut end = match b[start..].iter().position(|&c| c == b'\n') {
            Some(i) => start + i,
            None => b.len(),
        };
        pos = end + 1;
        if end > start && b[end - 1] == b'\r' {
            end -= 1;
        }
        Some((start, end))
    })
}

fn is_comment_line(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with('#')
        || t.starts_with("//")
        || t.starts_with("/*")
        || t.starts_with('*')
        || t.starts_with("<#")
        || t.starts_with("REM ")
}

/// Find all suppressions in `text`. Cheap when the keyword does not occur.
pub fn find(text: &str) -> Vec<Suppression> {
    let mut out = Vec::new();
    if !text.contains(KEYWORD) {
        return out;
    }
    // Suppressions from own-line comments waiting for the next code line.
    let mut pending: Vec<(String, Option<String>, Span)> = Vec::new();
    let mut line_no: u32 = 0;
    for (start, end) in lines(text) {
        line_no = line_no.saturating_add(1);
        let line = &text[start..end];
        let trimmed = line.trim_start();
        let lead = line.len() - trimmed.len();
        let line_span = || {
            let col = line[..lead].chars().count() as u32 + 1;
            let end_col = line.chars().count() as u32 + 1;
            Span {
                line: line_no,
                column: col,
                end_line: line_no,
                end_column: end_col,
                start: start + lead,
                end,
            }
        };
        let found = parse_comment(line);
        let own_line = is_comment_line(line);
        if let Some((at, codes, reason)) = found {
            let before = line[..at].trim_start();
            let own = before.is_empty() || own_line;
            if own {
                for c in codes {
                    pending.push((c, reason.clone(), line_span()));
                }
                continue;
            }
            let span = line_span();
            for c in codes {
                out.push(Suppression {
                    rule: c,
                    reason: reason.clone(),
                    span,
                });
            }
        }
        if trimmed.is_empty() || own_line {
            continue;
        }
        if !pending.is_empty() {
            let span = line_span();
            for (rule, reason, _) in pending.drain(..) {
                out.push(Suppression { rule, reason, span });
            }
        }
    }
    // Comments with no code line after them apply to the comment line itself.
    for (rule, reason, span) in pending {
        out.push(Suppression { rule, reason, span });
    }
    out
}

/// Find a `# cua-check-ignore …` or `// cua-check-ignore …` comment in one line.
/// Returns the byte offset of the comment marker, the rule codes and the reason.
fn parse_comment(line: &str) -> Option<(usize, Vec<String>, Option<String>)> {
    let k = line.find(KEYWORD)?;
    let before = line[..k].trim_end();
    let marker = if before.ends_with("//") {
        before.len() - 2
    } else if before.ends_with('#') {
        before.len() - 1
    } else {
        return None;
    };
    let (codes, reason) = directive(&line[k + KEYWORD.len()..])?;
    Some((marker, codes, reason))
}

/// The one grammar of a suppression, after the keyword: `CODE[, CODE…][: reason]`. Text after
/// the last code without a `:` is taken as the reason too; a comment closer (`*/`, `-->`) is not
/// part of it. `None` when no code is given or the keyword runs into another word.
pub fn directive(rest: &str) -> Option<(Vec<String>, Option<String>)> {
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let rest = rest.trim();
    let (codes_part, mut reason) = match rest.find(':') {
        Some(i) => (&rest[..i], Some(rest[i + 1..].trim().to_string())),
        None => (rest, None),
    };
    let mut codes = Vec::new();
    for piece in codes_part.split(',') {
        let mut words = piece.split_whitespace();
        let Some(code) = words.next() else { continue };
        if !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            break;
        }
        codes.push(code.to_ascii_uppercase());
        let extra: Vec<&str> = words.collect();
        if !extra.is_empty() {
            if reason.is_none() {
                reason = Some(extra.join(" "));
            }
            break;
        }
    }
    if codes.is_empty() {
        return None;
    }
    let reason = reason
        .map(|r| r.trim().trim_end_matches("*/").trim_end_matches("-->").trim().to_string())
        .filter(|r| !r.is_empty());
    Some((codes, reason))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_line_and_trailing() {
        let t = "# cua-check-ignore CUA201, CUA105: tracked elsewhere\n\n  # other\n  partner_id = \"x\"\nfoo = 1 // cua-check-ignore CUA300\n";
        let s = find(t);
        assert_eq!(s.len(), 3);
        assert_eq!(s[0].rule, "CUA201");
        assert_eq!(s[1].rule, "CUA105");
        assert_eq!(s[0].reason.as_deref(), Some("tracked elsewhere"));
        assert_eq!((s[0].span.line, s[0].span.column), (4, 3));
        assert_eq!(&t[s[0].span.start..s[0].span.end], "partner_id = \"x\"");
        assert_eq!(s[2].rule, "CUA300");
        assert_eq!(s[2].reason, None);
        assert_eq!(s[2].span.line, 5);
    }

    #[test]
    fn not_a_comment() {
        assert!(find("x = \"cua-check-ignore CUA1\"\n").is_empty());
        assert!(find("# cua-check-ignored CUA1\n").is_empty());
        assert!(find("#cua-check-ignore\n").is_empty());
    }
}
