//! Every option, declared once: its command-line flag, action input, config-file key, built-in
//! default, allowed values and description. The action's `action.yml` inputs section and the
//! README's inputs table are generated from [`OPTIONS`] (a test holds both against it), and every
//! front end words a bad value or an unknown name with [`bad_value`] and [`unknown`], so the same
//! mistake reads the same from the command line, the action and the config file.
//!
//! Precedence, for options that several layers set: a command-line flag or an action input that
//! is given (non-empty) > the config file > the built-in default. `action.yml` declares every input
//! with an empty default (only `token` defaults to `${{ github.token }}`), so an input the workflow
//! leaves out is "not given" and the config file applies.

/// Which front end a value came through (for the wording of errors).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Front {
    Cli,
    Action,
    Config,
}

/// The action modes an input applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Check mode only.
    Check,
    /// Verify mode only.
    Verify,
    /// Both.
    Both,
}

/// One option.
#[derive(Debug)]
pub struct Opt {
    /// Action input name (`None`: command line only).
    pub input: Option<&'static str>,
    /// Command-line flag (`None`: action only).
    pub flag: Option<&'static str>,
    /// Config-file key (`None`: not in the config file).
    pub key: Option<&'static str>,
    /// The built-in default as a user writes it ("" for none).
    pub default: &'static str,
    /// The allowed values, as listed in errors and docs ("" when free text).
    pub allowed: &'static str,
    /// What it does (action.yml description and README).
    pub doc: &'static str,
    /// Which action mode reads the input.
    pub mode: Mode,
    /// Whether the input is a secret (masked in the log).
    pub secret: bool,
}

const fn opt(input: &'static str, flag: Option<&'static str>, key: Option<&'static str>, default: &'static str, allowed: &'static str, doc: &'static str, mode: Mode) -> Opt {
    Opt { input: Some(input), flag, key, default, allowed, doc, mode, secret: false }
}

pub const MODES: &str = "standard, marketplace";
pub const FAIL_ON: &str = "error, warning, never";
pub const COMMENT: &str = "auto, always, on-failure, never (true means auto, false means never)";
pub const SCOPE: &str = "all, changed";
pub const SOURCES: &str = "a comma-separated list of arm, bicep, terraform, code (or all)";
pub const SIZE: &str = "a size such as 32MiB, 500KB or 1048576";
pub const COMMENT_KEY: &str = "up to 64 letters, digits, '-', '_' or '.'";
pub const ENDPOINT: &str = "public, usgov, china, or an http(s):// URL";
pub const TRACKING_ID: &str = "a tracking ID, pid-<GUID>";
pub const PR_NUMBER: &str = "a pull request number such as 42, or empty";
pub const COMMENT_LEVEL: &str = "error, warning, notice";
pub const CATEGORY: &str = "up to 200 characters, no control characters";
pub const IDS: &str = "pid-<GUID>, pid-<GUID>-partnercenter or a bare GUID";

/// Every option with an action input or a config-file key, in the order of `action.yml`.
pub const OPTIONS: &[Opt] = &[
    opt("path", None, None, ".", "", "Folder or file to check, inside the workspace (`a/../b` is `b`; a path outside `GITHUB_WORKSPACE` is an input error).", Mode::Check),
    opt(
        "registered-ids",
        Some("--registered"),
        Some("registered"),
        "",
        IDS,
        "Registered tracking IDs (`pid-<GUID>`, `pid-<GUID>-partnercenter` or a bare GUID), separated by new lines, commas, semicolons or spaces; a description only as `id: description`, one per line.",
        Mode::Both,
    ),
    opt("registry-file", Some("--registry"), Some("registry"), "", "", "Path of a file listing the registered tracking IDs (see Registry in the README).", Mode::Both),
    opt("main-templates", Some("--main"), Some("main"), "", "", "Glob patterns of more files to treat as main (deployable) templates, one per line; empty means detect them.", Mode::Check),
    opt("exclude", Some("--exclude"), Some("exclude"), "", "", "Glob patterns of files and folders to skip, one per line.", Mode::Check),
    opt("mode", Some("--mode"), Some("mode"), "standard", MODES, "Checking mode: `standard`, or `marketplace` (Partner Center adds the ID at publish).", Mode::Check),
    opt("fail-on", Some("--fail-on"), Some("fail-on"), "error", FAIL_ON, "Lowest finding level that makes the step fail: `error`, `warning` or `never`.", Mode::Check),
    opt(
        "comment",
        None,
        None,
        "auto",
        COMMENT,
        "Whether to write the pull request comment: `auto` (when there is an error or a warning; a notice-only run creates none; an existing comment is kept current), `always`, `on-failure` or `never`; `true` means `auto`, `false` means `never`.",
        Mode::Both,
    ),
    opt("comment-key", None, None, "default", COMMENT_KEY, "Distinguishes the comments of several cua-check steps on the same pull request.", Mode::Both),
    opt(
        "comment-level",
        None,
        None,
        "warning",
        COMMENT_LEVEL,
        "The lowest level the pull request comment lists finding by finding: `error`, `warning` or `notice`; lower levels appear as counts (the job summary, the JSON report and SARIF list every finding). With `comment: auto`, a run with nothing at this level or above creates no comment.",
        Mode::Check,
    ),
    opt("scope", None, None, "all", SCOPE, "Which files to report on: `all`, or `changed` (the files the pull request or push changes; every file when that set is empty, truncated or unknown).", Mode::Check),
    opt("sarif-file", None, None, "", "", "Where to write a SARIF 2.1.0 report (empty means none).", Mode::Check),
    opt(
        "category",
        None,
        None,
        "",
        CATEGORY,
        "The SARIF analysis category (`runs[].automationDetails.id`), to keep several cua-check uploads of one repository apart in code scanning; empty means none.",
        Mode::Check,
    ),
    opt("sources", Some("--sources"), Some("sources"), "arm,bicep,terraform,code", SOURCES, "Kinds of sources to read: a comma-separated list of `arm`, `bicep`, `terraform`, `code`.", Mode::Check),
    opt("max-file-size", Some("--max-file-size"), Some("max-file-size"), "32MiB", SIZE, "Files larger than this are skipped with a finding (CUA002): a size such as `32MiB`, `500KB` or `1048576`.", Mode::Check),
    opt(
        "pr-number",
        None,
        None,
        "",
        PR_NUMBER,
        "The pull request to comment on (and, with `scope: changed`, whose files to check), for events that name none, such as `workflow_run`, `workflow_dispatch` or `schedule`; empty means the event's pull request.",
        Mode::Both,
    ),
    Opt {
        input: Some("token"),
        flag: None,
        key: None,
        default: "${{ github.token }}",
        allowed: "",
        doc: "Token for the GitHub REST API, used for the pull request comment, the pull request lookup and its changed files only.",
        mode: Mode::Both,
        secret: true,
    },
    opt(
        "verify-subscription",
        Some("--subscription"),
        None,
        "",
        "",
        "Verify mode (setting any verify-* input but verify-arm-endpoint selects it): instead of checking files, prove through the Azure Resource Manager API that a deployment in this subscription (ID) was tracked, and report the resources its tracking ID attributes (log, outputs, job summary, PR comment). Needs AZURE_ACCESS_TOKEN (e.g. from azure/login) or a logged-in Azure CLI, and Reader on the scope.",
        Mode::Verify,
    ),
    opt("verify-resource-group", Some("--resource-group"), None, "", "", "Verify mode - the resource group holding the deployment; empty for subscription-scope deployments.", Mode::Verify),
    opt("verify-deployment", Some("--deployment"), None, "", "", "Verify mode - the tracking deployment's name (read with Deployments - Get); empty to find it by tracking ID.", Mode::Verify),
    opt("verify-tracking-id", Some("--tracking-id"), None, "", TRACKING_ID, "Verify mode - the tracking ID (pid-GUID) whose deployment to find; empty for the first deployment named pid-GUID.", Mode::Verify),
    opt("verify-location", Some("--location"), None, "", "", "Verify mode, subscription scope only - consider only deployments stored in this location (e.g. westus2).", Mode::Verify),
    opt("verify-arm-endpoint", Some("--arm-endpoint"), None, "public", ENDPOINT, "Verify mode - the ARM endpoint: `public`, `usgov`, `china`, or an http(s):// URL.", Mode::Verify),
    Opt {
        input: None,
        flag: None,
        key: Some("notice-pattern"),
        default: "",
        allowed: "",
        doc: "A regular expression that recognises the customer notice (CUA401) instead of the built-in wording.",
        mode: Mode::Check,
        secret: false,
    },
];

impl Opt {
    /// The name a front end knows this option by (`--mode`, `mode`, `mode`).
    pub fn name(&self, front: Front) -> &'static str {
        match front {
            Front::Cli => self.flag,
            Front::Action => self.input,
            Front::Config => self.key,
        }
        .unwrap_or_default()
    }
    /// [`bad_value`] for this option.
    pub fn bad(&self, front: Front, value: &str) -> String {
        bad_value(front, self.name(front), value, self.allowed)
    }
    /// A value the option's parser refused, with its reason (`input 'exclude': invalid glob …`).
    pub fn because(&self, front: Front, reason: &str) -> String {
        format!("{}: {reason}", who(front, self.name(front)))
    }
}

/// The option an action input, a flag or a config key names (the table holds every name used).
pub fn get(front: Front, name: &str) -> &'static Opt {
    let found = match front {
        Front::Cli => by_flag(name),
        Front::Action => by_input(name),
        Front::Config => by_key(name),
    };
    found.unwrap_or_else(|| panic!("{name} is not in options::table::OPTIONS"))
}

/// The table's keys of the config file (the root table; `[rules]` and `[[ignore]]` are tables).
pub fn config_keys() -> impl Iterator<Item = &'static str> {
    OPTIONS.iter().filter_map(|o| o.key)
}

pub fn by_input(name: &str) -> Option<&'static Opt> {
    OPTIONS.iter().find(|o| o.input == Some(name))
}

pub fn by_key(key: &str) -> Option<&'static Opt> {
    OPTIONS.iter().find(|o| o.key == Some(key))
}

pub fn by_flag(flag: &str) -> Option<&'static Opt> {
    OPTIONS.iter().find(|o| o.flag == Some(flag))
}

/// How a front end names an option: `--mode`, `input 'mode'`, `key "mode"`.
pub fn who(front: Front, name: &str) -> String {
    match front {
        Front::Cli => name.to_string(),
        Front::Action => format!("input '{name}'"),
        Front::Config => format!("key \"{name}\""),
    }
}

/// The one wording of a bad value, naming the allowed values.
pub fn bad_value(front: Front, name: &str, value: &str, allowed: &str) -> String {
    if allowed.is_empty() {
        format!("invalid value {value:?} for {}", who(front, name))
    } else {
        format!("invalid value {value:?} for {} (allowed values: {allowed})", who(front, name))
    }
}

/// A bad value with the reason the parser gave (a glob, a tracking ID).
pub fn bad_value_because(front: Front, name: &str, value: &str, reason: &str) -> String {
    format!("invalid value {value:?} for {}: {reason}", who(front, name))
}

/// The one wording of an unknown option, input or key, naming the known ones (and the nearest).
pub fn unknown(front: Front, name: &str, known: &[&str], extra: &str) -> String {
    let what = match front {
        Front::Cli => "option",
        Front::Action => "input",
        Front::Config => "key",
    };
    let shown = match front {
        Front::Cli | Front::Config => format!("{name:?}"),
        Front::Action => format!("'{name}'"),
    };
    let near = known.iter().filter(|k| distance(k, name) <= 2).min_by_key(|k| distance(k, name));
    let hint = near.map(|k| format!("; did you mean {k}?")).unwrap_or_default();
    format!("unknown {what} {shown} (known {what}s: {}{extra}){hint}", known.join(", "))
}

/// The known input names of an action mode.
pub fn inputs_of(mode: Mode) -> Vec<&'static str> {
    OPTIONS.iter().filter(|o| o.mode == Mode::Both || o.mode == mode || mode == Mode::Both).filter_map(|o| o.input).collect()
}

/// Levenshtein distance (short names only).
fn distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push((prev[j] + usize::from(ca != cb)).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// A boolean as GitHub Actions writes one (the YAML 1.2 core schema forms).
pub fn parse_bool(s: &str) -> Option<bool> {
    match s.trim() {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// The `inputs:` section of `action.yml`, generated.
pub fn action_yml_inputs() -> String {
    let mut out = String::from("inputs:\n");
    for o in OPTIONS {
        let Some(name) = o.input else { continue };
        let mut desc = o.doc.to_string();
        if !o.default.is_empty() && !o.secret {
            desc.push_str(&format!(" Default `{}`.", o.default));
        }
        if !o.allowed.is_empty() {
            desc.push_str(&format!(" Allowed values: {}.", o.allowed));
        }
        let default = if o.secret { o.default } else { "" };
        out.push_str(&format!("  {name}:\n    description: '{}'\n    required: false\n    default: '{default}'\n", desc.replace('\'', "''")));
    }
    out
}

/// The README's table of action inputs, generated.
pub fn readme_inputs_table() -> String {
    let mut out = String::from("| input | default | meaning |\n|---|---|---|\n");
    for o in OPTIONS.iter().filter(|o| o.mode != Mode::Verify) {
        let Some(name) = o.input else { continue };
        let default = if o.default.is_empty() { String::new() } else { format!("`{}`", o.default) };
        let key = o.key.map(|k| format!(" (config file: `{k}`)")).unwrap_or_default();
        out.push_str(&format!("| `{name}` | {default} | {}{key} |\n", o.doc.replace('|', "\\|")));
    }
    out
}

/// The README's table of verify-mode inputs, generated.
pub fn readme_verify_table() -> String {
    let mut out = String::from("| input | meaning |\n|---|---|\n");
    for o in OPTIONS.iter().filter(|o| o.mode == Mode::Verify) {
        let name = o.input.unwrap_or_default();
        out.push_str(&format!("| `{name}` | {} |\n", o.doc.replace('|', "\\|")));
    }
    let both: Vec<String> = OPTIONS.iter().filter(|o| o.mode == Mode::Both).filter_map(|o| o.input).map(|n| format!("`{n}`")).collect();
    out.push_str(&format!("| {} | as in check mode |\n", both.join(", ")));
    out
}

/// A command of the command line that takes the selection flags.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmd {
    Check,
    Fix,
    Map,
}

const CFM: &[Cmd] = &[Cmd::Check, Cmd::Fix, Cmd::Map];

/// A command-line flag as `--help` shows it. A flag of an [`Opt`] (`--mode`) takes its allowed
/// values and default from there; a flag of the command line only (`--format`) holds them here.
#[derive(Debug)]
pub struct Flag {
    pub flag: &'static str,
    pub short: Option<&'static str>,
    /// The value's name in help (`<MODE>`), empty for a switch.
    pub value: &'static str,
    /// The help line (without the default).
    pub doc: &'static str,
    /// Command-line-only flags: the allowed values and the default.
    pub allowed: &'static str,
    pub default: &'static str,
    pub commands: &'static [Cmd],
}

const fn flag(flag: &'static str, value: &'static str, doc: &'static str, commands: &'static [Cmd]) -> Flag {
    Flag { flag, short: None, value, doc, allowed: "", default: "", commands }
}

pub const CHECK_FORMATS: &str = "text, json, sarif, markdown";
pub const MAP_FORMATS: &str = "text, json, markdown";
pub const COLOR: &str = "auto, always, never";

/// The flags of `check`, `fix` and `map`, in the order of their help.
pub const FLAGS: &[Flag] = &[
    Flag { flag: "--write", short: Some("-w"), value: "", doc: "Write the fixes to the files", allowed: "", default: "", commands: &[Cmd::Fix] },
    Flag { flag: "--format", short: None, value: "<FORMAT>", doc: "text, json, sarif or markdown", allowed: CHECK_FORMATS, default: "text", commands: &[Cmd::Check] },
    Flag { flag: "--format", short: None, value: "<FORMAT>", doc: "text, json or markdown", allowed: MAP_FORMATS, default: "text", commands: &[Cmd::Map] },
    flag("--registered", "<ID>", "A tracking ID registered in Partner Center (repeatable)", CFM),
    flag("--registry", "<FILE>", "A registry file of registered IDs (JSON or one ID per line)", CFM),
    flag("--main", "<GLOB>", "Also treat matching templates as main templates (repeatable)", CFM),
    flag("--exclude", "<GLOB>", "Skip matching files and folders (repeatable)", CFM),
    flag("--mode", "<MODE>", "standard or marketplace", CFM),
    flag("--fail-on", "<LEVEL>", "error, warning or never", &[Cmd::Check]),
    flag("--sources", "<LIST>", "Comma-separated list of arm, bicep, terraform, code", CFM),
    flag("--max-file-size", "<SIZE>", "Skip larger files with a finding", CFM),
    Flag { flag: "--quiet", short: Some("-q"), value: "", doc: "Show only errors", allowed: "", default: "", commands: &[Cmd::Check] },
    Flag { flag: "--color", short: None, value: "<WHEN>", doc: "auto, always or never", allowed: COLOR, default: "auto; NO_COLOR is honoured", commands: &[Cmd::Check] },
    flag("--config", "<FILE>", "Read settings from FILE instead of PATH's cua-check.toml", CFM),
    flag("--no-config", "", "Read no config file", CFM),
    Flag { flag: "--help", short: Some("-h"), value: "", doc: "Print help", allowed: "", default: "", commands: CFM },
];

/// The row of `flag` for `cmd` (`-w` finds `--write`).
pub fn flag_of(cmd: Cmd, name: &str) -> Option<&'static Flag> {
    FLAGS.iter().find(|f| f.commands.contains(&cmd) && (f.flag == name || f.short == Some(name)))
}

impl Flag {
    /// The allowed values, from the option when the flag has one.
    pub fn allowed(&self) -> &'static str {
        by_flag(self.flag).map(|o| o.allowed).unwrap_or(self.allowed)
    }
    pub fn default(&self) -> &'static str {
        by_flag(self.flag).map(|o| o.default).unwrap_or(self.default)
    }
    /// [`bad_value`] for this flag.
    pub fn bad(&self, value: &str) -> String {
        bad_value(Front::Cli, self.flag, value, self.allowed())
    }
}

/// The `Options:` block of a command's `--help`.
pub fn help_options(cmd: Cmd) -> String {
    let mut out = String::from("Options:\n");
    for f in FLAGS.iter().filter(|f| f.commands.contains(&cmd)) {
        let head = if f.value.is_empty() { f.flag.to_string() } else { format!("{} {}", f.flag, f.value) };
        let short = f.short.map(|s| format!("{s}, ")).unwrap_or_else(|| "    ".into());
        let default = match f.default() {
            "" => String::new(),
            d => format!(" [default: {d}]"),
        };
        out.push_str(&format!("  {short}{head:<24}{}{default}\n", f.doc));
    }
    out
}

/// Split `--flag=value` into the flag and its inline value (every command line parser).
pub fn split_flag(arg: &str) -> (&str, Option<&str>) {
    match arg.split_once('=') {
        Some((f, v)) if f.starts_with("--") => (f, Some(v)),
        _ => (arg, None),
    }
}

/// A flag's value: the inline one (`--mode=x`) or the next argument, else the one wording of a
/// flag without its value.
pub fn flag_value<'a>(flag: &str, inline: Option<&'a str>, it: &mut std::slice::Iter<'a, String>) -> Result<&'a str, String> {
    match inline {
        Some(v) => Ok(v),
        None => it.next().map(String::as_str).ok_or_else(|| format!("{flag} needs a value")),
    }
}

/// The wording of a flag a command does not take.
pub fn unknown_flag(cmd: Cmd, name: &str) -> String {
    let mut known: Vec<&str> = Vec::new();
    for f in FLAGS.iter().filter(|f| f.commands.contains(&cmd)) {
        if !known.contains(&f.flag) {
            known.push(f.flag);
        }
    }
    unknown(Front::Cli, name, &known, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_the_wording_is_shared() {
        for (i, a) in OPTIONS.iter().enumerate() {
            for b in &OPTIONS[i + 1..] {
                assert!(a.input.is_none() || a.input != b.input, "{a:?}");
                assert!(a.flag.is_none() || a.flag != b.flag, "{a:?}");
                assert!(a.key.is_none() || a.key != b.key, "{a:?}");
            }
        }
        assert_eq!(bad_value(Front::Cli, "--mode", "x", MODES), "invalid value \"x\" for --mode (allowed values: standard, marketplace)");
        assert_eq!(bad_value(Front::Action, "mode", "x", MODES), "invalid value \"x\" for input 'mode' (allowed values: standard, marketplace)");
        assert_eq!(bad_value(Front::Config, "mode", "x", MODES), "invalid value \"x\" for key \"mode\" (allowed values: standard, marketplace)");
        let u = unknown(Front::Action, "fial-on", &inputs_of(Mode::Check), "");
        assert!(u.starts_with("unknown input 'fial-on' (known inputs: path, registered-ids,"), "{u}");
        assert!(u.ends_with("; did you mean fail-on?"), "{u}");
        assert!(!unknown(Front::Config, "zzzzzzzz", &["mode"], "").contains("did you mean"));
    }

    #[test]
    fn booleans_take_the_yaml_core_forms_only() {
        for t in ["true", "True", "TRUE", " true "] {
            assert_eq!(parse_bool(t), Some(true), "{t}");
        }
        for f in ["false", "False", "FALSE"] {
            assert_eq!(parse_bool(f), Some(false), "{f}");
        }
        for x in ["yes", "on", "1", "tRUE", ""] {
            assert_eq!(parse_bool(x), None, "{x}");
        }
    }
}
