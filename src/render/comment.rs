//! The sticky pull-request comment: its hidden marker, its body, and which existing comment is
//! ours (found by the marker AND the author being the token's identity, so a marker planted in
//! someone else's comment is ignored).

use serde::Deserialize;

use crate::report::Report;

/// GitHub rejects comment bodies over 65,536 characters; stay well below in bytes.
pub const MAX_COMMENT_BYTES: usize = 60_000;

fn clean_key(key: &str) -> String {
    key.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')).take(64).collect()
}

pub fn marker(key: &str) -> String {
    format!("<!-- cua-check:comment key={} -->", clean_key(key))
}

/// The marker of the action's verify mode: its own namespace, so the check comment and the verify
/// comment of the same `comment-key` are two comments that never overwrite each other.
pub fn verify_marker(key: &str) -> String {
    format!("<!-- cua-check:verify key={} -->", clean_key(key))
}

/// What the comment needs besides the report.
pub struct Parts<'a> {
    pub prefix: &'a str,
    pub blob_base: Option<String>,
    /// Where the complete list is (Markdown), for the notes on what the comment leaves out.
    pub complete_list: &'a str,
    /// The lowest level listed one by one (input `comment-level`).
    pub list_level: crate::report::Severity,
    /// The "Checked:" line.
    pub checked: Option<String>,
}

pub fn body(report: &Report, key: &str, parts: &Parts) -> String {
    let header = format!("{}\n", marker(key));
    let opts = super::markdown::Options {
        prefix: parts.prefix,
        blob_base: parts.blob_base.clone(),
        max_bytes: MAX_COMMENT_BYTES,
        snippets: true,
        full_report_hint: parts.complete_list,
        header: &header,
        list_level: parts.list_level,
        checked: parts.checked.clone(),
        fold: true,
    };
    super::markdown::render(report, &opts)
}

#[derive(Deserialize)]
pub struct ExistingComment {
    pub id: u64,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub user: Option<User>,
}

#[derive(Deserialize, Default, Clone, Debug)]
pub struct User {
    #[serde(default)]
    pub login: String,
    /// The account's numeric ID (REST `user.id`, GraphQL `databaseId`).
    #[serde(default)]
    pub id: Option<u64>,
    /// `User` or `Bot` (an App, GITHUB_TOKEN's `github-actions[bot]` included).
    #[serde(default, rename = "type")]
    pub kind: String,
}

/// Who the token acts as, as far as the API told the shim: the GraphQL `viewer` (which answers
/// for App installation tokens and personal tokens alike), else `GET /user` (personal tokens).
/// Unknown (both refused) is `None`.
#[derive(Deserialize, Default, Clone, Debug)]
#[serde(untagged)]
pub enum Viewer {
    #[default]
    Unknown,
    Login(String),
    Account { #[serde(default)] login: String, #[serde(default)] id: Option<u64> },
}

fn bare(login: &str) -> &str {
    login.strip_suffix("[bot]").unwrap_or(login)
}

/// Is the comment's author the token's identity? By account ID when both are known, else by
/// login (a bot's login with or without the `[bot]` suffix GraphQL leaves out). When the
/// identity is unknown, only an App's (type `Bot`) comment can be ours: a person's never is.
fn written_by(user: &User, viewer: &Viewer) -> bool {
    match viewer {
        Viewer::Account { id: Some(id), .. } if user.id.is_some() => user.id == Some(*id),
        Viewer::Account { login, .. } | Viewer::Login(login) if !login.is_empty() => {
            user.login.eq_ignore_ascii_case(login) || (user.kind == "Bot" && bare(&user.login).eq_ignore_ascii_case(bare(login)))
        }
        _ => user.kind == "Bot",
    }
}

fn carries(body: &str, marker: &str) -> bool {
    body.starts_with(marker) || body.lines().next() == Some(marker)
}

/// The id of our existing comment: carries the marker at its top and was written by `viewer`
/// (the oldest such comment).
pub fn choose(comments: &[ExistingComment], marker: &str, viewer: &Viewer) -> Option<u64> {
    comments
        .iter()
        .filter(|c| c.user.as_ref().is_some_and(|u| written_by(u, viewer)))
        .filter(|c| c.body.as_deref().is_some_and(|b| carries(b, marker)))
        .map(|c| c.id)
        .next()
}

/// Would writing `new` change the comment whose body is `old`? (GitHub may store line ends as
/// CRLF and drop trailing white space.)
pub fn same_body(old: &str, new: &str) -> bool {
    let norm = |s: &str| s.replace("\r\n", "\n").trim_end().to_string();
    norm(old) == norm(new)
}
