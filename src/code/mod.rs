//! SDK, CLI and script user-agent scanner.
pub fn is_candidate(_path: &str) -> bool { false }
pub fn scan(_path: &str, _text: &str) -> Option<crate::model::SourceFile> { None }
