//! The rule registry. Every rule is a small module with a stable code, a name, a default
//! severity, its documentation (what, why, an example, the fix) and one `check` function that
//! looks at the language-neutral facts in [`Context`]. `cua-check rules`, `cua-check explain`,
//! the generated `docs/rules.md`, SARIF and the PR comment all read this registry. A rule with a
//! mechanical fix declares it beside its check (`autofix`, see `crate::fix`).
//!
//! Adding a rule: a file `cuaNNN_name.rs` with its `RULE`, one line in `mod` and in [`RULES`],
//! fixtures in `tests/fixtures/rules/CUANNN/{fires,silent}-*`, then regenerate `docs/rules.md`.
//! Must not import: `check`, `render`, `frontends`, `sources` (rules see only the facts of `model`).

use crate::model::{Deployment, SourceFile, Span};
use crate::partner_ids::Registry;
use crate::report::{Finding, Severity};
use crate::tracking::Class;

mod code;
pub use code::Code;

mod cua001_unreadable_file;
mod cua002_file_too_large;
mod cua003_suppression_without_reason;
mod cua004_link_not_followed;
mod cua005_build_input_file;
mod cua101_missing_tracking;
mod cua102_nested_only;
mod cua103_malformed_id;
mod cua104_unregistered_id;
mod cua105_placeholder_id;
mod cua106_wrong_type;
mod cua107_not_incremental;
mod cua108_not_empty;
mod cua109_missing_location;
mod cua110_invalid_name;
mod cua111_conditional;
mod cua112_comments;
mod cua113_duplicate;
mod cua114_dynamic_id;
mod cua115_misplaced_prefix;
mod cua116_guid_not_partner_center;
mod cua117_injection_blocked;
mod cua118_partner_center_adds_id;
mod cua119_compiled_mismatch;
mod cua201_provider_missing_partner_id;
mod cua202_azapi_prefixed_id;
mod cua301_user_agent_missing_prefix;
mod cua401_missing_customer_notice;
mod cua402_no_opt_out;
mod cua403_under_reported_service;

/// A rule's identity and documentation. The docs are rendered by `explain`, `docs/rules.md`
/// and SARIF; keep each field plain Markdown.
#[derive(Debug)]
pub struct Rule {
    pub code: Code,
    pub name: &'static str,
    pub severity: Severity,
    /// Which inputs it applies to, e.g. "ARM, Bicep".
    pub applies_to: &'static str,
    /// One line: what it checks.
    pub summary: &'static str,
    /// Why it matters.
    pub why: &'static str,
    /// An example that fires (a code block body, language given by `example_lang`).
    pub example: &'static str,
    pub example_lang: &'static str,
    /// How to fix it.
    pub fix: &'static str,
    /// The mechanical fix `cua-check fix` applies, when there is one (declared in the rule's file).
    pub autofix: Option<&'static crate::fix::Fix>,
    pub(crate) check: fn(&Context, &mut Sink),
}

/// Every rule, in code order.
pub static RULES: &[&Rule] = &[
    &cua001_unreadable_file::RULE,
    &cua002_file_too_large::RULE,
    &cua003_suppression_without_reason::RULE,
    &cua004_link_not_followed::RULE,
    &cua005_build_input_file::RULE,
    &cua101_missing_tracking::RULE,
    &cua102_nested_only::RULE,
    &cua103_malformed_id::RULE,
    &cua104_unregistered_id::RULE,
    &cua105_placeholder_id::RULE,
    &cua106_wrong_type::RULE,
    &cua107_not_incremental::RULE,
    &cua108_not_empty::RULE,
    &cua109_missing_location::RULE,
    &cua110_invalid_name::RULE,
    &cua111_conditional::RULE,
    &cua112_comments::RULE,
    &cua113_duplicate::RULE,
    &cua114_dynamic_id::RULE,
    &cua115_misplaced_prefix::RULE,
    &cua116_guid_not_partner_center::RULE,
    &cua117_injection_blocked::RULE,
    &cua118_partner_center_adds_id::RULE,
    &cua119_compiled_mismatch::RULE,
    &cua201_provider_missing_partner_id::RULE,
    &cua202_azapi_prefixed_id::RULE,
    &cua301_user_agent_missing_prefix::RULE,
    &cua401_missing_customer_notice::RULE,
    &cua402_no_opt_out::RULE,
    &cua403_under_reported_service::RULE,
];

pub fn by_code(code: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| r.code.as_str().eq_ignore_ascii_case(code))
}

/// Where a rule's documentation lives (SARIF `helpUri`, links in the PR comment and summary).
pub fn doc_url(rule: &Rule) -> String {
    format!("{}#{}", DOCS_URL, rule.code.as_str().to_ascii_lowercase())
}

/// The generated rule reference, as published with the repository.
pub const DOCS_URL: &str = "https://github.com/cua-check/cua-check/blob/main/docs/rules.md";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Standard,
    Marketplace,
}

/// What the rules see: every file's facts, plus what the run knows.
pub struct Context<'a> {
    pub files: &'a [SourceFile],
    /// `classes[f][d]`: the tracking class of `files[f].deployments[d]`'s name.
    pub classes: Vec<Vec<Class>>,
    /// `links[f]`: indices of files that `files[f]` references (templateLink, module).
    pub links: Vec<Vec<usize>>,
    pub registry: &'a Registry,
    pub mode: Mode,
    /// Where `ARM_PARTNER_ID` is set for Terraform runs (env of this run or found in the repo).
    pub env_partner_id: Option<String>,
    /// Every place a tracking ID (or an attempt at one) is carried, in every language.
    pub ids: Vec<IdUse>,
    /// Problems met while walking and reading (unreadable, too large, links not followed).
    pub problems: &'a [crate::model::Problem],
    /// Every tracked solution (main templates, Terraform folders, code folders).
    pub solutions: Vec<crate::solutions::Solution>,
    /// The README files, docs pages and `createUiDefinition.json` files that speak for a
    /// solution's folder or one of its parents, with what each says about tracking.
    pub docs: Vec<crate::notice::DocFile>,
    /// How a customer notice is recognised (built in, or the config's `notice-pattern`).
    pub notice: crate::notice::Matcher,
}

impl Context<'_> {
    /// Deployments of file `f` with their classes.
    pub fn deployments(&self, f: usize) -> impl Iterator<Item = (&Deployment, &Class)> {
        self.files[f].deployments.iter().zip(self.classes[f].iter())
    }

    /// Does file `f` carry a tracking attempt at its top level (valid or not)?
    pub fn has_top_level_tracking(&self, f: usize) -> bool {
        self.deployments(f).any(|(d, c)| !d.nested && is_attempt(c))
    }

    /// Does main file `f` carry a tracking attempt anywhere it could be meant: its top level,
    /// a nested template, or a linked template or module?
    pub fn tracked_anywhere(&self, f: usize) -> bool {
        self.has_top_level_tracking(f) || cua102_nested_only::tracked_below(self, f).is_some()
    }

    /// The first top-level deployment of file `f` that does other work than tracking
    /// (a `Microsoft.Resources/deployments` resource or a Bicep module).
    pub fn other_deployment(&self, f: usize) -> Option<&Deployment> {
        self.files[f].deployments.iter().find(|d| {
            !d.nested
                && (d.form == crate::model::Form::BicepModule
                    || d.resource_type.as_ref().is_some_and(|t| t.value.eq_ignore_ascii_case(crate::model::DEPLOYMENTS)))
        })
    }

    /// Files that are main templates (ARM or Bicep) and could be read: a file with a parse
    /// error is reported once (CUA001), not judged on what could not be read.
    pub fn mains(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.files.len()).filter(|&f| self.files[f].role == crate::model::Role::Main && self.files[f].errors.is_empty())
    }

    /// The [`Context::mains`] with no tracking ID anywhere ([`Context::tracked_anywhere`]): what
    /// CUA101 (standard mode) and CUA117/CUA118 (marketplace) judge.
    pub fn untracked_mains(&self) -> impl Iterator<Item = usize> + '_ {
        self.mains().filter(|&f| !self.tracked_anywhere(f))
    }
}

/// How an ID is carried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    /// `files[f].deployments[i]`
    Deployment(usize),
    /// `files[f].providers[i]`
    Provider(usize),
    /// `files[f].user_agents[i]`
    UserAgent(usize),
}

/// One place that carries a tracking ID or an attempt at one.
#[derive(Clone, Debug)]
pub struct IdUse {
    pub file: usize,
    pub via: Via,
    pub span: Span,
    /// As written in the source.
    pub raw: String,
    pub class: Class,
    pub nested: bool,
    pub conditional: bool,
    /// For a dynamic Terraform name, the value the repository sets at run time (`TF_VAR_x`).
    pub run_value: Option<RunValue>,
}

impl IdUse {
    /// The class of the value this use carries, and, when it is set outside the code, where:
    /// for a dynamic Terraform name whose variable the repository sets at run time
    /// (`TF_VAR_x`), the class of that value, so a malformed or placeholder value is reported
    /// like a literal one (CUA103, CUA104, CUA105); otherwise the use's own class.
    pub fn value_class(&self) -> (&Class, Option<&RunValue>) {
        match (&self.class, &self.run_value) {
            (Class::Dynamic { .. }, Some(r)) if !matches!(r.class, Class::Dynamic { .. } | Class::None) => (&r.class, Some(r)),
            (c, _) => (c, None),
        }
    }
}

/// " (set by TF_VAR_x at path:line)" for a value set at run time, "" otherwise.
pub(crate) fn set_by(r: Option<&RunValue>) -> String {
    r.map(|r| format!(" (set by {})", r.from)).unwrap_or_default()
}

/// A value set outside the template for a dynamic tracking name, and where.
#[derive(Clone, Debug)]
pub struct RunValue {
    /// The name with the value set (`pid-<value>` for `TF_VAR_x`, the property's value for a
    /// build placeholder).
    pub value: String,
    /// The class of `pid-<value>`.
    pub class: Class,
    /// Where it is set: `TF_VAR_x at path:line` (and the variable it was copied from).
    pub from: String,
}

/// A name that tries to be a tracking ID (valid, malformed, placeholder or dynamic).
pub fn is_attempt(c: &Class) -> bool {
    matches!(
        c,
        Class::Valid(_) | Class::Malformed { .. } | Class::Placeholder { .. } | Class::Dynamic { .. }
    )
}

/// Collects findings; applies severity overrides and ignores from the configuration.
#[derive(Default)]
pub struct Sink {
    pub findings: Vec<Finding>,
    /// Per-rule severity override; `None` turns the rule off. An override replaces whatever
    /// severity the rule emits at (its default or an escalation such as CUA111's warning).
    pub overrides: Vec<(&'static str, Option<Severity>)>,
}

impl Sink {
    pub fn emit(&mut self, rule: &Rule, file: &SourceFile, span: Span, message: String) -> Option<&mut Finding> {
        self.emit_at(rule, rule.severity, file, span, message)
    }

    pub fn emit_at(
        &mut self,
        rule: &Rule,
        severity: Severity,
        file: &SourceFile,
        span: Span,
        message: String,
    ) -> Option<&mut Finding> {
        self.emit_path(rule, severity, &file.path, span, message, file.snippets.get(&span.line).cloned())
    }

    pub fn emit_path(
        &mut self,
        rule: &Rule,
        severity: Severity,
        path: &str,
        span: Span,
        message: String,
        source: Option<String>,
    ) -> Option<&mut Finding> {
        // A configured severity is the user's explicit choice: it wins unconditionally, also over
        // a rule's own escalation (CUA111 = "notice" keeps an off-by-default condition a notice).
        let severity = match self.overrides.iter().find(|(c, _)| *c == rule.code) {
            Some((_, None)) => return None,
            Some((_, Some(s))) => *s,
            None => severity,
        };
        let (end_line, end_column) = if span.end_line == 0 { (span.line, span.column) } else { (span.end_line, span.end_column) };
        self.findings.push(Finding {
            rule: rule.code,
            name: rule.name,
            severity,
            path: path.to_string(),
            line: span.line.max(1),
            column: span.column.max(1),
            end_line: end_line.max(1),
            end_column: end_column.max(1),
            message,
            help: None,
            snippet: None,
            source,
        });
        self.findings.last_mut()
    }
}

/// Run every rule.
pub fn run(cx: &Context, sink: &mut Sink) {
    for rule in RULES {
        (rule.check)(cx, sink);
    }
}

/// Render text taken from a repository for a message: quoted, control characters escaped,
/// length capped. Renderers escape again for their own format.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('`');
    for (i, c) in s.chars().enumerate() {
        if i >= 120 {
            out.push('…');
            break;
        }
        match c {
            '`' => out.push('\''),
            c if c.is_control() => out.push_str(&c.escape_default().to_string()),
            c => out.push(c),
        }
    }
    out.push('`');
    out
}
