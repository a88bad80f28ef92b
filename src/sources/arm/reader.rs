//! The ARM JSON [`Reader`]: claims `.json` / `.jsonc`, and reads a file only as far as it must to
//! know whether it is a template.

use super::template::{self, Sniff};
use crate::model::SourceFile;
use crate::options::settings::Sources;
use crate::sources::{finish, Input, ReadCx, Reader, Unit};

/// How much of a JSON file is read before judging whether it can be a template
/// ([`template::sniff`]); the rest is read only when it can.
const JSON_HEAD: u64 = 4096;

pub struct ArmReader;

impl Reader for ArmReader {
    fn claims(&self, _rel: &str, lower: &str) -> Option<u8> {
        (lower.ends_with(".json") || lower.ends_with(".jsonc")).then_some(0)
    }

    /// Bicep's checks read compiled templates too, so JSON is read when either is on.
    fn enabled(&self, sources: &Sources) -> bool {
        sources.arm || sources.bicep
    }

    fn unit(&self) -> Unit {
        Unit::File
    }

    fn main_name(&self, lower_name: &str) -> bool {
        matches!(lower_name, "maintemplate.json" | "azuredeploy.json")
    }

    fn read(&self, inputs: &[Input], cx: &mut ReadCx) -> Vec<SourceFile> {
        inputs.iter().filter_map(|input| read_one(input, cx)).collect()
    }
}

fn read_one(input: &Input, cx: &mut ReadCx) -> Option<SourceFile> {
    let main = cx.is_main(input.rel);
    let max = if main { cx.limit.saturating_add(1) } else { JSON_HEAD };
    let (mut bytes, size) = cx.open(input, max)?;
    if !main {
        // Judged from the first bytes: most JSON (test data, manifests) stops here.
        let mut sniff = template::sniff(&bytes, bytes.len() as u64 >= size);
        if sniff == Sniff::Unknown && (bytes.len() as u64) < size {
            bytes = cx.reread(input)?;
            sniff = template::sniff(&bytes, true);
        }
        match sniff {
            Sniff::NotTemplate => return None,
            Sniff::Template => {
                if (bytes.len() as u64) < size {
                    bytes = cx.reread(input)?;
                }
            }
            Sniff::Unknown => {
                let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
                if !utf16 && !template::mentions_template_schema(&bytes) {
                    return None; // not a template: decided from the bytes, never parsed
                }
            }
        }
    }
    let text = cx.text(input, &bytes)?;
    if !cx.sources.arm {
        return None;
    }
    let mut f = template::read(input.rel, &text, main)?;
    finish(&mut f, &text);
    Some(f)
}
