//! ARM template expression language: parser and static evaluator.
//!
//! A JSON string value of a template that starts with `[` and ends with `]` is an expression
//! (`"[concat('pid-', variables('id'))]"`); one starting with `[[` is a literal whose first `[`
//! escapes the second. [`parse`] reads the text inside the brackets into an [`Expr`]; [`eval`]
//! computes as much of its value as can be known before deployment. Values that only exist at
//! deployment time (`uniqueString(...)`, `resourceGroup().location`, `reference(...)`) become
//! opaque pieces of a [`Val::Partial`] string, so that `concat('pid-', uniqueString(...))` is
//! still known to start with `pid-`.
//!
//! Evaluation is bounded: nesting depth, total work per top-level call, string size (1 MiB),
//! array length and value depth all have limits, past which the result is [`Val::Unknown`].
//!
//! The parts, each depending only on those above it:
//! - `syntax`: [`Expr`], [`parse`], printing; knows nothing of values.
//! - `value`: [`Val`] and pure queries on it ([`to_resolved`], [`truthy`]).
//! - `budget`: the limits, and the bounded constructors every built value goes through.
//! - `functions/`: the function library by family, one table of name → arity, implementation;
//!   shared with Bicep's evaluator (`functions::call`).
//! - `eval`: [`eval`] of an expression tree (member/index access, `if`, `coalesce`,
//!   `parameters`/`variables`; other calls go to the library).
//! - `scope`: [`Scope`], [`EmptyScope`], [`TemplateScope`] (a template's parameters/variables).
//!
//! Outside `arm/`, only the items re-exported here are used (and `functions`, `value` and
//! `budget` by the Bicep evaluator). Must not import: rules, the engine, reports.

pub(crate) mod budget;
mod eval;
pub(crate) mod functions;
mod scope;
mod syntax;
pub(crate) mod value;

pub use eval::{eval, eval_json_string};
pub use scope::{EmptyScope, Scope, TemplateScope};
pub use syntax::{is_expression, parse, unescape_literal, Expr, MAX_NESTING};
pub use value::{to_resolved, truthy, Val};

#[cfg(test)]
mod tests;
