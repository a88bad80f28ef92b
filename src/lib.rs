//! cua-check: checks that Azure solutions carry their customer usage attribution IDs.
//!
//! The map (each folder's `mod.rs` says what it owns and what it must not import):
//!
//! ```text
//! sources/    readers, one folder per input language (json, arm, bicep, terraform, code)
//!   └─> model      the language-neutral facts a reader produces
//! tracking    what a tracking ID is: GUIDs, pid- forms, sample IDs, user agents
//! partner_ids the registered IDs (registry file, registered-ids input)
//! solutions   tracked solutions: a main template and what it deploys, a Terraform or code folder
//! notice      the customer notice (CUA401): where it may be written and how it is recognised
//! map         the attribution map (`cua-check map`): which ID covers which solutions
//! rules/      one small file per rule (code, name, severity, docs, check, fix)
//! check/      the run: discover files, read each once, roles and links, run the rules
//!   └─> report     what every renderer is made from (the JSON contract)
//! render/     text, JSON, SARIF, markdown, PR comment, annotations, rule docs
//! fix/        the fix engine (plan, text edits, diff) and ready-to-paste snippets
//! options/    the settings of a run and where they come from (flags, inputs, config file)
//! verify/     `cua-check verify`: IDs checked against Partner Center
//! frontends/  the command line, the GitHub Action, the wasm bindings
//! util/       glob, sort, and the host boundary (file system, environment)
//! ```
//!
//! Data flows one way: `frontends` → `options` → `check` (→ `sources` → `model`, → `rules`) →
//! `report` → `render`.

pub mod util;
pub mod sources;
pub mod model;
pub mod tracking;
pub mod partner_ids;
pub mod solutions;
pub mod notice;
pub mod map;
pub mod rules;
pub mod check;
pub mod report;
pub mod render;
pub mod fix;
pub mod options;
pub mod verify;
pub mod frontends;
