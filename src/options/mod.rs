//! Options: the settings of one run and where they come from (command line, action inputs,
//! the `cua-check.toml` config file).

pub mod settings;
pub mod config_file;
pub mod table;
