//! ARM template reader: expressions (`expr`) and templates.
pub mod expr;
pub mod template;
