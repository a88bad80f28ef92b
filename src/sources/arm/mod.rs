//! ARM template reader: expressions (`expr`) and templates.
pub mod expr;
pub mod template;
mod reader;

pub use reader::ArmReader;
