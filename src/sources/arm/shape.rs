//! What the template reader needs of a template's JSON: the [`Skip`] hook that lets the JSON
//! parser check but not build the parts the reader never looks at (the `properties` of a resource
//! that is not a deployment, `tags`, `dependsOn`, `outputs`, …), or looks at only when an
//! expression asks for them (a template's array and object `variables`).

use crate::sources::json::{Member, Skip};

/// Anything else.
const OTHER: u8 = 0;
/// A template: the root, or a deployment's `properties.template`.
const TEMPLATE: u8 = 1;
/// A `resources` array (or languageVersion 2.0 object).
const COLLECTION: u8 = 2;
/// One resource.
const RESOURCE: u8 = 3;
/// A resource's `properties`.
pub const PROPERTIES: u8 = 4;
/// A template's `variables`.
const VARIABLES: u8 = 5;

pub struct TemplateShape;

impl Skip for TemplateShape {
    fn root(&self) -> u8 {
        TEMPLATE
    }

    fn child(&self, parent: u8, key: Option<&str>) -> u8 {
        match (parent, key) {
            (COLLECTION, _) => RESOURCE,
            (_, None) | (OTHER, _) => OTHER,
            (TEMPLATE | RESOURCE, Some(k)) if k.eq_ignore_ascii_case("resources") => COLLECTION,
            (TEMPLATE, Some(k)) if k.eq_ignore_ascii_case("variables") => VARIABLES,
            (RESOURCE, Some(k)) if k.eq_ignore_ascii_case("properties") => PROPERTIES,
            (PROPERTIES, Some(k)) if k.eq_ignore_ascii_case("template") => TEMPLATE,
            _ => OTHER,
        }
    }

    /// In a resource: its `properties` once its `type` is known not to be a deployment, and every
    /// member the template reader never looks at; in a template: its `outputs`; in a template's
    /// `variables`: every array or object value but the property iteration `copy` (which the scope
    /// reads to name the variables it builds). A skipped variable is built when an expression
    /// refers to it ([`build_variable`]).
    fn skippable(&self, parent: u8, key: &str, members: &[Member]) -> bool {
        match parent {
            RESOURCE if key.eq_ignore_ascii_case("properties") => members
                .iter()
                .rfind(|m| m.key.eq_ignore_ascii_case("type"))
                .and_then(|m| m.value.as_str())
                .is_some_and(|t| !t.eq_ignore_ascii_case(crate::model::DEPLOYMENTS)),
            RESOURCE => !["resources", "metadata", "condition", "name", "type", "location"].iter().any(|k| key.eq_ignore_ascii_case(k)),
            TEMPLATE => key.eq_ignore_ascii_case("outputs"),
            VARIABLES => !key.eq_ignore_ascii_case("copy"),
            _ => false,
        }
    }
}

/// Parse a deployment template, building only what the template reader needs. Errors are
/// exactly those of [`crate::sources::json::parse`].
pub fn parse_template(text: &str) -> Result<crate::sources::json::Parsed, crate::sources::json::ParseError> {
    match crate::sources::json::parse_skipping(text, &TemplateShape) {
        Err(e) if e.message.is_empty() => crate::sources::json::parse(text), // a skipped part is invalid: say where, as `parse` does
        r => r,
    }
}

/// Build the skipped `properties` of a resource.
pub fn build_properties(text: &str, node: &crate::sources::json::Node) -> Result<crate::sources::json::Node, crate::sources::json::ParseError> {
    crate::sources::json::parse_skipped(text, node, &TemplateShape, PROPERTIES)
}

/// Build a skipped variable (its value under a template's `variables`): the whole value, nothing
/// left unbuilt in it.
pub fn build_variable(text: &str, node: &crate::sources::json::Node) -> Result<crate::sources::json::Node, crate::sources::json::ParseError> {
    crate::sources::json::parse_skipped(text, node, &TemplateShape, OTHER)
}
