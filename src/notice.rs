//! The customer notice (CUA401): text that tells customers that deployments are tracked for
//! attribution and how to opt out. Looked for in README files, `docs/**/*.md`,
//! `createUiDefinition.json` and a template's own `metadata`.
//!
//! Recognised by default: the article's notice ("Microsoft is able to identify the installation
//! of <PARTNER> software with the deployed Azure resources…"), and the wording Microsoft's own
//! accelerators use ("customer usage attribution", "telemetry", a "Data Collection" section),
//! together with a way to opt out ("opt out", "opt-out", "turn off the telemetry",
//! `enableTelemetry`, `telemetryOptOut`, `disable_telemetry`…). `notice-pattern` in the config
//! file replaces both with one regular expression: a file that matches it carries a notice.

use regex_lite::Regex;

/// Says that deployments are tracked (or that usage data is collected).
const MENTION: &str = r"(?i)customer[ -]usage[ -]attribution|usage attribution|identif(y|ies) the (installation|deployment)s? of|deployments? (is|are|will be|may be|can be) tracked|tracked for (partner )?attribution|partner (usage )?tracking|\btelemetry\b|(enable|disable)[_ -]?(default[_ -]?)?telemetry|telemetry[_ -]?opt[_ -]?out|(^|\n)#+[ \t]*data collection[ \t]*\r?\n";

/// Says how not to be tracked.
const OPT_OUT: &str = r"(?i)opt[ -]?(ing )?out|turn(ed)? (it |this |that )?off|switch(ed)? (it |this |that )?off|disabl(e|es|ed|ing) (the |this |usage |deployment )*(telemetry|tracking|attribution)|(enable|disable)[_ -]?(default[_ -]?)?telemetry|telemetry[_ -]?opt[_ -]?out|exclude[^.\n]{0,60}from (the )?tracking|no[_ -]?telemetry";

/// How notices are recognised.
#[derive(Clone, Debug)]
pub struct Matcher {
    /// `notice-pattern` from the config file: a match is a complete notice.
    custom: Option<Regex>,
    mention: Regex,
    opt_out: Regex,
}

/// What a text says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Found {
    /// 1-based line of the first mention of tracking.
    pub line: u32,
    /// It also says how to opt out.
    pub opt_out: bool,
}

impl Default for Matcher {
    fn default() -> Self {
        Matcher::new(None).expect("the built-in notice patterns compile")
    }
}

impl Matcher {
    /// `custom` is the `notice-pattern` of the config file; `Err` says why it does not compile.
    pub fn new(custom: Option<&str>) -> Result<Matcher, String> {
        let custom = match custom {
            Some(p) => Some(compile(p)?),
            None => None,
        };
        Ok(Matcher { custom, mention: Regex::new(MENTION).map_err(|e| e.to_string())?, opt_out: Regex::new(OPT_OUT).map_err(|e| e.to_string())? })
    }

    pub fn is_custom(&self) -> bool {
        self.custom.is_some()
    }

    /// Does `text` mention tracking, and does it say how to opt out? `None` when it does not
    /// mention tracking at all.
    pub fn scan(&self, text: &str) -> Option<Found> {
        let line = |at: usize| text.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() as u32 + 1;
        if let Some(re) = &self.custom {
            return re.find(text).map(|m| Found { line: line(m.start()), opt_out: true });
        }
        let m = self.mention.find(text)?;
        // A heading match starts at the line break before it.
        let at = if text.as_bytes().get(m.start()) == Some(&b'\n') { m.start() + 1 } else { m.start() };
        Some(Found { line: line(at), opt_out: self.opt_out.is_match(text) })
    }
}

/// Compile a `notice-pattern`: an empty pattern or one that fails to compile is an error.
pub fn compile(p: &str) -> Result<Regex, String> {
    if p.trim().is_empty() {
        return Err("the pattern is empty".into());
    }
    Regex::new(p).map_err(|e| format!("not a valid regular expression: {}", e.to_string().lines().last().unwrap_or("").trim()))
}

/// Which kind of place a notice was looked for in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocKind {
    Readme,
    Docs,
    UiDefinition,
}

/// A README, docs page or `createUiDefinition.json` of the tree, and what it says.
#[derive(Clone, Debug)]
pub struct DocFile {
    pub path: String,
    pub kind: DocKind,
    /// The folders it speaks for: a README or `createUiDefinition.json` its own folder; a page
    /// under `docs/` the folder that holds `docs/`.
    pub owners: Vec<String>,
    /// `None` when it says nothing about tracking (or could not be read).
    pub found: Option<Found>,
}

/// Is `rel` a place a notice may be (and which kind), with the folders it speaks for?
pub fn doc_kind(rel: &str) -> Option<(DocKind, Vec<String>)> {
    let (dir, name) = match rel.rfind('/') {
        Some(i) => (&rel[..i], &rel[i + 1..]),
        None => ("", rel),
    };
    let lower = name.to_ascii_lowercase();
    if lower == "createuidefinition.json" {
        return Some((DocKind::UiDefinition, vec![dir.to_string()]));
    }
    let mut owners = Vec::new();
    let readme = lower.starts_with("readme") && !lower.ends_with(".json") && !lower.ends_with(".png") && !lower.ends_with(".jpg");
    if readme {
        owners.push(dir.to_string());
    }
    let markdown = lower.ends_with(".md") || lower.ends_with(".markdown");
    if markdown {
        // `…/docs/…/page.md`: the folder that holds the (last) `docs` folder.
        let parts: Vec<&str> = dir.split('/').collect();
        if let Some(i) = parts.iter().rposition(|p| p.eq_ignore_ascii_case("docs")) {
            let owner = parts[..i].join("/");
            if !owners.contains(&owner) {
                owners.push(owner);
            }
        }
    }
    if owners.is_empty() {
        return None;
    }
    let kind = if readme { DocKind::Readme } else { DocKind::Docs };
    Some((kind, owners))
}

/// `folder` and each parent up to the root (`""`), nearest first.
pub fn chain(folder: &str) -> Vec<String> {
    let mut out = vec![folder.to_string()];
    let mut f = folder;
    while !f.is_empty() {
        f = f.rfind('/').map_or("", |i| &f[..i]);
        out.push(f.to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_article_and_accelerator_wordings_are_recognised() {
        let m = Matcher::default();
        let article = "When you deploy this template, Microsoft is able to identify the installation of Contoso software with the deployed Azure resources.";
        assert_eq!(m.scan(article), Some(Found { line: 1, opt_out: false }));
        let avm = "# x\n\n## Data Collection\n\nThe software may collect information about you. You may turn off the telemetry as described in the repository.\n";
        assert_eq!(m.scan(avm), Some(Found { line: 3, opt_out: true }));
        let alz = "Telemetry Tracking Using Customer Usage Attribution (PID)\nset `telemetryOptOut` to true";
        assert_eq!(m.scan(alz), Some(Found { line: 1, opt_out: true }));
        assert_eq!(m.scan("If set to true, will disable telemetry for the module.").map(|f| f.opt_out), Some(true));
        assert_eq!(m.scan("Set `enableTelemetry` to false to opt-out.").map(|f| f.opt_out), Some(true));
        // unrelated text
        assert_eq!(m.scan("Deploys a storage account. Create a data collection rule for the VM."), None);
        assert_eq!(m.scan("telemetryless"), None);
    }

    #[test]
    fn a_custom_pattern_replaces_the_defaults() {
        let m = Matcher::new(Some("(?i)wir erfassen")).unwrap();
        assert_eq!(m.scan("x\nWir erfassen Bereitstellungen"), Some(Found { line: 2, opt_out: true }));
        assert_eq!(m.scan("customer usage attribution; opt out"), None);
        assert!(Matcher::new(Some("(unclosed")).unwrap_err().contains("regular expression"));
        assert!(Matcher::new(Some("  ")).is_err());
    }

    #[test]
    fn docs_speak_for_their_folders() {
        assert_eq!(doc_kind("a/b/README.md"), Some((DocKind::Readme, vec!["a/b".into()])));
        assert_eq!(doc_kind("README"), Some((DocKind::Readme, vec!["".into()])));
        assert_eq!(doc_kind("docs/wiki/CustomerUsage.md"), Some((DocKind::Docs, vec!["".into()])));
        assert_eq!(doc_kind("a/docs/README.md"), Some((DocKind::Readme, vec!["a/docs".into(), "a".into()])));
        assert_eq!(doc_kind("a/createUiDefinition.json"), Some((DocKind::UiDefinition, vec!["a".into()])));
        assert_eq!(doc_kind("a/notes.md"), None);
        assert_eq!(chain("a/b"), vec!["a/b".to_string(), "a".into(), "".into()]);
        assert_eq!(chain(""), vec!["".to_string()]);
    }
}
