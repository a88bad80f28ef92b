//! The JSON-with-comments reader: any text must give a tree or an error, never a panic or hang;
//! and the template parse (`arm::shape::parse_template`, which leaves parts unbuilt) must agree
//! with `parse` exactly.
#![no_main]
use cua_check::sources::arm::shape::parse_template;
use cua_check::sources::json::{parse, parse_skipped, Member, Node, Skip, Value};
use libfuzzer_sys::fuzz_target;

/// Builds everything: a skipped value expanded with it is the whole subtree.
struct Never;

impl Skip for Never {
    fn root(&self) -> u8 {
        0
    }
    fn child(&self, _: u8, _: Option<&str>) -> u8 {
        0
    }
    fn skippable(&self, _: u8, _: &str, _: &[Member]) -> bool {
        false
    }
}

fn expand(text: &str, node: &mut Node) {
    if matches!(node.value, Value::Skipped) {
        *node = parse_skipped(text, node, &Never, 0).expect("a skipped value builds");
    }
    match &mut node.value {
        Value::Array(items) => items.iter_mut().for_each(|n| expand(text, n)),
        Value::Object(members) => members.iter_mut().for_each(|m| expand(text, &mut m.value)),
        _ => {}
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let full = parse(text);
        match (&full, parse_template(text)) {
            (Ok(f), Ok(mut lazy)) => {
                expand(text, &mut lazy.root);
                assert!(lazy == *f, "parse_template differs from parse");
            }
            (Err(a), Err(b)) => assert_eq!(*a, b),
            (a, b) => panic!("parse ok={} but parse_template ok={}", a.is_ok(), b.is_ok()),
        }
        if let Ok(parsed) = full {
            // Converting the tree must not panic either.
            let _ = parsed.root.into_value();
        }
    }
});
