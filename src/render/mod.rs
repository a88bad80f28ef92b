//! Renderers: one module per output format. All of them work from a [`Report`](crate::report::Report).
//! Must not import: `check`, `sources`, `frontends` (a renderer sees the report, nothing else).

pub mod annotations;
pub mod comment;
pub mod map;
pub mod markdown;
pub mod rules_doc;
pub mod sarif;
pub mod text;

/// Make text safe for a line of the Actions runner's log: no newlines, no terminal control
/// characters, no `::` at a line start, no `##[` anywhere (both are parsed as workflow
/// commands). Every line the CLI, the action and `verify` print goes through this or
/// [`no_commands`].
pub fn log_safe(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() && c != '\t' => out.push_str(&c.escape_default().to_string()),
            c => out.push(c),
        }
    }
    no_commands_line(out)
}

/// The workflow-command half of [`log_safe`] for text that is already free of control
/// characters, line by line: `##[` anywhere and `::` at the start of a line (after white
/// space, which the runner trims) are broken with a zero-width space.
pub fn no_commands(s: String) -> String {
    if !s.contains("##[") && !s.contains("::") {
        return s;
    }
    let mut out = String::with_capacity(s.len() + 8);
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&no_commands_line(line.to_string()));
    }
    out
}

fn no_commands_line(out: String) -> String {
    let out = if out.contains("##[") { out.replace("##[", "#\u{200B}#[") } else { out };
    // The runner trims leading white space before looking for `::`, so break the pair itself.
    let lead = out.len() - out.trim_start().len();
    if out[lead..].starts_with("::") {
        format!("{}:\u{200B}:{}", &out[..lead], &out[lead + 2..])
    } else {
        out
    }
}

/// JSON text (a report, SARIF) printed to a log: `##[` inside a string is written `#\u0023[`,
/// the same value to a JSON reader and no command to the runner.
pub fn json_log_safe(s: String) -> String {
    if s.contains("##[") {
        s.replace("##[", "#\\u0023[")
    } else {
        s
    }
}

/// Escape free text for Markdown (GitHub-flavoured): no formatting, no HTML, no links,
/// no @-mentions, no table breaks.
pub fn md_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '!' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '@' => out.push_str("@\u{200B}"),
            '\n' | '\r' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Inline code for a value read from a repository (path, name): backticks cannot close it,
/// `|` cannot break a table, nothing inside is rendered.
pub fn md_code(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .map(|c| match c {
            '`' => '\'',
            '\n' | '\r' => ' ',
            c if c.is_control() => '\u{FFFD}',
            c => c,
        })
        .collect();
    let cleaned = cleaned.replace('|', "\\|");
    if cleaned.is_empty() {
        return "` `".into();
    }
    format!("`{}`", cleaned)
}

/// A finding message in Markdown: our words escaped as text, the `…` spans (values quoted by
/// the rules) kept as inline code.
pub fn md_message(msg: &str) -> String {
    let mut out = String::new();
    for (i, part) in msg.split('`').enumerate() {
        if i % 2 == 0 {
            out.push_str(&md_text(part));
        } else {
            out.push_str(&md_code(part));
        }
    }
    out
}

/// `3 errors`, `1 error`.
pub fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// The counts of a run, as every summary line says them: `2 errors, 1 warning, 0 notices in 40
/// files (3 templates)`.
pub fn counts(s: &crate::report::Summary) -> String {
    format!(
        "{}, {}, {} in {} ({})",
        plural(s.errors, "error"),
        plural(s.warnings, "warning"),
        plural(s.notices, "notice"),
        plural(s.files, "file"),
        plural(s.templates, "template")
    )
}

/// Percent-encode a relative path for a URL or SARIF `uri` (RFC 3986 path characters kept).
pub fn url_path(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Cut `s` to at most `max` bytes on a char boundary.
pub fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_lines_cannot_carry_workflow_commands() {
        assert!(!log_safe("::error::x").starts_with("::"));
        assert!(!log_safe("  ::error::x").trim_start().starts_with("::"));
        assert!(!log_safe("a\n::error::x").contains('\n'));
        assert!(!log_safe("x ##[error]y").contains("##["));
    }

    #[test]
    fn markdown_cannot_mention_or_inject() {
        let m = md_text("@someone <img src=x> [a](b) **b**");
        assert!(!m.contains("@s"));
        assert!(!m.contains('<'));
        assert!(!m.contains("[a]"));
        let c = md_code("a`b|c");
        assert_eq!(c, "`a'b\\|c`");
        let msg = md_message("name `@x` is *bad*");
        assert!(msg.contains("`@x`") && msg.contains("\\*bad\\*"));
    }
}
