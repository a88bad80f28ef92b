//! Options: the settings of one run and where they come from (command line, action inputs,
//! the `cua-check.toml` config file).
//! Must not import: `check`, `render`, `frontends`.

pub mod settings;
pub mod config_file;
pub mod table;
