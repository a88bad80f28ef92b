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

pub fn body(report: &Report, key: &str, prefix: &str, blob_base: Option<String>, run_url: Option<&str>) -> String {
    let hint = match run_url {
        Some(u) => format!("the job summary of [this run]({u}) lists them all"),
        None => "the job summary lists them all".to_string(),
    };
    let header = format!("{}\n", marker(key));
    let opts = super::markdown::Options {
        prefix,
        blob_base,
        max_bytes: MAX_COMMENT_BYTES,
        snippets: true,
        full_report_hint: &hint,
        header: &header,
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

#[derive(Deserialize)]
pub struct User {
    #[serde(default)]
    pub login: String,
}

/// The id of our existing comment: carries the marker and was written by `viewer`.
pub fn choose(comments: &[ExistingComment], marker: &str, viewer: &str) -> Option<u64> {
    comments
        .iter()
        .filter(|c| c.user.as_ref().is_some_and(|u| u.login.eq_ignore_ascii_case(viewer)))
        .filter(|c| c.body.as_deref().is_some_and(|b| b.starts_with(marker) || b.lines().next() == Some(marker)))
        .map(|c| c.id)
        .next()
}
