//! ARM template reader.
//!
//! - `reader`: the [`crate::sources::Reader`] for `.json` / `.jsonc` (reads only as far as it must).
//! - `shape`: which parts of a template the JSON parser may leave unbuilt.
//! - `template`: a template into facts (deployments, links, scope, suppressions).
//! - `expr`: ARM template expressions and their static evaluation.
pub mod expr;
pub mod template;
mod reader;
pub mod shape;

pub use reader::ArmReader;
