//! The ways in: the command line (`cli`, shared by the native binary and `dist/cli.js`), the
//! GitHub Action (`action`), and the WebAssembly bindings (`wasm`) the Node shim calls.
//!
//! Owns: argument and input handling, exit codes, what is printed where.
//! Must not be imported by: anything else in the crate.

pub mod cli;
pub mod action;
#[cfg(target_arch = "wasm32")]
pub mod wasm;
