//! SDK, CLI and script user-agent scanner.

pub(crate) mod suppress;
