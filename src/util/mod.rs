//! Small shared pieces with no knowledge of CUA: globs, a compact stable sort, and the host
//! boundary (file system, environment) that native and wasm builds implement.
//!
//! Must not import: anything else in the crate.

pub mod glob;
pub mod sort;
pub mod host;
