//! Registered tracking IDs: from `--registered`, `--registry FILE`, and every registry file found
//! in the scanned tree under a conventional name (`cua-registry.json` or `.cua-registry.json`, in
//! any folder, e.g. the repository root or `.github/`).
//!
//! Registry files are JSON (`{"ids": [{"id": "pid-…", "description": "…"}]}`, or a plain array of
//! strings/objects) or text (one ID per line, optional description after whitespace, `#` comments).

use crate::tracking::{self, TrackingId};

pub const CONVENTIONAL: &[&str] = &["cua-registry.json", ".cua-registry.json"];

#[derive(Clone, Debug)]
pub struct Entry {
    pub id: TrackingId,
    pub description: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Registry {
    pub entries: Vec<Entry>,
    /// Where the IDs came from, for messages (`--registered`, file paths).
    pub sources: Vec<String>,
    /// False when no registry was given: registration is not checked.
    pub checked: bool,
    /// The IDs in `entries`, for de-duplication.
    seen: std::collections::HashSet<String>,
}

/// An ID as written in a registry, quoted for a message: at most 60 characters, escaped.
fn quoted(id: &str) -> String {
    let cut: String = id.chars().take(60).collect();
    if cut.len() < id.len() {
        format!("{cut:?}…")
    } else {
        format!("{cut:?}")
    }
}

impl Registry {
    /// Add one ID given on the command line or as an action input.
    pub fn add_str(&mut self, s: &str, source: &str) -> Result<(), String> {
        let (id, desc) = split_line(s);
        let Some(id) = tracking::parse_registered(id) else {
            return Err(format!(
                "{source}: {} is not a tracking ID (expected pid-<GUID>, pid-<GUID>-partnercenter or a bare GUID)",
                quoted(id)
            ));
        };
        self.push(Entry { id, description: desc }, source);
        Ok(())
    }

    fn push(&mut self, e: Entry, source: &str) {
        self.checked = true;
        if !self.sources.iter().any(|s| s == source) {
            self.sources.push(source.to_string());
        }
        if self.seen.insert(e.id.id.clone()) {
            self.entries.push(e);
        }
    }

    /// Load a registry file's text. Errors name the file and line.
    pub fn add_file(&mut self, path: &str, text: &str) -> Result<(), String> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let trimmed = text.trim_start();
        if trimmed.starts_with('{') || trimmed.starts_with('[') {
            let v: serde_json::Value =
                serde_json::from_str(text).map_err(|e| format!("{path}:{}:{}: invalid JSON: {e}", e.line(), e.column()))?;
            let list = match &v {
                serde_json::Value::Array(a) => a.clone(),
                serde_json::Value::Object(o) => match o.get("ids") {
                    Some(serde_json::Value::Array(a)) => a.clone(),
                    _ => return Err(format!("{path}: expected an \"ids\" array")),
                },
                _ => unreachable!(),
            };
            for (i, item) in list.iter().enumerate() {
                let (id, desc) = match item {
                    serde_json::Value::String(s) => (s.clone(), None),
                    serde_json::Value::Object(o) => (
                        o.get("id").and_then(|v| v.as_str()).unwrap_or_default().to_string(),
                        o.get("description").and_then(|v| v.as_str()).map(str::to_string),
                    ),
                    _ => return Err(format!("{path}: ids[{i}] must be a string or an object with \"id\"")),
                };
                let Some(tid) = tracking::parse_registered(&id) else {
                    return Err(format!("{path}: ids[{i}] {} is not a tracking ID (expected pid-<GUID>, pid-<GUID>-partnercenter or a bare GUID)", quoted(&id)));
                };
                self.push(Entry { id: tid, description: desc }, path);
            }
        } else {
            for (n, line) in text.lines().enumerate() {
                let line = line.split('#').next().unwrap_or("").trim();
                if line.is_empty() {
                    continue;
                }
                let (id, desc) = split_line(line);
                let Some(tid) = tracking::parse_registered(id) else {
                    return Err(format!("{path}:{}: {} is not a tracking ID (expected pid-<GUID>, pid-<GUID>-partnercenter or a bare GUID)", n + 1, quoted(id)));
                };
                self.push(Entry { id: tid, description: desc }, path);
            }
        }
        self.checked = true;
        if !self.sources.iter().any(|s| s == path) {
            self.sources.push(path.to_string());
        }
        Ok(())
    }

    /// The registry entry for an ID: the same ID, or the same GUID in another form.
    pub fn lookup(&self, id: &TrackingId) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id.id == id.id).or_else(|| {
            let g = id.guid.as_ref()?;
            self.entries.iter().find(|e| e.id.guid.as_ref() == Some(g))
        })
    }

    /// The only registered ID, when exactly one is registered.
    pub fn single(&self) -> Option<&Entry> {
        match self.entries.as_slice() {
            [one] => Some(one),
            _ => None,
        }
    }

    /// A registered ID that differs from `id` by a typo (at most 3 characters of the GUID).
    pub fn nearest(&self, id: &TrackingId) -> Option<&Entry> {
        let g = id.guid.as_ref()?;
        self.entries
            .iter()
            .filter_map(|e| Some((e, distance(e.id.guid.as_ref()?, g))))
            .filter(|(_, d)| *d <= 3)
            .min_by_key(|(_, d)| *d)
            .map(|(e, _)| e)
    }
}

/// The tracking ID an item of `--registered` or the `registered-ids` input names (`id` or
/// `id description`), if it is one ([`Registry::add_str`] reads the same).
pub fn item_id(s: &str) -> Result<&str, &str> {
    let id = split_line(s).0;
    tracking::parse_registered(id).map(|_| id).ok_or(id)
}

fn split_line(s: &str) -> (&str, Option<String>) {
    let s = s.trim();
    match s.find(char::is_whitespace) {
        Some(i) => {
            let desc = s[i..].trim();
            (&s[..i], (!desc.is_empty()).then(|| desc.to_string()))
        }
        None => (s, None),
    }
}

/// Levenshtein distance (small strings).
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_json_and_text_registries() {
        let mut r = Registry::default();
        r.add_file("r.json", r#"{"ids":[{"id":"pid-8d1a1e1b-1f2c-4d3e-9a4b-5c6d7e8f9a0b","description":"Contoso"}]}"#).unwrap();
        r.add_file("r.txt", "# ids\n8d1a1e1b-1f2c-4d3e-9a4b-5c6d7e8f9a0c  Fabrikam app\n").unwrap();
        assert_eq!(r.entries.len(), 2);
        assert_eq!(r.entries[1].description.as_deref(), Some("Fabrikam app"));
        let err = r.add_file("bad.txt", "\npid-nothing\n").unwrap_err();
        assert!(err.starts_with("bad.txt:2:"), "{err}");
    }

    #[test]
    fn suggests_near_ids() {
        let mut r = Registry::default();
        r.add_str("pid-8d1a1e1b-1f2c-4d3e-9a4b-5c6d7e8f9a0b", "--registered").unwrap();
        let typo = tracking::parse_registered("pid-8d1a1e1b-1f2c-4d3e-9a4b-5c6d7e8f9a0c").unwrap();
        assert!(r.lookup(&typo).is_none());
        assert!(r.nearest(&typo).is_some());
    }
}
