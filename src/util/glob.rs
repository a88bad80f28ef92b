//! A small glob matcher for `--main` and `--exclude` (no regex engine: it keeps the wasm small).
//! Supports `*` (within a path segment), `**` (any number of segments), `?`, `[abc]`, `[a-z]`,
//! `[!a]` and `{a,b}`. A pattern without `/` matches a file or folder name at any depth.

#[derive(Clone, Debug)]
pub struct Glob {
    source: String,
    /// Alternatives after expanding braces.
    alternatives: Vec<Vec<u8>>,
    /// No `/` in the pattern: match against every path suffix that starts a segment.
    basename: bool,
}

impl Glob {
    pub fn new(pattern: &str) -> Result<Glob, String> {
        let p = pattern.trim().trim_start_matches("./");
        if p.is_empty() {
            return Err("empty glob".into());
        }
        let alternatives = expand_braces(p)?;
        for a in &alternatives {
            check_classes(a).map_err(|e| format!("invalid glob {pattern:?}: {e}"))?;
        }
        Ok(Glob {
            source: pattern.to_string(),
            basename: !p.trim_end_matches('/').contains('/'),
            alternatives: alternatives.into_iter().map(|a| a.trim_end_matches('/').as_bytes().to_vec()).collect(),
        })
    }

    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Does the root-relative path (with `/`) match?
    pub fn is_match(&self, path: &str) -> bool {
        let path = path.as_bytes();
        self.alternatives.iter().any(|pat| {
            if self.basename {
                // any suffix that begins a segment
                std::iter::once(0)
                    .chain(path.iter().enumerate().filter(|(_, &c)| c == b'/').map(|(i, _)| i + 1))
                    .any(|start| matches(pat, &path[start..]))
            } else {
                matches(pat, path) || (pat.starts_with(b"/") && matches(&pat[1..], path))
            }
        })
    }
}

fn expand_braces(p: &str) -> Result<Vec<String>, String> {
    let Some(open) = p.find('{') else { return Ok(vec![p.to_string()]) };
    let mut depth = 0;
    let mut close = None;
    for (i, c) in p[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(open + i);
                    break;
                }
            }
            _ => {}
        }
    }
    let close = close.ok_or_else(|| format!("invalid glob {p:?}: unclosed '{{'"))?;
    let inner = &p[open + 1..close];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    let mut out = Vec::new();
    for part in parts {
        for rest in expand_braces(&format!("{}{}{}", &p[..open], part, &p[close + 1..]))? {
            out.push(rest);
            if out.len() > 256 {
                return Err(format!("invalid glob {p:?}: too many brace alternatives"));
            }
        }
    }
    Ok(out)
}

fn check_classes(p: &str) -> Result<(), String> {
    let b = p.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'[' {
            let end = b[i + 1..].iter().position(|&c| c == b']').ok_or("unclosed '['")?;
            if end == 0 {
                return Err("empty '[]'".into());
            }
            i += end + 1;
        }
        i += 1;
    }
    Ok(())
}

/// Iterative wildcard matching with backtracking for `*` and `**`.
fn matches(pat: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0usize, 0usize);
    let mut star: Option<(usize, usize, bool)> = None; // (pattern pos after star, text pos, crosses '/')
    while t < text.len() {
        if p < pat.len() {
            match pat[p] {
                b'*' => {
                    let double = pat.get(p + 1) == Some(&b'*');
                    let mut np = p + if double { 2 } else { 1 };
                    if double && pat.get(np) == Some(&b'/') {
                        np += 1;
                        // `**/` may match nothing
                    }
                    star = Some((np, t, double));
                    p = np;
                    continue;
                }
                b'?' if text[t] != b'/' => {
                    p += 1;
                    t += 1;
                    continue;
                }
                b'[' => {
                    if let Some((ok, len)) = class_match(&pat[p..], text[t]) {
                        if ok && text[t] != b'/' {
                            p += len;
                            t += 1;
                            continue;
                        }
                    }
                }
                c if c == text[t] => {
                    p += 1;
                    t += 1;
                    continue;
                }
                _ => {}
            }
        }
        // backtrack
        match star {
            Some((sp, st, double)) if double || text[st] != b'/' => {
                star = Some((sp, st + 1, double));
                p = sp;
                t = st + 1;
            }
            _ => return false,
        }
    }
    while p < pat.len() && pat[p] == b'*' {
        p += 1;
    }
    p == pat.len() || pat[p..] == *b"/"
}

fn class_match(pat: &[u8], c: u8) -> Option<(bool, usize)> {
    let end = pat[1..].iter().position(|&x| x == b']')? + 1;
    let body = &pat[1..end];
    let (neg, body) = match body.first() {
        Some(b'!') | Some(b'^') => (true, &body[1..]),
        _ => (false, body),
    };
    let mut ok = false;
    let mut i = 0;
    while i < body.len() {
        if i + 2 < body.len() && body[i + 1] == b'-' {
            ok |= body[i] <= c && c <= body[i + 2];
            i += 3;
        } else {
            ok |= body[i] == c;
            i += 1;
        }
    }
    Some((ok != neg, end + 1))
}

#[cfg(test)]
mod tests {
    use super::Glob;

    fn m(p: &str, s: &str) -> bool {
        Glob::new(p).unwrap().is_match(s)
    }

    #[test]
    fn globs() {
        assert!(m("*.json", "a/b/c.json"));
        assert!(m("templates/**/main*.json", "templates/x/y/mainTemplate.json"));
        assert!(m("templates/**/main*.json", "templates/main.json"));
        assert!(!m("templates/*.json", "templates/x/main.json"));
        assert!(m("test{s,}/**", "tests/a.json"));
        assert!(m("test{s,}/**", "test/a.json"));
        assert!(m("node_modules", "a/node_modules"));
        assert!(m("[a-c]?.bicep", "b1.bicep"));
        assert!(!m("[!a-c]?.bicep", "b1.bicep"));
        assert!(Glob::new("a/[b").is_err());
        assert!(Glob::new("a/{b").is_err());
    }
}
