//! The command line, defined once: the native binary and `dist/cli.js` (through wasm) both call
//! [`run`]. Exit codes: 0 gate passed, 1 findings reach `--fail-on`, 2 usage or internal error.

use crate::options::settings::{self, FailOn, Settings, Sources};
use crate::options::config_file::{Choice, Given};
use crate::util::glob::Glob;
use crate::util::host::Host;
use crate::render;
use crate::rules::{self, RULES};
use crate::options::table::{self, Cmd, Front};

/// The one wording of a bad flag value ([`table::bad_value`]).
fn bad(flag: &str, value: &str) -> String {
    table::get(Front::Cli, flag).bad(Front::Cli, value)
}

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
  map [PATH]       List every tracking ID: its registration, channels, solutions and resources
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

const CHECK_HELP_HEAD: &str = "Check templates, Bicep, Terraform and code for partner tracking IDs

Usage: cua-check check [PATH] [OPTIONS]

Arguments:
  [PATH]  Folder or file to check [default: .]

";

const CHECK_HELP_TAIL: &str = "
A registry file at cua-registry.json, .cua-registry.json or .github/cua-registry.json in PATH
is read too. Paths in the report are relative to PATH. Settings are also read from
.github/cua-check.toml or cua-check.toml in PATH (the first found); flags override them.
";

const FIX_HELP_HEAD: &str = "Fix what can be fixed mechanically in ARM JSON templates

Usage: cua-check fix [PATH] [OPTIONS]

Without --write, prints the changes as a unified diff and exits 1 when there is something to
fix (0 when not); with --write, writes the files and lists what was fixed. Everything else in
a file (indentation, key order, line ends, byte order mark) is kept as it is.

Fixes:
";

const FIX_HELP_TAIL: &str = "
Arguments:
  [PATH]  Folder or file to fix [default: .]

";

const FIX_HELP_END: &str = "
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
            Ok(None) => Output::ok(format!("{CHECK_HELP_HEAD}{}{CHECK_HELP_TAIL}", table::help_options(Cmd::Check))),
            Ok(Some(a)) => check(&a, host),
            Err(e) => Output::usage(e, "check "),
        },
        "fix" => match parse_fix(rest, host) {
            Ok(None) => Output::ok(format!("{FIX_HELP_HEAD}{}{FIX_HELP_TAIL}{}{FIX_HELP_END}", crate::fix::help_list(), table::help_options(Cmd::Fix))),
            Ok(Some(a)) => fix(&a, host),
            Err(e) => Output::usage(e, "fix "),
        },
        "map" => match parse_map(rest, host) {
            Ok(None) => Output::ok(format!("{MAP_HELP_HEAD}{}{MAP_HELP_TAIL}", table::help_options(Cmd::Map))),
            Ok(Some(a)) => map(&a, host),
            Err(e) => Output::usage(e, "map "),
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
            let v = table::flag_value(flag, inline, it)?;
            crate::partner_ids::item_id(v).map_err(|id| bad("--registered", id))?;
            settings.registered.push((v.to_string(), "--registered".into()));
            given.registered = true;
        }
        "--registry" => {
            settings.registry_files.push(table::flag_value(flag, inline, it)?.to_string());
            given.registry = true;
        }
        "--main" => {
            settings.mains.push(Glob::new(table::flag_value(flag, inline, it)?).map_err(|e| table::get(Front::Cli, "--main").because(Front::Cli, &e))?);
            given.main = true;
        }
        "--exclude" => {
            settings.excludes.push(Glob::new(table::flag_value(flag, inline, it)?).map_err(|e| table::get(Front::Cli, "--exclude").because(Front::Cli, &e))?);
            given.exclude = true;
        }
        "--mode" => {
            let v = table::flag_value(flag, inline, it)?;
            settings.mode = settings::parse_mode(v).ok_or_else(|| bad("--mode", v))?;
            given.mode = true;
        }
        "--sources" => {
            let v = table::flag_value(flag, inline, it)?;
            settings.sources = Sources::parse(v).map_err(|_| bad("--sources", v))?;
            given.sources = true;
        }
        "--max-file-size" => {
            let v = table::flag_value(flag, inline, it)?;
            settings.max_file_size = settings::parse_size(v).filter(|&n| n > 0).ok_or_else(|| bad("--max-file-size", v))?;
            given.max_file_size = true;
        }
        "--config" => *choice = Choice::File(table::flag_value(flag, inline, it)?.to_string()),
        "--no-config" => *choice = Choice::Off,
        _ => return Ok(false),
    }
    Ok(true)
}

/// After the flags: the root, ARM_PARTNER_ID, then the config file for what the flags left unset.
fn finish_settings(settings: &mut Settings, path: Option<String>, host: &dyn Host, given: &Given, choice: &Choice) -> Result<(), String> {
    settings.root = path.unwrap_or_else(|| ".".into());
    settings.env_partner_id = host.env("ARM_PARTNER_ID").filter(|v| !v.trim().is_empty()).map(|_| "ARM_PARTNER_ID in the environment".into());
    settings.repository = host.env("GITHUB_REPOSITORY").map(|v| v.trim().to_string()).filter(|v| v.contains('/'));
    crate::options::config_file::load_and_apply(host, choice, settings, given)
}

/// A command's own flag: `own(flag, inline value, rest of the arguments, settings, given)`
/// handles it and returns `Ok(true)`, or `Ok(false)` when `flag` is not one of its flags.
type OwnFlag<'f, 'a> = dyn FnMut(&str, Option<&'a str>, &mut std::slice::Iter<'a, String>, &mut Settings, &mut Given) -> Result<bool, String> + 'f;

/// The argument loop `check` and `fix` share: the selection flags ([`selection_flag`]), the
/// command's own flags (`own`), `-h`/`--help`, and one PATH. `Ok(None)` for help; otherwise the
/// settings, finished with the root, ARM_PARTNER_ID and the config file ([`finish_settings`]).
/// `cmd` names the command in errors.
fn parse_selection<'a>(cmd: Cmd, args: &'a [String], host: &dyn Host, own: &mut OwnFlag<'_, 'a>) -> Result<Option<Settings>, String> {
    let mut path: Option<String> = None;
    let mut settings = Settings::new(".");
    let mut given = Given::default();
    let mut choice = Choice::Auto;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = table::split_flag(arg);
        // The table says which flags a command takes.
        if flag.starts_with('-') && flag.len() > 1 && table::flag_of(cmd, flag).is_none() {
            return Err(table::unknown_flag(cmd, flag));
        }
        if selection_flag(flag, inline, &mut it, &mut settings, &mut given, &mut choice)? {
            continue;
        }
        if matches!(flag, "-h" | "--help") {
            return Ok(None);
        }
        if own(flag, inline, &mut it, &mut settings, &mut given)? {
            continue;
        }
        if flag.starts_with('-') && flag.len() > 1 {
            return Err(format!("unexpected argument {flag:?}"));
        }
        if path.is_some() {
            let name = match cmd {
                Cmd::Check => "check",
                Cmd::Fix => "fix",
                Cmd::Map => "map",
            };
            return Err(format!("unexpected second path {flag:?} ({name} takes one folder or file)"));
        }
        path = Some(flag.to_string());
    }
    finish_settings(&mut settings, path, host, &given, &choice)?;
    Ok(Some(settings))
}

pub fn parse_check(args: &[String], host: &dyn Host) -> Result<Option<CheckArgs>, String> {
    let mut format = Format::Text;
    let mut quiet = false;
    let mut color = None;
    let settings = parse_selection(Cmd::Check, args, host, &mut |flag, inline, it, settings, given| {
        match flag {
            "-q" | "--quiet" => quiet = true,
            "--format" => {
                format = match table::flag_value(flag, inline, it)? {
                    "text" => Format::Text,
                    "json" => Format::Json,
                    "sarif" => Format::Sarif,
                    "markdown" | "md" => Format::Markdown,
                    v => return Err(table::flag_of(Cmd::Check, "--format").map(|f| f.bad(v)).unwrap_or_default()),
                }
            }
            "--fail-on" => {
                let v = table::flag_value(flag, inline, it)?;
                settings.fail_on = FailOn::parse(v).ok_or_else(|| bad("--fail-on", v))?;
                given.fail_on = true;
            }
            "--color" => {
                color = match table::flag_value(flag, inline, it)? {
                    "auto" => None,
                    "always" => Some(true),
                    "never" => Some(false),
                    v => return Err(table::flag_of(Cmd::Check, "--color").map(|f| f.bad(v)).unwrap_or_default()),
                }
            }
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    Ok(settings.map(|settings| CheckArgs { settings, format, quiet, color }))
}

const MAP_HELP_HEAD: &str = "List every tracking ID found, and what it covers

Usage: cua-check map [PATH] [OPTIONS]

For each well-formed tracking ID: what the registry says about it (with --registered,
--registry or a registry file), the channels that carry it (ARM, Bicep, Terraform, SDK/CLI),
the tracked solutions it covers (a main template and what it deploys, a Terraform folder, a
folder of code) with the files and the resources each deploys, and a notice when one ID covers
solutions in several folders (their reporting cannot be split).

Arguments:
  [PATH]  Folder or file to map [default: .]

";

const MAP_HELP_TAIL: &str = "
Exit codes: 0 the map was made, 2 usage or internal error.
";

/// Parsed `map` options.
#[derive(Debug)]
pub struct MapArgs {
    pub settings: Settings,
    pub format: Format,
}

pub fn parse_map(args: &[String], host: &dyn Host) -> Result<Option<MapArgs>, String> {
    let mut format = Format::Text;
    let settings = parse_selection(Cmd::Map, args, host, &mut |flag, inline, it, _, _| {
        if flag == "--format" {
            format = match table::flag_value(flag, inline, it)? {
                "text" => Format::Text,
                "json" => Format::Json,
                "markdown" | "md" => Format::Markdown,
                v => return Err(table::flag_of(Cmd::Map, "--format").map(|f| f.bad(v)).unwrap_or_default()),
            };
            return Ok(true);
        }
        Ok(false)
    })?;
    Ok(settings.map(|settings| MapArgs { settings, format }))
}

fn map(a: &MapArgs, host: &dyn Host) -> Output {
    let run = match crate::check::engine::run(host, &a.settings) {
        Ok(r) => r,
        Err(e) => return Output { code: 2, stdout: String::new(), stderr: format!("error: {e}\n") },
    };
    let stdout = match a.format {
        Format::Json => run.map.to_json(),
        Format::Markdown => render::map::markdown(&run.map, "", "##"),
        _ => render::map::text(&run.map),
    };
    Output::ok(stdout)
}

/// Parsed `fix` options.
#[derive(Debug)]
pub struct FixArgs {
    pub settings: Settings,
    pub write: bool,
}

pub fn parse_fix(args: &[String], host: &dyn Host) -> Result<Option<FixArgs>, String> {
    let mut write = false;
    let settings = parse_selection(Cmd::Fix, args, host, &mut |flag, _, _, _, _| {
        if matches!(flag, "-w" | "--write") {
            write = true;
            return Ok(true);
        }
        Ok(false)
    })?;
    Ok(settings.map(|settings| FixArgs { settings, write }))
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
    let named = |f: &crate::fix::FileFix| {
        if f.aliases.is_empty() {
            f.display.clone()
        } else {
            format!("{} (also reached as {})", f.display, f.aliases.join(", "))
        }
    };
    if a.write {
        // Each file is replaced atomically by the host (a temporary file in the same folder,
        // flushed, renamed over it): a failure leaves that file as it was. The others are still
        // written, and the output says which were and which were not.
        let mut failed: Vec<&str> = Vec::new();
        let mut written = 0;
        let mut written_fixes = 0;
        for f in &plan.files {
            if let Err(e) = host.write_file(&f.host_path, &f.new) {
                stderr.push_str(&format!("error: could not write {}: {e}; the file was left unchanged\n", f.display));
                failed.push(&f.display);
                continue;
            }
            written += 1;
            written_fixes += f.notes.len();
            stdout.push_str(&format!("fixed {}:\n", named(f)));
            for n in &f.notes {
                stdout.push_str(&format!("  - {n}\n"));
            }
        }
        for u in &plan.unfixed {
            stderr.push_str(&format!("{u}\n"));
        }
        if !failed.is_empty() {
            stderr.push_str(&format!(
                "{} in {} written; not written (left unchanged): {}\n",
                fixes_word(written_fixes),
                plural(written, "file"),
                failed.join(", ")
            ));
            return Output { code: 2, stdout, stderr };
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
        for a in &f.aliases {
            stderr.push_str(&format!("{}: the same file as {}; its fixes are merged into that one diff\n", a, f.display));
        }
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
    let report = match crate::check::engine::check(host, &a.settings) {
        Ok(r) => r,
        Err(e) => return Output { code: 2, stdout: String::new(), stderr: format!("error: {e}\n") },
    };
    let color = a.color.unwrap_or_else(|| host.is_tty() && host.env("NO_COLOR").is_none_or(|v| v.is_empty()));
    let stdout = match a.format {
        Format::Text => render::text::render(&report, &render::text::Style { color, quiet: a.quiet }),
        Format::Json => report.to_json(),
        Format::Sarif => render::sarif::render(&report, "", VERSION),
        // Printed, perhaps in a CI log: no workflow command from the repository's text.
        Format::Markdown => render::no_commands(render::markdown::render(
            &report,
            &render::markdown::Options {
                prefix: "",
                blob_base: None,
                max_bytes: 1 << 20,
                snippets: true,
                full_report_hint: "`cua-check check --format json`",
                header: "",
                list_level: crate::report::Severity::Notice,
                checked: None,
                fold: false,
            },
        )),
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

/// A fresh tracking ID: a version-4 GUID built by the `uuid` crate from 16 random bytes that the
/// host gives (the operating system natively, Node's `crypto` in wasm). Tests only:
/// `CUA_CHECK_TEST_GUID` gives the GUID itself (normalised), `CUA_CHECK_TEST_RANDOM` the 16
/// bytes as 32 hex digits, so both builds can be compared byte for byte.
pub fn new_id(host: &dyn Host) -> String {
    let test_bytes = host.env("CUA_CHECK_TEST_RANDOM").and_then(|h| {
        let h = h.trim();
        let mut b = [0u8; 16];
        (h.len() == 32 && h.is_ascii()).then_some(())?;
        for (i, x) in b.iter_mut().enumerate() {
            *x = u8::from_str_radix(&h[2 * i..2 * i + 2], 16).ok()?;
        }
        Some(b)
    });
    let guid = match host.env("CUA_CHECK_TEST_GUID").and_then(|g| crate::tracking::normalize_guid(g.trim())) {
        Some(g) => g,
        None => crate::tracking::guid_from_random(test_bytes.unwrap_or_else(|| host.random_bytes())),
    };
    let id = format!("pid-{guid}");
    let s = crate::fix::snippets::arm_resource(&id, crate::model::Scope::ResourceGroup);
    format!(
        "Tracking ID: {id}\n\nRegister the GUID {guid} in Partner Center before you ship it: until it is registered, no usage is attributed to you.\n\nARM template (add to \"resources\"):\n{s}\n\nBicep:\n{}\n\nTerraform:\n{}\n\nSDKs and the Azure CLI:\n{}\n",
        crate::fix::snippets::bicep_resource(&id, crate::model::Scope::ResourceGroup),
        crate::fix::snippets::terraform(&id),
        crate::fix::snippets::user_agent(&id)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::host::EntryKind;

    /// A file system with one folder, `dir`, holding only `dir/cua-check.toml`.
    struct OneConfig(&'static str);

    impl Host for OneConfig {
        fn read_dir(&self, _: &str) -> Result<Vec<(String, EntryKind)>, String> {
            Ok(vec![("cua-check.toml".into(), EntryKind::File)])
        }
        fn stat(&self, p: &str) -> Option<(EntryKind, u64)> {
            match p {
                "dir" => Some((EntryKind::Dir, 0)),
                "dir/cua-check.toml" => Some((EntryKind::File, self.0.len() as u64)),
                _ => None,
            }
        }
        fn realpath(&self, p: &str) -> Option<String> {
            self.stat(p).map(|_| p.to_string())
        }
        fn read_file(&self, p: &str, _: u64) -> Result<Vec<u8>, String> {
            match p {
                "dir/cua-check.toml" => Ok(self.0.as_bytes().to_vec()),
                _ => Err("not found".into()),
            }
        }
        fn write_file(&self, _: &str, _: &[u8]) -> Result<(), String> {
            Err("read-only".into())
        }
        fn env(&self, name: &str) -> Option<String> {
            (name == "ARM_PARTNER_ID").then(|| "x".into())
        }
        fn is_tty(&self) -> bool {
            false
        }
        fn random_bytes(&self) -> [u8; 16] {
            [0; 16]
        }
    }

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    /// `check` and `fix` read the selection flags, the path and the config file through one
    /// loop: the same arguments give the same settings, or the same error.
    #[test]
    fn check_and_fix_parse_the_selection_alike() {
        let host = OneConfig("fail-on = \"never\"\nmain = [\"solution/*.json\"]\n[rules]\nCUA112 = \"off\"\n");
        let cases: &[&[&str]] = &[
            &[],
            &["dir"],
            &["dir", "--no-config"],
            &[
                "--registered", "pid-7867e591-c1ee-4530-bed8-7387ab893a26", "--registry=ids.json", "dir", "--main", "a/*.json",
                "--exclude=tests/**", "--mode", "marketplace", "--sources", "arm,bicep", "--max-file-size", "1MiB",
            ],
            &["--config", "dir/cua-check.toml"],
            &["--config=missing.toml", "dir"],
            &["--mode", "other"],
            &["--mode"],
            &["--sources=yaml"],
            &["--max-file-size", "0"],
            &["--main", "["],
            &["--mode=nope", "--help"],
        ];
        for case in cases {
            let a = args(case);
            let check = parse_check(&a, &host).map(|c| format!("{:?}", c.map(|c| c.settings)));
            let fix = parse_fix(&a, &host).map(|f| format!("{:?}", f.map(|f| f.settings)));
            assert_eq!(check, fix, "{case:?}");
        }
        // an unknown flag: the same wording, each command naming its own flags
        assert!(parse_check(&args(&["--bogus"]), &host).unwrap_err().starts_with("unknown option \"--bogus\" (known options: --format,"));
        assert!(parse_fix(&args(&["--bogus"]), &host).unwrap_err().starts_with("unknown option \"--bogus\" (known options: --write,"));
        let s = parse_check(&args(&["dir"]), &host).unwrap().unwrap().settings;
        assert_eq!((s.root.as_str(), s.fail_on, s.mains.len(), s.severities.len()), ("dir", FailOn::Never, 1, 1));
        assert!(s.env_partner_id.is_some());
    }

    /// The table (options::table::FLAGS) and the parser agree: every flag a command's help lists
    /// is taken, with a value its help allows.
    #[test]
    fn every_flag_in_the_help_is_parsed() {
        let host = OneConfig("");
        for (cmd, name) in [(Cmd::Check, "check"), (Cmd::Fix, "fix"), (Cmd::Map, "map")] {
            let help = table::help_options(cmd);
            for f in table::FLAGS.iter().filter(|f| f.commands.contains(&cmd)) {
                assert!(help.contains(&format!("{} {}", f.flag, f.value).trim_end().to_string()), "{name}: {}", f.flag);
                let sample = match f.value {
                    "" => None,
                    "<FORMAT>" => Some("json"),
                    "<ID>" => Some("pid-7867e591-c1ee-4530-bed8-7387ab893a26"),
                    "<FILE>" if f.flag == "--config" => continue,
                    "<FILE>" => Some("ids.json"),
                    "<GLOB>" => Some("a/*.json"),
                    "<MODE>" => Some("marketplace"),
                    "<LEVEL>" => Some("warning"),
                    "<LIST>" => Some("arm,bicep"),
                    "<SIZE>" => Some("1MiB"),
                    "<WHEN>" => Some("never"),
                    other => panic!("no sample for {other}"),
                };
                for form in [f.flag].into_iter().chain(f.short) {
                    let mut a = vec![form.to_string()];
                    a.extend(sample.map(str::to_string));
                    let parsed = match cmd {
                        Cmd::Check => parse_check(&a, &host).map(|x| x.is_some()),
                        Cmd::Fix => parse_fix(&a, &host).map(|x| x.is_some()),
                        Cmd::Map => parse_map(&a, &host).map(|x| x.is_some()),
                    };
                    assert_eq!(parsed, Ok(f.flag != "--help"), "{name} {a:?}");
                }
            }
        }
    }

    #[test]
    fn each_command_keeps_its_own_flags() {
        let host = OneConfig("");
        let c = parse_check(&args(&["dir", "--format=json", "-q", "--color", "never", "--fail-on", "warning"]), &host).unwrap().unwrap();
        assert_eq!((c.format, c.quiet, c.color, c.settings.fail_on), (Format::Json, true, Some(false), FailOn::Warning));
        assert!(parse_check(&args(&["--help", "--bogus"]), &host).unwrap().is_none());
        let e = parse_check(&args(&["--write"]), &host).unwrap_err();
        assert!(e.starts_with("unknown option \"--write\" (known options: --format, --registered, "), "{e}");
        let e = parse_check(&args(&["--fial-on", "never"]), &host).unwrap_err();
        assert!(e.ends_with("; did you mean --fail-on?"), "{e}");
        assert_eq!(parse_check(&args(&["a", "b"]), &host).unwrap_err(), "unexpected second path \"b\" (check takes one folder or file)");
        let f = parse_fix(&args(&["-w", "dir"]), &host).unwrap().unwrap();
        assert!(f.write && f.settings.root == "dir");
        assert!(parse_fix(&args(&["-h"]), &host).unwrap().is_none());
        assert!(parse_fix(&args(&["--fail-on", "never"]), &host).unwrap_err().starts_with("unknown option \"--fail-on\" (known options: --write,"));
        assert_eq!(parse_fix(&args(&["a", "b"]), &host).unwrap_err(), "unexpected second path \"b\" (fix takes one folder or file)");
    }
}
