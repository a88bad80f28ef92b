//! cua-check: checks that Azure solutions carry their customer usage attribution IDs.
//!
//! Layout (one concern per module):
//! - `model`: language-neutral facts the rules look at.
//! - `json`, `arm`, `bicep`, `terraform`, `code`: one reader per input language.
//! - `tracking`, `registry`: what a tracking ID is, and which are registered.
//! - `solutions`, `notice`, `map`: tracked solutions, the customer notice, the attribution map.
//! - `rules`: the rule registry; one small module per rule.
//! - `discover`, `engine`: walk a tree, read each file once, run the rules.
//! - `report`, `render`: the report and its renderers (text, JSON, SARIF, markdown, comment).
//! - `cli`, `action`: the command line and the GitHub Action logic, shared by native and wasm.
//! - `fix`: mechanical fixes for ARM JSON templates (`cua-check fix`).
//! - `config_file`: the `cua-check.toml` config file (a small TOML subset parser).
//! - `sort`: a stable sort compiled once (keeps the WebAssembly small).
//! - `host`: the thin boundary to the platform (file system, environment); `wasm` binds it to JS.

pub mod json;
pub mod arm;
pub mod bicep;
pub mod terraform;
pub mod code;
pub mod model;
pub mod tracking;
pub mod registry;
pub mod solutions;
pub mod notice;
pub mod map;
pub mod rules;
pub mod report;
pub mod render;
pub mod snippets;
pub mod fix;
pub mod config_file;
pub mod glob;
pub mod sort;
pub mod config;
pub mod discover;
pub mod engine;
pub mod host;
pub mod cli;
pub mod action;
pub mod verify;
#[cfg(target_arch = "wasm32")]
pub mod wasm;
