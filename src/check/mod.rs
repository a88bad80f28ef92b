//! The run: walk a tree, read each file once with its reader, decide roles and links, run the
//! rules, and build the [`crate::report::Report`].
//!
//! Owns: discovery, the engine pipeline, links between files, suppression and the summary.
//! Must not import: `render`, `frontends` (a check produces a report; it never prints).

pub mod discover;
pub mod docs;
pub mod engine;
pub mod ids;
pub mod links;
pub mod placeholders;
pub mod read;
pub mod summary;
pub mod suppress;
pub mod tfvars;
pub mod bicepparam;
pub mod wire;
