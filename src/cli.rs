//! The command line, defined once: the native binary and `dist/cli.js` (through wasm) both call
//! [`run`]. Exit codes: 0 gate passed, 1 findings reach `--fail-on`, 2 usage or internal error.

use crate::config::{self, FailOn, Settings, Sources};
use crate::config_file::{Choice, Given};
use crate::glob::Glob;
use crate::host::Host;
use crate::render;
use crate::rules::{self, RULES};

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

#[derive(Debug, Default)]
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    fn ok(stdout: String) -> Output {
        Output { code: 0, stdout, stderr: String::new() }
    }
    fn usage(msg: impl std::fmt::Display, help_cmd: &str) -> Output {
        Output {
            code: 2,
            stdout: String::new(),
            stderr: format!("error: {msg}\n\nFor more information, try 'cua-check {help_cmd}--help'.\n"),
        }
    }
}

const HELP: &str = "cua-check: checks that Azure solutions carry their customer usage attribution (partner tracking) IDs

Usage: cua-check <COMMAND> [OPTIONS]

Commands:
  check [PATH]     Check templates, Bicep, Terraform and code under PATH (default: .)
  fix [PATH]       Show (or, with --write, apply) mechanical fixes to ARM JSON templates
  rules            List every rule with its code, name and default severity
  explain <CODE>   Explain a rule: what it checks, why, an example, the fix
  new-id           Make a new tracking ID and print ready-to-paste snippets
  verify           Prove through the ARM API that a deployment was tracked
  help             Print this help

Options:
  -h, --help       Print help (also after a command: 'cua-check check --help')
  -V, --version    Print the version

Exit codes: 0 passed, 1 findings reach --fail-on, 2 usage or internal error.
";

const CHECK_HELP: &str = "Check templates, Bicep, Terraform and code for partner tracking IDs

Usage: cua-check check [PATH] [OPTIONS]

Arguments:
  [PATH]  Folder or file to check [default: .]

Options:
      --format <FORMAT>       text, json, sarif or markdown [default: text]
      --registered <ID>       A tracking ID registered in Partner Center (repeatable)
      --registry <FILE>       A registry file of registered IDs (JSON or one ID per line)
      --main <GLOB>           Also treat matching templates as main templates (repeatable)
      --exclude <GLOB>        Skip matching files and folders (repeatable)
      --mode <MODE>           standard or marketplace [default: standard]
      --fail-on <LEVEL>       error, warning or never [default: error]
      --sources <LIST>        Comma-separated: arm,bicep,terraform,code [default: all]
      --max-file-size <SIZE>  Skip larger files with a finding [default: 32MiB]
  -q, --quiet                 Show only errors
      --color <WHEN>          auto, always or never [default: auto; NO_COLOR is honoured]
      --config <FILE>         Read settings from FILE instead of PATH's cua-check.toml
      --no-config             Read no config file
  -h, --help                  Print help

A registry file at cua-registry.json, .cua-registry.json or .github/cua-registry.json in PATH
is read too. Paths in the report are relative to PATH. Settings are also read from
.github/cua-check.toml or cua-check.toml in PATH (the first found); flags override them.
";

const FIX_HELP: &str = "Fix what can be fixed mechanically in ARM JSON templates

Usage: cua-check fix [PATH] [OPTIONS]

Without --write, prints the changes as a unified diff and exits 1 when there is something to
fix (0 when not); with --write, writes the files and lists what was fixed. Everything else in
a file (indentation, key order, line ends, byte order mark) is kept as it is.

Fixes:
  CUA101  adds the tracking deployment to the main template's \"resources\" (only when exactly
          one ID is registered: --registered, --registry or a registry file)
  CUA102  moves a nested tracking deployment to the main template's top-level \"resources\"
  CUA107  sets the tracking deployment's mode to \"Incremental\"
  -       lower-cases a tracking ID written with upper-case letters

Arguments:
  [PATH]  Folder or file to fix [default: .]

Options:
  -w, --write                 Write the fixes to the files
      --registered <ID>       A tracking ID registered in Partner Center (repeatable)
      --registry <FILE>       A registry file of registered IDs (JSON or one ID per line)
      --main <GLOB>           Also treat matching templates as main templates (repeatable)
      --exclude <GLOB>        Skip matching files and folders (repeatable)
      --mode <MODE>           standard or marketplace [default: standard]
      --sources <LIST>        Comma-separated: arm,bicep,terraform,code [default: all]
      --max-file-size <SIZE>  Skip larger files [default: 32MiB]
      --config <FILE>         Read settings from FILE instead of PATH's cua-check.toml
      --no-config             Read no config file
  -h, --help                  Print help

Exit codes: 0 nothing to fix (or, with --write, everything fixed), 1 something to fix (or left
unfixed, with the reason), 2 usage or internal error.
";

/// Parsed `check` options.
#[derive(Debug)]
pub struct CheckArgs {
    pub settings: Settings,
    pub format: Format,
    pub quiet: bool,
    pub color: Option<bool>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Markdown,
}

pub fn run(args: &[String], host: &dyn Host) -> Output {
    let Some(cmd) = args.first() else { return Output::ok(HELP.to_string()) };
    let rest = &args[1..];
    match cmd.as_str() {
        "-h" | "--help" | "help" => Output::ok(HELP.to_string()),
        "-V" | "--version" | "version" => Output::ok(format!("cua-check {VERSION}\n")),
        "check" => match parse_check(rest, host) {
            Ok(None) => Output::ok(CHECK_HELP.to_string()),
            Ok(Some(a)) => check(&a, host),
            Err(e) => Output::usage(e, "check "),
        },
        "fix" => match parse_fix(rest, host) {
            Ok(None) => Output::ok(FIX_HELP.to_string()),
            Ok(Some(a)) => fix(&a, host),
            Err(e) => Output::usage(e, "fix "),
        },
        "rules" => match rest.first().map(String::as_str) {
            None => Output::ok(rules_table()),
            Some("--format=markdown") => Output::ok(render::rules_doc::render()),
            Some("--format") if rest.get(1).map(String::as_str) == Some("markdown") => Output::ok(render::rules_doc::render()),
            Some("--format") if rest.get(1).map(String::as_str) == Some("text") => Output::ok(rules_table()),
            Some("-h") | Some("--help") => Output::ok("Usage: cua-check rules [--format text|markdown]\n\nLists every rule; markdown gives the full reference (docs/rules.md).\n".into()),
            Some(other) => Output::usage(format!("unexpected argument {other:?}"), "rules "),
        },
        "explain" => match rest.first().map(String::as_str) {
            None | Some("-h") | Some("--help") => Output::ok("Usage: cua-check explain <CODE>\n\nExplains a rule, e.g. 'cua-check explain CUA104'. 'cua-check rules' lists the codes.\n".into()),
            Some(code) => match rules::by_code(code) {
                Some(r) => Output::ok(explain(r)),
                None => Output::usage(format!("no rule {code:?}; 'cua-check rules' lists them"), "explain "),
            },
        },
        "new-id" => Output::ok(new_id(host)),
        "verify" => verify(rest, host),
        "__panic" => panic!("deliberate panic for testing the error path"),
        other => Output::usage(format!("unknown command {other:?}"), ""),
    }
}

fn take_value<'a>(flag: &str, inline: Option<&'a str>, it: &mut std::slice::Iter<'a, String>) -> Result<&'a str, String> {
    match inline {
        Some(v) => Ok(v),
        None => it.next().map(String::as_str).ok_or_else(|| format!("{flag} needs a value")),
    }
}

/// A flag shared by `check` and `fix` that selects what is read and how. `Ok(false)` when `flag`
/// is not one of them.
fn selection_flag<'a>(
    flag: &str,
    inline: Option<&'a str>,
    it: &mut std::slice::Iter<'a, String>,
    settings: &mut Settings,
    given: &mut Given,
    choice: &mut Choice,
) -> Result<bool, String> {
    match flag {
        "--registered" => {
            let v = take_value(flag, inline, it)?;
            settings.registered.push((v.to_string(), "--registered".into()));
            given.registered = true;
        }
        "--registry" => {
            settings.registry_files.push(take_value(flag, inline, it)?.to_string());
            given.registry = true;
        }
        "--main" => {
            settings.mains.push(Glob::new(take_value(flag, inline, it)?).map_err(|e| format!("--main: {e}"))?);
            given.main = true;
        }
        "--exclude" => {
            settings.excludes.push(Glob::new(take_value(flag, inline, it)?).map_err(|e| format!("--exclude: {e}"))?);
            given.exclude = true;
        }
        "--mode" => {
            let v = take_value(flag, inline, it)?;
            settings.mode = config::parse_mode(v).ok_or_else(|| format!("invalid value {v:?} for --mode (expected standard or marketplace)"))?;
            given.mode = true;
        }
        "--sources" => {
            settings.sources = Sources::parse(take_value(flag, inline, it)?).map_err(|e| format!("--sources: {e}"))?;
            given.sources = true;
        }
        "--max-file-size" => {
            let v = take_value(flag, inline, it)?;
            settings.max_file_size = config::parse_size(v).filter(|&n| n > 0).ok_or_else(|| format!("invalid value {v:?} for --max-file-size (expected a size such as 32MiB)"))?;
            given.max_file_size = true;
        }
        "--config" => *choice = Choice::File(take_value(flag, inline, it)?.to_string()),
        "--no-config" => *choice = Choice::Off,
        _ => return Ok(false),
    }
    Ok(true)
}

/// Split `--flag=value`.
fn split_flag(arg: &str) -> (&str, Option<&str>) {
    match arg.split_once('=') {
        Some((f, v)) if f.starts_with("--") => (f, Some(v)),
        _ => (arg, None),
    }
}

/// After the flags: the root, ARM_PARTNER_ID, then the config file for what the flags left unset.
fn finish_settings(settings: &mut Settings, path: Option<String>, host: &dyn Host, given: &Given, choice: &Choice) -> Result<(), String> {
    settings.root = path.unwrap_or_else(|| ".".into());
    settings.env_partner_id = host.env("ARM_PARTNER_ID").filter(|v| !v.trim().is_empty()).map(|_| "ARM_PARTNER_ID in the environment".into());
    crate::config_file::load_and_apply(host, choice, settings, given)
}

pub fn parse_check(args: &[String], host: &dyn Host) -> Result<Option<CheckArgs>, String> {
    let mut path: Option<String> = None;
    let mut settings = Settings::new(".");
    let mut given = Given::default();
    let mut choice = Choice::Auto;
    let mut format = Format::Text;
    let mut quiet = false;
    let mut color = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = split_flag(arg);
        if selection_flag(flag, inline, &mut it, &mut settings, &mut given, &mut choice)? {
            continue;
        }
        match flag {
            "-h" | "--help" => return Ok(None),
            "-q" | "--quiet" => quiet = true,
            "--format" => {
                format = match take_value(flag, inline, &mut it)? {
                    "text" => Format::Text,
                    "json" => Format::Json,
                    "sarif" => Format::Sarif,
                    "markdown" | "md" => Format::Markdown,
                    v => return Err(format!("invalid value {v:?} for --format (expected text, json, sarif or markdown)")),
                }
            }
            "--fail-on" => {
                let v = take_value(flag, inline, &mut it)?;
                settings.fail_on = FailOn::parse(v).ok_or_else(|| format!("invalid value {v:?} for --fail-on (expected error, warning or never)"))?;
                given.fail_on = true;
            }
            "--color" => {
                color = match take_value(flag, inline, &mut it)? {
                    "auto" => None,
                    "always" => Some(true),
                    "never" => Some(false),
                    v => return Err(format!("invalid value {v:?} for --color (expected auto, always or never)")),
                }
            }
            f if f.starts_with('-') && f.len() > 1 => return Err(format!("unexpected argument {f:?}")),
            p => {
                if path.is_some() {
                    return Err(format!("unexpected second path {p:?} (check takes one folder or file)"));
                }
                path = Some(p.to_string());
            }
        }
    }
    finish_settings(&mut settings, path, host, &given, &choice)?;
    Ok(Some(CheckArgs { settings, format, quiet, color }))
}

/// Parsed `fix` options.
#[derive(Debug)]
pub struct FixArgs {
    pub settings: Settings,
    pub write: bool,
}

pub fn parse_fix(args: &[String], host: &dyn Host) -> Result<Option<FixArgs>, String> {
    let mut path: Option<String> = None;
    let mut settings = Settings::new(".");
    let mut given = Given::default();
    let mut choice = Choice::Auto;
    let mut write = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = split_flag(arg);
        if selection_flag(flag, inline, &mut it, &mut settings, &mut given, &mut choice)? {
            continue;
        }
        match flag {
            "-h" | "--help" => return Ok(None),
            "-w" | "--write" => write = true,
            f if f.starts_with('-') && f.len() > 1 => return Err(format!("unexpected argument {f:?}")),
            p => {
                if path.is_some() {
                    return Err(format!("unexpected second path {p:?} (fix takes one folder or file)"));
                }
                path = Some(p.to_string());
            }
        }
    }
    finish_settings(&mut settings, path, host, &given, &choice)?;
    Ok(Some(FixArgs { settings, write }))
}

fn fixes_word(n: usize) -> String {
    format!("{n} fix{}", if n == 1 { "" } else { "es" })
}

fn fix(a: &FixArgs, host: &dyn Host) -> Output {
    let plan = match crate::fix::plan(host, &a.settings) {
        Ok(p) => p,
        Err(e) => return Output { code: 2, stdout: String::new(), stderr: format!("error: {e}\n") },
    };
    let mut stdout = String::new();
    let mut stderr = String::new();
    let fixes: usize = plan.files.iter().map(|f| f.notes.len()).sum();
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    if a.write {
        for f in &plan.files {
            if let Err(e) = host.write_file(&f.host_path, &f.new) {
                return Output { code: 2, stdout, stderr: format!("{stderr}error: could not write {}: {e}\n", f.display) };
            }
            stdout.push_str(&format!("fixed {}:\n", f.display));
            for n in &f.notes {
                stdout.push_str(&format!("  - {n}\n"));
            }
        }
        for u in &plan.unfixed {
            stderr.push_str(&format!("{u}\n"));
        }
        if plan.files.is_empty() && plan.unfixed.is_empty() {
            stdout.push_str("nothing to fix\n");
        } else if !plan.files.is_empty() {
            stdout.push_str(&format!("{} in {} written\n", fixes_word(fixes), plural(plan.files.len(), "file")));
        }
        let code = if plan.unfixed.is_empty() { 0 } else { 1 };
        return Output { code, stdout, stderr };
    }
    for f in &plan.files {
        let old = String::from_utf8_lossy(&f.old);
        let new = String::from_utf8_lossy(&f.new);
        stdout.push_str(&crate::fix::unified_diff(&f.display, &old, &new));
        for n in &f.notes {
            stderr.push_str(&format!("{}: {n}\n", f.display));
        }
    }
    for u in &plan.unfixed {
        stderr.push_str(&format!("{u}\n"));
    }
    if plan.files.is_empty() && plan.unfixed.is_empty() {
        stderr.push_str("nothing to fix\n");
        return Output { code: 0, stdout, stderr };
    }
    if !plan.files.is_empty() {
        stderr.push_str(&format!(
            "{} in {}; run 'cua-check fix --write' with the same arguments to apply {}\n",
            fixes_word(fixes),
            plural(plan.files.len(), "file"),
            if fixes == 1 { "it" } else { "them" }
        ));
    }
    Output { code: 1, stdout, stderr }
}

fn check(a: &CheckArgs, host: &dyn Host) -> Output {
    let report = match crate::engine::check(host, &a.settings) {
        Ok(r) => r,
        Err(e) => return Output { code: 2, stdout: String::new(), stderr: format!("error: {e}\n") },
    };
    let color = a.color.unwrap_or_else(|| host.is_tty() && host.env("NO_COLOR").is_none_or(|v| v.is_empty()));
    let stdout = match a.format {
        Format::Text => render::text::render(&report, &render::text::Style { color, quiet: a.quiet }),
        Format::Json => report.to_json(),
        Format::Sarif => render::sarif::render(&report, "", VERSION),
        Format::Markdown => render::markdown::render(
            &report,
            &render::markdown::Options {
                prefix: "",
                blob_base: None,
                max_bytes: 1 << 20,
                snippets: true,
                full_report_hint: "run cua-check locally for the full list",
                header: "",
            },
        ),
    };
    Output { code: if report.summary.passed { 0 } else { 1 }, stdout, stderr: String::new() }
}

pub fn rules_table() -> String {
    let mut out = format!("{:<8} {:<30} {:<8} {}\n", "CODE", "NAME", "SEVERITY", "APPLIES TO");
    for r in RULES {
        out.push_str(&format!("{:<8} {:<30} {:<8} {}\n", r.code, r.name, r.severity.as_str(), r.applies_to));
    }
    out
}

pub fn explain(r: &rules::Rule) -> String {
    format!(
        "{} {} ({} by default; applies to {})\n\nWhat it checks\n  {}\n\nWhy it matters\n  {}\n\nExample\n{}\n\nFix\n  {}\n\nDocs: {}\n",
        r.code,
        r.name,
        r.severity.as_str(),
        r.applies_to,
        r.summary,
        r.why,
        r.example.lines().map(|l| format!("  {l}")).collect::<Vec<_>>().join("\n"),
        r.fix,
        rules::doc_url(r)
    )
}

/// A fresh tracking ID. `CUA_CHECK_TEST_GUID` makes it deterministic (tests only).
pub fn new_id(host: &dyn Host) -> String {
    let guid = match host.env("CUA_CHECK_TEST_GUID").filter(|g| crate::tracking::is_guid(g)) {
        Some(g) => g.to_ascii_lowercase(),
        None => {
            let mut b = host.random_bytes();
            b[6] = (b[6] & 0x0f) | 0x40; // version 4
            b[8] = (b[8] & 0x3f) | 0x80; // RFC 4122 variant
            let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
            format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
        }
    };
    let id = format!("pid-{guid}");
    let s = crate::snippets::arm_resource(&id, crate::model::Scope::ResourceGroup);
    format!(
        "Tracking ID: {id}\n\nRegister the GUID {guid} in Partner Center before you ship it: until it is registered, no usage is attributed to you.\n\nARM template (add to \"resources\"):\n{s}\n\nBicep:\n{}\n\nTerraform:\n{}\n\nSDKs and the Azure CLI:\n{}\n",
        crate::snippets::bicep_resource(&id, crate::model::Scope::ResourceGroup),
        crate::snippets::terraform(&id),
        crate::snippets::user_agent(&id)
    )
}

/// `verify`: natively, performed here with ureq; in wasm, the shim drives `verifyStep`.
#[cfg(not(target_arch = "wasm32"))]
fn verify(rest: &[String], host: &dyn Host) -> Output {
    crate::verify::run_native(rest, host)
}

#[cfg(target_arch = "wasm32")]
fn verify(rest: &[String], host: &dyn Host) -> Output {
    match crate::verify::parse(rest, host) {
        Ok(None) => Output::ok(crate::verify::HELP.to_string()),
        Ok(Some(_)) => Output { code: 2, stdout: String::new(), stderr: "error: verify needs the Node shim's HTTP loop (dist/cli.js)\n".into() },
        Err(e) => Output::usage(e, "verify "),
    }
}
