//! The README files, docs pages and `createUiDefinition.json` files a customer notice may be in
//! (CUA401): read only for the folders of tracked solutions and their parents.

use crate::notice::{chain, doc_kind, DocFile, Matcher};
use crate::options::settings::Settings;
use crate::solutions::Solution;
use crate::sources::decode;
use crate::util::host::Host;

/// Read the doc files (`candidates`: root-relative and host paths, from the walk) that speak for
/// the folder of a tracked solution or one of its parents, and see what each says. A tree
/// without tracking reads none.
pub fn read_docs(host: &dyn Host, candidates: &[(String, String)], solutions: &[Solution], notice: &Matcher, settings: &Settings) -> Vec<DocFile> {
    let mut folders: std::collections::BTreeSet<String> = Default::default();
    for s in solutions {
        folders.extend(chain(&s.folder));
    }
    let mut out = Vec::new();
    for (rel, abs) in candidates {
        let Some((kind, owners)) = doc_kind(rel) else { continue };
        if !owners.iter().any(|o| folders.contains(o)) {
            continue;
        }
        let found = host.read_file(abs, settings.max_file_size.min(4 << 20)).ok().and_then(|b| decode(&b).ok().and_then(|t| notice.scan(&t)));
        out.push(DocFile { path: rel.clone(), kind, owners, found });
    }
    out
}
