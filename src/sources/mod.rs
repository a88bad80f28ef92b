//! Readers: one sub-folder per input language. Each turns the bytes of a file (or a Terraform
//! folder) into the language-neutral facts of [`crate::model`].
//!
//! Owns: decoding, parsing, evaluation of each language, and the tracking facts found in it.
//! Must not import: `check`, `rules`, `render`, `frontends` (readers know nothing of the run).

pub mod json;
pub mod arm;
pub mod bicep;
pub mod terraform;
pub mod code;
